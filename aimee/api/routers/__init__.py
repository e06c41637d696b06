"""One router per resource; HTTP concerns only."""

"""One logging set-up for every process: the CLI, and each API worker process
that uvicorn starts (``--workers N`` imports the app afresh in each)."""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Log to stderr at ``level`` unless logging is already set up (a no-op then)."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.root.level))

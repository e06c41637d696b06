"""Answer generation: the Japanese template composer (default), Ollama
(optional), the prompt, and the grounding check that keeps numbers honest."""

"""What an API token looks like, so that no answer ever shows one.

Tokens are ``aimee_`` and 43 URL-safe characters (``services/users.new_token``). A
chat answer or a cited note that contains something shaped like a token (or an
``Authorization: Bearer …`` value), in any width of characters, has it replaced
before anyone sees it: a token pasted into know-how or planted in a decision's
reason is never repeated, whoever asks."""

from __future__ import annotations

import re
import unicodedata

TOKEN_PREFIX = "aimee_"
REDACTED = "［トークンは表示しません］"

_SECRET = re.compile(
    rf"{TOKEN_PREFIX}[A-Za-z0-9_\-]{{8,}}|\bbearer\s+[A-Za-z0-9._~+/\-]{{8,}}=*",
    re.IGNORECASE,
)


def contains_token(text: str) -> bool:
    return bool(_SECRET.search(unicodedata.normalize("NFKC", text)))


def redact(text: str) -> str:
    """``text`` with every token-shaped string replaced; a line that hides one in
    full-width or other compatibility characters is replaced as a whole."""
    text = _SECRET.sub(REDACTED, text)
    if not contains_token(text):
        return text
    return "\n".join(REDACTED if contains_token(line) else line for line in text.split("\n"))

"""The cache interface shared by the in-process and Redis implementations."""

from __future__ import annotations

import json
from typing import Any, Protocol


class TTL:
    """Lifetimes in seconds (the seed's choices)."""

    CONVERSATION = 3600
    SUGGESTION = 24 * 3600
    OPERATORS = 600


class Cache(Protocol):
    backend: str

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_s: float) -> None: ...

    def delete(self, key: str) -> None: ...

    def add(self, key: str, value: str, ttl_s: float) -> bool:
        """Set only when absent (a lock); True when this call set it."""
        ...


def get_json(cache: Cache, key: str) -> Any:
    raw = cache.get(key)
    return None if raw is None else json.loads(raw)


def set_json(cache: Cache, key: str, value: Any, ttl_s: float) -> None:
    cache.set(key, json.dumps(value, ensure_ascii=False, default=str), ttl_s)

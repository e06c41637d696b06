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

    def incr(self, key: str, ttl_s: float) -> int:
        """Add 1 to the counter at ``key`` and return the new count, atomically
        (across processes with Redis). A missing or expired counter starts at 1
        and expires ``ttl_s`` after that first increment; later increments keep
        its expiry (the building block of a fixed-window rate limit)."""
        ...


def get_json(cache: Cache, key: str) -> Any:
    raw = cache.get(key)
    return None if raw is None else json.loads(raw)


def set_json(cache: Cache, key: str, value: Any, ttl_s: float) -> None:
    cache.set(key, json.dumps(value, ensure_ascii=False, default=str), ttl_s)

"""Redis-backed cache that never fails a request: when Redis is unreachable it
logs one warning, serves from an in-process cache, and retries Redis after a
short cool-down.

Nothing counted or written during an outage is lost when Redis comes back:

- counters (the rate limits) are mirrored in process: while Redis is away a
  window's count goes on from the count this process last saw, not from zero, and
  the first increment after the outage raises Redis's count to at least the local
  one (hits other processes counted alone during the outage are not known here);
- values written while Redis was away (a conversation's follow-ups) are written
  back to Redis the first time they are read after it returns, instead of being
  shadowed by the older value Redis still holds."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis

from aimee.cache.memory import MemoryCache

log = logging.getLogger(__name__)

RETRY_AFTER_S = 10.0
SOCKET_TIMEOUT_S = 0.5


class RedisCache:
    backend = "redis"

    def __init__(
        self, url: str, *, prefix: str = "aimee:", clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            decode_responses=True,
        )
        self._prefix = prefix
        self._clock = clock
        self._fallback = MemoryCache(clock=clock)
        self._written_while_down: set[str] = set()
        self._counted_while_down: set[str] = set()
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        return self._clock() < self._down_until

    def _usable(self) -> bool:
        return not self.degraded

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            if not self.degraded:
                log.warning(
                    "Redis unavailable (%s); using the in-process cache for %.0f s",
                    type(exc).__name__,
                    RETRY_AFTER_S,
                )
            self._down_until = self._clock() + RETRY_AFTER_S

    def _write_back(self, key: str) -> str | None:
        """The value written here while Redis was away, now written to Redis too; None
        when there is none (or it has expired)."""
        if key not in self._written_while_down:
            return None
        entry = self._fallback.entry(key)
        if entry is not None:
            value, ttl_s = entry
            self._client.set(self._prefix + key, value, px=max(1, int(ttl_s * 1000)))
        self._written_while_down.discard(key)
        return None if entry is None else entry[0]

    def get(self, key: str) -> str | None:
        if self._usable():
            try:
                newer = self._write_back(key)
                if newer is not None:
                    return newer
                value = self._client.get(self._prefix + key)
                return None if value is None else str(value)
            except redis.RedisError as exc:
                self._failed(exc)
        return self._fallback.get(key)

    def set(self, key: str, value: str, ttl_s: float) -> None:
        if self._usable():
            try:
                self._client.set(self._prefix + key, value, px=max(1, int(ttl_s * 1000)))
                self._written_while_down.discard(key)
                return
            except redis.RedisError as exc:
                self._failed(exc)
        self._fallback.set(key, value, ttl_s)
        self._written_while_down.add(key)

    def delete(self, key: str) -> None:
        self._fallback.delete(key)
        self._written_while_down.discard(key)
        if self._usable():
            try:
                self._client.delete(self._prefix + key)
            except redis.RedisError as exc:
                self._failed(exc)

    def add(self, key: str, value: str, ttl_s: float) -> bool:
        if self._usable():
            try:
                return bool(
                    self._client.set(
                        self._prefix + key, value, px=max(1, int(ttl_s * 1000)), nx=True
                    )
                )
            except redis.RedisError as exc:
                self._failed(exc)
        return self._fallback.add(key, value, ttl_s)

    def incr(self, key: str, ttl_s: float) -> int:
        """``SET key 0 NX PX ttl`` then ``INCR key`` in one MULTI/EXEC: the counter
        gets its expiry when created and INCR keeps it (any Redis version)."""
        if self._usable():
            try:
                with self._client.pipeline(transaction=True) as pipe:
                    pipe.set(self._prefix + key, 0, px=max(1, int(ttl_s * 1000)), nx=True)
                    pipe.incr(self._prefix + key)
                    _, count = pipe.execute()
                count = int(count)
                if key in self._counted_while_down:
                    count = self._catch_up(key, count)
                with self._lock:  # where to go on from if Redis goes away
                    local = self._fallback.get(key)
                    if local is None or int(local) < count:
                        self._fallback.set(key, str(count), ttl_s)
                return count
            except redis.RedisError as exc:
                self._failed(exc)
        self._counted_while_down.add(key)
        return self._fallback.incr(key, ttl_s)

    def _catch_up(self, key: str, count: int) -> int:
        """Raise Redis's count to the one this process kept while Redis was away."""
        self._counted_while_down.discard(key)
        local = self._fallback.get(key)
        if local is None or int(local) < count:
            return count
        return int(self._client.incrby(self._prefix + key, int(local) + 1 - count))

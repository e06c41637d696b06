"""Redis-backed cache that never fails a request: when Redis is unreachable it
logs one warning, serves from an in-process cache, and retries Redis after a
short cool-down."""

from __future__ import annotations

import logging
import threading
import time

import redis

from aimee.cache.memory import MemoryCache

log = logging.getLogger(__name__)

RETRY_AFTER_S = 10.0
SOCKET_TIMEOUT_S = 0.5


class RedisCache:
    backend = "redis"

    def __init__(self, url: str, *, prefix: str = "aimee:") -> None:
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            decode_responses=True,
        )
        self._prefix = prefix
        self._fallback = MemoryCache()
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

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
            self._down_until = time.monotonic() + RETRY_AFTER_S

    def get(self, key: str) -> str | None:
        if self._usable():
            try:
                value = self._client.get(self._prefix + key)
                return None if value is None else str(value)
            except redis.RedisError as exc:
                self._failed(exc)
        return self._fallback.get(key)

    def set(self, key: str, value: str, ttl_s: float) -> None:
        if self._usable():
            try:
                self._client.set(self._prefix + key, value, px=max(1, int(ttl_s * 1000)))
                return
            except redis.RedisError as exc:
                self._failed(exc)
        self._fallback.set(key, value, ttl_s)

    def delete(self, key: str) -> None:
        self._fallback.delete(key)
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
                return int(count)
            except redis.RedisError as exc:
                self._failed(exc)
        return self._fallback.incr(key, ttl_s)

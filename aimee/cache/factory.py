"""Choose the cache from the settings."""

from __future__ import annotations

from aimee.cache.base import Cache
from aimee.cache.memory import MemoryCache
from aimee.cache.redis_cache import RedisCache


def create_cache(redis_url: str | None, *, prefix: str = "aimee:") -> Cache:
    return RedisCache(redis_url, prefix=prefix) if redis_url else MemoryCache()

"""Choose the cache from the settings."""

from __future__ import annotations

from pathlib import Path

from aimee.cache.base import Cache
from aimee.cache.disk_cache import DiskCache
from aimee.cache.memory import MemoryCache
from aimee.cache.redis_cache import RedisCache


def create_cache(
    redis_url: str | None, *, disk_dir: Path | None = None, prefix: str = "aimee:"
) -> Cache:
    """Redis when a URL is set (processes on any machine share it); else the SQLite
    file in ``disk_dir`` (processes on this machine share it); else this process's own."""
    if redis_url:
        return RedisCache(redis_url, prefix=prefix)
    if disk_dir is not None:
        return DiskCache(disk_dir)
    return MemoryCache()

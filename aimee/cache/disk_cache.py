"""A cache shared by the processes of one machine, in a SQLite file (diskcache).

What several API workers on one machine must share without Redis: a conversation
(a follow-up may reach another worker than the question it follows), the rate-limit
counts and the alert scan's lock. diskcache keeps them in a SQLite database in WAL
mode, safe across threads and processes; each read or write is a short transaction.
It is not a network service: workers on several machines need Redis.
"""

from __future__ import annotations

from pathlib import Path

import diskcache

SIZE_LIMIT = 64 * 2**20
"""Bytes kept before the least recently stored entries go (conversations are ~2 KB)."""
TIMEOUT_S = 5.0
"""How long an operation waits for another process's write (then retries)."""


class DiskCache:
    backend = "disk"

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._cache = diskcache.Cache(
            str(self.directory),
            timeout=TIMEOUT_S,
            size_limit=SIZE_LIMIT,
            # a small page cache and no memory map: an API worker's budget is 500 MB and
            # every request thread holds its own connection
            sqlite_cache_size=256,
            sqlite_mmap_size=0,
        )

    def get(self, key: str) -> str | None:
        value = self._cache.get(key, retry=True)
        return None if value is None else str(value)

    def set(self, key: str, value: str, ttl_s: float) -> None:
        self._cache.set(key, value, expire=ttl_s, retry=True)

    def delete(self, key: str) -> None:
        self._cache.delete(key, retry=True)

    def add(self, key: str, value: str, ttl_s: float) -> bool:
        return bool(self._cache.add(key, value, expire=ttl_s, retry=True))

    def incr(self, key: str, ttl_s: float) -> int:
        # diskcache's incr keeps an entry's expiry but creates a missing one without:
        # the first increment of a window creates the entry with the window's expiry.
        with self._cache.transact(retry=True):
            self._cache.add(key, 0, expire=ttl_s, retry=True)
            return int(self._cache.incr(key, retry=True))

    def close(self) -> None:
        self._cache.close()

"""In-process TTL cache: thread-safe, bounded (least recently used goes first)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class MemoryCache:
    backend = "memory"

    def __init__(self, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def entry(self, key: str) -> tuple[str, float] | None:
        """The value and the seconds it has left, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] <= self._clock():
                return None
            return found[1], found[0] - self._clock()

    def set(self, key: str, value: str, ttl_s: float) -> None:
        with self._lock:
            self._entries[key] = (self._clock() + ttl_s, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def add(self, key: str, value: str, ttl_s: float) -> bool:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self._clock():
                return False
            self._entries[key] = (self._clock() + ttl_s, value)
            return True

    def incr(self, key: str, ttl_s: float) -> int:
        with self._lock:
            now = self._clock()
            entry = self._entries.get(key)
            if entry is None or entry[0] <= now:
                expires, count = now + ttl_s, 1
            else:
                expires, count = entry[0], int(entry[1]) + 1
            self._entries[key] = (expires, str(count))
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return count

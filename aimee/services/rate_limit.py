"""Rate limits counted in the shared cache, so several API workers sharing Redis
count together. With the in-process cache each process counts alone; while Redis
is down each process goes on from the window's count it last saw (not from zero:
an outage does not reset a limit) and raises Redis to its own count when Redis
returns (``cache/redis_cache.py``).

Algorithm: fixed window. Each request increments the counter of the current
window, ``floor(now / window_s)``, with one atomic ``Cache.incr``; a request is
refused when its count exceeds the limit, until the window ends. Simple and
exact to explain (``Retry-After`` is the time to the window's end); the price is
that a client can send up to twice the limit in a short burst straddling a window
boundary. Refused requests count too, so hammering does not help.

Keys are ``rate:<name>:<digest>:<window>`` where the digest is a SHA-256 of the
subject: a raw API token never reaches the cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from aimee.cache import Cache


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    """Requests counted in the current window, this one included (0 when disabled)."""
    retry_after_s: int
    """Whole seconds until the window ends when refused (at least 1); 0 when allowed."""


class RateLimiter:
    """At most ``limit`` hits per subject per ``window_s`` seconds; ``limit`` 0 disables."""

    def __init__(
        self,
        cache: Cache,
        *,
        name: str,
        limit: int,
        window_s: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self.cache, self.name, self.limit, self.window_s = cache, name, limit, window_s
        self._clock = clock  # wall clock: every worker must agree on the window

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def key(self, subject: str, window: int) -> str:
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"rate:{self.name}:{digest}:{window}"

    def hit(self, subject: str) -> Decision:
        """Count one request by ``subject`` and say whether it may go ahead."""
        if not self.enabled:
            return Decision(allowed=True, count=0, retry_after_s=0)
        now = self._clock()
        window = math.floor(now / self.window_s)
        count = self.cache.incr(self.key(subject, window), self.window_s)
        if count <= self.limit:
            return Decision(allowed=True, count=count, retry_after_s=0)
        retry_after = max(1, math.ceil((window + 1) * self.window_s - now))
        return Decision(allowed=False, count=count, retry_after_s=retry_after)

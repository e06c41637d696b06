"""The fixed-window rate limiter on the in-process cache and on the real Redis
(a fake clock decides the windows: no test waits for the wall clock)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from aimee.cache import Cache, MemoryCache
from aimee.cache.redis_cache import RedisCache
from aimee.services.rate_limit import RateLimiter
from tests.conftest import REDIS_URL

TOKEN = "aimee_" + "x" * 43


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class RecordingCache(MemoryCache):
    """A MemoryCache that remembers the keys it was asked to count."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def incr(self, key: str, ttl_s: float) -> int:
        self.keys.append(key)
        return super().incr(key, ttl_s)


def test_refuses_past_the_limit_until_the_window_ends(shared_cache: Cache) -> None:
    clock = FakeClock(1000.25)  # window [960, 1020)
    limiter = RateLimiter(shared_cache, name="chat", limit=3, clock=clock)
    assert [limiter.hit(TOKEN).allowed for _ in range(3)] == [True, True, True]
    refused = limiter.hit(TOKEN)
    assert (refused.allowed, refused.count, refused.retry_after_s) == (False, 4, 20)
    clock.now = 1019.9
    assert limiter.hit(TOKEN).retry_after_s == 1  # never 0: "retry now" would be wrong
    clock.now = 1020.0
    fresh = limiter.hit(TOKEN)
    assert (fresh.allowed, fresh.count, fresh.retry_after_s) == (True, 1, 0)


def test_each_subject_and_each_limiter_counts_alone(shared_cache: Cache) -> None:
    clock = FakeClock(60.0)
    chat = RateLimiter(shared_cache, name="chat", limit=1, clock=clock)
    other = RateLimiter(shared_cache, name="other", limit=1, clock=clock)
    assert chat.hit("token-a").allowed
    assert not chat.hit("token-a").allowed
    assert chat.hit("token-b").allowed
    assert other.hit("token-a").allowed


def test_concurrent_hits_are_counted_exactly(shared_cache: Cache) -> None:
    limiter = RateLimiter(shared_cache, name="chat", limit=50, clock=FakeClock(0.5))
    with ThreadPoolExecutor(max_workers=8) as pool:
        decisions = list(pool.map(lambda _: limiter.hit(TOKEN), range(120)))
    assert sum(d.allowed for d in decisions) == 50
    assert sorted(d.count for d in decisions) == list(range(1, 121))


def test_zero_disables_the_limit() -> None:
    cache = RecordingCache()
    limiter = RateLimiter(cache, name="chat", limit=0, clock=FakeClock(0.0))
    assert not limiter.enabled
    assert all(limiter.hit(TOKEN).allowed for _ in range(1000))
    assert cache.keys == []


def test_the_key_holds_no_token() -> None:
    cache = RecordingCache()
    RateLimiter(cache, name="chat", limit=5, clock=FakeClock(125.0)).hit(TOKEN)
    [key] = cache.keys
    assert key.startswith("rate:chat:") and key.endswith(":2")  # window 2 = [120, 180)
    assert TOKEN not in key and "aimee_" not in key


@pytest.mark.redis
def test_two_workers_sharing_redis_share_the_count(redis_prefix: str) -> None:
    clock = FakeClock(300.0)
    first, second = (
        RateLimiter(RedisCache(REDIS_URL, prefix=redis_prefix), name="chat", limit=3, clock=clock)
        for _ in range(2)
    )
    assert first.hit(TOKEN).allowed
    assert second.hit(TOKEN).allowed
    assert first.hit(TOKEN).allowed
    assert not second.hit(TOKEN).allowed
    assert not first.hit(TOKEN).allowed

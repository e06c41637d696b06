"""Both cache backends honour one contract; Redis is the real server."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from aimee.cache import TTL, Cache, MemoryCache, create_cache
from aimee.cache.base import get_json, set_json
from aimee.cache.redis_cache import RETRY_AFTER_S, RedisCache
from tests.conftest import REDIS_URL
from tests.fakes.tcp_proxy import TcpProxy


@pytest.fixture
def cache(shared_cache: Cache) -> Cache:
    return shared_cache


def test_set_get_delete(cache: Cache) -> None:
    assert cache.get("conversation:s1") is None
    cache.set("conversation:s1", "札幌のエントリ1", TTL.CONVERSATION)
    assert cache.get("conversation:s1") == "札幌のエントリ1"
    cache.delete("conversation:s1")
    assert cache.get("conversation:s1") is None


def test_json_round_trip(cache: Cache) -> None:
    set_json(cache, "suggestion:SGT1", {"moves": [17, 23], "拠点": "盛岡"}, TTL.SUGGESTION)
    assert get_json(cache, "suggestion:SGT1") == {"moves": [17, 23], "拠点": "盛岡"}


def test_add_is_a_lock(cache: Cache) -> None:
    assert cache.add("lock:alerts", "worker-1", 60)
    assert not cache.add("lock:alerts", "worker-2", 60)
    assert cache.get("lock:alerts") == "worker-1"


def test_entries_expire() -> None:
    moment = [0.0]
    cache = MemoryCache(clock=lambda: moment[0])
    cache.set("short", "x", 0.05)
    assert cache.get("short") == "x"
    moment[0] += 0.06
    assert cache.get("short") is None


@pytest.mark.redis
def test_redis_entries_carry_their_ttl(redis_prefix: str) -> None:
    """Redis expires what it holds: each entry is stored with its time to live."""
    RedisCache(REDIS_URL, prefix=redis_prefix).set("short", "x", 30)
    left_ms = redis.Redis.from_url(REDIS_URL).pttl(redis_prefix + "short")
    assert 25_000 < left_ms <= 30_000


def test_memory_cache_is_bounded() -> None:
    cache = MemoryCache(max_entries=2)
    for key in ("a", "b", "c"):
        cache.set(key, key, 60)
    assert cache.get("a") is None
    assert (cache.get("b"), cache.get("c")) == ("b", "c")


def test_redis_down_degrades_to_memory_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    cache = RedisCache("redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING):
        cache.set("conversation:s2", "hello", 60)
        assert cache.get("conversation:s2") == "hello"
        assert cache.add("lock", "me", 60)
    warnings = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(warnings) == 1
    assert cache.degraded


def test_factory_chooses_by_url() -> None:
    assert create_cache(None).backend == "memory"
    assert create_cache("redis://127.0.0.1:6379/0").backend == "redis"


def test_incr_counts(cache: Cache) -> None:
    assert [cache.incr("rate:a", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.incr("rate:b", 60) == 1
    assert cache.get("rate:a") == "3"


def test_incr_is_atomic_across_threads(cache: Cache) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: cache.incr("rate:threads", 60), range(200)))
    assert sorted(counts) == list(range(1, 201))


def test_incr_keeps_the_expiry_of_the_first_increment() -> None:
    now = [0.0]
    cache = MemoryCache(clock=lambda: now[0])
    assert cache.incr("rate:w", 10) == 1
    now[0] = 9.0
    assert cache.incr("rate:w", 10) == 2  # does not extend the life of the counter
    now[0] = 10.0
    assert cache.incr("rate:w", 10) == 1  # expired: a new counter


@pytest.mark.redis
def test_redis_incr_sets_the_expiry_once(redis_prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    cache = RedisCache(REDIS_URL, prefix=redis_prefix)
    try:
        assert cache.incr("rate:ttl", 30) == 1
        assert 0 < client.pttl(redis_prefix + "rate:ttl") <= 30_000
        assert cache.incr("rate:ttl", 600) == 2
        assert 0 < client.pttl(redis_prefix + "rate:ttl") <= 30_000
    finally:
        client.close()


def test_redis_down_incr_counts_in_process() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0")
    assert [cache.incr("rate:down", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.degraded


@pytest.mark.redis
def test_an_outage_neither_resets_counts_nor_loses_writes(redis_prefix: str) -> None:
    """Redis goes away behind a proxy and comes back: the rate count goes on from
    where it was (not from zero), Redis is raised to the count kept meanwhile, and a
    value written during the outage (a conversation's follow-up) is not shadowed
    by the older one Redis still holds."""
    address, database = REDIS_URL.removeprefix("redis://").split("/")
    host, port = address.split(":")
    proxy = TcpProxy((host, int(port)))
    proxy.start()
    now = [0.0]
    behind_proxy = f"redis://127.0.0.1:{proxy.port}/{database}"
    cache = RedisCache(behind_proxy, prefix=redis_prefix, clock=lambda: now[0])
    direct = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        assert [cache.incr("rate:outage", 60) for _ in range(3)] == [1, 2, 3]
        cache.set("conversation:s", "before", 600)
        proxy.stop()
        assert [cache.incr("rate:outage", 60) for _ in range(2)] == [4, 5]
        assert cache.degraded
        cache.set("conversation:s", "during", 600)

        proxy.start()
        now[0] += RETRY_AFTER_S
        assert not cache.degraded
        assert direct.get(redis_prefix + "rate:outage") == "3"  # Redis missed two hits
        assert cache.incr("rate:outage", 60) == 6
        assert direct.get(redis_prefix + "rate:outage") == "6"
        assert direct.get(redis_prefix + "conversation:s") == "before"
        assert cache.get("conversation:s") == "during"
        assert direct.get(redis_prefix + "conversation:s") == "during"  # written back
        assert 0 < direct.pttl(redis_prefix + "conversation:s") <= 600_000
    finally:
        proxy.stop()
        direct.close()

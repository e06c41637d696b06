"""Both cache backends honour one contract; Redis is the real server."""

from __future__ import annotations

import logging
import time

import pytest

from aimee.cache import TTL, Cache, MemoryCache, create_cache
from aimee.cache.base import get_json, set_json
from aimee.cache.redis_cache import RedisCache


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


def test_entries_expire(cache: Cache) -> None:
    cache.set("short", "x", 0.05)
    time.sleep(0.15)
    assert cache.get("short") is None


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

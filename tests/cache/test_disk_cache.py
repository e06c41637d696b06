"""The SQLite-file cache that the API workers of one machine share without Redis
(the contract itself is tested for every backend in test_cache.py)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from aimee.cache import create_cache
from aimee.cache.disk_cache import DiskCache


def _count(directory: str, times: int) -> list[int]:
    cache = DiskCache(directory)
    try:
        return [cache.incr("rate:procs", 60) for _ in range(times)]
    finally:
        cache.close()


def _write(directory: str) -> None:
    cache = DiskCache(directory)
    cache.set("conversation:7:s1", '[{"message": "札幌のエントリ1は？"}]', 3600)
    cache.close()


def test_processes_share_values_and_counts(tmp_path: Path) -> None:
    spawn = multiprocessing.get_context("spawn")  # fresh interpreters, like uvicorn's workers
    with spawn.Pool(3) as pool:
        pool.apply(_write, (str(tmp_path),))
        counts = pool.starmap(_count, [(str(tmp_path), 100)] * 3)
    cache = DiskCache(tmp_path)
    assert cache.get("conversation:7:s1") == '[{"message": "札幌のエントリ1は？"}]'
    assert sorted(c for each in counts for c in each) == list(range(1, 301))
    assert cache.get("rate:procs") == "300"


def test_a_counter_keeps_the_expiry_of_its_first_increment(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    before = time.time()
    assert cache.incr("rate:w", 30) == 1
    assert cache.incr("rate:w", 600) == 2
    _, expires = cache._cache.get("rate:w", expire_time=True)
    assert before + 30 <= expires <= time.time() + 30


def test_an_expired_counter_starts_again(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    cache.set("rate:old", "41", -1)  # expired when written
    assert cache.get("rate:old") is None
    assert cache.incr("rate:old", 60) == 1


def test_the_factory_prefers_redis_then_the_file(tmp_path: Path) -> None:
    assert create_cache(None, disk_dir=tmp_path).backend == "disk"
    assert create_cache("redis://127.0.0.1:6379/0", disk_dir=tmp_path).backend == "redis"
    assert create_cache(None).backend == "memory"

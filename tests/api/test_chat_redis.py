"""Two stateless API workers sharing a cache (Redis, or the SQLite file of one
machine): a conversation continues on either."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.cache.disk_cache import DiskCache
from aimee.config import Settings
from tests.conftest import DEMO_NOW, REDIS_URL, skip_or_fail


def _follow_up_on_another_worker(settings: Settings, session_id: str, token: str) -> str:
    """Ask on one app, follow up on another; the follow-up's answer must know the plan."""
    headers = {"Authorization": f"Bearer {token}"}
    with (
        TestClient(create_app(settings), headers=headers) as first,
        TestClient(create_app(settings), headers=headers) as second,
    ):
        opening = first.post(
            "/api/v1/chat/message",
            json={"message": "札幌のエントリ1工程が遅延しています", "session_id": session_id},
        ).json()
        donor = opening["suggestion"]["changes"][0]["from"]
        follow = second.post(
            "/api/v1/chat/message",
            json={"message": f"その場合、{donor}は大丈夫？", "session_id": session_id},
        ).json()
    assert follow["intent"]["intent_type"] == "impact_analysis"
    assert donor in follow["response"]
    return str(donor)


@pytest.mark.redis
def test_a_follow_up_on_another_worker_sharing_redis(
    demo_sqlite_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at {REDIS_URL} does not answer ({exc})")
    settings = Settings(
        data_dir=tmp_path, database_url=demo_sqlite_url, redis_url=REDIS_URL, now=DEMO_NOW
    )
    session_id = f"redis-{secrets.token_hex(4)}"
    _follow_up_on_another_worker(settings, session_id, tokens["viewer"])
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"aimee:conversation:*:{session_id}"))
    assert len(keys) == 1
    assert client.ttl(keys[0]) > 3000  # one hour
    client.delete(*keys)


def test_a_follow_up_on_another_worker_sharing_a_cache_file(
    demo_sqlite_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    """What ``aimee serve`` sets up for several workers without Redis."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=demo_sqlite_url,
        cache_dir=tmp_path / "cache",
        now=DEMO_NOW,
    )
    session_id = f"disk-{secrets.token_hex(4)}"
    donor = _follow_up_on_another_worker(settings, session_id, tokens["viewer"])
    stored = DiskCache(tmp_path / "cache")
    keys = [k for k in stored._cache.iterkeys() if str(k).endswith(f":{session_id}")]
    assert len(keys) == 1
    assert donor in (stored.get(keys[0]) or "")  # both turns, the follow-up naming the donor

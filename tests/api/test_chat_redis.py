"""Two stateless API workers sharing Redis: a conversation continues on either."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from tests.conftest import DEMO_NOW, REDIS_URL, skip_or_fail


@pytest.mark.redis
def test_a_follow_up_on_another_worker(
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
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
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
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"aimee:conversation:*:{session_id}"))
    assert len(keys) == 1
    assert client.ttl(keys[0]) > 3000  # one hour
    client.delete(*keys)

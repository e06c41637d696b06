"""Through real HTTP (uvicorn) on SQLite and MariaDB: 20 concurrent approvals of
one suggestion by two approvers -> exactly one 200 and nineteen 409, and one
history row whose action_user is the approver who won."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.services import setup, users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.conftest import DEMO_NOW, DEMO_SEED

THREADS = 20


def serve(settings: Settings) -> Iterator[str]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def base_url(empty_database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    engine = create_db_engine(empty_database_url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    with transaction(session_factory(engine)) as session:
        tokens = {
            name: users.add_user(session, name, "approver", now=DEMO_NOW)[1]
            for name in ("山田", "鈴木")
        }
    engine.dispose()
    settings = Settings(data_dir=tmp_path, database_url=empty_database_url, now=DEMO_NOW)
    for url in serve(settings):
        yield url, tokens


def test_twenty_concurrent_approvals_through_http(base_url: tuple[str, dict[str, str]]) -> None:
    url, tokens = base_url
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    with httpx.Client(base_url=url, timeout=60) as client:
        reply = client.post(
            "/api/v1/chat/message",
            json={"message": "札幌のエントリ1工程が遅延しています"},
            headers=headers["山田"],
        )
        suggestion_id = reply.json()["suggestion"]["id"]
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def approve(index: int) -> None:
        name = ("山田", "鈴木")[index % 2]
        with httpx.Client(base_url=url, timeout=60) as client:
            barrier.wait()
            response = client.post(
                f"/api/v1/approvals/{suggestion_id}/action",
                json={"action": "approve"},
                headers=headers[name],
            )
        with lock:
            results.append((response.status_code, name))

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * (THREADS - 1)
    winner = next(name for status, name in results if status == 200)
    with httpx.Client(base_url=url, timeout=60) as client:
        history = client.get(
            "/api/v1/approvals", params={"suggestion_id": suggestion_id}, headers=headers["鈴木"]
        ).json()
    assert history["total"] == 1
    assert history["items"][0]["action_user"] == winner

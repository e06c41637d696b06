"""Through real HTTP (uvicorn) on SQLite and MariaDB: 20 concurrent approvals of
one suggestion by two approvers -> exactly one 200 and nineteen 409, and one
history row whose action_user is the approver who won; 50 concurrent approvals
of five suggestions sharing people -> one operator is never promised twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.services import alerts, setup, users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY

THREADS = 20


def serve(settings: Settings, *, lifespan: Literal["on", "off"] = "on") -> Iterator[str]:
    """The API in a thread on a free port: its URL once it answers, stopped after.
    ``lifespan="off"``: no start-up warm-up (for tests that need none)."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan=lifespan,
        )
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
            name: users.add_user(session, name, role, now=DEMO_NOW)[1]
            for name, role in (("山田", "approver"), ("鈴木", "approver"), ("管理者", "admin"))
        }
    engine.dispose()
    # lock waits behind the winner may be long on a loaded machine: not a dead server
    settings = Settings(
        data_dir=tmp_path, database_url=empty_database_url, now=DEMO_NOW, database_timeout_s=60
    )
    for url in serve(settings):
        yield url, tokens


def approving(suggestion_id: str) -> str:
    return f"/api/v1/approvals/{suggestion_id}/action"


def race(
    url: str,
    jobs: list[tuple[str, dict[str, str]]],
    *,
    timeout: float,
    body: dict[str, str] | None = None,
) -> list[tuple[int, str]]:
    """POST each (path, auth headers) from its own thread, all released at once (an
    approval by default); (status, body) per job, in the jobs' order."""
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[int, str] | None] = [None] * len(jobs)

    def approve(index: int) -> None:
        path, headers = jobs[index]
        with httpx.Client(base_url=url, timeout=timeout) as client:
            barrier.wait()
            response = client.post(
                path, json={"action": "approve"} if body is None else body, headers=headers
            )
        results[index] = (response.status_code, response.text)

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    assert all(result is not None for result in results), "an approval did not answer"
    return [result for result in results if result is not None]


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
    approvers = [("山田", "鈴木")[i % 2] for i in range(THREADS)]
    jobs = [(approving(suggestion_id), headers[name]) for name in approvers]
    replies = race(url, jobs, timeout=60)
    results = [(status, name) for (status, _), name in zip(replies, approvers, strict=True)]
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * (THREADS - 1)
    winner = next(name for status, name in results if status == 200)
    with httpx.Client(base_url=url, timeout=60) as client:
        history = client.get(
            "/api/v1/approvals", params={"suggestion_id": suggestion_id}, headers=headers["鈴木"]
        ).json()
    assert history["total"] == 1
    assert history["items"][0]["action_user"] == winner


SUGGESTIONS = 5
APPROVALS = 50


def test_an_operator_is_promised_once_across_suggestions(
    base_url: tuple[str, dict[str, str]], empty_database_url: str
) -> None:
    """Five pending suggestions for the same queue move the same people; fifty
    approvals race over them. Exactly one suggestion wins; every loser gets 409
    naming a person and the suggestion holding them, and the database never holds
    two open commitments for one operator."""
    url, tokens = base_url
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    suggestions = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for number in range(SUGGESTIONS):
            reply = client.post(
                "/api/v1/chat/message",
                json={"message": "札幌のエントリ1工程が遅延しています", "session_id": f"s{number}"},
                headers=headers["山田"],
            )
            suggestions.append(reply.json()["suggestion"])
    shared = set.intersection(
        *({name for c in s["changes"] for name in c["operators"]} for s in suggestions)
    )
    assert shared, "the suggestions must share people for this test to mean anything"
    chosen = [suggestions[i % SUGGESTIONS]["id"] for i in range(APPROVALS)]
    jobs = [(approving(sid), headers[("山田", "鈴木")[i % 2]]) for i, sid in enumerate(chosen)]
    results = [
        (status, sid, text)
        for (status, text), sid in zip(race(url, jobs, timeout=120), chosen, strict=True)
    ]
    assert len(results) == APPROVALS
    statuses = [status for status, _, _ in results]
    assert statuses.count(200) == 1
    # a loser whose database was busy retries on fresh data and learns why (409)
    assert set(statuses) <= {200, 409}, [t for s, _, t in results if s == 503][:2]
    winner = next(sid for status, sid, _ in results if status == 200)
    for status, sid, reply in results:
        if status == 409 and sid != winner:  # names the person and who holds them
            assert winner in reply and "承認済みの別の提案" in reply and "さん" in reply, reply
        elif status == 409:
            assert "既に" in reply, reply
    engine = create_db_engine(empty_database_url)
    with engine.connect() as connection:
        doubles = connection.execute(
            text(
                "SELECT operator_id, COUNT(*) FROM operator_commitments "
                "WHERE open_operator_id IS NOT NULL GROUP BY operator_id HAVING COUNT(*) > 1"
            )
        ).all()
        held_by = {
            row[0]
            for row in connection.execute(
                text("SELECT DISTINCT suggestion_id FROM operator_commitments")
            )
        }
    engine.dispose()
    assert doubles == []
    assert held_by == {winner}


ALERT_CLICKS = 10


def test_one_suggestion_per_alert_however_many_click(
    base_url: tuple[str, dict[str, str]], empty_database_url: str
) -> None:
    """Ten approvers click 提案を作成 on the same alert at once: one suggestion is
    made and linked; the others are refused (409; on SQLite possibly 503, see above)."""
    url, tokens = base_url
    engine = create_db_engine(empty_database_url)
    with transaction(session_factory(engine)) as session:
        alerts.scan(session, DEMO_NOW, POLICY)
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    with httpx.Client(base_url=url, timeout=60) as client:
        (alert,) = client.get(
            "/api/v1/alerts",
            params={
                "type": "delay_risk",
                "location": "札幌",
                "business_id": "523201",
                "process": "エントリ1",
                "status": "active",
            },
            headers=headers["山田"],
        ).json()["items"]
    path = f"/api/v1/alerts/{alert['alert_id']}/suggestion"
    jobs = [(path, headers[("山田", "鈴木")[i % 2]]) for i in range(ALERT_CLICKS)]
    statuses = [status for status, _ in race(url, jobs, timeout=120, body={})]
    assert statuses.count(200) == 1, statuses
    allowed = {200, 409, 503} if empty_database_url.startswith("sqlite") else {200, 409}
    assert set(statuses) <= allowed, statuses
    with engine.connect() as connection:
        made = connection.execute(text("SELECT suggestion_id FROM suggestions")).scalars().all()
        linked = connection.execute(
            text("SELECT suggestion_id FROM alerts WHERE alert_id = :id"), {"id": alert["alert_id"]}
        ).scalar_one()
    engine.dispose()
    assert made == [linked]
    with httpx.Client(base_url=url, timeout=60) as client:
        again = client.post(path, headers=headers["鈴木"])
    assert again.status_code == 409
    assert again.json()["detail"] == {"suggestion_id": linked}
    assert f"未完了の提案{linked}があります" in again.json()["error"]


def test_fifty_know_how_writes_at_once_all_land(
    base_url: tuple[str, dict[str, str]], empty_database_url: str
) -> None:
    """Fifty notes written at the same instant: writers queue for the database
    (SQLite's busy wait, MariaDB's row locks), none is refused, all are stored."""
    url, tokens = base_url
    headers = {"Authorization": f"Bearer {tokens['管理者']}"}
    bodies = [
        {
            "title": f"同時書き込み{i}",
            "content": "順に処理する",
            "category": "ルール",
            "source": "t",
        }
        for i in range(50)
    ]
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    refusals: list[str] = []

    def write(body: dict[str, str]) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            barrier.wait()
            answer = client.post("/api/v1/knowledge", json=body, headers=headers)
            statuses.append(answer.status_code)
            if answer.status_code != 201:
                refusals.append(answer.text)

    threads = [threading.Thread(target=write, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert statuses == [201] * 50, refusals[:2]
    engine = create_db_engine(empty_database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT COUNT(*) FROM knowledge_documents WHERE title LIKE '同時書き込み%'")
        ).scalar_one()
    engine.dispose()
    assert stored == 50

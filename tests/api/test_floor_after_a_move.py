"""One truth for the floor right after a manager acts, through HTTP: the seed's
札幌 plan is approved and carried out at 15:40, the next snapshots arrive (worked
out here from the operators' recorded speeds, not by AIMEE), and at 15:50 the
progress, the alerts and the chat all see the new staff at their own pace.

Measured against whoever is assigned *now*, the hour before the move (four
operators at 300 tasks/hour) would look like a 79% pace of five operators: a
productivity alert on a queue that is fine, and late tasks that never come."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.demo.day import BUSINESSES
from aimee.services import alerts, setup, users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth, set_business_time
from tests.conftest import DEMO_NOW, DEMO_SEED

SAPPORO = ("札幌", "523201", "エントリ1")
STEP = timedelta(minutes=5)


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[tuple[TestClient, FastAPI, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'floor.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    with transaction(session_factory(engine)) as session:
        tokens = {
            role: users.add_user(session, f"floor-{role}", role, now=DEMO_NOW)[1]
            for role in ("approver", "admin")
        }
    engine.dispose()
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=url, now=DEMO_NOW))
    with TestClient(app, headers=auth(tokens["admin"])) as client:
        yield client, app, tokens


def queue_of(progress: list[dict[str, Any]], key: tuple[str, str, str]) -> dict[str, Any]:
    return next(q for q in progress if (q["location"], q["business_id"], q["process"]) == key)


def staff_rate(client: TestClient, key: tuple[str, str, str]) -> float:
    """Recorded speed (tasks/hour) of the operators on ``key`` now, from /operators."""
    operators = client.get("/api/v1/operators", params={"limit": 1000}).json()
    total = 0.0
    for op in operators:
        a = op["assignment"]
        if a and (a["location"], a["business_id"], a["process"]) == key:
            total += next(
                (s["average_speed"] for s in op["skills"] if s["process_name"] == key[2]), 0.0
            )
    return total


def snapshot(q: dict[str, Any], moment: datetime, waiting: float, done: float) -> dict[str, Any]:
    return {
        "snapshot_time": moment.isoformat(),
        "location_name": q["location"],
        "business_id": q["business_id"],
        "process_name": q["process"],
        "expected_completion_time": q["deadline"],
        "total_waiting": max(0, round(waiting)),
        "entry_count": q["entry_count"] + round(done),
    }


def test_after_an_executed_move_every_surface_sees_the_new_staff(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, app, tokens = floor
    approver = auth(tokens["approver"])
    card = client.post(
        "/api/v1/chat/message",
        json={"message": "札幌のエントリ1工程が遅延しています"},
        headers=approver,
    ).json()["suggestion"]
    donors = sorted(
        {(c["from"], c["from_business_id"], c["from_process"]) for c in card["changes"]}
    )
    assert donors and SAPPORO not in donors
    keys = [SAPPORO, *donors]
    before = client.get("/api/v1/progress").json()
    rates_before = {key: staff_rate(client, key) for key in keys}

    approval = client.post(
        f"/api/v1/approvals/{card['id']}/action", json={"action": "approve"}, headers=approver
    ).json()
    path = f"/api/v1/approvals/{approval['approval_history_id']}/execution"
    for status in ("executing", "completed"):
        assert client.patch(path, json={"status": status}, headers=approver).status_code == 200
    rates_after = {key: staff_rate(client, key) for key in keys}
    assert rates_after[SAPPORO] > rates_before[SAPPORO]  # the helpers, at their エントリ1 speed
    for donor in donors:  # without them, at their own process's
        assert rates_after[donor] < rates_before[donor]

    # 15:45: the helpers are still switching; the donors already work without them.
    # 15:50: everybody at their recorded speed.
    feed = []
    for key in keys:
        q = queue_of(before, key)
        first = (rates_before[key] if key == SAPPORO else rates_after[key]) / 12
        second = rates_after[key] / 12
        feed.append(snapshot(q, DEMO_NOW + STEP, q["waiting"] - first, first))
        feed.append(snapshot(q, DEMO_NOW + 2 * STEP, q["waiting"] - first - second, first + second))
    set_business_time(app, DEMO_NOW + 2 * STEP)
    stored = client.post("/api/v1/progress/snapshots", json={"snapshots": feed})
    assert stored.status_code == 200 and stored.json()["stored"] == 2 * len(keys)

    progress = client.get("/api/v1/progress").json()
    sapporo = queue_of(progress, SAPPORO)
    assert sapporo["staff_speed_per_hour"] == pytest.approx(rates_after[SAPPORO])  # pace 100%
    assert sapporo["late_tasks_at_deadline"] == 0
    assert sapporo["severity"] in (None, "low")
    assert "productivity_drop" not in [a["alert_type"] for a in sapporo["alerts"]]
    moved_in = sum(c["count"] for c in card["changes"])
    assert sapporo["staff_count"] == queue_of(before, SAPPORO)["staff_count"] + moved_in
    for donor in donors:
        left = queue_of(progress, donor)
        assert left["staff_speed_per_hour"] == pytest.approx(rates_after[donor])  # not optimistic
        assert "productivity_drop" not in [a["alert_type"] for a in left["alerts"]]

    with transaction(app.state.components.sessions) as session:
        alerts.scan(session, DEMO_NOW + 2 * STEP, app.state.components.policy)
    live = client.get("/api/v1/alerts", params={"status": "active", "limit": 200}).json()
    on_sapporo = [
        a for a in live["items"] if (a["location"], a["business_id"], a["process"]) == SAPPORO
    ]
    assert [a for a in on_sapporo if a["severity"] != "low"] == []
    assert all(a["alert_type"] != "productivity_drop" for a in on_sapporo)

    answer = client.post(
        "/api/v1/chat/message", json={"message": "札幌のエントリ1の状況は？"}, headers=approver
    ).json()["response"]
    assert "間に合う" in answer
    assert "残る見込み" not in answer


def test_the_dashboard_counts_equal_the_alerts_page_after_a_scan(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, app, _ = floor
    with transaction(app.state.components.sessions) as session:
        alerts.scan(session, DEMO_NOW, app.state.components.policy)
    progress = client.get("/api/v1/progress").json()
    live = client.get("/api/v1/alerts", params={"status": "active", "limit": 200}).json()
    raised = sorted(
        (q["location"], q["business_id"], q["process"], a["alert_type"], a["severity"])
        for q in progress
        for a in q["alerts"]
    )
    stored = sorted(
        (a["location"], a["business_id"], a["process"], a["alert_type"], a["severity"])
        for a in live["items"]
    )
    assert raised == stored
    assert live["total"] == len(raised) > 0
    for q in progress:  # each queue's severity is the highest of its alerts
        assert q["severity"] == (q["alerts"][0]["severity"] if q["alerts"] else None)


def test_queues_and_alerts_are_listed_most_urgent_first(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, app, _ = floor
    rank = {"high": 0, "medium": 1, "low": 2, None: 3}
    progress = client.get("/api/v1/progress").json()
    keys = [(rank[q["severity"]], q["minutes_to_deadline"]) for q in progress]
    assert keys == sorted(keys)
    assert (progress[0]["location"], progress[0]["process"]) == ("札幌", "エントリ1")  # 20 min left
    with transaction(app.state.components.sessions) as session:
        alerts.scan(session, DEMO_NOW, app.state.components.policy)
    items = client.get("/api/v1/alerts", params={"status": "active", "limit": 200}).json()["items"]
    deadline = {(q["location"], q["business_id"], q["process"]): q["deadline"] for q in progress}
    keys = [
        (rank[a["severity"]], deadline[(a["location"], a["business_id"], a["process"])])
        for a in items
    ]
    assert keys == sorted(keys)


def test_the_chat_lists_late_queues_in_the_dashboards_order(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, _, tokens = floor
    progress = client.get("/api/v1/progress").json()
    late = [
        f"{q['location']}の{q['process']}（業務{q['business_id']}・{BUSINESSES[q['business_id']]}）"
        for q in progress
        if (q["late_tasks_at_deadline"] or 0) > 0
    ]
    answer = client.post(
        "/api/v1/chat/message",
        json={"message": "遅れそうなキューは？"},
        headers=auth(tokens["approver"]),
    ).json()["response"]
    total = sum(q["late_tasks_at_deadline"] or 0 for q in progress)
    assert answer.startswith(f"全体（全キュー）で計{total:,}件が納期に間に合わない見込みです。")
    assert f"間に合わない見込みの工程は{len(late)}件です（緊急度の高い順）" in answer
    listed = [line.split("は納期")[0] for line in answer.splitlines() if "は納期" in line]
    assert listed and listed == late[: len(listed)]
    assert listed[0].startswith("札幌のエントリ1")  # 20 minutes left: first, not hidden


def test_the_floor_total_is_the_sum_over_progress(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, _, _ = floor
    progress = client.get("/api/v1/progress").json()
    total = sum(q["late_tasks_at_deadline"] or 0 for q in progress)
    assert total > 500  # the demo day is a hard one
    late = [q for q in progress if (q["late_tasks_at_deadline"] or 0) > 0]
    assert all(q["severity"] in ("high", "medium") for q in late)


def test_the_chat_calls_only_the_floor_total_zentai(
    floor: tuple[TestClient, FastAPI, dict[str, str]],
) -> None:
    client, _, tokens = floor
    total = sum(q["late_tasks_at_deadline"] or 0 for q in client.get("/api/v1/progress").json())
    body = client.post(
        "/api/v1/chat/message",
        json={"message": "札幌のエントリ1工程が遅延しています"},
        headers=auth(tokens["approver"]),
    ).json()
    impact = body["suggestion"]["impact"]
    saved = round(impact["late_tasks_before"]) - round(impact["late_tasks_after"])
    assert total >= 1000  # written 1,106件 like the dashboard's total
    assert (
        f"全体（全キュー）の遅延見込みは{total:,}件から{total - saved:,}件になります"
        in (body["response"])
    )

"""Alerts through HTTP on the demo day: list with filters, acknowledge, and a
suggestion in one click. The module has a demo day of its own: it makes
suggestions, and one open plan per queue would make another module's tests
depend on whether this one ran first."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.services import alerts, setup, users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY


@pytest.fixture(scope="module")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('alerts') / 'aimee.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def tokens(demo_sqlite_url: str) -> dict[str, str]:
    engine = create_db_engine(demo_sqlite_url)
    with transaction(session_factory(engine)) as session:
        made = {
            role: users.rotate_token(session, f"test-{role}", role, now=DEMO_NOW)
            for role in ("viewer", "approver", "admin")
        }
    engine.dispose()
    return made


@pytest.fixture(scope="module")
def demo_app(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("alerts_data"), database_url=demo_sqlite_url, now=DEMO_NOW
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def scanned(demo_sqlite_url: str) -> int:
    """The demo day scanned once, as the worker would: the number of open alerts."""
    engine = create_db_engine(demo_sqlite_url)
    with transaction(session_factory(engine)) as session:
        summary = alerts.scan(session, DEMO_NOW, POLICY)
    engine.dispose()
    return summary.open


def listed(client: TestClient, headers: dict[str, str] | None = None, **params: Any) -> Any:
    response = client.get("/api/v1/alerts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def one(
    client: TestClient,
    alert_type: str,
    location: str,
    process: str,
    headers: dict[str, str] | None = None,
) -> Any:
    """The live alert of that type on that 523201 queue."""
    page = listed(
        client,
        headers,
        type=alert_type,
        location=location,
        business_id="523201",
        process=process,
        status="active",
    )
    assert page["total"] == 1
    return page["items"][0]


def test_alerts_need_a_token(anonymous: TestClient, scanned: int) -> None:
    assert anonymous.get("/api/v1/alerts").status_code == 401
    assert anonymous.post("/api/v1/alerts/1/acknowledge").status_code == 401
    assert anonymous.post("/api/v1/alerts/1/suggestion").status_code == 401


def test_list_filter_and_page(client: TestClient, scanned: int) -> None:
    everything = listed(client, status="active", limit=500)
    assert everything["total"] == scanned > 0
    ranks = {"high": 0, "medium": 1, "low": 2}
    order = [ranks[a["severity"]] for a in everything["items"]]
    assert order == sorted(order)  # most severe first
    seed = one(client, "delay_risk", "札幌", "エントリ1")
    assert seed["severity"] == "high"
    assert seed["business_id"] == "523201"
    assert seed["message"].startswith("札幌のエントリ1（523201）: 納期16:00まで残り20分、約20件")
    assert seed["details"]["late_tasks"] == 20
    high = listed(client, severity="high", limit=500)
    assert high["total"] >= 1
    assert {a["severity"] for a in high["items"]} == {"high"}
    naha = listed(client, location="那覇", type="productivity_drop")
    assert naha["total"] >= 1
    assert {(a["location"], a["alert_type"]) for a in naha["items"]} == {
        ("那覇", "productivity_drop")
    }
    first, second = listed(client, limit=2), listed(client, limit=2, offset=2)
    assert first["total"] == second["total"]
    assert {a["alert_id"] for a in first["items"]}.isdisjoint(
        a["alert_id"] for a in second["items"]
    )


@pytest.mark.parametrize(
    "params", [{"colour": "red"}, {"type": "flood"}, {"status": "closed"}, {"limit": 0}]
)
def test_a_bad_filter_is_422(client: TestClient, scanned: int, params: dict[str, Any]) -> None:
    response = client.get("/api/v1/alerts", params=params)
    assert response.status_code == 422
    assert response.json()["error"].startswith("入力内容に誤りがあります")


def test_acknowledge_records_who_once(
    anonymous: TestClient, tokens: dict[str, str], scanned: int
) -> None:
    viewer = auth(tokens["viewer"])
    target = one(anonymous, "productivity_drop", "那覇", "エントリ2", viewer)
    path = f"/api/v1/alerts/{target['alert_id']}/acknowledge"
    done = anonymous.post(path, headers=viewer)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["acknowledged_by"]) == (
        "acknowledged",
        "test-viewer",
    )
    again = anonymous.post(path, headers=auth(tokens["admin"]))
    assert again.status_code == 409
    assert "test-viewerさんが確認済み" in again.json()["error"]
    missing = anonymous.post("/api/v1/alerts/999999/acknowledge", headers=viewer)
    assert missing.status_code == 404
    assert missing.json()["error"] == "アラート999999は見つかりません"


def test_a_suggestion_in_one_click(
    anonymous: TestClient, tokens: dict[str, str], scanned: int
) -> None:
    approver = auth(tokens["approver"])
    seed = one(anonymous, "delay_risk", "札幌", "エントリ1", approver)
    path = f"/api/v1/alerts/{seed['alert_id']}/suggestion"
    forbidden = anonymous.post(path, headers=auth(tokens["viewer"]))
    assert forbidden.status_code == 403
    response = anonymous.post(path, headers=approver)
    assert response.status_code == 200, response.text
    card = response.json()
    assert card["id"].startswith("SGT20251023-")
    assert card["status"] == "pending"
    assert {(c["to"], c["process"]) for c in card["changes"]} == {("札幌", "エントリ1")}
    assert all(c["count"] == len(c["operators"]) for c in card["changes"])
    assert card["impact"]["late_tasks_after"] < card["impact"]["late_tasks_before"]
    stored = anonymous.get(f"/api/v1/alerts/{seed['alert_id']}", headers=approver).json()
    assert stored["suggestion_id"] == card["id"]
    fetched = anonymous.get(f"/api/v1/suggestions/{card['id']}", headers=approver)
    assert fetched.status_code == 200


def test_a_thin_margin_gets_help_to_restore_it(client: TestClient, scanned: int) -> None:
    # Done a few minutes before the deadline: nothing is late, but plans aim to finish
    # AIMEE_MARGIN_MINUTES (10) before it, so the one-click suggestion buys time.
    low = one(client, "delay_risk", "札幌", "エントリ2")
    assert low["severity"] == "low"
    response = client.post(f"/api/v1/alerts/{low['alert_id']}/suggestion")
    assert response.status_code == 200, response.text
    card = response.json()
    assert {(c["to"], c["process"]) for c in card["changes"]} == {("札幌", "エントリ2")}
    assert card["impact"]["late_tasks_before"] == card["impact"]["late_tasks_after"] == 0
    assert any("納期の10分前までに終えることを目標" in rule for rule in card["rules_used"])
    assert "余裕" in card["reason"]


def test_a_second_click_shows_the_open_plan(
    anonymous: TestClient, tokens: dict[str, str], scanned: int
) -> None:
    approver = auth(tokens["approver"])
    seed = one(anonymous, "delay_risk", "札幌", "エントリ1", approver)
    path = f"/api/v1/alerts/{seed['alert_id']}/suggestion"
    first = anonymous.post(path, headers=approver)
    open_id = (
        first.json()["id"] if first.status_code == 200 else first.json()["detail"]["suggestion_id"]
    )
    second = anonymous.post(path, headers=approver)
    assert second.status_code == 409
    assert second.json()["detail"] == {"suggestion_id": open_id}
    listed_again = one(anonymous, "delay_risk", "札幌", "エントリ1", approver)
    assert listed_again["open_suggestion_id"] == open_id

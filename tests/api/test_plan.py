from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW

SCENARIO: dict[str, Any] = {
    "now": "2025-10-23T15:40:00",
    "queues": [
        {
            "location": "札幌",
            "business_id": "523201",
            "process": "エントリ1",
            "waiting": 120,
            "deadline": "2025-10-23T16:00:00",
        },
        {
            "location": "盛岡",
            "business_id": "523201",
            "process": "エントリ1",
            "waiting": 10,
            "deadline": "2025-10-23T17:00:00",
        },
    ],
    "operators": [
        {
            "id": 1,
            "name": "札幌一郎",
            "location": "札幌",
            "assigned": {"location": "札幌", "business_id": "523201", "process": "エントリ1"},
            "skills": {"エントリ1": {"level": 3, "speed": 300.0, "experience_months": 30}},
        },
        {
            "id": 17,
            "name": "高山麻由子",
            "location": "盛岡",
            "assigned": {"location": "盛岡", "business_id": "523201", "process": "エントリ1"},
            "skills": {"エントリ1": {"level": 4, "speed": 90.0, "experience_months": 36}},
        },
        {
            "id": 23,
            "name": "竹下朱美",
            "location": "盛岡",
            "assigned": {"location": "盛岡", "business_id": "523201", "process": "エントリ1"},
            "skills": {"エントリ1": {"level": 2, "speed": 60.0, "experience_months": 10}},
        },
    ],
}


def test_plans_a_posted_scenario(client: TestClient) -> None:
    response = client.post("/api/v1/plan", json=SCENARIO)
    assert response.status_code == 200
    plan = response.json()
    # 札幌 alone does 300/h x 20 min = 100 of 120; 高山 adds 90/h x 15 min = 22.5.
    assert plan["objective"] == {"before": 20.0, "after": 0.0}
    assert [
        (m["operator_id"], m["from"]["location"], m["to"]["location"]) for m in plan["moves"]
    ] == [(17, "盛岡", "札幌")]
    sapporo = next(q for q in plan["queues"] if q["location"] == "札幌")
    assert sapporo["capacity_before"] == 100.0
    assert sapporo["capacity_after"] == 122.5
    assert plan["optimal"] is True


def test_a_bad_scenario_is_422_naming_the_field(client: TestClient) -> None:
    bad = {**SCENARIO, "rules": {"min_skill_level": 9}}
    response = client.post("/api/v1/plan", json=bad)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "rules.min_skill_level"


def test_plans_the_current_data_around_a_focus(client: TestClient) -> None:
    response = client.get(
        "/api/v1/plan/current", params={"location": "札幌", "process": "エントリ1", "max_moves": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["plan"]["moves"]) == 1
    objective = body["plan"]["objective"]
    assert objective["after"] < objective["before"]
    assert body["scenario"]["rules"]["max_moves"] == 1


def test_the_current_plan_uses_the_policy_and_states_the_dashboards_figures(
    client: TestClient,
) -> None:
    body = client.get(
        "/api/v1/plan/current", params={"location": "札幌", "process": "エントリ1"}
    ).json()
    rules = body["scenario"]["rules"]
    assert (rules["min_skill_level"], rules["max_moves"], rules["switch_minutes"]) == (3, 10, 5)
    assert rules["margin_minutes"] == 10  # AIMEE_MARGIN_MINUTES: aimed at the margin...
    late = {
        (q["location"], q["business_id"], q["process"]): q["late_tasks_at_deadline"]
        for q in client.get("/api/v1/progress").json()
    }
    for q in body["plan"]["queues"]:  # ...stated at the deadline, as the dashboard states it
        assert round(q["late_before"]) == late[(q["location"], q["business_id"], q["process"])]
    sapporo = next(
        q for q in body["plan"]["queues"] if q["location"] == "札幌" and q["process"] == "エントリ1"
    )
    assert sapporo["late_before"] == 20.0 and sapporo["late_after"] == 0.0


def test_current_plan_rejects_unknown_parameters(client: TestClient) -> None:
    response = client.get("/api/v1/plan/current", params={"moves": 3})
    assert response.status_code == 422


def _app(tmp_path: Path, url: str, **settings: Any) -> FastAPI:
    return create_app(Settings(data_dir=tmp_path, database_url=url, now=DEMO_NOW, **settings))


def test_a_scenario_larger_than_the_limits_is_422_naming_the_limit(
    client: TestClient,
) -> None:
    queue = SCENARIO["queues"][0]
    many = [{**queue, "process": f"工程{i}"} for i in range(101)]
    response = client.post("/api/v1/plan", json={**SCENARIO, "queues": many})
    assert response.status_code == 422
    assert (
        response.json()["error"]
        == "queues が上限を超えています（101、上限 100: AIMEE_PLAN_MAX_QUEUES）"
    )
    greedy = {**SCENARIO, "rules": {"max_moves": 201}}
    assert "AIMEE_PLAN_MAX_MOVES" in client.post("/api/v1/plan", json=greedy).json()["error"]


def test_planning_is_rate_limited_per_token(
    tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    with TestClient(_app(tmp_path, demo_sqlite_url, plan_rate_limit=2)) as api:
        headers = auth(tokens["viewer"])
        statuses = [api.post("/api/v1/plan", json=SCENARIO, headers=headers) for _ in range(3)]
        assert [r.status_code for r in statuses] == [200, 200, 429]
        assert int(statuses[-1].headers["Retry-After"]) >= 1
        other = api.post("/api/v1/plan", json=SCENARIO, headers=auth(tokens["admin"]))
        assert other.status_code == 200  # per token


def test_a_full_planner_answers_busy_with_retry_after(
    tmp_path: Path, demo_sqlite_url: str, tokens: dict[str, str]
) -> None:
    app = _app(tmp_path, demo_sqlite_url, heavy_queue=0)
    with TestClient(app, headers=auth(tokens["viewer"])) as api:
        with app.state.components.heavy.slot("テスト"):  # a large plan is being solved
            busy = api.post("/api/v1/plan", json=SCENARIO)
            current = api.get("/api/v1/plan/current")
        assert (busy.status_code, current.status_code) == (503, 503)
        assert busy.headers["Retry-After"] == "20"  # twice the planner's time limit
        assert busy.json()["error"].startswith("配置計画の計算が混み合っています")
        assert api.post("/api/v1/plan", json=SCENARIO).status_code == 200

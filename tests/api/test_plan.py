from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

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

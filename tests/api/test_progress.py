from __future__ import annotations

from fastapi.testclient import TestClient


def test_latest_snapshot_per_queue_with_forecast(client: TestClient) -> None:
    response = client.get("/api/v1/progress")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 32
    sapporo = next(
        r
        for r in rows
        if (r["location"], r["business_id"], r["process"]) == ("札幌", "523201", "エントリ1")
    )
    assert sapporo["waiting"] == 120
    assert sapporo["deadline"] == "2025-10-23T16:00:00"
    assert sapporo["minutes_to_deadline"] == 20.0
    assert sapporo["staff_count"] == 4
    assert sapporo["staff_speed_per_hour"] == 300.0
    # 120 tasks at 300/hour take 24 minutes: 4 minutes late, 20 tasks left at 16:00.
    assert sapporo["projected_completion"] == "2025-10-23T16:04:00"
    assert sapporo["late_tasks_at_deadline"] == 20.0


def test_filters(client: TestClient) -> None:
    rows = client.get(
        "/api/v1/progress", params={"location": "梅田", "business_id": "523202"}
    ).json()
    assert len(rows) == 4
    assert {r["location"] for r in rows} == {"梅田"}


def test_unknown_filter_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/progress", params={"when": "now"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "when"

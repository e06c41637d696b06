from __future__ import annotations

from fastapi.testclient import TestClient

from aimee.demo.day import BUSINESSES


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


def test_each_queue_names_its_business_as_the_master_data_does(client: TestClient) -> None:
    """The board and the chat say 「業務523201・SS」: the name comes with the id."""
    rows = client.get("/api/v1/progress").json()
    assert {(r["business_id"], r["business_name"]) for r in rows} == set(BUSINESSES.items())


def test_unknown_filter_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/progress", params={"when": "now"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "when"


def test_a_queue_day_in_intervals_with_the_projection(client: TestClient) -> None:
    day = client.get("/api/v1/progress/札幌/523201/エントリ1/intraday").json()
    progress = next(
        q
        for q in client.get("/api/v1/progress").json()
        if (q["location"], q["business_id"], q["process"]) == ("札幌", "523201", "エントリ1")
    )
    assert day["now"] == "2025-10-23T15:40:00"
    intervals = day["intervals"]
    assert intervals[-1]["end"] == "2025-10-23T15:40:00"  # up to now, the last one partial
    assert all(i["end"] > i["start"] for i in intervals)
    assert intervals[-1]["waiting_end"] == progress["waiting"]
    first = day["projection"][0]
    assert (first["time"], first["waiting"]) == ("2025-10-23T15:40:00", progress["waiting"])
    at_deadline = next(p for p in day["projection"] if p["time"] == progress["deadline"])
    assert round(at_deadline["waiting"]) == round(progress["late_tasks_at_deadline"])
    missing = client.get("/api/v1/progress/福岡/523201/エントリ1/intraday")
    assert missing.status_code == 404
    assert missing.json()["error"] == "福岡/523201/エントリ1の本日の進捗データは見つかりません"

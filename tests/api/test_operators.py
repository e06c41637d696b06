from __future__ import annotations

from fastapi.testclient import TestClient


def test_filters_by_location_process_and_skill(client: TestClient) -> None:
    response = client.get(
        "/api/v1/operators", params={"location": "盛岡", "process": "エントリ1", "min_skill": 3}
    )
    assert response.status_code == 200
    body = response.json()
    names = {op["operator_name"] for op in body}
    assert {"高山麻由子", "竹下朱美"} <= names
    for op in body:
        assert op["location_name"] == "盛岡"
        assert any(s["process_name"] == "エントリ1" and s["skill_level"] >= 3 for s in op["skills"])
    takayama = next(op for op in body if op["operator_name"] == "高山麻由子")
    assert takayama["operator_id"] == 17
    assert takayama["assignment"]["process"] == "エントリ1"
    entry1 = next(s for s in takayama["skills"] if s["process_name"] == "エントリ1")
    assert entry1 == {
        "process_name": "エントリ1",
        "skill_level": 4,
        "experience_months": 36,
        "average_speed": 90.0,
    }


def test_paging(client: TestClient) -> None:
    first = client.get("/api/v1/operators", params={"limit": 5}).json()
    second = client.get("/api/v1/operators", params={"limit": 5, "offset": 5}).json()
    assert len(first) == len(second) == 5
    assert {o["operator_id"] for o in first}.isdisjoint({o["operator_id"] for o in second})


def test_unknown_filter_is_422_with_a_readable_message(client: TestClient) -> None:
    response = client.get("/api/v1/operators", params={"site": "札幌"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == [
        {"field": "site", "message": "使用できない項目です", "type": "extra_forbidden"}
    ]
    assert "site" in body["error"]


def test_bad_skill_level_is_422_naming_the_field(client: TestClient) -> None:
    response = client.get("/api/v1/operators", params={"min_skill": "high"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "min_skill"
    assert response.json()["detail"][0]["message"] == "整数を指定してください"
    too_high = client.get("/api/v1/operators", params={"min_skill": 6})
    assert too_high.json()["detail"][0]["message"] == "5以下を指定してください"


def test_each_operator_comes_with_the_reading_of_the_name(client: TestClient) -> None:
    body = client.get("/api/v1/operators", params={"location": "盛岡"}).json()
    readings = {op["operator_name"]: op["reading"] for op in body}
    assert readings["高山麻由子"] == "たかやままゆこ"
    assert readings["竹下朱美"].startswith("たけした")
    assert all(r and all("ぁ" <= c <= "ゖ" or c == "ー" for c in r) for r in readings.values())
    # 50音 order is not the order of the characters' code points
    assert sorted(readings, key=readings.__getitem__) != sorted(readings)

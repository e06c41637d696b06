from __future__ import annotations

from fastapi.testclient import TestClient


def test_list_and_search(client: TestClient) -> None:
    page = client.get("/api/v1/knowledge", params={"limit": 5}).json()
    assert page["total"] == 22
    assert len(page["items"]) == 5
    hits = client.get("/api/v1/knowledge/search", params={"q": "納期まで20分で120件残っている"})
    assert hits.status_code == 200
    # fused ranks 1/2 vs 2/1 tie closely: the rule must be among the three shown
    assert "納期20分前は3名移動" in [hit["title"] for hit in hits.json()]


def test_create_update_delete_are_searchable(client: TestClient) -> None:
    created = client.post(
        "/api/v1/knowledge",
        json={
            "title": "雪の日の札幌",
            "content": "大雪の日は札幌の出勤が遅れるので朝の応援を盛岡に頼む。",
            "category": "拠点間連携",
        },
    )
    assert created.status_code == 201
    doc_id = created.json()["document_id"]
    hits = client.get("/api/v1/knowledge/search", params={"q": "大雪で出勤が遅れる"}).json()
    assert hits[0]["document_id"] == doc_id
    updated = client.put(
        f"/api/v1/knowledge/{doc_id}",
        json={
            "title": "台風の日の那覇",
            "content": "台風の日は那覇の出勤が遅れる。",
            "category": "拠点間連携",
        },
    )
    assert updated.json()["title"] == "台風の日の那覇"
    hits = client.get("/api/v1/knowledge/search", params={"q": "台風"}).json()
    assert hits[0]["document_id"] == doc_id
    assert client.delete(f"/api/v1/knowledge/{doc_id}").status_code == 204
    assert client.get(f"/api/v1/knowledge/{doc_id}").status_code == 404
    hits = client.get("/api/v1/knowledge/search", params={"q": "台風"}).json()
    assert doc_id not in [h["document_id"] for h in hits]


def test_bad_input(client: TestClient) -> None:
    assert client.post("/api/v1/knowledge", json={"title": ""}).status_code == 422
    missing = client.get("/api/v1/knowledge/999999")
    assert missing.status_code == 404
    assert missing.json()["error"] == "ナレッジ999999は見つかりません"

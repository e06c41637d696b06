"""Every /api/v1 endpoint but health needs a token; roles decide writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth

PROTECTED_GETS = [
    "/api/v1/operators",
    "/api/v1/progress",
    "/api/v1/plan/current",
    "/api/v1/knowledge",
    "/api/v1/knowledge/search?q=納期",
    "/api/v1/suggestions",
    "/api/v1/approvals",
    "/api/v1/alerts",
    "/api/v1/me",
]
NEW_DOC = {"title": "権限テスト", "content": "権限の確認用です。", "category": "テスト"}


def test_health_is_open(anonymous: TestClient) -> None:
    assert anonymous.get("/api/v1/health").status_code == 200


@pytest.mark.parametrize("path", PROTECTED_GETS)
def test_no_token_is_401(anonymous: TestClient, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "認証が必要です" in response.json()["error"]


def test_an_unknown_token_is_401(anonymous: TestClient) -> None:
    for token in ("aimee_not-a-real-token", "garbage", "x" * 500):
        response = anonymous.get("/api/v1/operators", headers=auth(token))
        assert response.status_code == 401
        assert response.json()["error"] == "トークンが無効です（失効または誤り）。"


def test_chat_needs_a_token(anonymous: TestClient) -> None:
    response = anonymous.post("/api/v1/chat/message", json={"message": "こんにちは"})
    assert response.status_code == 401


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("approver", 403), ("admin", 201)])
def test_knowledge_writes_need_admin(
    anonymous: TestClient, tokens: dict[str, str], role: str, status: int
) -> None:
    response = anonymous.post("/api/v1/knowledge", json=NEW_DOC, headers=auth(tokens[role]))
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"] == "この操作には管理者以上の権限が必要です。"
    else:
        doc_id = response.json()["document_id"]
        assert (
            anonymous.delete(f"/api/v1/knowledge/{doc_id}", headers=auth(tokens[role])).status_code
            == 204
        )


@pytest.mark.parametrize("role", ["viewer", "approver", "admin"])
def test_every_role_reads(anonymous: TestClient, tokens: dict[str, str], role: str) -> None:
    assert anonymous.get("/api/v1/progress", headers=auth(tokens[role])).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/approvals/SGT20251023-00000000/action"),
        ("PATCH", "/api/v1/approvals/1/execution"),
        ("POST", "/api/v1/alerts/1/suggestion"),
    ],
)
def test_decisions_need_an_approver(
    anonymous: TestClient, tokens: dict[str, str], method: str, path: str
) -> None:
    body = {"action": "approve"} if path.endswith("action") else {"status": "executing"}
    response = anonymous.request(method, path, json=body, headers=auth(tokens["viewer"]))
    assert response.status_code == 403
    assert response.json()["error"] == "この操作には承認者以上の権限が必要です。"

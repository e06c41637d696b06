from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aimee import __version__
from aimee.api.app import create_app
from aimee.config import get_settings
from aimee.store import migrate


def test_health_reports_database_and_version(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["database"] == "sqlite"
    assert body["schema_revision"] == migrate.head_revision()  # the demo database is migrated
    assert body["now"] == "2025-10-23T15:40:00"


def test_health_is_503_with_a_reason_when_the_database_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIMEE_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:1/none")
    get_settings.cache_clear()
    with TestClient(create_app()) as client:
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["error"] == "データベースに接続できません"


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/health", "/api/v1/operators", "/api/v1/progress"} <= set(paths)

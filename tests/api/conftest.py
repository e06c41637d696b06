from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import get_settings


@pytest.fixture
def client(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The API over HTTP (ASGI) on the demo day, clock fixed at the demo's now."""
    monkeypatch.setenv("AIMEE_DATABASE_URL", demo_sqlite_url)
    get_settings.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client

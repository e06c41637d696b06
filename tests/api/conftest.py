from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.config import Settings
from tests.conftest import DEMO_NOW


@pytest.fixture(scope="session")
def demo_app(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """One app over the demo day for the whole run (the know-how index and the
    intent examples are embedded once)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("api_data"), database_url=demo_sqlite_url, now=DEMO_NOW
    )
    return create_app(settings)


@pytest.fixture
def client(demo_app: FastAPI) -> Iterator[TestClient]:
    """The API over HTTP (ASGI) on the demo day, clock fixed at the demo's now."""
    with TestClient(demo_app) as test_client:
        yield test_client

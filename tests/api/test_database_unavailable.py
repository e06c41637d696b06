"""A database that cannot serve the request is a 503 with a Japanese message,
never a 500: found by bench/faults/mariadb_restart.py --mode freeze, where every
pooled connection hung on a stopped server and the next requests got the
pool's TimeoutError (a 500) after 30 s."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from aimee.store.db import create_db_engine, session_factory

UNAVAILABLE = {
    "error": "データベースに接続できません。しばらくしてから再度お試しください。",
    "detail": None,
}


@contextmanager
def sessions_on(app: FastAPI, engine: Engine) -> Iterator[None]:
    """The app's request sessions come from ``engine`` for a while."""
    saved = app.state.components
    app.state.components = replace(saved, sessions=session_factory(engine))
    try:
        yield
    finally:
        app.state.components = saved
        engine.dispose()


def test_a_connection_pool_timeout_is_503(
    client: TestClient, demo_app: FastAPI, demo_sqlite_url: str
) -> None:
    engine = create_db_engine(demo_sqlite_url, pool_size=1, max_overflow=0, pool_timeout=0.1)
    with sessions_on(demo_app, engine), engine.connect():  # the pool's only connection is busy
        response = client.get("/api/v1/progress")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE


def test_an_unreachable_server_is_503(client: TestClient, demo_app: FastAPI) -> None:
    engine = create_db_engine("mysql+pymysql://root@127.0.0.1:1/none?connect_timeout=1")
    with sessions_on(demo_app, engine):
        response = client.get("/api/v1/progress")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE

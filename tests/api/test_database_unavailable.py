"""A database that cannot serve the request is a 503 with a Japanese message,
never a 500: found by bench/faults/mariadb_restart.py --mode freeze, where every
pooled connection hung on a stopped server and the next requests got the
pool's TimeoutError (a 500) after 30 s."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from aimee.api.errors import DATABASE_BUSY
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


def test_a_busy_database_says_it_is_busy_not_unreachable(
    client: TestClient, demo_app: FastAPI, demo_sqlite_url: str
) -> None:
    """Another writer holds SQLite's write lock longer than the request waits: the
    answer says the system is busy and when to retry, not that the database is down."""
    engine = create_db_engine(demo_sqlite_url)
    event.listen(
        engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout=50")
    )
    holder = sqlite3.connect(make_url(demo_sqlite_url).database or "")
    holder.execute("BEGIN IMMEDIATE")  # the other writer
    try:
        with sessions_on(demo_app, engine):
            note = {
                "title": "混雑時の手順",
                "content": "順に処理する",
                "category": "ルール",
                "source": "t",
            }
            response = client.post("/api/v1/knowledge", json=note)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.json() == {"error": DATABASE_BUSY, "detail": None}
    assert response.headers["Retry-After"] == "2"

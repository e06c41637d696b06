"""Shared fixtures: a fixed clock, isolated settings, and databases on SQLite and
MariaDB (each run in its own freshly created database, dropped afterwards)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from aimee.cache import Cache, MemoryCache
from aimee.cache.disk_cache import DiskCache
from aimee.cache.redis_cache import RedisCache
from aimee.config import Settings, get_settings
from aimee.services import setup
from aimee.services.policy import Policy
from aimee.store.db import create_db_engine

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
DEMO_SEED = 7
REDIS_URL = os.environ.get("AIMEE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
MARIADB_SERVER_URL = os.environ.get(
    "AIMEE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
)
BACKENDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]


POLICY = Policy.from_settings(Settings.model_construct())
"""The product's policy at its default settings (min level 3, 10 moves, 5 min switch,
10 min margin, the alert thresholds of the README)."""


def services_required() -> bool:
    return os.environ.get("AIMEE_TEST_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with a visible reason; in CI (AIMEE_TEST_REQUIRE_SERVICES=1) fail instead."""
    if services_required():
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the demo's fixed clock and its own data dir."""
    for name in list(os.environ):
        if name.startswith("AIMEE_") and name not in {
            "AIMEE_TEST_REQUIRE_SERVICES",
            "AIMEE_TEST_MARIADB_URL",
            "AIMEE_TEST_REDIS_URL",
        }:
            monkeypatch.delenv(name)
    monkeypatch.setenv("AIMEE_NOW", DEMO_NOW.isoformat())
    monkeypatch.setenv("AIMEE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _mariadb_database() -> Iterator[str]:
    server = create_engine(MARIADB_SERVER_URL)
    try:
        with server.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        server.dispose()
        skip_or_fail(f"MariaDB at {MARIADB_SERVER_URL} does not answer ({exc.orig})")
    name = f"aimee_test_{secrets.token_hex(4)}"
    with server.connect() as connection:
        connection.execute(
            text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        )
    try:
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()


def make_database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'aimee_test.sqlite3'}"
    else:
        yield from _mariadb_database()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    yield from make_database_url(request.param, tmp_path)


@pytest.fixture(scope="session", params=BACKENDS)
def demo_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database holding the demo day, shared read-only by a session's tests."""
    folder = tmp_path_factory.mktemp(f"demo_{request.param}")
    urls = make_database_url(request.param, folder)
    url = next(urls)
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    yield engine
    engine.dispose()
    for _ in urls:  # run the generator's clean-up (drop the database)
        pass


@pytest.fixture
def db_session(demo_engine: Engine) -> Iterator[Session]:
    """A session on the demo database whose changes are rolled back afterwards."""
    with demo_engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file holding the demo day, shared read-only by API tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'aimee.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    engine.dispose()
    return url


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A random key prefix on the real Redis; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at {REDIS_URL} does not answer ({exc})")
    prefix = f"aimee_test_{secrets.token_hex(4)}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["memory", "disk", pytest.param("redis", marks=pytest.mark.redis)])
def shared_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Cache:
    """What several processes share: the in-process cache, the SQLite file of one
    machine, or the real Redis (keys under a random prefix, deleted afterwards)."""
    if request.param == "memory":
        return MemoryCache()
    if request.param == "disk":
        return DiskCache(tmp_path / "cache")
    return RedisCache(REDIS_URL, prefix=request.getfixturevalue("redis_prefix"))

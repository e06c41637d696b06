from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.app import create_app
from aimee.cache import Cache
from aimee.cache.memory import MemoryCache
from aimee.config import Settings
from aimee.services import setup, users
from aimee.services.day_plan import DayPlanner
from aimee.services.day_plan_solve import Solve, solve_here
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.conftest import DEMO_NOW, DEMO_SEED

ROLES = ("viewer", "approver", "admin")
DAY_PLAN_LIMIT_S = 1.0
"""The time limit of plans for the rest of the day in the API's tests."""


@pytest.fixture(scope="session")
def tokens(demo_sqlite_url: str) -> dict[str, str]:
    """One user per role on the demo database: role -> API token."""
    engine = create_db_engine(demo_sqlite_url)
    result = {}
    with transaction(session_factory(engine)) as session:
        for role in ROLES:
            result[role] = users.rotate_token(session, f"test-{role}", role, now=DEMO_NOW)
    engine.dispose()
    return result


@pytest.fixture(scope="session")
def demo_app(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """One app over the demo day for the whole run (the know-how index and the
    intent examples are embedded once). The chat and planning limits are off: a per-minute count
    shared by every test would make a test's outcome depend on which ran before it
    in the same minute (the limiter is tested with its own in test_security)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("api_data"),
        database_url=demo_sqlite_url,
        now=DEMO_NOW,
        chat_rate_limit=0,
        plan_rate_limit=0,
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def day_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """An API on a demo day of its own (its plans are approved), tokens by role."""
    folder = tmp_path_factory.mktemp("day_plan")
    url = f"sqlite:///{folder / 'aimee.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    with transaction(session_factory(engine)) as session:
        tokens = {
            role: users.add_user(session, f"day-{role}", role, now=DEMO_NOW)[1]
            for role in ("viewer", "approver")
        }
    engine.dispose()
    settings = Settings(
        data_dir=folder / "data",
        database_url=url,
        now=DEMO_NOW,
        plan_rate_limit=0,
        day_plan_time_limit_s=DAY_PLAN_LIMIT_S,
    )
    yield create_app(settings), tokens


def day_planner(
    app: FastAPI,
    run: Callable[[Callable[[], None]], None],
    cache: Cache | None = None,
    solve: Solve = solve_here,
) -> DayPlanner:
    """A day planner of its own over ``app``'s data (a fresh cache unless given one:
    another API process), its plans short."""
    parts = app.state.components
    return DayPlanner(
        parts.sessions,
        cache or MemoryCache(),
        policy=parts.policy,
        time_limit_s=DAY_PLAN_LIMIT_S,
        run=run,
        solve=solve,
    )


def set_business_time(app: FastAPI, moment: datetime) -> None:
    """The app's business time from now on (its settings' ``now``)."""
    parts = app.state.components
    settings = parts.settings.model_copy(update={"now": moment})
    app.state.components = replace(parts, settings=settings)


@contextmanager
def components_with(app: FastAPI, **changes: Any) -> Iterator[None]:
    """The app's components with ``changes`` for the block, then the originals again
    (``monkeypatch.setattr`` on ``app.state`` deletes the attribute when it undoes:
    Starlette's State keeps attributes in a dict of its own)."""
    original = app.state.components
    app.state.components = replace(original, **changes)
    try:
        yield
    finally:
        app.state.components = original


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def anonymous(demo_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(demo_app) as test_client:
        yield test_client


@pytest.fixture
def client(demo_app: FastAPI, tokens: dict[str, str]) -> Iterator[TestClient]:
    """The API over HTTP (ASGI) on the demo day as an admin, clock at the demo's now."""
    with TestClient(demo_app, headers=auth(tokens["admin"])) as test_client:
        yield test_client

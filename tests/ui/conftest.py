"""A live API (uvicorn in a thread) over its own demo day for the dashboard
tests, one user per role, and AppTests logged in as one of them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from aimee.config import Settings
from aimee.services import alerts, live_floor, outcomes, setup, sign_in, users
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.ui.client import ApiClient, make_http
from aimee.ui.state import API_URL_ENV, CLIENT_KEY, USER_KEY
from tests.api.test_approvals_concurrency import serve
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY

APP = Path(__file__).resolve().parents[2] / "aimee" / "ui" / "app.py"
ROLES = ("viewer", "approver", "admin")
PASSWORD = "札幌の朝は早い 0800"
"""Every test user's dashboard password."""
RUN_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class LiveApi:
    url: str
    tokens: dict[str, str]
    database_url: str
    """The API's own database (tests that let time pass on the floor write to it)."""

    def client(self, role: str) -> ApiClient:
        return ApiClient(make_http(self.url), self.tokens[role])


@pytest.fixture(scope="session")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The API on a demo day of its own (the UI tests approve and edit), with the
    alert scan run once so that the alerts page has something to show."""
    yield from demo_api(tmp_path_factory.mktemp("ui_api"))


@pytest.fixture
def own_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveApi]:
    """A live API on a demo day for one test alone: for tests that carry out moves,
    which would change what every other test sees."""
    for api in demo_api(tmp_path):
        monkeypatch.setenv(API_URL_ENV, api.url)
        yield api


def demo_api(folder: Path, **settings: Any) -> Iterator[LiveApi]:
    """A live API on a demo day of its own in ``folder``; ``settings``: overrides."""
    url = f"sqlite:///{folder / 'aimee.sqlite3'}"
    engine = create_db_engine(url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    with transaction(session_factory(engine)) as session:
        tokens = {
            role: users.add_user(session, f"ui-{role}", role, now=DEMO_NOW)[1] for role in ROLES
        }
        for role in ROLES:
            sign_in.set_password(session, f"ui-{role}", PASSWORD, now=DEMO_NOW)
        alerts.scan(session, DEMO_NOW, POLICY)
    engine.dispose()
    configured = Settings(data_dir=folder / "data", database_url=url, now=DEMO_NOW, **settings)
    for base_url in serve(configured):
        yield LiveApi(base_url, tokens, url)


def pass_time(api: LiveApi, until: datetime) -> int:
    """Business time passes on the API's floor from the demo's now to ``until``, a
    minute at a time (the live demo floor moves the queues), and the worker's
    round records the plan outcomes that are due; returns how many it recorded."""
    engine = create_db_engine(api.database_url)
    sessions, rng = session_factory(engine), random.Random(DEMO_SEED)
    moment = DEMO_NOW
    while moment < until:
        moment = min(until, moment + live_floor.STEP)
        with transaction(sessions) as session:
            live_floor.advance(session, moment, rng, POLICY.rules)
    with transaction(sessions) as session:
        recorded = len(outcomes.record_due(session, until))
    engine.dispose()
    return recorded


@pytest.fixture
def api(live_api: LiveApi, monkeypatch: pytest.MonkeyPatch) -> LiveApi:
    """The live API, and the dashboard pointed at it."""
    monkeypatch.setenv(API_URL_ENV, live_api.url)
    return live_api


def open_app(api: LiveApi, role: str | None, page: str | None = None) -> AppTest:
    """The dashboard, logged in as ``role`` (None: not logged in), on ``page``."""
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    if role is not None:
        client = api.client(role)
        at.session_state[CLIENT_KEY] = client
        at.session_state[USER_KEY] = client.me()
    at.run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
    return at

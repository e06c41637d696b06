"""「うち」 through HTTP: a manager whose site is on record asks about it; one without a
site on record is told so, and the answer covers every site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.services import users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth
from tests.api.test_chat import post
from tests.conftest import DEMO_NOW


@pytest.fixture(scope="module")
def site_manager(demo_sqlite_url: str) -> str:
    """A token of an approver who manages 盛岡."""
    engine = create_db_engine(demo_sqlite_url)
    with transaction(session_factory(engine)) as session:
        token = users.rotate_token(session, "test-morioka", "approver", now=DEMO_NOW)
        users.set_site(session, "test-morioka", "盛岡")
    engine.dispose()
    return token


@pytest.fixture
def morioka(demo_app: FastAPI, site_manager: str) -> Iterator[TestClient]:
    with TestClient(demo_app, headers=auth(site_manager)) as test_client:
        yield test_client


def test_uchi_is_the_site_on_record(morioka: TestClient) -> None:
    assert morioka.get("/api/v1/me").json()["site"] == "盛岡"
    body = post(morioka, "うちの補正、今どんな感じ？", "own-site")
    assert body["request"]["slots"]["targets"] == [{"location": "盛岡", "process": "補正"}]
    lines = body["response"].splitlines()
    assert lines[0].startswith("盛岡は")  # both businesses' 補正 at 盛岡
    assert lines[1] == "（「うち」は盛岡としてお答えしています。）"


def test_uchi_without_a_site_on_record_is_said(client: TestClient) -> None:
    assert client.get("/api/v1/me").json()["site"] is None
    body = post(client, "うちの補正、今どんな感じ？", "no-site")
    assert all("location" not in t for t in body["request"]["slots"].get("targets", []))
    lines = body["response"].splitlines()
    assert "全体" in lines[0] or "工程" in lines[0]  # the conclusion still comes first
    assert lines[1].startswith("「うち」がどの拠点かは登録されていないため")

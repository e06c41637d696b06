"""Sign-in through HTTP: POST /auth/login and /auth/logout."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.cache.memory import MemoryCache
from aimee.services import sign_in, users
from aimee.services.rate_limit import RateLimiter
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth, components_with
from tests.conftest import DEMO_NOW

PASSWORD = "correct horse battery"


@pytest.fixture
def member(demo_sqlite_url: str) -> str:
    """A new approver with a password (a name of its own: the demo database is shared)."""
    name = f"member-{uuid.uuid4().hex[:8]}"
    engine = create_db_engine(demo_sqlite_url)
    with transaction(session_factory(engine)) as session:
        users.add_user(session, name, "approver", now=DEMO_NOW)
        sign_in.set_password(session, name, PASSWORD, now=DEMO_NOW)
    engine.dispose()
    return name


def test_a_password_sign_in_gives_a_session_token_that_works(
    anonymous: TestClient, member: str
) -> None:
    answer = anonymous.post("/api/v1/auth/login", json={"user_name": member, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["user_name"] == member and body["role"] == "approver"
    assert body["role_label"] == "承認者"
    assert body["token"].startswith("aimee_ses_")
    me = anonymous.get("/api/v1/me", headers=auth(body["token"]))
    assert me.status_code == 200 and me.json()["user_name"] == member


def test_a_wrong_password_is_refused_in_japanese(anonymous: TestClient, member: str) -> None:
    answer = anonymous.post("/api/v1/auth/login", json={"user_name": member, "password": "nope"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "ユーザー名またはパスワードが正しくありません。"


def test_an_api_token_can_be_exchanged_for_a_session(
    anonymous: TestClient, tokens: dict[str, str]
) -> None:
    answer = anonymous.post("/api/v1/auth/login", json={"token": tokens["viewer"]})
    assert answer.status_code == 200
    assert answer.json()["role"] == "viewer"
    wrong = anonymous.post("/api/v1/auth/login", json={"token": "aimee_not-a-token"})
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "トークンが正しくないか、失効しています。"


@pytest.mark.parametrize(
    "body",
    [{}, {"user_name": "a"}, {"password": "a"}, {"user_name": "a", "password": "b", "token": "c"}],
)
def test_a_sign_in_needs_one_way_in(anonymous: TestClient, body: dict[str, str]) -> None:
    answer = anonymous.post("/api/v1/auth/login", json=body)
    assert answer.status_code == 422
    assert "どちらかを送ってください" in answer.text


def test_logout_ends_the_session_and_not_an_api_token(
    anonymous: TestClient, member: str, tokens: dict[str, str]
) -> None:
    token = anonymous.post(
        "/api/v1/auth/login", json={"user_name": member, "password": PASSWORD}
    ).json()["token"]
    assert anonymous.post("/api/v1/auth/logout", headers=auth(token)).status_code == 204
    assert anonymous.get("/api/v1/me", headers=auth(token)).status_code == 401
    refused = anonymous.post("/api/v1/auth/logout", headers=auth(tokens["viewer"]))
    assert refused.status_code == 400
    assert "aimee user revoke" in refused.json()["error"]
    assert anonymous.get("/api/v1/me", headers=auth(tokens["viewer"])).status_code == 200
    assert anonymous.post("/api/v1/auth/logout").status_code == 401


def test_sign_in_attempts_are_limited_per_user_name(
    demo_app: FastAPI, anonymous: TestClient, member: str
) -> None:
    limiter = RateLimiter(MemoryCache(), name="sign_in", limit=3, window_s=300)
    with components_with(demo_app, sign_in_limiter=limiter):
        wrong = {"user_name": member, "password": "guess"}
        assert [anonymous.post("/api/v1/auth/login", json=wrong).status_code for _ in range(3)] == [
            401,
            401,
            401,
        ]
        right = {"user_name": member, "password": PASSWORD}
        limited = anonymous.post("/api/v1/auth/login", json=right)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert "分ほど待ってから" in limited.json()["error"]
        other = anonymous.post("/api/v1/auth/login", json={"user_name": "someone", "password": "x"})
        assert other.status_code == 401  # another name is not locked out

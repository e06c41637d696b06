"""Dashboard passwords and sessions (SQLite and MariaDB)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.errors import BadRequest, Unauthorized
from aimee.services import sign_in, users
from aimee.tokens import redact
from tests.conftest import DEMO_NOW

NOW = datetime(2026, 12, 6, 2, 0)
"""Sessions run on the wall clock (UTC); the tests fix it."""
TTL = timedelta(hours=12)
PASSWORD = "春の札幌 2026"


def user_with_password(session: Session, name: str, password: str = PASSWORD) -> None:
    users.add_user(session, name, "approver", now=DEMO_NOW)
    sign_in.set_password(session, name, password, now=NOW)


def test_a_password_is_stored_as_an_argon2id_hash(db_session: Session) -> None:
    user_with_password(db_session, "山田太郎")
    user = users.list_users(db_session)[-1]
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_signing_in_opens_a_session_the_token_resolves_to(db_session: Session) -> None:
    user_with_password(db_session, "山田太郎")
    signed = sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)
    assert signed.token.startswith(sign_in.SESSION_PREFIX) and sign_in.is_session(signed.token)
    assert signed.expires_at == NOW + TTL
    assert sign_in.session_user(db_session, signed.token, now=NOW) == signed.user
    assert signed.user.user_name == "山田太郎"
    assert users.authenticate(db_session, signed.token) is None  # not an API token
    assert redact(f"token {signed.token}") == "token ［トークンは表示しません］"


@pytest.mark.parametrize(
    ("name", "password"),
    [("山田太郎", PASSWORD + "x"), ("山田太郎", ""), ("だれでもない", PASSWORD), ("x" * 101, "a")],
)
def test_every_wrong_sign_in_gets_the_same_message(
    db_session: Session, name: str, password: str
) -> None:
    user_with_password(db_session, "山田太郎")
    with pytest.raises(Unauthorized) as refused:
        sign_in.sign_in(db_session, name, password, now=NOW, ttl=TTL)
    assert refused.value.message == "ユーザー名またはパスワードが正しくありません。"


def test_a_user_without_a_password_cannot_sign_in_with_one(db_session: Session) -> None:
    users.add_user(db_session, "佐藤花子", "viewer", now=DEMO_NOW)
    with pytest.raises(Unauthorized):
        sign_in.sign_in(db_session, "佐藤花子", PASSWORD, now=NOW, ttl=TTL)


def test_a_session_ends_at_its_expiry_at_sign_out_and_with_the_user(db_session: Session) -> None:
    user_with_password(db_session, "山田太郎")
    first = sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)
    second = sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)
    later = NOW + TTL - timedelta(seconds=1)
    assert sign_in.session_user(db_session, first.token, now=later) is not None
    assert sign_in.session_user(db_session, first.token, now=NOW + TTL) is None
    assert sign_in.sign_out(db_session, first.token, now=NOW)
    assert not sign_in.sign_out(db_session, first.token, now=NOW)  # already ended
    assert sign_in.session_user(db_session, first.token, now=NOW) is None
    assert sign_in.session_user(db_session, second.token, now=NOW) is not None  # other tab
    users.revoke(db_session, "山田太郎", now=DEMO_NOW)
    assert sign_in.session_user(db_session, second.token, now=NOW) is None
    with pytest.raises(Unauthorized):
        sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)


def test_a_new_password_ends_the_open_sessions(db_session: Session) -> None:
    user_with_password(db_session, "山田太郎")
    signed = sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)
    sign_in.set_password(db_session, "山田太郎", "新しいパスワード123", now=NOW)
    assert sign_in.session_user(db_session, signed.token, now=NOW) is None
    with pytest.raises(Unauthorized):
        sign_in.sign_in(db_session, "山田太郎", PASSWORD, now=NOW, ttl=TTL)
    assert sign_in.sign_in(db_session, "山田太郎", "新しいパスワード123", now=NOW, ttl=TTL)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "パスワードは8文字以上にしてください。"),
        (" " * 12, "空白だけのパスワードは使えません。"),
        ("x" * 257, "パスワードは256文字以内にしてください。"),
    ],
)
def test_password_rules_are_explained(db_session: Session, password: str, message: str) -> None:
    users.add_user(db_session, "山田太郎", "approver", now=DEMO_NOW)
    with pytest.raises(BadRequest) as refused:
        sign_in.set_password(db_session, "山田太郎", password, now=NOW)
    assert refused.value.message == message

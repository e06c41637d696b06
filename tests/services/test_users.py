"""Users and tokens (SQLite and MariaDB)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aimee.errors import BadRequest, Conflict
from aimee.services import users
from aimee.store.models import User
from tests.conftest import DEMO_NOW


def test_tokens_are_stored_hashed_and_authenticate(db_session: Session) -> None:
    user, token = users.add_user(db_session, "山田太郎", "approver", now=DEMO_NOW)
    assert token.startswith("aimee_") and len(token) > 40
    assert user.token_hash == users.hash_token(token) != token
    assert users.authenticate(db_session, token) == user
    assert users.authenticate(db_session, token + "x") is None
    assert users.authenticate(db_session, "aimee_") is None


def test_revoked_and_rotated_tokens_stop_working(db_session: Session) -> None:
    _, token = users.add_user(db_session, "佐藤花子", "viewer", now=DEMO_NOW)
    users.revoke(db_session, "佐藤花子", now=DEMO_NOW)
    assert users.authenticate(db_session, token) is None
    fresh = users.rotate_token(db_session, "佐藤花子", "viewer", now=DEMO_NOW)
    assert users.authenticate(db_session, fresh) is not None
    again = users.rotate_token(db_session, "佐藤花子", "viewer", now=DEMO_NOW)
    assert users.authenticate(db_session, fresh) is None
    assert users.authenticate(db_session, again) is not None


def test_roles_are_ordered() -> None:
    approver = User(user_name="a", role="approver", token_hash="h", created_at=DEMO_NOW)
    assert users.has_role(approver, "viewer")
    assert users.has_role(approver, "approver")
    assert not users.has_role(approver, "admin")


def test_bad_input(db_session: Session) -> None:
    with pytest.raises(BadRequest):
        users.add_user(db_session, "x", "superuser", now=DEMO_NOW)
    users.add_user(db_session, "重複", "viewer", now=DEMO_NOW)
    with pytest.raises(Conflict):
        users.add_user(db_session, "重複", "viewer", now=DEMO_NOW)


def test_a_user_s_site_is_one_the_data_has(db_session: Session) -> None:
    user, _ = users.add_user(db_session, "那覇の管理者", "approver", now=DEMO_NOW, site="那覇")
    assert user.site == "那覇"
    with pytest.raises(BadRequest, match=r"known sites: .*那覇"):
        users.add_user(db_session, "福岡の管理者", "approver", now=DEMO_NOW, site="福岡")
    with pytest.raises(BadRequest, match="unknown site"):
        users.set_site(db_session, "那覇の管理者", "なは")
    assert users.set_site(db_session, "那覇の管理者", None).site is None

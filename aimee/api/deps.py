"""Typed FastAPI dependencies. The request is the transaction boundary:
it commits when the endpoint returns and rolls back when it raises. The commit
happens before the response is sent (``scope="function"``): a client told 200
can rely on the change being stored, and a failing commit answers 503
(bench/faults/commit_after_response.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aimee import clock
from aimee.bootstrap import Components
from aimee.config import Settings
from aimee.errors import Forbidden, Unauthorized
from aimee.services.policy import Policy
from aimee.services.sign_in import is_session, session_user
from aimee.services.users import ROLE_LABELS, authenticate, has_role
from aimee.store.models import User


def get_components(request: Request) -> Components:
    """The long-lived parts built once at start-up (``bootstrap.build``)."""
    components: Components = request.app.state.components
    return components


ComponentsDep = Annotated[Components, Depends(get_components)]


def get_session(components: ComponentsDep) -> Iterator[Session]:
    """The request's session: committed when the endpoint returns, rolled back when
    it raises. Not a ``session.begin()`` block, so that an endpoint may roll back and
    try again on fresh data (``store.db.retry_when_busy``)."""
    with components.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def get_settings_dep(components: ComponentsDep) -> Settings:
    return components.settings


def get_now(components: ComponentsDep) -> datetime:
    """The business time of this request, from the app's own settings."""
    return clock.now(components.settings)


def get_policy(components: ComponentsDep) -> Policy:
    """The operation's rules and alert thresholds, built once from the settings."""
    return components.policy


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
PolicyDep = Annotated[Policy, Depends(get_policy)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
NowDep = Annotated[datetime, Depends(get_now)]


def get_engine(components: ComponentsDep) -> Engine:
    return components.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


_bearer = HTTPBearer(
    auto_error=False,
    description="API token (`aimee user add NAME --role ROLE`) or a session token "
    "(`POST /auth/login`)",
)


def current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The authenticated user (401 without a valid token)."""
    if credentials is None:
        raise Unauthorized("認証が必要です。Authorization: Bearer <トークン> を付けてください。")
    token = credentials.credentials
    user = session_user(session, token, now=clock.utc_now()) if is_session(token) else None
    user = user or authenticate(session, token)
    if user is None:
        raise Unauthorized("トークンが無効です（失効または誤り）。")
    # End the read the lookup began (it wrote nothing): the endpoint's own work starts
    # on fresh data, so on SQLite a write queues for the lock instead of failing on a
    # snapshot another writer has overtaken. The user's attributes stay loaded.
    session.commit()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(role: str) -> Callable[[User], User]:
    """A dependency that lets ``role`` or a higher role through (403 otherwise)."""

    def check(user: CurrentUser) -> User:
        if not has_role(user, role):
            raise Forbidden(f"この操作には{ROLE_LABELS[role]}以上の権限が必要です。")
        return user

    return check


ApproverUser = Annotated[User, Depends(require("approver"))]
AdminUser = Annotated[User, Depends(require("admin"))]

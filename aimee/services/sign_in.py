"""Dashboard sign-in: passwords and browser sessions.

Passwords are hashed with Argon2id (pwdlib) at OWASP's minimum parameters
(19 MiB, 2 iterations, 1 lane: about 20 ms here). Each hash holds 19 MiB while it
runs, so a process computes at most ``HASHES_AT_ONCE`` at a time: a burst of
sign-ins waits instead of growing the worker past its memory budget.

A sign-in opens a session: a random token (``aimee_ses_…``) that the dashboard
keeps in an HttpOnly cookie; only its SHA-256 is stored (``user_sessions``). A
session ends at ``expires_at``, at sign-out, when the user's password changes,
or when the user is revoked. Sessions run on the wall clock (UTC), not on the
business clock (``AIMEE_NOW``): a demo's frozen day must not keep a session open
for ever. Every function takes ``now`` so tests fix it.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from aimee.errors import BadRequest, NotFound, Unauthorized
from aimee.services.users import hash_token
from aimee.store.models import User, UserSession
from aimee.store.repositories import users as repo
from aimee.tokens import TOKEN_PREFIX

SESSION_PREFIX = TOKEN_PREFIX + "ses_"
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 256
HASHES_AT_ONCE = 2
WRONG_CREDENTIALS = "ユーザー名またはパスワードが正しくありません。"

_hasher = PasswordHash((Argon2Hasher(memory_cost=19_456, time_cost=2, parallelism=1),))
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)
_dummy_hash: str | None = None


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    """Shown once, to the browser; never stored."""
    expires_at: datetime


def is_session(token: str) -> bool:
    """Whether ``token`` has the shape of a session token (not an API token)."""
    return token.startswith(SESSION_PREFIX)


def check_password_rules(password: str) -> None:
    """Length only (NIST SP 800-63B: no composition rules); BadRequest otherwise."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise BadRequest(f"パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください。")
    if len(password) > MAX_PASSWORD_CHARS:
        raise BadRequest(f"パスワードは{MAX_PASSWORD_CHARS}文字以内にしてください。")
    if not password.strip():
        raise BadRequest("空白だけのパスワードは使えません。")


def _hash(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def _verify(password: str, password_hash: str) -> bool:
    with _hashing:
        return _hasher.verify(password, password_hash)


def _verify_nothing(password: str) -> None:
    """Spend the time of a real check, so that a missing user cannot be told apart."""
    global _dummy_hash  # noqa: PLW0603 - computed once per process, on first use
    if _dummy_hash is None:
        _dummy_hash = _hash(secrets.token_urlsafe(16))
    _verify(password, _dummy_hash)


def set_password(session: Session, name: str, password: str, *, now: datetime) -> User:
    """Set ``name``'s password; the user's open sessions end (signed out everywhere)."""
    check_password_rules(password)
    user = repo.by_name(session, name)
    if user is None:
        raise NotFound(f"user {name!r} not found")
    user.password_hash = _hash(password)
    repo.end_sessions(session, user.user_id, now=now)
    session.flush()
    return user


def open_session(session: Session, user: User, *, now: datetime, ttl: timedelta) -> SignedIn:
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + ttl
    repo.add_session(
        session,
        UserSession(
            user_id=user.user_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=expires_at,
        ),
    )
    return SignedIn(user=user, token=token, expires_at=expires_at)


def sign_in(
    session: Session, name: str, password: str, *, now: datetime, ttl: timedelta
) -> SignedIn:
    """A new session for ``name`` when ``password`` is theirs; Unauthorized otherwise,
    with one message whatever was wrong (unknown user, no password, revoked, wrong)."""
    user = repo.by_name(session, name) if len(name) <= 100 else None
    if user is None or user.password_hash is None or len(password) > MAX_PASSWORD_CHARS:
        _verify_nothing(password[:MAX_PASSWORD_CHARS])
        raise Unauthorized(WRONG_CREDENTIALS)
    if not _verify(password, user.password_hash) or user.revoked_at is not None:
        raise Unauthorized(WRONG_CREDENTIALS)
    return open_session(session, user, now=now, ttl=ttl)


def session_user(session: Session, token: str, *, now: datetime) -> User | None:
    """The active user of an open session token, or None."""
    if not token.startswith(SESSION_PREFIX) or len(token) > 200:
        return None
    found = repo.session_by_token_hash(session, hash_token(token))
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or user.revoked_at is not None:
        return None
    return user


def sign_out(session: Session, token: str, *, now: datetime) -> bool:
    """End the session of ``token``; False when it was not an open session."""
    found = repo.session_by_token_hash(session, hash_token(token))
    if found is None or found[0].revoked_at is not None:
        return False
    found[0].revoked_at = now
    session.flush()
    return True

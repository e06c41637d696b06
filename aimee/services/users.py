"""Users, roles and API tokens. Only a SHA-256 hash of each token is stored;
tokens are 256-bit random strings, so a fast hash is enough, and the
comparison is constant-time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.errors import BadRequest, Conflict, NotFound
from aimee.store.models import USER_ROLES, User
from aimee.store.repositories import users as repo
from aimee.store.repositories.master import master_data
from aimee.tokens import TOKEN_PREFIX

ROLE_RANK = {role: rank for rank, role in enumerate(USER_ROLES)}  # viewer < approver < admin
ROLE_LABELS = {"viewer": "閲覧者", "approver": "承認者", "admin": "管理者"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def has_role(user: User, role: str) -> bool:
    return ROLE_RANK[user.role] >= ROLE_RANK[role]


def _check(name: str, role: str) -> None:
    if role not in ROLE_RANK:
        raise BadRequest(f"role must be one of {', '.join(USER_ROLES)}")
    if not name.strip() or len(name) > 100:
        raise BadRequest("user name must be 1-100 characters")


def add_user(
    session: Session, name: str, role: str, *, now: datetime, site: str | None = None
) -> tuple[User, str]:
    """Create a user (``site``: the site they manage, or none); returns the user and the
    token (shown once, never stored)."""
    _check(name, role)
    if repo.by_name(session, name) is not None:
        raise Conflict(f"user {name!r} already exists")
    token = new_token()
    user = repo.add(
        session,
        User(
            user_name=name,
            role=role,
            token_hash=hash_token(token),
            created_at=now,
            site=_known_site(session, site),
        ),
    )
    return user, token


def set_site(session: Session, name: str, site: str | None) -> User:
    """Record the site ``name`` manages (None: clear it); 「うち」 in the chat means it."""
    user = repo.by_name(session, name)
    if user is None:
        raise NotFound(f"user {name!r} not found")
    user.site = _known_site(session, site)
    session.flush()
    return user


def _known_site(session: Session, site: str | None) -> str | None:
    """``site`` when the data has it (a site of an operator or of a current queue); a
    site not there is refused, naming those that are (none yet: any name is kept)."""
    if site is None or not site.strip():
        return None
    known = master_data(session).locations
    if known and site.strip() not in known:
        raise BadRequest(f"unknown site {site!r}; known sites: {', '.join(sorted(known))}")
    return site.strip()


def rotate_token(session: Session, name: str, role: str, *, now: datetime) -> str:
    """Give ``name`` a new token (creating the user when missing); the old token stops working."""
    _check(name, role)
    user = repo.by_name(session, name)
    if user is None:
        return add_user(session, name, role, now=now)[1]
    token = new_token()
    user.token_hash, user.role, user.revoked_at = hash_token(token), role, None
    session.flush()
    return token


def revoke(session: Session, name: str, *, now: datetime) -> User:
    user = repo.by_name(session, name)
    if user is None:
        raise NotFound(f"user {name!r} not found")
    user.revoked_at = now
    session.flush()
    return user


def authenticate(session: Session, token: str) -> User | None:
    """The active user holding ``token``, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    user = repo.by_token_hash(session, digest)
    if user is None or user.revoked_at is not None:
        return None
    return user if hmac.compare_digest(user.token_hash, digest) else None


def list_users(session: Session) -> list[User]:
    return repo.list_users(session)

"""API users, their hashed tokens and their dashboard sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aimee.store.models import User, UserSession


def by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.user_name == name))


def by_token_hash(session: Session, token_hash: str) -> User | None:
    return session.scalar(select(User).where(User.token_hash == token_hash))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.user_id)))


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def add_session(session: Session, row: UserSession) -> UserSession:
    session.add(row)
    session.flush()
    return row


def session_by_token_hash(session: Session, token_hash: str) -> tuple[UserSession, User] | None:
    """The session with this token hash and its user (one query)."""
    found = session.execute(
        select(UserSession, User)
        .join(User, User.user_id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash)
    ).one_or_none()
    return None if found is None else (found[0], found[1])


def end_sessions(session: Session, user_id: int, *, now: datetime) -> int:
    """End every open session of the user; returns how many were open."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]

"""API users and their hashed tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.store.models import User


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

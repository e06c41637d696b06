"""Managers' feedback on chat answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from aimee.store.models import ChatFeedback


def add(session: Session, row: ChatFeedback) -> ChatFeedback:
    session.add(row)
    session.flush()
    return row

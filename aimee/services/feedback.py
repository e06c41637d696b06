"""Managers' thumbs up or down on chat answers, kept with the question and answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from aimee.store.models import ChatFeedback
from aimee.store.repositories import feedback as repo


def record_feedback(
    session: Session,
    *,
    user_name: str,
    session_id: str,
    question: str,
    answer: str,
    rating_up: bool,
    intent_type: str | None,
    suggestion_id: str | None,
    now: datetime,
) -> ChatFeedback:
    return repo.add(
        session,
        ChatFeedback(
            user_name=user_name,
            session_id=session_id,
            question=question,
            answer=answer,
            intent_type=intent_type,
            suggestion_id=suggestion_id,
            rating=1 if rating_up else 0,
            created_at=now,
        ),
    )

"""Suggestions: the planner's proposals as shown to managers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aimee.store.models import DAY_HORIZON, Suggestion


def add(session: Session, suggestion: Suggestion) -> Suggestion:
    session.add(suggestion)
    session.flush()
    return suggestion


def get(session: Session, suggestion_id: str) -> Suggestion | None:
    return session.get(Suggestion, suggestion_id)


def pending_on(session: Session, fingerprint: str, now: datetime) -> list[Suggestion]:
    """Pending suggestions computed from the data with ``fingerprint``, still valid at
    ``now``, oldest first."""
    query = (
        select(Suggestion)
        .where(
            Suggestion.status == "pending",
            Suggestion.data_fingerprint == fingerprint,
            Suggestion.expires_at > now,
        )
        .order_by(Suggestion.created_at, Suggestion.suggestion_id)
    )
    return list(session.scalars(query))


def expire_pending(session: Session, suggestion_ids: list[str]) -> int:
    """Expire those of ``suggestion_ids`` still pending (one conditional update: one
    approved meanwhile stays approved). Returns how many were expired."""
    if not suggestion_ids:
        return 0
    result = session.execute(
        update(Suggestion)
        .where(Suggestion.suggestion_id.in_(suggestion_ids), Suggestion.status == "pending")
        .values(status="expired")
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def list_suggestions(
    session: Session,
    *,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Suggestion]:
    query = select(Suggestion).order_by(Suggestion.created_at.desc(), Suggestion.suggestion_id)
    if status:
        query = query.where(Suggestion.status == status)
    if since:
        query = query.where(Suggestion.created_at >= since)
    if until:
        query = query.where(Suggestion.created_at <= until)
    return list(session.scalars(query.limit(limit).offset(offset)))


def newest_day_plans(session: Session, *, since: datetime, until: datetime) -> list[Suggestion]:
    """The newest plans for the rest of the day (``horizon`` "day") made between ``since``
    and ``until``: all those made at the newest one's ``created_at`` (a day plan is made at
    the whole minute of the data it plans from, so several made the same minute share it),
    by id; none when no day plan was made then. Found through the horizon index: the other
    suggestions, however many, are never read."""
    in_range = (
        Suggestion.horizon == DAY_HORIZON,
        Suggestion.created_at >= since,
        Suggestion.created_at <= until,
    )
    newest = session.scalar(select(func.max(Suggestion.created_at)).where(*in_range))
    if newest is None:
        return []
    query = (
        select(Suggestion)
        .where(Suggestion.horizon == DAY_HORIZON, Suggestion.created_at == newest)
        .order_by(Suggestion.suggestion_id)
    )
    return list(session.scalars(query))


def pending_day_plan_ids(session: Session, *, since: datetime, until: datetime) -> list[str]:
    """The ids of the plans for the rest of the day still pending, made between ``since``
    and ``until``, through the horizon index (their plans are not read)."""
    query = (
        select(Suggestion.suggestion_id)
        .where(
            Suggestion.horizon == DAY_HORIZON,
            Suggestion.status == "pending",
            Suggestion.created_at >= since,
            Suggestion.created_at <= until,
        )
        .order_by(Suggestion.suggestion_id)
    )
    return list(session.scalars(query))

"""Notifications: what is to be told, claimed, sent or given up, per thing and channel.

Once only: a row per (kind, subject, channel) under a unique index, inserted with
"on conflict do nothing", and a sender may send only after ``claim`` moved the row
to ``sending`` in one conditional UPDATE that also checks the attempt count it
read; of two workers claiming at once, exactly one changes the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.orm import Session

from aimee.store.models import Alert, Notification, Suggestion

PENDING, SENDING, SENT, FAILED, DROPPED = "pending", "sending", "sent", "failed", "dropped"


@dataclass(frozen=True, slots=True)
class Due:
    """A row a sender may claim (``attempts`` as read: the claim checks it)."""

    notification_id: int
    kind: str
    subject_id: str
    channel: str
    attempts: int


@dataclass(frozen=True, slots=True)
class AlertNotice:
    """What a message about an alert is built from: its stored numbers and message."""

    alert_id: int
    alert_type: str
    severity: str
    status: str
    location: str
    business_id: str
    process: str
    message: str
    details: Any
    deadline: datetime | None


@dataclass(frozen=True, slots=True)
class SuggestionNotice:
    suggestion_id: str
    status: str
    reason: str
    impact: Any
    created_at: datetime
    expires_at: datetime


def open_alert_ids(session: Session, severity: str) -> list[int]:
    """Open (not acknowledged) alerts of ``severity``, oldest first."""
    query = (
        select(Alert.alert_id)
        .where(Alert.status == "open", Alert.severity == severity)
        .order_by(Alert.alert_id)
    )
    return list(session.scalars(query))


def pending_suggestion_ids(session: Session, *, now: datetime) -> list[str]:
    """Suggestions awaiting a decision that have not expired, oldest first."""
    query = (
        select(Suggestion.suggestion_id)
        .where(Suggestion.status == "pending", Suggestion.expires_at > now)
        .order_by(Suggestion.created_at, Suggestion.suggestion_id)
    )
    return list(session.scalars(query))


def alert_notice(session: Session, alert_id: int) -> AlertNotice | None:
    row = session.execute(
        select(
            Alert.alert_id,
            Alert.alert_type,
            Alert.severity,
            Alert.status,
            Alert.location_name,
            Alert.business_id,
            Alert.process_name,
            Alert.message,
            Alert.details,
            Alert.deadline,
        ).where(Alert.alert_id == alert_id)
    ).one_or_none()
    if row is None:
        return None
    aid, atype, sev, status, loc, bid, proc, msg, details, deadline = row
    return AlertNotice(
        aid, atype, sev, status, loc or "", bid or "", proc or "", msg, details, deadline
    )


def suggestion_notice(session: Session, suggestion_id: str) -> SuggestionNotice | None:
    row = session.execute(
        select(
            Suggestion.suggestion_id,
            Suggestion.status,
            Suggestion.reason,
            Suggestion.impact,
            Suggestion.created_at,
            Suggestion.expires_at,
        ).where(Suggestion.suggestion_id == suggestion_id)
    ).one_or_none()
    return None if row is None else SuggestionNotice(*row)


def enqueue(
    session: Session,
    kind: str,
    subject_ids: Sequence[str],
    channels: Sequence[str],
    *,
    now: datetime,
) -> None:
    """A pending row for each subject and channel that has none. A row another
    worker inserted a moment before is left as it is (no error, no second row)."""
    if not subject_ids or not channels:
        return
    existing = {
        (subject, channel)
        for subject, channel in session.execute(
            select(Notification.subject_id, Notification.channel).where(
                Notification.kind == kind,
                Notification.subject_id.in_(subject_ids),
                Notification.channel.in_(channels),
            )
        )
    }
    rows = [
        {
            "kind": kind,
            "subject_id": subject,
            "channel": channel,
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for subject in subject_ids
        for channel in channels
        if (subject, channel) not in existing
    ]
    if rows:
        session.execute(_insert_ignoring_duplicates(session), rows)


def _insert_ignoring_duplicates(session: Session) -> Any:
    table = Notification.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(
            index_elements=["kind", "subject_id", "channel"]
        )
    statement = mysql.insert(table)
    # a no-op update on a duplicate key: the row that is there stays as it is
    return statement.on_duplicate_key_update(kind=table.c.kind)


def _claimable(stale_before: datetime) -> Any:
    """Pending, or claimed by a sender that never reported back (crashed mid-send)."""
    return or_(
        Notification.status == PENDING,
        and_(Notification.status == SENDING, Notification.claimed_at < stale_before),
    )


def due(
    session: Session,
    channels: Sequence[str],
    *,
    max_attempts: int,
    stale_before: datetime,
    limit: int,
) -> list[Due]:
    """Rows to send on ``channels``, in the order they were queued."""
    query = (
        select(
            Notification.notification_id,
            Notification.kind,
            Notification.subject_id,
            Notification.channel,
            Notification.attempts,
        )
        .where(
            _claimable(stale_before),
            Notification.attempts < max_attempts,
            Notification.channel.in_(channels),
        )
        .order_by(Notification.notification_id)
        .limit(limit)
    )
    return [Due(*row) for row in session.execute(query)]


def give_up_stale(session: Session, *, max_attempts: int, stale_before: datetime) -> int:
    """Rows claimed by a sender that never reported back and that have no attempt
    left are failed; how many."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.status == SENDING,
            Notification.claimed_at < stale_before,
            Notification.attempts >= max_attempts,
        )
        .values(status=FAILED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim(session: Session, row: Due, *, owner: str, now: datetime, stale_before: datetime) -> bool:
    """Take the right to send ``row``: True for exactly one of the workers trying
    at once (the row must still be claimable and have the attempts read)."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.notification_id == row.notification_id,
            Notification.attempts == row.attempts,
            _claimable(stale_before),
        )
        .values(status=SENDING, attempts=row.attempts + 1, claimed_at=now, claimed_by=owner)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def drop(session: Session, row: Due, *, stale_before: datetime) -> bool:
    """The subject is no longer to be told (unless a sender has claimed it meanwhile)."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.notification_id == row.notification_id,
            Notification.attempts == row.attempts,
            _claimable(stale_before),
        )
        .values(status=DROPPED)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def finish(
    session: Session, notification_id: int, *, owner: str, status: str, now: datetime
) -> bool:
    """Record the end of a send this owner claimed: ``sent``, ``pending`` (to retry)
    or ``failed`` (no attempt left)."""
    values: dict[str, Any] = {"status": status}
    if status == SENT:
        values["sent_at"] = now
    result = session.execute(
        update(Notification)
        .where(
            Notification.notification_id == notification_id,
            Notification.status == SENDING,
            Notification.claimed_by == owner,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def rows_for(session: Session, kind: str, subject_id: str) -> list[Notification]:
    """A subject's rows, one per channel (for tests and support)."""
    query = (
        select(Notification)
        .where(Notification.kind == kind, Notification.subject_id == subject_id)
        .order_by(Notification.channel)
    )
    return list(session.scalars(query))

"""Alerts: the live ones for the scan, listing with filters, acknowledgement."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from aimee.store.models import Alert

LIVE_STATUSES = ("open", "acknowledged")


@dataclass(frozen=True, slots=True)
class AlertFilter:
    status: str | None = None
    """open, acknowledged, resolved, or ``active`` (open or acknowledged)."""
    alert_type: str | None = None
    severity: str | None = None
    location: str | None = None
    business_id: str | None = None
    process: str | None = None


@dataclass(frozen=True, slots=True)
class LiveRow:
    """What the scan needs of an open or acknowledged alert (read as plain columns)."""

    alert_id: int
    alert_type: str
    location: str
    business_id: str
    process: str
    severity: str
    message: str
    details: Any
    status: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    deadline: datetime | None


def live_rows(session: Session) -> list[LiveRow]:
    """Open and acknowledged alerts."""
    query = select(
        Alert.alert_id,
        Alert.alert_type,
        Alert.location_name,
        Alert.business_id,
        Alert.process_name,
        Alert.severity,
        Alert.message,
        Alert.details,
        Alert.status,
        Alert.created_at,
        Alert.acknowledged_at,
        Alert.acknowledged_by,
        Alert.deadline,
    ).where(Alert.status.in_(LIVE_STATUSES))
    return [
        LiveRow(a, t, loc or "", bid or "", proc or "", sev, msg, det, st, created, *rest)
        for a, t, loc, bid, proc, sev, msg, det, st, created, *rest in session.execute(query)
    ]


def add_all(session: Session, alerts: list[Alert]) -> None:
    """Insert new alerts (their ids are set afterwards)."""
    session.add_all(alerts)
    session.flush()


def _expire(session: Session, alert_ids: Iterable[int]) -> None:
    """Alerts changed by a statement are reloaded on next access if the session holds them."""
    ids = set(alert_ids)
    for held in list(session.identity_map.values()):
        if isinstance(held, Alert) and held.alert_id in ids:
            session.expire(held)


def update_many(session: Session, changes: list[dict[str, Any]]) -> None:
    """Update alerts by primary key in one batched statement (each dict holds
    ``alert_id`` and the same columns; the scan's rows are not loaded as objects)."""
    if not changes:
        return
    table = Alert.__table__
    assert isinstance(table, Table)
    statement = update(table).where(table.c.alert_id == bindparam("target_id"))
    session.connection().execute(
        statement,
        [
            {"target_id": c["alert_id"], **{k: v for k, v in c.items() if k != "alert_id"}}
            for c in changes
        ],
    )
    _expire(session, (c["alert_id"] for c in changes))


def resolve(session: Session, alert_ids: list[int], *, now: datetime) -> None:
    """Close alerts whose condition cleared; their queue and type may alert again."""
    if alert_ids:
        session.execute(
            update(Alert)
            .where(Alert.alert_id.in_(alert_ids))
            .values(status="resolved", resolved_at=now, active_key=None)
            .execution_options(synchronize_session=False)
        )
        _expire(session, alert_ids)


def get(session: Session, alert_id: int) -> Alert | None:
    return session.get(Alert, alert_id)


def _filtered(query: Select[tuple[Alert]], flt: AlertFilter) -> Select[tuple[Alert]]:
    if flt.status == "active":
        query = query.where(Alert.status.in_(LIVE_STATUSES))
    elif flt.status is not None:
        query = query.where(Alert.status == flt.status)
    if flt.alert_type is not None:
        query = query.where(Alert.alert_type == flt.alert_type)
    if flt.severity is not None:
        query = query.where(Alert.severity == flt.severity)
    if flt.location is not None:
        query = query.where(Alert.location_name == flt.location)
    if flt.business_id is not None:
        query = query.where(Alert.business_id == flt.business_id)
    if flt.process is not None:
        query = query.where(Alert.process_name == flt.process)
    return query


_SEVERITY_ORDER = case({"high": 0, "medium": 1, "low": 2}, value=Alert.severity, else_=3)


def list_alerts(session: Session, flt: AlertFilter, *, limit: int, offset: int) -> list[Alert]:
    """Most urgent first: severity, then the queue's deadline (none last), then newest."""
    query = _filtered(select(Alert), flt).order_by(
        _SEVERITY_ORDER,
        Alert.deadline.is_(None),
        Alert.deadline,
        Alert.created_at.desc(),
        Alert.alert_id.desc(),
    )
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_alerts(session: Session, flt: AlertFilter) -> int:
    query = _filtered(select(Alert), flt).with_only_columns(func.count(Alert.alert_id))
    return int(session.scalar(query) or 0)


def acknowledge(session: Session, alert_id: int, *, user: str, now: datetime) -> bool:
    """Mark an open alert acknowledged; False when it is not open (any more).
    One conditional UPDATE, so that two people acknowledging at once cannot both win."""
    result = session.execute(
        update(Alert)
        .where(Alert.alert_id == alert_id, Alert.status == "open")
        .values(status="acknowledged", acknowledged_at=now, acknowledged_by=user)
        .execution_options(synchronize_session=False)
    )
    _expire(session, [alert_id])
    return bool(getattr(result, "rowcount", 0))


def link_suggestion(session: Session, alert_id: int, *, seen: str | None, new: str) -> bool:
    """Point the alert at ``new`` if it still points at ``seen`` (what the caller read);
    False when another request linked a suggestion in between. One conditional UPDATE:
    of two requests planning for the same alert at once, one wins."""
    linked = Alert.suggestion_id.is_(None) if seen is None else Alert.suggestion_id == seen
    result = session.execute(
        update(Alert)
        .where(Alert.alert_id == alert_id, linked)
        .values(suggestion_id=new)
        .execution_options(synchronize_session=False)
    )
    _expire(session, [alert_id])
    return bool(getattr(result, "rowcount", 0))

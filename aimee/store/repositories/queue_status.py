"""Set-based reads of every queue at once (the alert scan, the scenario builder): Core statements
returning plain tuples (no ORM objects), one query each, so that a thousand
queues are read in tens of milliseconds."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Float, Table, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from aimee.store.base import Base
from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    PastAssignment,
    ProgressSnapshot,
)
from aimee.store.repositories.skills import current_capability

QueueKey = tuple[str, str, str]
KEYS_PER_QUERY = 500
BATCH = 200
"""Rows fetched at a time: few driver calls, and no long lists of row objects kept
alive (each one that outlives a young garbage collection makes a full one likelier)."""
SkillRow = tuple[int, str, int | None, float]
"""operator_id, process, skill level, speed (tasks per hour)."""


SnapshotRow = tuple[datetime, int, int, datetime | None]
"""snapshot time, tasks waiting, entry count so far, deadline."""


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def recent_snapshots(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    only: Collection[QueueKey] | None = None,
) -> dict[QueueKey, list[SnapshotRow]]:
    """Every queue's (or the ``only`` queues') snapshots from ``since`` to ``until``
    in time order (two at the same instant: the newer id last), so each list ends
    with the latest."""
    snap = _table(ProgressSnapshot).c
    query = (
        select(
            snap.location_name,
            snap.business_id,
            snap.process_name,
            snap.snapshot_time,
            snap.total_waiting,
            snap.entry_count,
            snap.expected_completion_time,
        )
        .where(snap.snapshot_time >= since, snap.snapshot_time <= until)
        .order_by(snap.snapshot_time, snap.snapshot_id)
    )
    if only is None:
        queries = [query]
    else:
        keys = list(only)
        queue = tuple_(snap.location_name, snap.business_id, snap.process_name)
        queries = [
            query.where(queue.in_(keys[start : start + KEYS_PER_QUERY]))
            for start in range(0, len(keys), KEYS_PER_QUERY)
        ]
    history: dict[QueueKey, list[SnapshotRow]] = {}
    for statement in queries:
        for rows in session.connection().execute(statement).partitions(BATCH):
            for location, business_id, process, moment, waiting, entries, deadline in rows:
                if moment is not None:
                    key = (location or "", business_id or "", process or "")
                    row = (moment, waiting or 0, entries or 0, deadline)
                    history.setdefault(key, []).append(row)
    return history


def assignments(session: Session) -> dict[int, tuple[QueueKey, datetime | None]]:
    """Where each valid operator works now, and since when."""
    a, o = _table(OperatorAssignment).c, _table(Operator).c
    query = (
        select(a.operator_id, a.location_name, a.business_id, a.process_name, a.since)
        .join_from(_table(OperatorAssignment), _table(Operator), o.operator_id == a.operator_id)
        .where(o.is_valid.is_(True))
    )
    return {
        operator_id: ((location, business_id, process), since)
        for rows in session.connection().execute(query).partitions(BATCH)
        for operator_id, location, business_id, process, since in rows
    }


PastStint = tuple[int, QueueKey, datetime, datetime]
"""operator_id, queue, started at, ended at."""


def past_stints(session: Session, *, since: datetime, until: datetime) -> list[PastStint]:
    """Ended assignments of valid operators that overlap ``since``..``until``."""
    h, o = _table(PastAssignment).c, _table(Operator).c
    query = (
        select(
            h.operator_id, h.location_name, h.business_id, h.process_name, h.started_at, h.ended_at
        )
        .join_from(_table(PastAssignment), _table(Operator), o.operator_id == h.operator_id)
        .where(o.is_valid.is_(True), h.ended_at > since, h.started_at < until)
    )
    return [
        (operator_id, (location, business_id, process), started, ended)
        for rows in session.connection().execute(query).partitions(BATCH)
        for operator_id, location, business_id, process, started, ended in rows
    ]


def skills(session: Session) -> list[SkillRow]:
    """Every skill entry that counts (``current_capability``) of valid operators."""
    c, o = _table(OperatorProcessCapability).c, _table(Operator).c
    query = (
        select(c.operator_id, c.process_name, c.skill_level, type_coerce(c.average_speed, Float))
        .select_from(_table(OperatorProcessCapability))
        .join(_table(Operator), o.operator_id == c.operator_id)
        .where(o.is_valid.is_(True), current_capability())
    )
    return [
        (operator_id, process or "", level, float(speed or 0))
        for rows in session.connection().execute(query).partitions(BATCH)
        for operator_id, process, level, speed in rows
        if operator_id is not None
    ]

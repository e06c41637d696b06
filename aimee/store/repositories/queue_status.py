"""Set-based reads of every queue at once for the alert scan: Core statements
returning plain tuples (no ORM objects), one query each, so that a thousand
queues are read in tens of milliseconds."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Float, Table, or_, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from aimee.store.base import Base
from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    ProgressSnapshot,
)

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


def assignments(session: Session) -> dict[int, QueueKey]:
    """Where each valid operator works now."""
    a, o = _table(OperatorAssignment).c, _table(Operator).c
    query = (
        select(a.operator_id, a.location_name, a.business_id, a.process_name)
        .join_from(_table(OperatorAssignment), _table(Operator), o.operator_id == a.operator_id)
        .where(o.is_valid.is_(True))
    )
    return {
        operator_id: (location, business_id, process)
        for rows in session.connection().execute(query).partitions(BATCH)
        for operator_id, location, business_id, process in rows
    }


def skills(session: Session, *, min_level: int) -> list[SkillRow]:
    """The skill entries the scan uses, of valid operators: every entry at
    ``min_level`` or more, and each assigned operator's entry on the process they
    work on. Joined on ``operator_id`` only, so that any query planner walks the
    skills once and finds the operator and assignment by primary key."""
    c, o, a = (
        _table(OperatorProcessCapability).c,
        _table(Operator).c,
        _table(OperatorAssignment).c,
    )
    query = (
        select(c.operator_id, c.process_name, c.skill_level, type_coerce(c.average_speed, Float))
        .select_from(_table(OperatorProcessCapability))
        .join(_table(Operator), o.operator_id == c.operator_id)
        .outerjoin(_table(OperatorAssignment), a.operator_id == c.operator_id)
        .where(
            o.is_valid.is_(True),
            or_(c.skill_level >= min_level, c.process_name == a.process_name),
        )
    )
    return [
        (operator_id, process or "", level, float(speed or 0))
        for rows in session.connection().execute(query).partitions(BATCH)
        for operator_id, process, level, speed in rows
        if operator_id is not None
    ]

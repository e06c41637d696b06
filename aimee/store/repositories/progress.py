"""Progress snapshots: the latest per queue and a queue's history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from aimee.store.models import (
    ProgressSnapshot,
)

QueueKey = tuple[str, str, str]


LATEST_LOOKBACK = timedelta(hours=24)
"""How far back before ``as_of`` a queue's newest snapshot is looked for. A queue
not observed in the last 24 hours is not "current": its last figures belong to
an earlier working day (its deadline has passed). The bound also keeps the
search to the newest entries of the ``snapshot_time`` index, so that it costs
the same with a day of snapshots as with years of them."""


def latest_snapshots(
    session: Session,
    *,
    location: str | None = None,
    business_id: str | None = None,
    process: str | None = None,
    as_of: datetime | None = None,
) -> list[ProgressSnapshot]:
    """The newest snapshot of every queue (location, business, process) observed
    in the ``LATEST_LOOKBACK`` before ``as_of`` (default: the newest snapshot
    in the table), taken at or before ``as_of``."""
    snap = ProgressSnapshot
    upper = as_of if as_of is not None else session.scalar(select(func.max(snap.snapshot_time)))
    if upper is None:
        return []
    latest = select(
        snap.location_name,
        snap.business_id,
        snap.process_name,
        func.max(snap.snapshot_time).label("latest_time"),
    ).where(snap.snapshot_time > upper - LATEST_LOOKBACK, snap.snapshot_time <= upper)
    if location:
        latest = latest.where(snap.location_name == location)
    if business_id:
        latest = latest.where(snap.business_id == business_id)
    if process:
        latest = latest.where(snap.process_name == process)
    sub = latest.group_by(snap.location_name, snap.business_id, snap.process_name).subquery()
    query = (
        select(snap)
        .join(
            sub,
            and_(
                snap.location_name == sub.c.location_name,
                snap.business_id == sub.c.business_id,
                snap.process_name == sub.c.process_name,
                snap.snapshot_time == sub.c.latest_time,
            ),
        )
        .order_by(snap.location_name, snap.business_id, snap.process_name, snap.snapshot_id.desc())
    )
    seen: set[QueueKey] = set()
    rows = []
    for row in session.scalars(query):  # two rows at the same instant: keep the newest id
        key = (row.location_name or "", row.business_id or "", row.process_name or "")
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def queue_history(
    session: Session,
    key: QueueKey,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ProgressSnapshot]:
    """A queue's snapshots from ``since`` to ``until`` (each bound only when
    given: all of its history by default) in time order."""
    query = select(ProgressSnapshot).where(
        ProgressSnapshot.location_name == key[0],
        ProgressSnapshot.business_id == key[1],
        ProgressSnapshot.process_name == key[2],
    )
    if since is not None:
        query = query.where(ProgressSnapshot.snapshot_time >= since)
    if until is not None:
        query = query.where(ProgressSnapshot.snapshot_time <= until)
    return list(session.scalars(query.order_by(ProgressSnapshot.snapshot_time)))


def recent_history(
    session: Session, *, since: datetime, until: datetime | None = None
) -> dict[QueueKey, list[ProgressSnapshot]]:
    """Every queue's snapshots from ``since`` (to ``until``), in time order."""
    query = select(ProgressSnapshot).where(ProgressSnapshot.snapshot_time >= since)
    if until is not None:
        query = query.where(ProgressSnapshot.snapshot_time <= until)
    history: dict[QueueKey, list[ProgressSnapshot]] = {}
    for row in session.scalars(query.order_by(ProgressSnapshot.snapshot_time)):
        key = (row.location_name or "", row.business_id or "", row.process_name or "")
        history.setdefault(key, []).append(row)
    return history


def add_snapshots(session: Session, rows: Iterable[ProgressSnapshot]) -> int:
    """Insert new observations; returns how many."""
    added = list(rows)
    session.add_all(added)
    session.flush()
    return len(added)

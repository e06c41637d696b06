"""Where every queue stands now: latest snapshot, staff and a forecast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee import clock
from aimee.store.repositories import progress as repo


@dataclass(frozen=True)
class QueueProgress:
    location: str
    business_id: str
    process: str
    snapshot_id: int
    snapshot_time: datetime
    deadline: datetime | None
    minutes_to_deadline: float | None
    waiting: int
    entry_count: int
    correction_waiting: int
    staff_count: int
    staff_speed_per_hour: float
    projected_completion: datetime | None
    late_tasks_at_deadline: float | None


def current_progress(
    session: Session,
    *,
    location: str | None = None,
    business_id: str | None = None,
    process: str | None = None,
) -> list[QueueProgress]:
    """Latest snapshot per queue with a forecast at the assigned staff's nominal
    speed, measured from the current business time."""
    now = clock.now()
    staff = repo.staff_by_queue(session)
    result = []
    for snap in repo.latest_snapshots(
        session, location=location, business_id=business_id, process=process, as_of=now
    ):
        key = (snap.location_name or "", snap.business_id or "", snap.process_name or "")
        count, speed = staff.get(key, (0, 0.0))
        waiting = snap.total_waiting or 0
        deadline = snap.expected_completion_time
        minutes_left = None if deadline is None else (deadline - now).total_seconds() / 60
        result.append(
            QueueProgress(
                location=key[0],
                business_id=key[1],
                process=key[2],
                snapshot_id=snap.snapshot_id,
                snapshot_time=snap.snapshot_time or now,
                deadline=deadline,
                minutes_to_deadline=None if minutes_left is None else round(minutes_left, 1),
                waiting=waiting,
                entry_count=snap.entry_count or 0,
                correction_waiting=snap.correction_waiting or 0,
                staff_count=count,
                staff_speed_per_hour=round(speed, 2),
                projected_completion=_completion(now, waiting, speed),
                late_tasks_at_deadline=None
                if minutes_left is None
                else round(max(0.0, waiting - speed * max(0.0, minutes_left) / 60), 1),
            )
        )
    return result


def _completion(now: datetime, waiting: int, speed_per_hour: float) -> datetime | None:
    if waiting <= 0:
        return now
    if speed_per_hour <= 0:
        return None
    return now + timedelta(hours=waiting / speed_per_hour)

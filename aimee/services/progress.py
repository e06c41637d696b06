"""Where every queue stands now: the latest snapshot with the same forecast the
planner, the chat and the alerts use (expected arrivals before the deadline,
observed efficiency of the staff), so every screen shows the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from aimee import clock
from aimee.planner import QueueKey
from aimee.services.facts import queue_facts
from aimee.services.scenarios import ScenarioFilter, build_situation


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
    nominal_speed_per_hour: float
    expected_arrivals: int
    projected_completion: datetime | None
    late_tasks_at_deadline: float | None


def current_progress(
    session: Session,
    *,
    location: str | None = None,
    business_id: str | None = None,
    process: str | None = None,
) -> list[QueueProgress]:
    """Latest snapshot per queue with its forecast at the current business time."""
    now = clock.now()
    focus = ScenarioFilter(location=location, business_id=business_id, process=process)
    situation = build_situation(session, now=now)
    facts = queue_facts(situation)
    result = []
    for key, snap in sorted(situation.snapshots.items()):
        if not focus.matches(QueueKey(location=key[0], business_id=key[1], process=key[2])):
            continue
        fact = facts.get(key)
        forecast = situation.forecasts.get(key)
        deadline = snap.expected_completion_time
        result.append(
            QueueProgress(
                location=key[0],
                business_id=key[1],
                process=key[2],
                snapshot_id=snap.snapshot_id,
                snapshot_time=snap.snapshot_time or now,
                deadline=deadline,
                minutes_to_deadline=None
                if deadline is None
                else round((deadline - now).total_seconds() / 60, 1),
                waiting=snap.total_waiting or 0,
                entry_count=snap.entry_count or 0,
                correction_waiting=snap.correction_waiting or 0,
                staff_count=fact.staff_count if fact else 0,
                staff_speed_per_hour=round(fact.rate_per_hour, 2) if fact else 0.0,
                nominal_speed_per_hour=forecast.nominal_rate if forecast else 0.0,
                expected_arrivals=fact.expected_arrivals if fact else 0,
                projected_completion=fact.projected_completion if fact else None,
                late_tasks_at_deadline=round(fact.late_tasks, 1) if fact else None,
            )
        )
    return result

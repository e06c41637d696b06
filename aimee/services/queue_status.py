"""Every queue's state for the alert rules, from four set-based reads.

The figures follow the same definitions as ``scenarios.build_situation`` and
``facts.queue_facts`` (the planner's forecast and capacity functions): tasks
waiting now plus the arrivals expected before the deadline, the staff's recorded
speeds scaled by their observed efficiency, late tasks and projected completion
when nobody moves. It reads plain rows instead of building a planner Scenario, so
that a thousand queues are evaluated in a few tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.planner import Queue, Rules, completion_minutes, minutes_left
from aimee.planner.capacity import late
from aimee.planner.forecast import (
    DEFAULT_WINDOW_MINUTES,
    Observation,
    Trend,
    efficiency,
    expected_arrivals,
    trend,
)
from aimee.services.alert_rules import QueueState
from aimee.store.repositories import queue_status as repo

WINDOW = timedelta(minutes=DEFAULT_WINDOW_MINUTES)


@dataclass(frozen=True)
class _Figures:
    queue: Queue
    waiting: int
    arrivals: int
    minutes_left: float
    staff: list[repo.StaffMember]
    nominal: float
    rate: float
    late: float
    completion: datetime | None
    recent: Trend
    previous: Trend


def queue_states(session: Session, now: datetime, rules: Rules | None = None) -> list[QueueState]:
    """The state of every queue that has a deadline, as of ``now``."""
    rules = rules or Rules()
    levels = repo.latest_levels(session, as_of=now)
    history = repo.observations(session, since=now - 2 * WINDOW, until=now)
    staff = repo.assigned_staff(session)
    figures = {
        key: _figures(key, level.waiting, level.deadline, history.get(key, []), staff, now, rules)
        for key, level in levels.items()
        if level.deadline is not None
    }
    at_risk = {key for key, f in figures.items() if round(f.late) >= 1}
    reserve = _reserve(
        repo.qualified_operators(session, min_level=rules.min_skill_level), at_risk
    )
    return [
        _state(key, f, now, rules, reserve.get(key[2], 0) if key in at_risk else -1)
        for key, f in figures.items()
    ]


def _figures(
    key: repo.QueueKey,
    waiting: int,
    deadline: datetime,
    rows: list[tuple[datetime, int, int]],
    staff: dict[repo.QueueKey, list[repo.StaffMember]],
    now: datetime,
    rules: Rules,
) -> _Figures:
    observations = [Observation(*row) for row in rows]
    recent = trend([o for o in observations if o.time >= now - WINDOW])
    previous = trend([o for o in observations if o.time <= now - WINDOW])
    members = staff.get(key, [])
    nominal = sum(m.speed for m in members)
    factor = efficiency(recent.processing_rate, nominal)
    rate = sum(round(m.speed * factor, 2) for m in members)
    arrivals = round(expected_arrivals(recent.arrival_rate, now, deadline))
    queue = Queue(
        location=key[0],
        business_id=key[1],
        process=key[2],
        waiting=waiting + arrivals,
        deadline=deadline,
    )
    left = minutes_left(queue, now)
    done = completion_minutes(queue.waiting, rate, 0.0, rules.switch_minutes)
    return _Figures(
        queue=queue,
        waiting=waiting,
        arrivals=arrivals,
        minutes_left=left,
        staff=members,
        nominal=nominal,
        rate=rate,
        late=late(queue.waiting, rate / 60.0 * left),
        completion=None if done is None else now + timedelta(minutes=done),
        recent=recent,
        previous=previous,
    )


def _reserve(
    qualified: list[repo.QualifiedOperator], at_risk: set[repo.QueueKey]
) -> dict[str, int]:
    """Per process: qualified operators who are idle or on a queue without late tasks."""
    counts: dict[str, int] = {}
    for op in qualified:
        if op.assigned is None or op.assigned not in at_risk:
            counts[op.process] = counts.get(op.process, 0) + 1
    return counts


def _state(
    key: repo.QueueKey, f: _Figures, now: datetime, rules: Rules, reserve: int
) -> QueueState:
    return QueueState(
        location=key[0],
        business_id=key[1],
        process=key[2],
        now=now,
        deadline=f.queue.deadline,
        minutes_left=f.minutes_left,
        waiting=f.waiting,
        expected_arrivals=f.arrivals,
        staff_count=len(f.staff),
        staff_below_min=sum(
            1 for m in f.staff if m.skill_level is None or m.skill_level < rules.min_skill_level
        ),
        rate_per_hour=f.rate,
        projected_completion=f.completion,
        late_tasks=f.late,
        nominal_rate=f.nominal,
        processing_rate=f.recent.processing_rate,
        observed_minutes=f.recent.window_minutes,
        previous_rate=f.previous.processing_rate,
        previous_minutes=f.previous.window_minutes,
        qualified_reserve=reserve,
    )

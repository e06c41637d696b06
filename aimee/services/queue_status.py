"""Every queue's state for the alert rules, from a few set-based reads.

The figures follow the same definitions as ``scenarios.build_situation`` and
``facts.queue_facts`` (the planner's forecast and capacity functions): tasks
waiting now plus the arrivals expected before the deadline, the staff's recorded
speeds scaled by their observed efficiency, late tasks and projected completion
when nobody moves. It reads plain rows instead of building a planner Scenario, so
that a thousand queues are evaluated in tens of milliseconds.

Watched queues are those with a snapshot in the last observation window (60
minutes): the latest one gives the waiting tasks and the deadline, the window
the rates (``planner.forecast.trend``), and for queues whose staff work below
their recorded rate, the window before it the previous rate. A queue whose feed
stopped longer ago is not alerted on: its figures would be stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.planner import Rules, completion_minutes
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


_Member = tuple[int | None, float]
"""An operator on a queue: skill level on its process (None without an entry) and
speed. A plain tuple: the scan holds thousands, and tuples of numbers are not
tracked by the garbage collector."""

NO_SKILL: _Member = (None, 0.0)
NO_TREND = Trend(0.0, None, 0.0)


@dataclass(frozen=True, slots=True)
class _Figures:
    deadline: datetime
    waiting: int
    arrivals: int
    minutes_left: float
    staff: list[_Member]
    nominal: float
    rate: float
    late: float
    completion: datetime | None
    recent: Trend


def queue_states(
    session: Session,
    now: datetime,
    rules: Rules | None = None,
    *,
    previous_below: float = 0.9,
) -> list[QueueState]:
    """The state of every watched queue that has a deadline, as of ``now``. The
    previous window's rate is read for the queues whose staff work below
    ``previous_below`` of their recorded rate (elsewhere a drop cannot count)."""
    rules = rules or Rules()
    history = repo.recent_snapshots(session, since=now - WINDOW, until=now)
    where = repo.assignments(session)
    own_skill, qualified = _split_skills(
        repo.skills(session, min_level=rules.min_skill_level), where, rules.min_skill_level
    )
    staff: dict[repo.QueueKey, list[_Member]] = {}
    for operator_id, key in where.items():
        staff.setdefault(key, []).append(own_skill.get(operator_id, NO_SKILL))
    figures = {
        key: _figures(rows, staff.get(key, []), now, rules)
        for key, rows in history.items()
        if rows[-1][3] is not None
    }
    previous = _previous_trends(session, figures, now, previous_below)
    at_risk = {key for key, f in figures.items() if round(f.late) >= 1}
    reserve = _reserve(qualified, at_risk)
    return [
        _state(key, f, previous.get(key, NO_TREND), now, rules, reserve(key))
        for key, f in figures.items()
    ]


def _previous_trends(
    session: Session, figures: dict[repo.QueueKey, _Figures], now: datetime, below: float
) -> dict[repo.QueueKey, Trend]:
    """Rates over the window before the last one, for the queues whose staff now
    work below ``below`` of their recorded rate (or have none recorded)."""
    slower = [
        key
        for key, f in figures.items()
        if f.recent.processing_rate is not None
        and (f.nominal <= 0 or f.recent.processing_rate < below * f.nominal)
    ]
    if not slower:
        return {}
    rows = repo.recent_snapshots(session, since=now - 2 * WINDOW, until=now - WINDOW, only=slower)
    return {key: trend([Observation(m, w, e) for m, w, e, _ in r]) for key, r in rows.items()}


def _split_skills(
    rows: list[repo.SkillRow], where: dict[int, repo.QueueKey], min_level: int
) -> tuple[dict[int, _Member], list[tuple[repo.QueueKey | None, str]]]:
    """Each assigned operator's skill on the process they work on (the highest
    entry, as the scenario uses), and for every skill entry at ``min_level`` or
    more: where its operator works and the process."""
    own: dict[int, _Member] = {}
    qualified: dict[tuple[int, str], repo.QueueKey | None] = {}
    for operator_id, process, level, speed in rows:
        assigned = where.get(operator_id)
        if assigned is not None and assigned[2] == process:
            held = own.get(operator_id)
            if held is None or (level or 0) > (held[0] or 0):
                own[operator_id] = (level, speed)
        if level is not None and level >= min_level:
            qualified[(operator_id, process)] = assigned
    return own, [(assigned, process) for (_, process), assigned in qualified.items()]


def _figures(
    rows: list[repo.SnapshotRow],
    members: list[_Member],
    now: datetime,
    rules: Rules,
) -> _Figures:
    _, latest_waiting, _, deadline = rows[-1]
    assert deadline is not None
    waiting = max(0, latest_waiting)
    recent = trend([Observation(moment, w, entries) for moment, w, entries, _ in rows])
    nominal = sum(speed for _, speed in members)
    factor = efficiency(recent.processing_rate, nominal)
    rate = sum(round(speed * factor, 2) for _, speed in members)
    arrivals = round(expected_arrivals(recent.arrival_rate, now, deadline))
    work = waiting + arrivals
    left = max(0.0, (deadline - now).total_seconds() / 60.0)  # planner.minutes_left
    done = completion_minutes(work, rate, 0.0, rules.switch_minutes)
    return _Figures(
        deadline=deadline,
        waiting=waiting,
        arrivals=arrivals,
        minutes_left=left,
        staff=members,
        nominal=nominal,
        rate=rate,
        late=late(work, rate / 60.0 * left),
        completion=_after(now, done),
        recent=recent,
    )


def _after(now: datetime, minutes: float | None) -> datetime | None:
    """``now`` plus ``minutes``; None (never) beyond what a datetime can hold (year 9999),
    as for a vanishing rate against a huge backlog."""
    if minutes is None:
        return None
    try:
        return now + timedelta(minutes=minutes)
    except OverflowError:
        return None


def _reserve(
    qualified: list[tuple[repo.QueueKey | None, str]], at_risk: set[repo.QueueKey]
) -> Callable[[repo.QueueKey], int]:
    """For a queue: the operators qualified on its process who work elsewhere,
    idle or on a queue without late tasks (counted once per process, then the
    queue's own staff taken out). ``qualified``: (where the operator works, process)."""
    available: dict[str, int] = {}
    own: dict[repo.QueueKey, int] = {}
    for assigned, process in qualified:
        if assigned is None or assigned not in at_risk:
            available[process] = available.get(process, 0) + 1
            if assigned is not None and assigned[2] == process:
                own[assigned] = own.get(assigned, 0) + 1
    return lambda key: available.get(key[2], 0) - own.get(key, 0)


def _state(
    key: repo.QueueKey, f: _Figures, previous: Trend, now: datetime, rules: Rules, reserve: int
) -> QueueState:
    return QueueState(
        location=key[0],
        business_id=key[1],
        process=key[2],
        now=now,
        deadline=f.deadline,
        minutes_left=f.minutes_left,
        waiting=f.waiting,
        expected_arrivals=f.arrivals,
        staff_count=len(f.staff),
        staff_below_min=sum(
            1 for level, _ in f.staff if level is None or level < rules.min_skill_level
        ),
        rate_per_hour=f.rate,
        projected_completion=f.completion,
        late_tasks=f.late,
        nominal_rate=f.nominal,
        processing_rate=f.recent.processing_rate,
        observed_minutes=f.recent.window_minutes,
        previous_rate=previous.processing_rate,
        previous_minutes=previous.window_minutes,
        qualified_reserve=reserve,
    )

"""Every queue's state for the alert rules: the shared queue figures
(``services.floor``, the same the planner, /progress and the chat use) plus what
only the rules need: the pace over the window before the last one (for queues
whose staff work below their recorded speed) and who could be moved in.

Watched queues are those with a snapshot in the last observation window (60
minutes); a queue whose feed stopped longer ago is not alerted on: its figures
would be stale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.planner import Rules
from aimee.planner.figures import QueueFigures
from aimee.planner.forecast import Observation, Trend, trend
from aimee.services.alert_rules import QueueState
from aimee.services.floor import WINDOW, FloorReading, read_floor, watched_figures
from aimee.services.policy import Policy
from aimee.store.repositories import queue_status as repo

NO_TREND = Trend(0.0, None, 0.0)


def queue_states(
    session: Session,
    now: datetime,
    policy: Policy,
) -> list[QueueState]:
    """The state of every watched queue that has a deadline, as of ``now``. The
    previous window is read for the queues whose staff work below the threshold's
    share of their recorded speed (elsewhere a drop cannot count)."""
    rules = policy.rules
    reading = read_floor(session, now, switch_minutes=rules.switch_minutes)
    figures = watched_figures(reading)
    below = policy.thresholds.window_drop_below_nominal
    previous = _previous_trends(session, reading, figures, below)
    at_risk = {key for key, f in figures.items() if round(f.late) >= 1}
    reserve = _reserve(reading, at_risk, rules.min_skill_level)
    return [
        _state(key, f, reading, previous.get(key, NO_TREND), rules, reserve(key))
        for key, f in figures.items()
    ]


def _previous_trends(
    session: Session,
    reading: FloorReading,
    figures: dict[repo.QueueKey, QueueFigures],
    below: float,
) -> dict[repo.QueueKey, Trend]:
    """The window before the last one, for the queues whose staff worked below
    ``below`` of their recorded speed (or whose pace is unknown)."""
    slower = [
        key
        for key, f in figures.items()
        if f.observed.processing_rate is not None
        and (f.observed.pace is None or f.observed.pace < below)
    ]
    if not slower:
        return {}
    now = reading.now
    rows = repo.recent_snapshots(session, since=now - 2 * WINDOW, until=now - WINDOW, only=slower)
    return {
        key: trend([Observation(m, w, e) for m, w, e, _ in r], reading.staff_stints(key))
        for key, r in rows.items()
    }


def _reserve(
    reading: FloorReading, at_risk: set[repo.QueueKey], min_level: int
) -> Callable[[repo.QueueKey], int]:
    """For a queue: the operators qualified on its process (``min_level`` or more)
    who work elsewhere, idle or on a queue without late tasks, and have not gone home."""
    available: dict[str, int] = {}
    own: dict[repo.QueueKey, int] = {}
    for (operator_id, process), (level, _) in reading.skills.items():
        if level is None or level < min_level or reading.gone_home(operator_id):
            continue
        assigned = reading.where.get(operator_id)
        if assigned is None or assigned not in at_risk:
            available[process] = available.get(process, 0) + 1
            if assigned is not None and assigned[2] == process:
                own[assigned] = own.get(assigned, 0) + 1
    return lambda key: available.get(key[2], 0) - own.get(key, 0)


def _state(
    key: repo.QueueKey,
    f: QueueFigures,
    reading: FloorReading,
    previous: Trend,
    rules: Rules,
    reserve: int,
) -> QueueState:
    levels = [reading.skill(operator_id, key[2])[0] for operator_id in reading.staff(key)]
    return QueueState(
        location=key[0],
        business_id=key[1],
        process=key[2],
        now=f.now,
        deadline=f.deadline,
        minutes_left=f.minutes_left,
        waiting=f.waiting,
        expected_arrivals=f.expected_arrivals,
        staff_count=f.staff_count,
        staff_below_min=sum(
            1 for level in levels if level is None or level < rules.min_skill_level
        ),
        rate_per_hour=f.rate,
        projected_completion=f.completion,
        late_tasks=f.late,
        nominal_rate=f.nominal_rate,
        processing_rate=f.observed.processing_rate,
        observed_staff_rate=f.observed.staff_rate,
        observed_minutes=f.observed.window_minutes,
        previous_pace=previous.pace,
        previous_minutes=previous.window_minutes,
        qualified_reserve=reserve,
    )

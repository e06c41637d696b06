"""One queue's figures from its recent snapshots and its staff: the single
definition every surface uses (the scenario builder, the alert scan, /progress,
the chat's facts and the suggestion preview).

- work = tasks waiting now + tasks expected to arrive before the deadline
  (recent arrival rate, up to 30 minutes before it);
- pace = what the staff processed over the window / what the operators who were
  on the queue at the time would have processed at their recorded speeds;
- rate = Σ over the staff now of round(recorded speed × efficiency, 2), where
  efficiency is the pace clamped and dead-banded (``forecast.efficiency``): the
  same per-operator speeds the planner's scenario holds;
- late = max(0, work − rate/60 × minutes_left): plain late tasks at the deadline
  (the planner's safety margin is a planning target, not part of this figure);
- completion = now + work / rate; margin = deadline − completion.

Shift ends (``staff_ends``): an operator counts only until their shift ends, in
the late tasks (their minutes are cut at it) and in the completion (the work
left when they go home waits for those still there; None when everyone has gone
first). Who has already gone home is not staff now (the caller leaves them out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aimee.planner.capacity import Work, completion_minutes, finish_minutes, late
from aimee.planner.forecast import (
    DEFAULT_WINDOW_MINUTES,
    Observation,
    Stint,
    Trend,
    efficiency,
    expected_arrivals,
    trend,
)


@dataclass(frozen=True, slots=True)
class QueueFigures:
    now: datetime
    deadline: datetime
    waiting: int
    """Tasks waiting in the latest snapshot."""
    expected_arrivals: int
    observed: Trend
    """Rates over the recent window (arrivals, processing, the recorded rate of who was there)."""
    staff_speeds: tuple[float, ...]
    """Recorded speeds (tasks/hour) on this process of the operators assigned now."""
    efficiency: float
    """Factor applied to the recorded speeds of the staff now."""
    rate: float
    """Expected tasks per hour of the staff now."""
    minutes_left: float
    late: float
    """Tasks expected to be left at the deadline when nobody moves."""
    completion: datetime | None
    """When the work is expected to be done; None: never (nobody works on it)."""
    stale: bool
    """No snapshot within the observation window: the figures rest on an old reading."""
    staff_ends: tuple[datetime | None, ...] = ()
    """When each of the staff now goes home (same order as ``staff_speeds``; None: after
    every deadline); empty: nobody's shift is known to end."""

    @property
    def work(self) -> int:
        return self.waiting + self.expected_arrivals

    @property
    def staff_count(self) -> int:
        return len(self.staff_speeds)

    @property
    def leaving(self) -> tuple[datetime, ...]:
        """The shift ends of the staff who go home before the deadline, earliest first."""
        return tuple(
            sorted(end for end in self.staff_ends if end is not None and end < self.deadline)
        )

    @property
    def nominal_rate(self) -> float:
        """Recorded speeds of the staff now, tasks per hour."""
        return sum(self.staff_speeds)

    @property
    def margin_minutes(self) -> float | None:
        """Minutes between the projected completion and the deadline (negative: after
        it); None when the work is never done."""
        if self.completion is None:
            return None
        return (self.deadline - self.completion).total_seconds() / 60


def scaled_speed(speed: float, factor: float) -> float:
    """An operator's expected speed on a queue whose pace is ``factor``."""
    return round(speed * factor, 2)


def queue_figures(
    history: Sequence[Observation],
    staff_speeds: Sequence[float],
    stints: Sequence[Stint],
    *,
    now: datetime,
    deadline: datetime,
    forecast: bool = True,
    window_minutes: float = DEFAULT_WINDOW_MINUTES,
    staff_ends: Sequence[datetime | None] = (),
) -> QueueFigures:
    """The figures of a queue whose snapshots (time order, latest last) are
    ``history``: the latest one gives the waiting tasks, the last
    ``window_minutes`` of them the rates. ``stints``: who was on the queue when,
    over that window. ``forecast=False``: no arrivals, recorded speeds.
    ``staff_ends``: when each of the staff (as ``staff_speeds``) goes home, if known."""
    if not history:
        raise ValueError("a queue's figures need at least its latest snapshot")
    latest = history[-1]
    observed = trend(history, stints, window_minutes=window_minutes)
    factor = efficiency(observed.pace) if forecast else 1.0
    arrivals = round(expected_arrivals(observed.arrival_rate, now, deadline)) if forecast else 0
    waiting = max(0, latest.waiting)
    speeds = [scaled_speed(speed, factor) for speed in staff_speeds]
    rate = sum(speeds)
    left = max(0.0, (deadline - now).total_seconds() / 60)
    work = waiting + arrivals
    ends = tuple(staff_ends)
    if ends and len(ends) != len(speeds):
        raise ValueError("staff_ends must give one shift end (or None) per staff speed")
    if any(end is not None for end in ends):
        until = [_minutes_until(now, end) for end in ends]
        capacity = sum(s / 60 * min(left, u) for s, u in zip(speeds, until, strict=True))
        done = finish_minutes(work, [Work(s, 0.0, u) for s, u in zip(speeds, until, strict=True)])
    else:
        ends = ()
        capacity = rate / 60 * left
        done = completion_minutes(work, rate, 0.0, 0.0)
    return QueueFigures(
        now=now,
        deadline=deadline,
        waiting=waiting,
        expected_arrivals=arrivals,
        observed=observed,
        staff_speeds=tuple(staff_speeds),
        efficiency=factor,
        rate=rate,
        minutes_left=left,
        late=late(work, capacity),
        completion=_after(now, done),
        stale=now - latest.time > timedelta(minutes=window_minutes),
        staff_ends=ends,
    )


def _minutes_until(now: datetime, end: datetime | None) -> float:
    """Minutes from ``now`` until a shift ``end`` (infinite: no end known)."""
    if end is None:
        return math.inf
    return max(0.0, (end - now).total_seconds() / 60)


def _after(now: datetime, minutes: float | None) -> datetime | None:
    """``now`` plus ``minutes``; None (never) beyond what a datetime holds (year 9999)."""
    if minutes is None:
        return None
    try:
        return now + timedelta(minutes=minutes)
    except OverflowError:
        return None

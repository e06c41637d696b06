"""Trends from a queue's recent snapshots: how fast work arrives, how fast the
staff really process it, and how much more work to expect before a deadline.

Pure functions over (time, waiting, entry_count) observations, in time order.
Between two observations: processed = Δentry_count and
arrived = Δwaiting + processed (what came in, whether or not it was done).

The staff's pace is what they processed over what the operators who were on the
queue *at the time* would have processed at their recorded speeds (``Stint``s),
so a change of staff is never mistaken for a change of pace: right after a move
the queue's forecast uses the new staff at their recorded speed times the pace
observed before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

DEFAULT_WINDOW_MINUTES = 60.0
ARRIVAL_CUTOFF_MINUTES = 30.0
"""Work that arrives in the last 30 minutes before a deadline is due at the next one."""
EFFICIENCY_BOUNDS = (0.5, 1.2)
EFFICIENCY_DEAD_BAND = 0.1
"""Deviations of less than 10% from the nominal speed are noise, not a trend."""


class Observation(NamedTuple):
    """A light tuple: the alert scan builds tens of thousands per pass."""

    time: datetime
    waiting: int
    entry_count: int


class Stint(NamedTuple):
    """An operator on a queue for a while, at their recorded speed on its process."""

    speed: float
    """Tasks per hour (recorded)."""
    start: datetime | None
    """None: since before anything observed."""
    end: datetime | None
    """None: still there."""


@dataclass(frozen=True, slots=True)
class Trend:
    arrival_rate: float
    """Tasks per hour that arrived over the window."""
    processing_rate: float | None
    """Tasks per hour processed while work was waiting; None without such an interval."""
    window_minutes: float
    staff_rate: float | None = None
    """Tasks per hour the staff present in those same intervals would process at their
    recorded speeds (time-weighted: who was there when); None without such an interval."""

    @property
    def pace(self) -> float | None:
        """Observed / recorded speed of the staff who were there; None when unknown."""
        if self.processing_rate is None or not self.staff_rate:
            return None
        return self.processing_rate / self.staff_rate


def _overlap_minutes(stint: Stint, start: datetime, end: datetime) -> float:
    lo = start if stint.start is None else max(start, stint.start)
    hi = end if stint.end is None else min(end, stint.end)
    return max(0.0, (hi - lo).total_seconds() / 60)


def _covers(stint: Stint, start: datetime, end: datetime) -> bool:
    return (stint.start is None or stint.start <= start) and (stint.end is None or stint.end >= end)


def trend(
    history: Sequence[Observation],
    stints: Sequence[Stint] = (),
    *,
    window_minutes: float = DEFAULT_WINDOW_MINUTES,
) -> Trend:
    """Arrival and processing rates over the last ``window_minutes`` of ``history``,
    and the recorded rate of the ``stints`` (the staff on the queue, with when they
    were there) over the same busy intervals.

    An interval is busy when work was waiting at both of its ends: an interval in
    which the queue ran empty only shows a lower bound of the staff's pace."""
    if len(history) < 2:
        return Trend(0.0, None, 0.0)
    start = history[-1].time - timedelta(minutes=window_minutes)
    first, last = history[0].time, history[-1].time
    # Most stints cover every interval: their rate is summed once (the scan runs this
    # for every queue); only the others are cut to each interval.
    whole = [s for s in stints if _covers(s, first, last)]
    steady_rate = sum(s.speed for s in whole) / 60
    partial = [s for s in stints if not _covers(s, first, last)]
    arrived = busy_processed = staff_tasks = 0.0
    covered = busy_minutes = 0.0
    for before, after in pairwise(history):
        if after.time <= start or after.time <= before.time:
            continue
        processed = after.entry_count - before.entry_count
        if processed < 0:  # the counter was reset (a new day): no information
            continue
        minutes = (after.time - before.time).total_seconds() / 60
        covered += minutes
        arrived += max(0, after.waiting - before.waiting + processed)
        if before.waiting > 0 and after.waiting > 0:
            busy_minutes += minutes
            busy_processed += processed
            staff_tasks += steady_rate * minutes
            if partial:
                staff_tasks += sum(
                    s.speed / 60 * _overlap_minutes(s, before.time, after.time) for s in partial
                )
    if covered == 0:
        return Trend(0.0, None, 0.0)
    if not busy_minutes:
        return Trend(arrived / covered * 60, None, covered)
    return Trend(
        arrived / covered * 60,
        busy_processed / busy_minutes * 60,
        covered,
        staff_tasks / busy_minutes * 60,
    )


def expected_arrivals(
    rate_per_hour: float,
    now: datetime,
    deadline: datetime,
    *,
    cutoff_minutes: float = ARRIVAL_CUTOFF_MINUTES,
) -> float:
    """Tasks expected to arrive from ``now`` until ``cutoff_minutes`` before the deadline."""
    minutes = (deadline - now).total_seconds() / 60 - cutoff_minutes
    return rate_per_hour * max(0.0, minutes) / 60


def efficiency(pace: float | None) -> float:
    """The factor applied to a queue's recorded speeds: the observed pace
    (``Trend.pace``) clamped to EFFICIENCY_BOUNDS; 1.0 when unknown or within the
    dead band."""
    if pace is None:
        return 1.0
    ratio = pace
    if abs(ratio - 1.0) < EFFICIENCY_DEAD_BAND:
        return 1.0
    low, high = EFFICIENCY_BOUNDS
    return round(min(high, max(low, ratio)), 3)

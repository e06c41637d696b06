"""Trends from a queue's recent snapshots: how fast work arrives, how fast the
staff really process it, and how much more work to expect before a deadline.

Pure functions over (time, waiting, entry_count) observations, in time order.
Between two observations: processed = Δentry_count and
arrived = Δwaiting + processed (what came in, whether or not it was done).
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


@dataclass(frozen=True, slots=True)
class Trend:
    arrival_rate: float
    """Tasks per hour that arrived over the window."""
    processing_rate: float | None
    """Tasks per hour processed while work was waiting; None without such an interval."""
    window_minutes: float


def trend(
    history: Sequence[Observation], *, window_minutes: float = DEFAULT_WINDOW_MINUTES
) -> Trend:
    """Arrival and processing rates over the last ``window_minutes`` of ``history``."""
    if len(history) < 2:
        return Trend(0.0, None, 0.0)
    start = history[-1].time - timedelta(minutes=window_minutes)
    arrived = busy_processed = 0.0
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
        if before.waiting > 0:
            busy_minutes += minutes
            busy_processed += processed
    if covered == 0:
        return Trend(0.0, None, 0.0)
    processing = busy_processed / busy_minutes * 60 if busy_minutes else None
    return Trend(arrived / covered * 60, processing, covered)


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


def efficiency(processing_rate: float | None, nominal_rate: float) -> float:
    """Observed / nominal speed of a queue's staff, clamped to EFFICIENCY_BOUNDS;
    1.0 when unknown or within the dead band."""
    if processing_rate is None or nominal_rate <= 0:
        return 1.0
    ratio = processing_rate / nominal_rate
    if abs(ratio - 1.0) < EFFICIENCY_DEAD_BAND:
        return 1.0
    low, high = EFFICIENCY_BOUNDS
    return round(min(high, max(low, ratio)), 3)

"""Earlier working days of the demo, to give the database a realistic size.

``aimee init --demo --scale N`` keeps the demo day exactly as it is and adds
progress snapshots of the working days before it (Saturdays and Sundays are
skipped) until ``progress_snapshots`` holds N rows. Every past day has the
shape of the demo day: the same queues, observed every 10 minutes from the time
of day of the demo day's first snapshot until just after the latest deadline,
each queue with its deadline at the same time of day as today's. Its backlog
burns down towards zero by the deadline with noise: the morning's volume is
today's with some variation, claims keep arriving (mostly in the morning),
``entry_count`` counts what has been processed since the day started, and
``correction_waiting`` is the process's share of the waiting tasks.

Rows are generated lazily, a batch at a time, oldest first, so that a million
of them never sit in memory together. The oldest day may be partial (only its
latest snapshots) so that the total is exact. Each day draws from its own
random generator seeded with (seed, date): the same (seed, now) always gives
the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from aimee.demo.day import CORRECTION_SHARE, SNAPSHOT_INTERVAL_MIN

QueueKey = tuple[str, str, str]
Row = dict[str, Any]

HISTORY_BATCH_ROWS = 5000
"""Rows per yielded batch: one ``executemany`` each."""
STEP = timedelta(minutes=SNAPSHOT_INTERVAL_MIN)
SATURDAY = 5
MORNING_SHARE = 0.6
"""Claims arrive at the morning rate over this share of the time to the deadline."""


@dataclass(frozen=True)
class _QueueShape:
    """What a past day takes from the demo day for one queue."""

    key: QueueKey
    deadline: timedelta
    """From the start of the working day."""
    opening_waiting: int
    """Tasks waiting at the demo day's first snapshot."""


@dataclass(frozen=True)
class DayShape:
    """The demo day's timetable, which every earlier working day repeats."""

    start: datetime
    """The demo day's first snapshot."""
    last_day: date
    """The demo day's date (that of its last snapshot)."""
    steps: int
    """Snapshots per queue per day."""
    queues: tuple[_QueueShape, ...]
    first_id: int
    """The first ``snapshot_id`` after the demo day's."""

    @property
    def rows_per_day(self) -> int:
        return self.steps * len(self.queues)


def day_shape(snapshots: Sequence[Mapping[str, Any]]) -> DayShape:
    """The timetable of the demo day's ``progress_snapshots`` rows."""
    if not snapshots:
        raise ValueError("the demo day has no progress snapshots to repeat")
    start = min(row["snapshot_time"] for row in snapshots)
    end = max(row["snapshot_time"] for row in snapshots)
    first: dict[QueueKey, Mapping[str, Any]] = {}
    for row in sorted(snapshots, key=lambda r: r["snapshot_time"]):
        first.setdefault((row["location_name"], row["business_id"], row["process_name"]), row)
    queues = tuple(
        _QueueShape(
            key=key,
            deadline=row["expected_completion_time"] - start,
            opening_waiting=row["total_waiting"],
        )
        for key, row in first.items()
    )
    latest_deadline = max(queue.deadline for queue in queues)
    steps = latest_deadline // STEP + 2  # one snapshot after the latest deadline
    if start + (steps - 1) * STEP >= start + timedelta(days=1):
        raise ValueError("a demo day longer than 24 hours cannot be repeated daily")
    return DayShape(
        start=start,
        last_day=end.date(),
        steps=steps,
        queues=queues,
        first_id=max(row["snapshot_id"] for row in snapshots) + 1,
    )


def working_days_before(day: date) -> Iterator[date]:
    """Monday to Friday, going backwards from the day before ``day``."""
    while True:
        day -= timedelta(days=1)
        if day.weekday() < SATURDAY:
            yield day


def generate_history(
    snapshots: Sequence[Mapping[str, Any]],
    *,
    seed: int,
    rows: int,
    batch_rows: int = HISTORY_BATCH_ROWS,
) -> Iterator[list[Row]]:
    """``rows`` progress snapshots of the working days before the demo day whose
    ``snapshots`` are given, in batches of ``batch_rows``, oldest first, with
    ``snapshot_id`` continuing after the demo day's."""
    if rows < 0:
        raise ValueError("rows must not be negative")
    if rows == 0:
        return
    shape = day_shape(snapshots)
    days_needed = -(-rows // shape.rows_per_day)
    days = list(islice(working_days_before(shape.last_day), days_needed))
    skip = days_needed * shape.rows_per_day - rows  # the oldest day keeps its latest rows
    next_id = shape.first_id
    batch: list[Row] = []
    for day in reversed(days):
        for row in _day_rows(shape, day, seed):
            if skip:
                skip -= 1
                continue
            row["snapshot_id"] = next_id
            next_id += 1
            batch.append(row)
            if len(batch) == batch_rows:
                yield batch
                batch = []
    if batch:
        yield batch


def _day_rows(shape: DayShape, day: date, seed: int) -> Iterator[Row]:
    """One working day's snapshots in time order (queues in the demo's order)."""
    rng = random.Random(f"aimee-history:{seed}:{day.isoformat()}")
    start = shape.start - timedelta(days=(shape.last_day - day).days)
    volume = rng.uniform(0.8, 1.2)  # a busier or quieter day for every queue
    curves = [_burn_down(rng, queue, shape.steps, volume) for queue in shape.queues]
    for step in range(shape.steps):
        moment = start + step * STEP
        for queue, curve in zip(shape.queues, curves, strict=True):
            waiting, entry_count = curve[step]
            yield {
                "snapshot_time": moment,
                "location_name": queue.key[0],
                "business_id": queue.key[1],
                "process_name": queue.key[2],
                "expected_completion_time": start + queue.deadline,
                "total_waiting": waiting,
                "entry_count": entry_count,
                "correction_waiting": round(waiting * CORRECTION_SHARE[queue.key[2]]),
            }


def _burn_down(
    rng: random.Random, queue: _QueueShape, steps: int, volume: float
) -> list[tuple[int, int]]:
    """(tasks waiting, tasks processed so far) at each snapshot of one queue's day.

    Interval k (from snapshot k-1 to snapshot k) brings arrivals, at the morning
    rate early and at a third of it later, and the staff process what is left
    spread over the intervals up to the deadline, with noise: the backlog reaches
    zero around the deadline, on some days a little after it."""
    waiting = round(queue.opening_waiting * volume * rng.uniform(0.9, 1.1))
    last_step = max(1, queue.deadline // STEP)  # the last snapshot at or before the deadline
    morning_rate = waiting * rng.uniform(0.2, 0.5) / last_step
    processed_total = 0
    curve = [(waiting, 0)]
    for step in range(1, steps):
        arrivals = 0
        if step <= last_step:
            rate = morning_rate if step <= MORNING_SHARE * last_step else morning_rate / 3
            arrivals = round(rate * rng.uniform(0.6, 1.4))
        if step <= last_step:  # spread what is left over the intervals to the deadline
            share = rng.uniform(0.85, 1.1) / (last_step - step + 1)
            processed = min(waiting + arrivals, round((waiting + arrivals) * share))
        else:  # past the deadline: finish what is left
            processed = waiting + arrivals
        waiting += arrivals - processed
        processed_total += processed
        curve.append((waiting, processed_total))
    return curve

"""Earlier working days generated behind the demo day (``aimee init --demo --scale``)."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest

from aimee.demo import generate_demo_day, generate_history
from aimee.demo.day import CORRECTION_SHARE, queue_keys
from aimee.demo.history import day_shape, working_days_before
from tests.conftest import DEMO_NOW, DEMO_SEED

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def today() -> Rows:
    return generate_demo_day(seed=DEMO_SEED, now=DEMO_NOW).tables["progress_snapshots"]


@pytest.fixture(scope="module")
def per_day(today: Rows) -> int:
    return day_shape(today).rows_per_day


def history(today: Rows, rows: int, *, seed: int = DEMO_SEED, batch_rows: int = 5000) -> Rows:
    return [
        row
        for batch in generate_history(today, seed=seed, rows=rows, batch_rows=batch_rows)
        for row in batch
    ]


def test_the_day_repeats_the_demo_days_queues_every_ten_minutes(today: Rows) -> None:
    shape = day_shape(today)
    assert [queue.key for queue in shape.queues] == queue_keys()
    assert shape.start == DEMO_NOW - timedelta(minutes=400)
    latest_deadline = max(row["expected_completion_time"] for row in today)
    # from 09:00 to the first snapshot after the latest deadline (20:40)
    assert shape.start + (shape.steps - 1) * timedelta(minutes=10) == latest_deadline + timedelta(
        minutes=10
    )


@pytest.mark.parametrize("extra", [0, 1, 10, 2304, 2305, 5000])
def test_the_total_is_exact(today: Rows, extra: int) -> None:
    rows = history(today, extra, batch_rows=1000)
    assert len(rows) == extra
    assert [row["snapshot_id"] for row in rows] == list(
        range(len(today) + 1, len(today) + 1 + extra)
    )


def test_batches_are_bounded_and_lazy(today: Rows, per_day: int) -> None:
    batches = generate_history(today, seed=DEMO_SEED, rows=10 * per_day, batch_rows=700)
    first = next(batches)  # nothing more is generated until asked for
    assert len(first) == 700
    assert all(len(batch) <= 700 for batch in batches)


def test_only_working_days_before_today(today: Rows, per_day: int) -> None:
    rows = history(today, 7 * per_day)
    days = sorted({row["snapshot_time"].date() for row in rows})
    # Thursday the 23rd is today; the 18th and 19th are a weekend
    assert days == [date(2025, 10, d) for d in (14, 15, 16, 17, 20, 21, 22)]
    assert all(day.weekday() < 5 for day in days)
    first_today = min(row["snapshot_time"] for row in today)
    assert max(row["snapshot_time"] for row in rows) < first_today
    times = [row["snapshot_time"] for row in rows]
    assert times == sorted(times)


def test_working_days_skip_weekends() -> None:
    monday = date(2025, 10, 20)
    days = working_days_before(monday)
    assert [next(days) for _ in range(3)] == [
        date(2025, 10, 17),
        date(2025, 10, 16),
        date(2025, 10, 15),
    ]


def test_the_oldest_day_keeps_its_latest_snapshots(today: Rows, per_day: int) -> None:
    rows = history(today, per_day + 40)
    oldest = [row for row in rows if row["snapshot_time"].date() == date(2025, 10, 21)]
    assert len(oldest) == 40
    end_of_day = max(row["snapshot_time"] for row in oldest)
    assert {row["snapshot_time"] for row in oldest} == {
        end_of_day - timedelta(minutes=10),
        end_of_day,
    }  # 32 queues at the last snapshot, 8 at the one before


def test_is_deterministic_and_leaves_today_alone(today: Rows, per_day: int) -> None:
    before = copy.deepcopy(today)
    first = history(today, 2 * per_day + 5)
    assert history(today, 2 * per_day + 5) == first
    assert history(today, 2 * per_day + 5, seed=DEMO_SEED + 1) != first
    assert today == before
    assert generate_demo_day(seed=DEMO_SEED, now=DEMO_NOW).tables["progress_snapshots"] == today


def test_a_plausible_burn_down(today: Rows, per_day: int) -> None:
    rows = history(today, 5 * per_day)
    deadlines = {
        (r["location_name"], r["business_id"], r["process_name"]): r["expected_completion_time"]
        for r in today
    }
    days: dict[tuple[date, str, str, str], Rows] = defaultdict(list)
    for row in rows:
        key = (row["location_name"], row["business_id"], row["process_name"])
        days[(row["snapshot_time"].date(), *key)].append(row)
        assert row["total_waiting"] >= 0
        assert row["correction_waiting"] == round(row["total_waiting"] * CORRECTION_SHARE[key[2]])
        deadline = row["expected_completion_time"]
        assert deadline.date() == row["snapshot_time"].date()
        assert deadline.time() == deadlines[key].time()  # same time of day as today's
    assert len(days) == 5 * len(deadlines)
    for series in days.values():
        counts = [row["entry_count"] for row in series]
        assert counts[0] == 0
        assert counts == sorted(counts)  # tasks processed so far only grow
        assert series[0]["total_waiting"] > 0
        at_deadline = [r for r in series if r["snapshot_time"] <= r["expected_completion_time"]]
        assert at_deadline[-1]["total_waiting"] <= 0.2 * series[0]["total_waiting"]
        assert series[-1]["total_waiting"] == 0  # done by the end of the day


def test_negative_rows_are_refused(today: Rows) -> None:
    with pytest.raises(ValueError, match="negative"):
        history(today, -1)

"""The demo day's shifts: some operators leave at 17:00 or 18:00, deterministically with
the seed, and the tasks waiting at 15:40 are set against what the staff can do before
each deadline while they are on shift."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from aimee.demo import generate_demo_day
from aimee.demo.day import SEED_OPERATORS, SEED_QUEUE, SURGE_QUEUE
from tests.conftest import DEMO_NOW

Rows = list[dict[str, Any]]
AT_17, AT_18, AT_21 = (datetime(2025, 10, 23, h) for h in (17, 18, 21))


@pytest.fixture(scope="module")
def day() -> Any:
    return generate_demo_day(seed=7, now=DEMO_NOW)


def _ends(day: Any) -> dict[int, datetime]:
    return {row["operator_id"]: row["ends_at"] for row in day.tables["operator_shifts"]}


def test_a_quarter_leaves_at_17_and_a_quarter_at_18(day: Any) -> None:
    operators = day.tables["operators"]
    shifts = day.tables["operator_shifts"]
    assert [row["operator_id"] for row in shifts] == [op["operator_id"] for op in operators]
    quarter = len(operators) // 4
    assert Counter(_ends(day).values()) == {
        AT_17: quarter,
        AT_18: quarter,
        AT_21: len(operators) - 2 * quarter,
    }
    for row in shifts:  # eight-hour shifts on the demo's date
        assert row["shift_date"] == DEMO_NOW.date()
        assert (row["ends_at"] - row["starts_at"]).total_seconds() == 8 * 3600
    last_deadline = max(row["expected_completion_time"] for row in day.tables["progress_snapshots"])
    assert last_deadline < AT_21  # the late shift outlasts every deadline


def test_the_seeds_operators_stay_and_the_draw_follows_the_seed(day: Any) -> None:
    ends = _ends(day)
    assert all(ends[op.operator_id] == AT_21 for op in SEED_OPERATORS)
    assert _ends(generate_demo_day(seed=7, now=DEMO_NOW)) == ends
    other = generate_demo_day(seed=8, now=DEMO_NOW)
    assert _ends(other) != ends
    assert Counter(_ends(other).values()) == Counter(ends.values())


def test_the_shifts_follow_now(day: Any) -> None:
    """Another ``now`` moves the shift ends with it (top of the hour two and three hours on)."""
    later = generate_demo_day(seed=7, now=datetime(2025, 10, 23, 9, 20))
    assert set(_ends(later).values()) == {
        datetime(2025, 10, 23, 11),
        datetime(2025, 10, 23, 12),
        datetime(2025, 10, 23, 15),
    }


def test_the_waiting_tasks_are_set_against_the_staff_on_shift(day: Any) -> None:
    """Outside the seed's and the surge's queues the tasks waiting now are 50-90% of what
    the staff finish before the deadline, each counted until their shift ends."""
    ends = _ends(day)
    speeds = {
        (row["operator_id"], row["process_name"]): float(row["average_speed"])
        for row in day.tables["operator_process_capabilities"]
    }
    staff: dict[tuple[str, str, str], list[int]] = {}
    for row in day.tables["operator_assignments"]:
        key = (row["location_name"], row["business_id"], row["process_name"])
        staff.setdefault(key, []).append(row["operator_id"])
    now_rows = [r for r in day.tables["progress_snapshots"] if r["snapshot_time"] == DEMO_NOW]
    checked = 0
    for row in now_rows:
        key = (row["location_name"], row["business_id"], row["process_name"])
        if key in (SEED_QUEUE, SURGE_QUEUE) or key[0] == "那覇":
            continue
        deadline = row["expected_completion_time"]
        capacity = sum(
            speeds.get((op, key[2]), 0.0)
            / 60
            * (min(deadline, ends[op]) - DEMO_NOW).total_seconds()
            / 60
            for op in staff.get(key, [])
        )
        assert 0.5 * capacity - 1 <= row["total_waiting"] <= 0.9 * capacity + 1, key
        checked += 1
    assert checked >= 20

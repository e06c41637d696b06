"""Invariants of the generated demo day."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest

from aimee.demo import generate_demo_day
from aimee.demo.day import SEED_QUEUE, SITES, SLOW_SITE, SURGE_QUEUE, SURGE_TASKS
from aimee.demo.knowhow import DEMO_KNOWHOW
from tests.conftest import DEMO_NOW

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def day() -> Any:
    return generate_demo_day(seed=7, now=DEMO_NOW)


def _history(snapshots: Rows) -> dict[tuple[str, str, str], Rows]:
    history: dict[tuple[str, str, str], Rows] = defaultdict(list)
    for row in snapshots:
        history[(row["location_name"], row["business_id"], row["process_name"])].append(row)
    return history


def test_sizes(day: Any) -> None:
    operators = day.tables["operators"]
    assert len(operators) >= 120
    assert {o["location_name"] for o in operators} == set(SITES)
    processes = {c["process_name"] for c in day.tables["operator_process_capabilities"]}
    assert processes == {"エントリ1", "エントリ2", "補正", "検証"}
    assert {b["business_id"] for b in day.tables["businesses"]} == {"523201", "523202"}
    assert day.count("progress_snapshots") >= 100
    assert day.count("knowledge_documents") >= 20


def test_is_deterministic(day: Any) -> None:
    again = generate_demo_day(seed=7, now=DEMO_NOW)
    assert again.tables == day.tables
    other = generate_demo_day(seed=8, now=DEMO_NOW)
    assert other.tables["operators"] != day.tables["operators"]


def test_the_seeds_example_holds_at_now(day: Any) -> None:
    latest = _history(day.tables["progress_snapshots"])[SEED_QUEUE][-1]
    assert latest["snapshot_time"] == DEMO_NOW
    assert latest["total_waiting"] == 120
    assert latest["expected_completion_time"] - DEMO_NOW == timedelta(minutes=20)
    staff = {
        a["operator_id"]
        for a in day.tables["operator_assignments"]
        if (a["location_name"], a["business_id"], a["process_name"]) == SEED_QUEUE
    }
    speed = sum(
        c["average_speed"]
        for c in day.tables["operator_process_capabilities"]
        if c["operator_id"] in staff and c["process_name"] == "エントリ1"
    )
    assert speed / 60 == pytest.approx(5.0)  # tasks per minute
    sites = {o["operator_id"]: o["location_name"] for o in day.tables["operators"]}
    skilled_sites = {
        sites[c["operator_id"]]
        for c in day.tables["operator_process_capabilities"]
        if c["process_name"] == "エントリ1" and c["skill_level"] >= 3
    }
    assert {"盛岡", "品川"} <= skilled_sites
    names = {o["operator_name"] for o in day.tables["operators"]}
    assert {"高山麻由子", "竹下朱美", "上野由香利"} <= names


def test_waiting_never_negative_and_entries_grow(day: Any) -> None:
    for rows in _history(day.tables["progress_snapshots"]).values():
        assert all(r["total_waiting"] >= 0 for r in rows)
        counts = [r["entry_count"] for r in rows]
        assert counts == sorted(counts)
        assert all(0 <= r["correction_waiting"] <= r["total_waiting"] for r in rows)


def test_snapshots_are_regular_from_the_start_of_day(day: Any) -> None:
    for rows in _history(day.tables["progress_snapshots"]).values():
        times = [r["snapshot_time"] for r in rows]
        steps = {b - a for a, b in itertools.pairwise(times)}
        assert steps == {timedelta(minutes=10)}
        assert times[-1] == DEMO_NOW
        assert len({r["expected_completion_time"] for r in rows}) == 1


def test_entries_follow_the_assigned_staffs_speed(day: Any) -> None:
    history = _history(day.tables["progress_snapshots"])[SEED_QUEUE]
    per_interval = [b["entry_count"] - a["entry_count"] for a, b in itertools.pairwise(history)]
    assert statistics.mean(per_interval) == pytest.approx(300 / 6, rel=0.05)


def test_a_slow_site_and_a_surge(day: Any) -> None:
    history = _history(day.tables["progress_snapshots"])
    slow_recent, slow_morning = [], []
    for key, rows in history.items():
        if key[0] == SLOW_SITE and rows[-1]["entry_count"]:
            slow_recent.append(rows[-1]["entry_count"] - rows[-7]["entry_count"])
            slow_morning.append(rows[7]["entry_count"] - rows[1]["entry_count"])
    assert sum(slow_recent) < 0.8 * sum(slow_morning)
    surge = history[SURGE_QUEUE]
    jumps = [b["total_waiting"] - a["total_waiting"] for a, b in itertools.pairwise(surge)]
    assert max(jumps) > SURGE_TASKS * 0.8


def test_deadlines_spread_through_the_rest_of_the_day(day: Any) -> None:
    deadlines = {r["expected_completion_time"] for r in day.tables["progress_snapshots"]}
    assert len(deadlines) >= 8
    assert min(deadlines) == DEMO_NOW + timedelta(minutes=20)
    assert max(deadlines) - DEMO_NOW >= timedelta(hours=4)


def test_skills_are_plausible(day: Any) -> None:
    caps = day.tables["operator_process_capabilities"]
    assert all(1 <= c["skill_level"] <= 5 and c["average_speed"] > 0 for c in caps)
    by_level: dict[tuple[str, int], list[float]] = defaultdict(list)
    for c in caps:
        by_level[(c["process_name"], c["skill_level"])].append(c["average_speed"])
    for process in ("エントリ1", "エントリ2", "補正", "検証"):
        means = [statistics.mean(by_level[(process, lvl)]) for lvl in range(2, 6)]
        assert means == sorted(means), process
    skills = {(c["operator_id"], c["process_name"]) for c in caps}
    for a in day.tables["operator_assignments"]:
        assert (a["operator_id"], a["process_name"]) in skills


def test_operators_have_unique_japanese_names(day: Any) -> None:
    names = [o["operator_name"] for o in day.tables["operators"]]
    assert len(set(names)) == len(names)
    assert all(all(ord(ch) > 0x3000 for ch in name) for name in names)


def test_knowhow_has_the_seeds_three(day: Any) -> None:
    titles = {k["title"] for k in DEMO_KNOWHOW}
    assert {"納期20分前は3名移動", "エントリ工程は経験重視", "遅延時は近隣拠点から"} <= titles
    for entry in day.tables["knowledge_documents"]:
        assert entry["title"] and entry["content"] and entry["category"] and entry["source"]

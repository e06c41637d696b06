"""The day simulator on small hand-made days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from aimee.planner import Scenario
from aimee.planner.simulator import POLICIES, SimConfig, simulate

NOW = datetime(2025, 10, 23, 15, 0)
A = ("札幌", "523201", "エントリ1")
B = ("盛岡", "523201", "エントリ1")
EXACT = SimConfig(speed_sd=0.0)


def queue(key: tuple[str, str, str], waiting: int, minutes: int) -> dict[str, Any]:
    return {
        "location": key[0],
        "business_id": key[1],
        "process": key[2],
        "waiting": waiting,
        "deadline": (NOW + timedelta(minutes=minutes)).isoformat(),
    }


def operator(op_id: int, key: tuple[str, str, str], speed: float) -> dict[str, Any]:
    return {
        "id": op_id,
        "name": f"op{op_id}",
        "location": key[0],
        "assigned": {"location": key[0], "business_id": key[1], "process": key[2]},
        "skills": {"エントリ1": {"level": 4, "speed": speed}},
    }


def day() -> Scenario:
    # A: 120 due in 20 min, one operator at 300/h -> 100 done, 20 late without help.
    # B: 10 due in 60 min, two operators: one can leave and B still finishes.
    return Scenario.model_validate(
        {
            "now": NOW.isoformat(),
            "queues": [queue(A, 120, 20), queue(B, 10, 60)],
            "operators": [operator(1, A, 300.0), operator(2, B, 90.0), operator(3, B, 60.0)],
        }
    )


def test_no_moves_no_arrivals_is_exact() -> None:
    result = simulate(day(), {}, POLICIES["none"](), policy_name="none", seed=1, config=EXACT)
    late = {(r.location, r.process): r.late_tasks for r in result.queues}
    assert late == {("札幌", "エントリ1"): 20, ("盛岡", "エントリ1"): 0}
    assert (result.deadlines_missed, result.late_tasks, result.moves) == (1, 20, 0)


def test_the_optimal_policy_saves_the_queue() -> None:
    result = simulate(day(), {}, POLICIES["optimal"](), policy_name="optimal", seed=1, config=EXACT)
    # Operator 2 (90/h) joins A after 5 minutes: 15 min x 1.5/min = 22.5 >= 20.
    assert (result.deadlines_missed, result.late_tasks, result.moves) == (0, 0, 1)


def test_arrivals_are_seeded_and_shared_by_policies() -> None:
    rates = {A: 120.0, B: 120.0}
    first = simulate(day(), rates, POLICIES["none"](), policy_name="none", seed=5)
    again = simulate(day(), rates, POLICIES["none"](), policy_name="none", seed=5)
    other = simulate(day(), rates, POLICIES["none"](), policy_name="none", seed=6)
    assert first == again
    assert first.late_tasks != other.late_tasks


def test_arrivals_stop_thirty_minutes_before_the_deadline() -> None:
    scenario = Scenario.model_validate(
        {"now": NOW.isoformat(), "queues": [queue(A, 0, 40)], "operators": []}
    )
    result = simulate(scenario, {A: 600.0}, POLICIES["none"](), policy_name="none", seed=3)
    # 10 minutes of arrivals at 10 per minute on average; nobody works.
    assert 60 <= result.late_tasks <= 140


def test_a_moved_operator_stays_put_for_a_while() -> None:
    seen: list[set[int]] = []

    def record(scenario: Scenario) -> dict[int, tuple[str, str, str]]:
        seen.append({op.id for op in scenario.operators if op.locked})
        return {2: A} if len(seen) == 1 else {}

    simulate(day(), {}, record, policy_name="recorder", seed=1, config=EXACT)
    assert seen[0] == set()
    assert seen[1] == {2}  # 10 minutes later, still within the 30 minutes' stay


@pytest.mark.parametrize("name", ["optimal", "greedy", "none"])
def test_every_policy_runs(name: str) -> None:
    result = simulate(day(), {A: 60.0}, POLICIES[name](), policy_name=name, seed=2)
    assert result.policy == name
    assert result.late_tasks >= 0

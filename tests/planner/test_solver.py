"""The optimizer on hand-made cases whose answers are known."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from aimee.planner import (
    Move,
    QueueKey,
    Scenario,
    capacity,
    greedy_plan,
    optimize,
    plan,
    plan_from_moves,
    plan_with_margin,
    search,
)
from aimee.planner.search import SearchResult
from aimee.planner.solver import drop_useless_moves

from .factories import (
    MORIOKA,
    NOW,
    SAPPORO,
    SHINAGAWA,
    entry1,
    key,
    operator,
    queue,
    scenario,
    seed_example,
    skill,
)

CONTRACT_SCENARIO: dict[str, Any] = {
    "now": "2025-10-23T15:40:00",
    "queues": [
        {
            "location": "札幌",
            "business_id": "523201",
            "process": "エントリ1",
            "waiting": 120,
            "deadline": "2025-10-23T16:00:00",
            "priority": 1.0,
        }
    ],
    "operators": [
        {
            "id": 17,
            "name": "高山麻由子",
            "location": "盛岡",
            "locked": False,
            "assigned": {"location": "盛岡", "business_id": "523201", "process": "エントリ1"},
            "skills": {"エントリ1": {"level": 4, "speed": 90.0, "experience_months": 36}},
        }
    ],
    "rules": {"min_skill_level": 3, "max_moves": 10, "switch_minutes": 5},
}


def test_designs_scenario_as_written() -> None:
    # Nobody works on 札幌 and 盛岡's queue is not in the scenario: capacity 0 before,
    # 90/60 x (20 - 5) = 22.5 after moving 高山麻由子, so 120 -> 97.5 late tasks.
    result = plan(CONTRACT_SCENARIO)
    assert [m.operator_id for m in result.moves] == [17]
    assert result.objective.before == 120.0
    assert result.objective.after == pytest.approx(97.5)
    outcome = result.queues[0]
    assert outcome.capacity_before == 0.0
    assert outcome.capacity_after == pytest.approx(22.5)
    assert outcome.projected_completion_before is None
    # 120 tasks at 1.5/min after the 5-minute switch: 85 minutes -> 17:05.
    assert outcome.projected_completion_after == datetime(2025, 10, 23, 17, 5)
    assert result.optimal
    assert result.objective_bound == result.objective.after


def test_designs_plan_example_numbers_with_the_staff_they_imply() -> None:
    # docs/planner.md's plan example (before 40, after 0, capacity 80 -> 125) needs 札幌 staff at
    # 240/h (80 tasks in 20 min) and two 90/h movers (2 x 22.5 = 45): one is not enough.
    data = {
        **CONTRACT_SCENARIO,
        "operators": [
            *CONTRACT_SCENARIO["operators"],
            entry1(23, MORIOKA, 3, 90.0, months=24, name="竹下朱美"),
            entry1(31, SHINAGAWA, 4, 90.0, months=48, name="上野由香利"),
            *(entry1(i, SAPPORO, 3, 80.0) for i in (1, 2, 3)),
        ],
    }
    result = plan(data)
    assert (result.objective.before, result.objective.after) == (40.0, 0.0)
    outcome = result.queues[0]
    assert outcome.capacity_before == pytest.approx(80.0)
    assert outcome.capacity_after == pytest.approx(125.0)
    assert outcome.late_before == pytest.approx(40.0)
    assert outcome.late_after == 0.0
    assert len(result.moves) == 2
    assert result.optimal


def test_seed_example_needs_one_operator_not_three() -> None:
    result = plan(seed_example())
    assert len(result.moves) == 1
    assert result.moves[0].to.id == SAPPORO
    assert result.objective.before == pytest.approx(20.0)
    assert result.objective.after == 0.0
    assert result.optimal


def test_refilling_an_on_time_queue_can_be_optimal() -> None:
    # A (エントリ1) is on time thanks to F; B (補正) is late and only F can do it; S, idle and
    # slower, can only do エントリ1. Optimal: F -> B and S -> A, although A is not late before.
    hosei = ("盛岡", "523201", "補正")
    sc = scenario(
        [queue(SAPPORO, 30, 60), queue(hosei, 50, 60)],
        [
            operator(1, SAPPORO, {"エントリ1": skill(4, 60.0), "補正": skill(4, 60.0)}),
            entry1(2, None, 3, 40.0),
        ],
    )
    result = plan(sc)
    assert {m.operator_id: m.to.id for m in result.moves} == {1: hosei, 2: SAPPORO}
    assert result.objective.after == 0.0
    assert result.optimal


def test_locked_operator_stays_and_is_reported() -> None:
    sc = scenario(
        [queue(SAPPORO, 30, 30), queue(MORIOKA, 0, 30)],
        [entry1(1, MORIOKA, 4, 120.0, locked=True, name="固定さん")],
    )
    result = plan(sc)
    assert result.moves == []
    assert result.objective.after == 30.0
    assert any("固定さん" in note for note in result.rules_applied)


def test_max_moves_zero_means_no_move() -> None:
    sc = scenario([queue(SAPPORO, 30, 30)], [entry1(1, None, 4, 120.0)], max_moves=0)
    result = plan(sc)
    assert result.moves == []
    assert result.optimal


def test_priority_decides_who_gets_help() -> None:
    sc = scenario(
        [queue(SAPPORO, 30, 30, priority=1.0), queue(MORIOKA, 30, 30, priority=2.0)],
        [entry1(1, None, 4, 120.0)],
        max_moves=1,
    )
    result = plan(sc)
    assert [m.to.id for m in result.moves] == [MORIOKA]


def test_fewest_moves_among_equal_objectives() -> None:
    # Any one of five idle operators saves the queue: exactly one move, not more.
    sc = scenario([queue(SAPPORO, 10, 30)], [entry1(i, None, 4, 60.0) for i in range(1, 6)])
    result = plan(sc)
    assert len(result.moves) == 1
    assert result.objective.after == 0.0


def test_plan_accepts_a_dict_and_validates_it() -> None:
    bad = {**CONTRACT_SCENARIO, "queues": [{**CONTRACT_SCENARIO["queues"][0], "waiting": -1}]}
    with pytest.raises(ValueError, match="waiting"):
        plan(bad)


def test_never_worse_than_the_baseline_when_the_search_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Simulate a time-out with nothing found: the plan falls back to the better of the
    # greedy baseline and doing nothing, and says it is not proven optimal.
    def gave_up(*_: Any, **__: Any) -> SearchResult:
        return SearchResult(np.zeros(0, dtype=np.int64), 0.0, False, "time_limit", None)

    monkeypatch.setattr(search, "lexicographic", gave_up)
    sc = seed_example()
    result = plan(sc)
    assert not result.optimal
    assert result.method == "greedy"
    assert result.objective.after <= greedy_plan(sc).objective.after
    assert result.objective.after == 0.0


def test_solver_objective_matches_the_recomputation() -> None:
    sc = seed_example()
    result = optimize(sc)
    assert result.model_objective == pytest.approx(capacity.objective(sc, result.moves), abs=1e-6)


def test_a_tiny_time_limit_still_gives_a_valid_plan() -> None:
    sc = scenario(
        [queue(SAPPORO, 200, 40), queue(MORIOKA, 150, 50), queue(SHINAGAWA, 10, 90)],
        [
            entry1(i, [SAPPORO, MORIOKA, SHINAGAWA, None][i % 4], 3 + i % 3, 40.0 + 7 * i)
            for i in range(40)
        ],
    )
    result = plan(sc, time_limit_s=0.0)
    assert result.objective.after <= result.objective.before
    assert result.objective.after <= greedy_plan(sc).objective.after + 1e-6


def test_idle_operator_assignment_is_a_move_from_nowhere() -> None:
    sc = scenario([queue(SAPPORO, 10, 30)], [entry1(1, None, 4, 60.0)])
    result = plan(sc)
    assert result.moves[0].from_ is None
    assert result.model_dump(mode="json", by_alias=True)["moves"][0]["from"] is None
    assert result.moves[0].to.model_dump() == key(SAPPORO)


def test_scenario_is_not_mutated() -> None:
    sc: Scenario = seed_example()
    before = sc.model_dump()
    plan(sc)
    assert sc.model_dump() == before
    assert sc.now == NOW


def test_fewest_moves_even_when_the_warm_start_has_a_useless_move() -> None:
    # The greedy warm start moves A (Lv5, 120/h: +30) and B (Lv4, 30/h: +7.5) for 20 late
    # tasks; A alone is enough, so the lexicographic optimum has one move.
    sc = scenario(
        [queue(SAPPORO, 20, 20)],
        [
            entry1(1, None, 5, 120.0),
            entry1(2, None, 4, 30.0),
            entry1(3, None, 3, 30.0),
        ],
    )
    assert len(greedy_plan(sc).moves) == 2
    result = plan(sc)
    assert [m.operator_id for m in result.moves] == [1]
    assert result.objective.after == 0.0


def test_drop_useless_moves_keeps_only_moves_that_matter() -> None:
    # Both idle operators are moved, but 120/h x 15 min = 30 >= 20 waiting: one is useless.
    sc = scenario([queue(SAPPORO, 20, 20)], [entry1(1, None, 4, 120.0), entry1(2, None, 4, 60.0)])
    kept = drop_useless_moves(sc, {1: SAPPORO, 2: SAPPORO})
    # Operator 2 alone brings 60/h x 15 min = 15 < 20, so it is operator 2 who goes home.
    assert kept == {1: SAPPORO}
    assert capacity.objective(sc, kept) == capacity.objective(sc, {1: SAPPORO, 2: SAPPORO}) == 0


def test_plan_from_moves_evaluates_a_manual_plan_and_rejects_invalid_ones() -> None:
    sc = seed_example()
    to_sapporo = QueueKey(location=SAPPORO[0], business_id=SAPPORO[1], process=SAPPORO[2])
    manual = plan_from_moves(sc, [Move(17, to_sapporo), Move(23, to_sapporo)])
    assert manual.method == "manual"
    assert [m.operator_id for m in manual.moves] == [17, 23]
    assert manual.queues[0].capacity_after == pytest.approx(100 + 2 * 22.5)
    with pytest.raises(ValueError, match="上限1名"):
        plan_from_moves(
            sc.model_copy(update={"rules": sc.rules.model_copy(update={"max_moves": 1})}),
            [Move(17, to_sapporo), Move(23, to_sapporo)],
        )


def _with_margin(queues: list[dict[str, Any]], operators: list[dict[str, Any]]) -> Scenario:
    return Scenario.model_validate(
        {
            "now": NOW.isoformat(),
            "queues": queues,
            "operators": operators,
            "rules": {"margin_minutes": 10},
        }
    )


def test_a_plan_aims_at_the_margin_and_states_the_deadline() -> None:
    # 100 tasks, 30 minutes: one helper (50 tasks after switching) saves the deadline,
    # two finish 10 minutes before it.
    sc = _with_margin(
        [queue(SAPPORO, 100, 30)],
        [entry1(1, SAPPORO, 4, 120), entry1(2, None, 4, 120), entry1(3, None, 4, 120)],
    )
    result = plan_with_margin(sc)
    assert sorted(m.operator_id for m in result.moves) == [2, 3]
    (outcome,) = result.queues
    assert (outcome.late_before, outcome.late_after) == (40.0, 0.0)  # at the deadline
    assert "納期の10分前までに終えることを目標に計画しています" in result.rules_applied
    plain = plan(sc.model_copy(update={"rules": sc.rules.model_copy(update={"margin_minutes": 0})}))
    assert [m.operator_id for m in plain.moves] == [2]


def test_a_queue_saved_only_after_the_margin_is_still_saved() -> None:
    # 15 minutes left: within a 10-minute margin and 5 minutes to switch a helper adds
    # nothing, but by the deadline each adds 20 tasks.
    sc = _with_margin(
        [queue(SAPPORO, 70, 15)],
        [entry1(1, SAPPORO, 4, 120), entry1(2, None, 4, 80), entry1(3, None, 4, 80)],
    )
    result = plan_with_margin(sc)
    (outcome,) = result.queues
    assert outcome.late_before == 40.0
    assert outcome.late_after < outcome.late_before
    assert result.moves

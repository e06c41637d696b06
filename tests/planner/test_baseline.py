"""The seed's greedy rule, used as the baseline."""

from __future__ import annotations

from aimee.planner import greedy_moves, greedy_plan
from aimee.planner.baseline import shortage

from .factories import MORIOKA, SAPPORO, SHINAGAWA, entry1, queue, scenario, seed_example


def test_shortage_is_late_over_per_operator_capacity_rounded_up() -> None:
    assert shortage(20.0, 22.5) == 1
    assert shortage(45.0, 22.5) == 2
    assert shortage(45.1, 22.5) == 3
    assert shortage(0.0, 22.5) == 0
    assert shortage(10.0, 0.0) == 0


def test_seed_example_picks_by_level_then_experience() -> None:
    # Late 20, each candidate adds 22.5: one operator, the Lv4 with 48 months (上野由香利).
    moves = greedy_moves(seed_example())
    assert moves == {31: SAPPORO}


def test_greedy_ignores_what_the_donor_loses() -> None:
    # 盛岡 is exactly on time with its only operator; greedy still takes them to 札幌.
    sc = scenario(
        [queue(SAPPORO, 30, 60), queue(MORIOKA, 60, 60)],
        [entry1(1, MORIOKA, 5, 60.0)],
    )
    assert greedy_moves(sc) == {1: SAPPORO}
    assert greedy_plan(sc).objective.after == 60.0  # worse than doing nothing (30)


def test_greedy_serves_the_most_late_queue_first_within_max_moves() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 60), queue(SHINAGAWA, 100, 60)],
        [entry1(1, None, 4, 60.0), entry1(2, None, 3, 60.0)],
        max_moves=1,
    )
    assert greedy_moves(sc) == {1: SHINAGAWA}


def test_greedy_plan_is_evaluated_like_any_plan() -> None:
    result = greedy_plan(seed_example())
    assert result.method == "greedy"
    assert not result.optimal
    assert result.objective.after == 0.0
    assert result.moves[0].operator_name == "上野由香利"

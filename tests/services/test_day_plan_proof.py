"""How good a plan for the rest of the day is proven to be: its objective's distance from
the proven bound, as a share of the objective, and the sentence the card and chat show."""

from __future__ import annotations

import pytest

from aimee.planner.timephased import PhasedPlan
from aimee.services.day_plan_build import proof, proven_gap, summary


def plan(objective: float, bound: float | None, *, optimal: bool = False) -> PhasedPlan:
    return PhasedPlan(
        timeline={},
        first_moves=[],
        late={},
        objective=objective,
        objective_before=objective * 2,
        switches=0,
        away_intervals=0,
        optimal=optimal,
        objective_bound=bound,
        status="optimal" if optimal else "time_limit",
        solve_ms=1.0,
        n_intervals=4,
    )


@pytest.mark.parametrize(
    ("objective", "bound", "optimal", "gap"),
    [
        (200.0, 200.0, True, 0.0),
        (200.0, 150.0, False, 0.25),
        (200.0, -5.0, False, None),  # a bound at or below zero proves nothing useful
        (200.0, 1.0, False, None),  # 「最大100%」 says nothing either
        (200.0, None, False, None),
        (200.0, float("-inf"), False, None),
        (0.0, 0.0, False, 0.0),  # nothing late: nothing does better
    ],
)
def test_the_gap(objective: float, bound: float | None, optimal: bool, gap: float | None) -> None:
    assert proven_gap(plan(objective, bound, optimal=optimal)) == gap


def test_the_sentence() -> None:
    assert summary(plan(200.0, 200.0, optimal=True)).proof == "最適であることを証明済みです。"
    assert "最適との差は最大25%です" in summary(plan(200.0, 150.0)).proof
    assert "最適との差は最大1%です" in proof(False, 0.01)
    assert "1%未満" in proof(False, 0.002)
    assert "上限も不明" in summary(plan(200.0, None)).proof
    assert "上限も不明" in summary(plan(200.0, 0.0)).proof  # not 「最大100%」
    assert "最大99%" in summary(plan(200.0, 2.5)).proof
    # the late tasks proven optimal, the switches not (stage 2 ran out of time)
    assert summary(plan(200.0, 200.0)).proof.startswith("遅延件数では最適であることを証明済み")

"""Among equally good plans, the stronger (then nearer) helper is chosen."""

from __future__ import annotations

from hypothesis import given, settings

from aimee.planner import Scenario, capacity, plan
from aimee.planner.preferences import prefer_stronger_helpers
from aimee.planner.solver import optimize

from .factories import MORIOKA, SAPPORO, SHINAGAWA, entry1, queue, scenario
from .test_properties import scenarios

SAPPORO_CHECK = ("札幌", "523201", "検証")


def test_the_stronger_of_two_sufficient_helpers_goes() -> None:
    sc = scenario(
        [queue(SAPPORO, 120, 20), queue(MORIOKA, 0, 80), queue(SHINAGAWA, 0, 80)],
        [
            entry1(1, SAPPORO, 3, 300.0),
            entry1(2, MORIOKA, 3, 90.0, months=12),  # enough on its own, but Lv3
            entry1(3, SHINAGAWA, 5, 90.0, months=60),  # equally enough, Lv5
        ],
    )
    result = plan(sc)
    assert result.objective.after == 0.0
    assert [m.operator_id for m in result.moves] == [3]


def test_a_helper_from_the_destinations_site_wins_a_tie_in_skill() -> None:
    sc = scenario(
        [
            queue(SAPPORO, 120, 20),
            queue(MORIOKA, 0, 80),
            ("札幌", "523201", "検証") and queue(("札幌", "523201", "検証"), 0, 80),
        ],
        [
            entry1(1, SAPPORO, 3, 300.0),
            entry1(2, MORIOKA, 4, 90.0, months=36),
            entry1(3, SAPPORO_CHECK, 4, 90.0, months=36),
        ],
    )
    assert [m.operator_id for m in plan(sc).moves] == [3]


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_preferences_keep_the_objective_and_the_number_of_moves(sc: Scenario) -> None:
    moves = optimize(sc).moves
    preferred = prefer_stronger_helpers(sc, moves)
    assert len(preferred) == len(moves)
    assert capacity.objective(sc, preferred) <= capacity.objective(sc, moves) + 1e-6
    assert sorted(preferred.values()) == sorted(moves.values())  # same destinations

"""The search's proof paths: core only, core then surviving columns, and giving up."""

from __future__ import annotations

import random

import pytest

from aimee.planner import Scenario, capacity, milp, optimize, search
from aimee.planner.exhaustive import brute_force
from aimee.planner.milp import OBJECTIVE_TOLERANCE

from .factories import MORIOKA, SAPPORO, SHINAGAWA, entry1, operator, queue, scenario, skill

KEYS = [SAPPORO, MORIOKA, SHINAGAWA, ("札幌", "523201", "補正")]


def _random_scenario(seed: int) -> Scenario:
    rng = random.Random(seed)
    queues = [queue(k, rng.randint(0, 120), rng.randint(10, 60)) for k in KEYS[:3]]
    ops = []
    for op_id in range(1, 6):
        where = rng.choice([*KEYS[:3], None])
        skills = {"エントリ1": skill(rng.randint(2, 5), rng.choice([30.0, 60.0, 75.0, 90.0]))}
        if rng.random() < 0.5:
            skills["補正"] = skill(rng.randint(2, 5), 60.0)
        ops.append(operator(op_id, where, skills))
    return scenario(queues, ops, max_moves=rng.randint(1, 3))


@pytest.mark.parametrize("seed", range(25))
def test_tiny_core_still_reaches_the_optimum(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # With a one-column core the proof must come from the columns that survive the bound.
    monkeypatch.setattr(search, "CORE_COLUMNS", 1)
    monkeypatch.setattr(search, "SMALL_MODEL_COLUMNS", 0)
    sc = _random_scenario(seed)
    result = optimize(sc)
    exact = brute_force(sc)
    assert result.optimal
    assert abs(capacity.objective(sc, result.moves) - exact.objective) <= OBJECTIVE_TOLERANCE
    assert len(result.moves) == len(exact.moves)


def test_no_proof_when_too_many_columns_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two queues short of staff and six candidates for 2 moves: the LP bound cannot drop
    # every column outside a one-column core, and the exact step is forbidden.
    monkeypatch.setattr(search, "CORE_COLUMNS", 1)
    monkeypatch.setattr(search, "SMALL_MODEL_COLUMNS", 0)
    monkeypatch.setattr(search, "affordable", lambda columns, seconds: False)
    sc = scenario(
        [queue(SAPPORO, 100, 30), queue(MORIOKA, 100, 30)],
        [entry1(i, None, 4, 40.0 + 10 * i) for i in range(1, 4)]
        + [entry1(i, SHINAGAWA, 4, 45.0) for i in range(4, 7)],
        max_moves=2,
    )
    result = optimize(sc)
    assert not result.optimal
    assert result.status == "not_proven"
    value = capacity.objective(sc, result.moves)
    assert value <= capacity.objective(sc, {})
    # The LP bound still brackets the optimum from below.
    assert result.lower_bound is not None
    assert result.lower_bound <= brute_force(sc).objective + 1e-9 <= value + 2e-9


@pytest.mark.parametrize("seed", range(5))
def test_without_lp_duals_the_full_milp_still_proves_the_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(milp, "lp_bound", lambda model, seconds: None)
    sc = _random_scenario(seed)
    result = optimize(sc)
    exact = brute_force(sc)
    assert result.optimal
    assert abs(capacity.objective(sc, result.moves) - exact.objective) <= OBJECTIVE_TOLERANCE
    assert len(result.moves) == len(exact.moves)

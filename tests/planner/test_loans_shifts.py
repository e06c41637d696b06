"""Loans (rules.loans) and shift ends (Operator.shift_end) in the snapshot planner."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aimee.planner import Move, QueueKey, Scenario, capacity, constraints, optimize, plan
from aimee.planner.exhaustive import brute_force
from aimee.planner.forced import plan_including
from aimee.planner.milp import OBJECTIVE_TOLERANCE

from .factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario, seed_example
from .test_properties import SETTINGS, scenarios


def _with(sc: Scenario, *, loans: bool, shifts: list[int | None]) -> Scenario:
    operators = [
        op.model_copy(
            update={
                "shift_end": None
                if shifts[i % len(shifts)] is None
                else NOW + timedelta(minutes=shifts[i % len(shifts)] or 0)
            }
        )
        for i, op in enumerate(sc.operators)
    ]
    rules = sc.rules.model_copy(update={"loans": loans})
    return sc.model_copy(update={"operators": operators, "rules": rules})


def test_capacity_counts_only_until_the_shift_ends() -> None:
    sc = scenario(
        [queue(SAPPORO, 100, 60)],
        [{**entry1(1, SAPPORO, 3, 60.0), "shift_end": (NOW + timedelta(minutes=20)).isoformat()}],
    )
    assert capacity.capacities(sc, {})[SAPPORO] == 20.0  # 60/h for 20 minutes, not 60
    gone = scenario(
        [queue(SAPPORO, 100, 60)],
        [{**entry1(1, SAPPORO, 3, 60.0), "shift_end": (NOW - timedelta(minutes=5)).isoformat()}],
    )
    assert capacity.capacities(gone, {})[SAPPORO] == 0.0


def test_a_helper_whose_shift_ends_first_is_not_counted_after_it() -> None:
    # 盛岡 helper leaves at +15: a move to 札幌 (deadline +60, switch 5) gives 10 minutes only.
    sc = scenario(
        [queue(SAPPORO, 100, 60), queue(MORIOKA, 0, 60)],
        [{**entry1(1, MORIOKA, 3, 60.0), "shift_end": (NOW + timedelta(minutes=15)).isoformat()}],
    )
    assert capacity.capacities(sc, {1: SAPPORO})[SAPPORO] == 10.0


def test_a_loan_returns_and_the_donor_loses_only_the_loan_period() -> None:
    # 札幌 is due in 20 minutes, 盛岡 in 80: a 盛岡 helper lent to 札幌 is back at 20 + 5.
    permanent = seed_example()
    loaned = permanent.model_copy(
        update={"rules": permanent.rules.model_copy(update={"loans": True})}
    )
    moves = {17: SAPPORO}
    lost_for_good = (
        capacity.capacities(permanent, {})[MORIOKA] - capacity.capacities(permanent, moves)[MORIOKA]
    )
    lost_on_loan = (
        capacity.capacities(loaned, {})[MORIOKA] - capacity.capacities(loaned, moves)[MORIOKA]
    )
    assert lost_for_good == 90.0 / 60 * 80  # all of 80 minutes
    assert abs(lost_on_loan - 90.0 / 60 * 25) < 1e-9  # out for 20 minutes, 5 to come back
    result = plan(loaned)
    assert result.moves
    for move in result.moves:
        assert move.until == NOW + timedelta(minutes=20)  # 札幌's deadline
        assert move.model_dump(by_alias=True)["until"] == move.until


def test_without_the_new_fields_a_plan_has_no_until() -> None:
    result = plan(seed_example())
    dumped = json.loads(result.model_dump_json())
    assert all("until" not in move for move in dumped["moves"])


def test_loans_let_an_earlier_deadline_borrow_from_a_later_one() -> None:
    # 盛岡 needs its operator's full time if lent for good, but not for 20 minutes.
    queues = [queue(SAPPORO, 30, 20), queue(MORIOKA, 50, 80)]
    operators = [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)]
    without = optimize(scenario(queues, operators))
    with_loans = optimize(scenario(queues, operators, loans=True))
    assert without.moves == {}  # a permanent move leaves 盛岡 late by more than it saves
    assert with_loans.moves == {2: SAPPORO}
    sc = scenario(queues, operators, loans=True)
    assert capacity.objective(sc, with_loans.moves) == 0.0


@SETTINGS
@given(scenarios(), st.booleans(), st.lists(st.sampled_from([None, 10, 30, 60, 200]), min_size=1))
def test_optimum_with_loans_and_shifts_equals_brute_force(
    sc: Scenario, loans: bool, shifts: list[int | None]
) -> None:
    varied = _with(sc, loans=loans, shifts=shifts)
    result = optimize(varied)
    exact = brute_force(varied)
    value = capacity.objective(varied, result.moves)
    assert result.optimal
    assert abs(value - exact.objective) <= OBJECTIVE_TOLERANCE
    assert len(result.moves) == len(exact.moves)
    assert result.model_objective is not None
    assert abs(result.model_objective - value) <= 1e-6


@SETTINGS
@given(scenarios(), st.data())
def test_forced_loans_are_planned_around_exactly(sc: Scenario, data: Any) -> None:
    varied = _with(sc, loans=True, shifts=[None, 30])
    varied = varied.model_copy(
        update={"rules": varied.rules.model_copy(update={"margin_minutes": 0.0})}
    )
    options = [
        (op.id, q.id)
        for op in varied.operators
        for q in varied.queues
        if not constraints.violations(varied, [Move(op.id, q.key)])
    ]
    if not options or varied.rules.max_moves == 0:
        return
    op_id, target = data.draw(st.sampled_from(options))
    key = QueueKey(location=target[0], business_id=target[1], process=target[2])
    result = plan_including(varied, [Move(op_id, key)], time_limit_s=5)
    assert constraints.violations(varied, result.moves) == []
    exact = brute_force(varied, including={op_id: target})
    assert abs(result.objective.after - exact.objective) <= 1e-6


def test_a_loan_ending_just_before_the_shift_lasts_until_the_shift_ends() -> None:
    """Back home for less than the switch time is no way back: the helper stays."""
    base = seed_example()
    deadline = next(q.deadline for q in base.queues if q.id == SAPPORO)
    switch = base.rules.switch_minutes
    for after, stays in ((switch - 1, True), (switch, True), (switch + 1, False)):
        sc = base.model_copy(
            update={
                "rules": base.rules.model_copy(update={"loans": True}),
                "operators": [
                    op.model_copy(update={"shift_end": deadline + timedelta(minutes=after)})
                    for op in base.operators
                ],
            }
        )
        result = plan(sc)
        assert result.moves
        for move in result.moves:
            assert move.until == (move.shift_end if stays else deadline), after
            assert move.returns is not stays

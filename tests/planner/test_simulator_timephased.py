"""The simulator with shift ends and the time-phased policy."""

from __future__ import annotations

from datetime import datetime, timedelta

from aimee.planner import Scenario
from aimee.planner.domain import QueueId
from aimee.planner.simulator import POLICIES, Loan, PhasedPolicy, simulate

from .test_simulator import EXACT, NOW, A, B, day


def _with_shift(scenario: Scenario, op_id: int, minutes: float) -> Scenario:
    operators = [
        op.model_copy(update={"shift_end": NOW + timedelta(minutes=minutes)})
        if op.id == op_id
        else op
        for op in scenario.operators
    ]
    return scenario.model_copy(update={"operators": operators})


def test_an_operator_stops_working_at_the_end_of_their_shift() -> None:
    # A: 120 due in 20 minutes; its operator (300/h) leaves after 10: 50 done, 70 late.
    result = simulate(
        _with_shift(day(), 1, 10), {}, POLICIES["none"](), policy_name="none", seed=1, config=EXACT
    )
    late = {(r.location, r.process): r.late_tasks for r in result.queues}
    assert late[("札幌", "エントリ1")] == 70


def test_the_timephased_policy_saves_the_queue() -> None:
    result = simulate(
        day(), {}, POLICIES["timephased"](), policy_name="timephased", seed=1, config=EXACT
    )
    assert (result.deadlines_missed, result.late_tasks) == (0, 0)
    assert result.moves >= 1


def test_a_phased_policy_sees_rates_waiting_now_and_who_must_stay() -> None:
    seen: list[tuple[dict[QueueId, int], dict[QueueId, float], dict[int, datetime]]] = []

    def decide(
        scenario: Scenario, rates: dict[QueueId, float], stay: dict[int, datetime]
    ) -> dict[int, QueueId]:
        seen.append(({q.id: q.waiting for q in scenario.queues}, dict(rates), dict(stay)))
        assert not any(op.locked for op in scenario.operators)
        return {2: A} if len(seen) == 1 else {}

    simulate(day(), {A: 60.0, B: 0.0}, PhasedPolicy(decide), policy_name="p", seed=1, config=EXACT)
    waiting, rates, stay = seen[0]
    assert waiting == {A: 120, B: 10}  # no expected arrivals folded in
    assert rates == {A: 60.0, B: 0.0}
    assert stay == {}
    assert seen[1][2] == {2: NOW + timedelta(minutes=30)}  # moved at NOW, stays 30 minutes
    assert A not in seen[2][1]  # A closed at +20: its rate is no longer given


def test_a_loan_brings_the_helper_back_when_it_ends() -> None:
    seen: list[dict[int, QueueId | None]] = []

    def decide(
        scenario: Scenario, rates: dict[QueueId, float], stay: dict[int, datetime]
    ) -> dict[int, QueueId | Loan]:
        seen.append({op.id: op.assigned.id if op.assigned else None for op in scenario.operators})
        return {2: Loan(A, NOW + timedelta(minutes=20))} if len(seen) == 1 else {}

    result = simulate(day(), {}, PhasedPolicy(decide), policy_name="p", seed=1, config=EXACT)
    assert seen[1][2] == A  # at +10, still helping
    assert seen[2][2] == B  # at +20 back home, without a plan sending them
    assert result.moves == 2
    assert result.late_tasks == 0

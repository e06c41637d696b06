"""Turn moves into a Plan: every number recomputed by `capacity`, every reason by `explain`."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from aimee.planner import capacity, explain
from aimee.planner.capacity import LoanEnds, Moves
from aimee.planner.domain import (
    ObjectiveValue,
    Operator,
    Plan,
    PlanMove,
    QueueKey,
    QueueOutcome,
    Scenario,
)


def _ordered(scenario: Scenario, moves: Moves) -> list[tuple[int, QueueKey]]:
    """Moves by destination in scenario order, then by operator in scenario order."""
    queue_order = {queue.id: pos for pos, queue in enumerate(scenario.queues)}
    keys = {queue.id: queue.key for queue in scenario.queues}
    op_order = {operator.id: pos for pos, operator in enumerate(scenario.operators)}
    ordered = sorted(moves.items(), key=lambda item: (queue_order[item[1]], op_order[item[0]]))
    return [(op_id, keys[target]) for op_id, target in ordered]


def _loan_until(
    scenario: Scenario, operator: Operator, target: QueueKey, loan_ends: LoanEnds | None = None
) -> datetime | None:
    """A stated loan end (``loan_ends``; None: a permanent move) as given. Otherwise, with
    rules.loans, a helper from a queue of the scenario returns at the destination's deadline
    (capacity.loan_return); otherwise the move is permanent (None). A helper whose
    shift ends within the switch time after that deadline would do nothing back home
    (loan_return is 0): they stay until their shift ends, said as such (not 「09:59まで応援、
    その後…へ戻る（勤務は10:00まで）」)."""
    if loan_ends is not None and operator.id in loan_ends:
        return loan_ends[operator.id]
    if not scenario.rules.loans or operator.assigned is None:
        return None
    queues = {queue.id: queue for queue in scenario.queues}
    if operator.assigned.id not in queues:
        return None
    deadline = queues[target.id].deadline
    end = operator.shift_end
    if end is not None and deadline < end <= deadline + timedelta(
        minutes=scenario.rules.switch_minutes
    ):
        return end
    return deadline


def _bound(after: float, *, optimal: bool, bound: float | None) -> float | None:
    if optimal:
        return after
    return None if bound is None else min(bound, after)


def build_plan(
    scenario: Scenario,
    moves: Moves,
    *,
    optimal: bool,
    method: str,
    status: str,
    started: float,
    bound: float | None = None,
    loan_ends: LoanEnds | None = None,
) -> Plan:
    """`started` is the `time.perf_counter()` value when planning began (for `solve_ms`);
    `bound` a proven lower bound on the optimal objective, if known; `loan_ends` when moves
    end (`capacity.LoanEnds`: every figure counts each helper until then, and each move's
    `until` is its stated end)."""
    ends = {op_id: end for op_id, end in (loan_ends or {}).items() if op_id in moves}
    value = capacity.objective(scenario, moves, ends)
    before_list = capacity.evaluate(scenario, {})
    after_list = capacity.evaluate(scenario, moves, ends)
    before = {e.queue.id: e for e in before_list}
    after = {e.queue.id: e for e in after_list}
    reasons = explain.move_reasons(scenario, moves, before, after, ends)
    operators = {operator.id: operator for operator in scenario.operators}
    plan_moves = [
        PlanMove(
            operator_id=op_id,
            operator_name=operators[op_id].name,
            from_=operators[op_id].assigned,
            to=target,
            reason=reasons[op_id],
            until=_loan_until(scenario, operators[op_id], target, ends),
            shift_end=operators[op_id].shift_end,
        )
        for op_id, target in _ordered(scenario, moves)
    ]
    outcomes = [
        QueueOutcome(
            location=b.queue.location,
            business_id=b.queue.business_id,
            process=b.queue.process,
            waiting=b.queue.waiting,
            deadline=b.queue.deadline,
            priority=b.queue.priority,
            capacity_before=b.capacity,
            capacity_after=a.capacity,
            late_before=b.late,
            late_after=a.late,
            projected_completion_before=b.completion,
            projected_completion_after=a.completion,
            rate_before=b.rate,
            rate_after=a.rate,
        )
        for b, a in zip(before_list, after_list, strict=True)
    ]
    return Plan(
        moves=plan_moves,
        objective=ObjectiveValue(before=capacity.objective(scenario, {}), after=value),
        queues=outcomes,
        optimal=optimal,
        solve_ms=(time.perf_counter() - started) * 1000.0,
        objective_bound=_bound(value, optimal=optimal, bound=bound),
        rules_applied=explain.rules_applied(scenario, moves, before, after, ends),
        method=method,
        status=status,
    )

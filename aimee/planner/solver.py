"""Planning entry points: exact MILP with fallbacks, and the baseline plan."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from aimee.planner import capacity, search
from aimee.planner.baseline import greedy_moves
from aimee.planner.candidates import find_candidates
from aimee.planner.capacity import LoanEnds, Moves
from aimee.planner.constraints import target_allowed, violations
from aimee.planner.domain import MoveLike, Plan, QueueId, Scenario
from aimee.planner.index import ScenarioIndex, build_index
from aimee.planner.milp import OBJECTIVE_TOLERANCE
from aimee.planner.preferences import prefer_stronger_helpers
from aimee.planner.report import build_plan

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT_S = 10.0
RESERVE_SHARE = 0.1
"""Share of the time limit kept for what follows the solver (fallbacks, report)."""


@dataclass(frozen=True)
class Optimization:
    moves: dict[int, QueueId]
    optimal: bool
    method: str
    """'milp', 'greedy' or 'none': which candidate plan was kept."""
    status: str
    model_objective: float | None
    """The MILP's own objective for its moves (None without a model), for checks only."""
    lower_bound: float | None
    """Proven lower bound on the optimal objective (equal to it when optimal), None if unknown."""


def as_scenario(scenario: Scenario | Mapping[str, Any]) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else Scenario.model_validate(scenario)


def _positions(index: ScenarioIndex, moves: Moves) -> list[tuple[int, int]]:
    op_pos = {operator.id: pos for pos, operator in enumerate(index.scenario.operators)}
    return [(op_pos[op_id], index.queue_pos[target]) for op_id, target in moves.items()]


def _queue_of(index: ScenarioIndex, pos: int) -> QueueId:
    return index.queue_ids[pos]


def drop_useless_moves(scenario: Scenario, moves: Moves) -> dict[int, QueueId]:
    """Undo, one at a time, every move whose undoing does not raise the objective."""
    queues = {queue.id: queue for queue in scenario.queues}
    operators = {operator.id: operator for operator in scenario.operators}
    caps = capacity.capacities(scenario, moves)
    now, rules = scenario.now, scenario.rules
    kept = dict(moves)

    def cost(key: QueueId, cap: float) -> float:
        return queues[key].priority * capacity.late(queues[key].waiting, cap)

    for op_id, target in sorted(moves.items()):
        operator = operators[op_id]
        changes = {
            target: caps[target]
            - capacity.contribution(operator, queues[target], now, rules, moved=True)
        }
        source = operator.assigned.id if operator.assigned is not None else None
        if source is not None and source in queues:
            lost = capacity.loss(operator, queues[source], queues[target], now, rules)
            changes[source] = caps[source] + lost
        delta = sum(cost(key, cap) - cost(key, caps[key]) for key, cap in changes.items())
        if delta <= 0:
            caps.update(changes)
            del kept[op_id]
    if capacity.objective(scenario, kept) > capacity.objective(scenario, moves):
        return dict(moves)
    return kept


def _pick(
    options: list[tuple[str, dict[int, QueueId]]], scenario: Scenario
) -> tuple[str, dict[int, QueueId]]:
    """Best objective; within the tolerance, fewest moves; then the earlier option."""
    values = [capacity.objective(scenario, moves) for _, moves in options]
    best = min(values)
    near = [i for i, v in enumerate(values) if v <= best + OBJECTIVE_TOLERANCE]
    chosen = min(near, key=lambda i: (len(options[i][1]), i))
    return options[chosen]


def optimize(scenario: Scenario, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> Optimization:
    """Lexicographically optimal moves (late tasks, then moves), or the best found in time."""
    started = time.perf_counter()
    baseline = greedy_moves(scenario)
    index = build_index(scenario)
    cand = find_candidates(index, extra=_positions(index, baseline))
    logger.debug("planner: %d candidate moves for %d operators", len(cand), index.n_operators)
    if len(cand) == 0 or scenario.rules.max_moves == 0:
        value = capacity.objective(scenario, {})
        return Optimization({}, True, "milp", "optimal", value, value)

    columns = {
        pair: col
        for col, pair in enumerate(zip(cand.operator.tolist(), cand.queue.tolist(), strict=True))
    }
    warm = np.array(
        sorted(columns[pair] for pair in _positions(index, baseline) if pair in columns),
        dtype=np.int64,
    )
    remaining = time_limit_s * (1.0 - RESERVE_SHARE) - (time.perf_counter() - started)
    result = search.lexicographic(index, cand, warm, remaining)
    ops = [scenario.operators[int(o)].id for o in cand.operator[result.chosen]]
    targets = [_queue_of(index, int(q)) for q in cand.queue[result.chosen]]
    solved = dict(zip(ops, targets, strict=True))
    if result.optimal:
        return Optimization(
            solved, True, "milp", result.status, result.objective, result.lower_bound
        )

    logger.info("planner: optimality not proven (%s); comparing with fallbacks", result.status)
    method, moves = _pick([("milp", solved), ("greedy", dict(baseline)), ("none", {})], scenario)
    return Optimization(
        drop_useless_moves(scenario, moves),
        False,
        method,
        result.status,
        result.objective,
        result.lower_bound,
    )


def plan(
    scenario: Scenario | Mapping[str, Any], *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> Plan:
    """The reallocation plan for `scenario` (a Scenario or its JSON as a dict)."""
    started = time.perf_counter()
    valid = as_scenario(scenario)
    result = optimize(valid, time_limit_s=time_limit_s)
    return build_plan(
        valid,
        prefer_stronger_helpers(valid, result.moves),
        optimal=result.optimal,
        method=result.method,
        status=result.status,
        started=started,
        bound=result.lower_bound,
    )


def plan_from_moves(
    scenario: Scenario | Mapping[str, Any],
    moves: Sequence[MoveLike],
    *,
    loan_ends: LoanEnds | None = None,
) -> Plan:
    """Evaluate and explain moves chosen elsewhere (e.g. a manager's modification).

    ``loan_ends`` states when moves end (`capacity.LoanEnds`: a time, the helper goes back
    then; None, a permanent move; a move it does not name follows ``rules.loans``): e.g. a plan
    for the rest of the day, whose timeline brings helpers back before the deadline.

    Raises ValueError listing the violated rules (in Japanese) when the moves are not valid.
    """
    started = time.perf_counter()
    valid = as_scenario(scenario)
    problems = violations(valid, moves)
    if problems:
        raise ValueError("; ".join(problems))
    chosen = {move.operator_id: move.to.id for move in moves}
    return build_plan(
        valid,
        chosen,
        optimal=False,
        method="manual",
        status="evaluated",
        started=started,
        loan_ends=loan_ends,
    )


def restate(result: Plan, scenario: Scenario) -> Plan:
    """``result``'s moves evaluated and explained on ``scenario`` (the same queues and
    operators under other rules, e.g. without the planning margin: the late tasks at
    the deadline that users see), keeping how the plan was found and which rules
    bound it."""
    moves = {move.operator_id: move.to.id for move in result.moves}
    shown = build_plan(
        scenario,
        moves,
        optimal=result.optimal,
        method=result.method,
        status=result.status,
        started=time.perf_counter(),
    )
    return shown.model_copy(
        update={"solve_ms": result.solve_ms, "rules_applied": result.rules_applied}
    )


def plan_with_margin(
    scenario: Scenario | Mapping[str, Any], *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> Plan:
    """Aim to finish ``rules.margin_minutes`` before each deadline wherever that costs
    no late task at the deadline itself, stated at the deadline (margin 0: the late
    tasks users see).

    Up to two solves, each with half the time: the plan with the margin, and (unless
    that one leaves nothing late at the deadline) the plan at the deadline. The margin
    plan is kept when, at the deadline, it leaves no more late tasks than the other (so
    a queue that movers can still save but not within the margin, e.g. 15 minutes left
    with a 10-minute margin and 5 minutes to switch, is never given up); otherwise the
    plan at the deadline is."""
    valid = as_scenario(scenario)
    margin = valid.rules.margin_minutes
    at_deadline = valid.model_copy(
        update={"rules": valid.rules.model_copy(update={"margin_minutes": 0.0})}
    )
    if margin <= 0:
        return plan(at_deadline, time_limit_s=time_limit_s)
    margined = restate(plan(valid, time_limit_s=time_limit_s / 2), at_deadline)
    if margined.objective.after <= deadline_floor(at_deadline) + OBJECTIVE_TOLERANCE:
        return margined  # no plan does better at the deadline
    plain = plan(at_deadline, time_limit_s=time_limit_s / 2)
    if margined.objective.after <= plain.objective.after + OBJECTIVE_TOLERANCE:
        return margined
    return plain


def deadline_floor(scenario: Scenario) -> float:
    """A lower bound on any plan's objective: helpers only go to ``rules.targets``, so
    every other queue stays at least as late as it is now, and a target at best has
    nothing late (without targets, 0)."""
    if scenario.rules.targets is None:
        return 0.0
    lates = capacity.lateness(scenario, {})
    return sum(
        queue.priority * lates[queue.id]
        for queue in scenario.queues
        if not target_allowed(queue.key, scenario.rules)
    )


def greedy_plan(scenario: Scenario | Mapping[str, Any]) -> Plan:
    """The seed's method, evaluated and explained like any plan."""
    started = time.perf_counter()
    valid = as_scenario(scenario)
    return build_plan(
        valid,
        greedy_moves(valid),
        optimal=False,
        method="greedy",
        status="baseline",
        started=started,
    )

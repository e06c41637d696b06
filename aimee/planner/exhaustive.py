"""Reference solver for tiny scenarios: enumerate every valid plan (tests and benchmark only)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from aimee.planner import capacity
from aimee.planner.constraints import (
    movable,
    skill_eligible,
    target_allowed,
    within_max_moves,
)
from aimee.planner.domain import Operator, QueueId, Scenario
from aimee.planner.milp import OBJECTIVE_TOLERANCE

MAX_PLANS = 200_000


@dataclass(frozen=True)
class Optimum:
    objective: float
    """The smallest objective of any valid plan."""
    moves: dict[int, QueueId]
    """One plan with the optimal objective and, among those, the fewest moves."""


def _options(scenario: Scenario, operator: Operator) -> list[QueueId | None]:
    here = operator.assigned.id if operator.assigned is not None else None
    options: list[QueueId | None] = [None]
    if movable(operator):
        options += [
            queue.id
            for queue in scenario.queues
            if queue.id != here
            and skill_eligible(operator, queue.process, scenario.rules)
            and target_allowed(queue.key, scenario.rules)
        ]
    return options


def brute_force(scenario: Scenario, including: dict[int, QueueId] | None = None) -> Optimum:
    """Lexicographic optimum (objective within OBJECTIVE_TOLERANCE, then fewest moves),
    among the plans that make the moves ``including`` (operator id -> destination)."""
    forced = including or {}
    choices = [
        [forced[operator.id]] if operator.id in forced else _options(scenario, operator)
        for operator in scenario.operators
    ]
    total = 1
    for options in choices:
        total *= len(options)
    if total > MAX_PLANS:
        raise ValueError(f"{total} plans: too many to enumerate")
    evaluated: list[tuple[float, dict[int, QueueId]]] = []
    for combo in itertools.product(*choices):
        moves = {
            operator.id: target
            for operator, target in zip(scenario.operators, combo, strict=True)
            if target is not None
        }
        if within_max_moves(len(moves), scenario.rules):
            evaluated.append((capacity.objective(scenario, moves), moves))
    best = min(value for value, _ in evaluated)
    near = [moves for value, moves in evaluated if value <= best + OBJECTIVE_TOLERANCE]
    fewest = min(near, key=len)
    return Optimum(objective=best, moves=fewest)

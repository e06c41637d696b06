"""Plans that must make some moves: 「高山さんを札幌のエントリ1に入れて、あとは任せる」.

The manager's moves are fixed; the rest of the plan is optimised exactly around them.
The solver is not changed: it solves an equivalent scenario in which each forced
operator has left their queue (idle and locked) and a locked stand-in on the
destination finishes exactly what they would there after switching
(``capacity.contribution(..., moved=True)``). Capacity is additive per queue, so every
queue's late tasks in that scenario equal those of the real one with the forced moves
made, and the best plan of the rest (with ``max_moves`` less the forced moves) is the
best plan that includes them. The result is evaluated and explained on the real
scenario, at the deadline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aimee.planner.capacity import contribution, loan_return, working_minutes
from aimee.planner.constraints import violations
from aimee.planner.domain import Move, Operator, Plan, Queue, Scenario, Skill
from aimee.planner.solver import DEFAULT_TIME_LIMIT_S, as_scenario, plan, plan_from_moves


def plan_including(
    scenario: Scenario | Mapping[str, Any],
    forced: Sequence[Move],
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Plan:
    """The best plan that makes the ``forced`` moves, at the deadline (margin 0).

    Raises ValueError (in Japanese) when a forced move breaks a rule or there are more
    forced moves than ``rules.max_moves``."""
    valid = as_scenario(scenario)
    rules = valid.rules.model_copy(update={"margin_minutes": 0.0})
    valid = valid.model_copy(update={"rules": rules})
    problems = violations(valid, forced)
    if problems:
        raise ValueError("; ".join(problems))
    if not forced:
        return plan(valid, time_limit_s=time_limit_s)
    around = equivalent_scenario(valid, forced)
    rest = plan(around, time_limit_s=time_limit_s)
    moves = [*forced, *(Move(operator_id=m.operator_id, to=m.to) for m in rest.moves)]
    result = plan_from_moves(valid, moves)
    return result.model_copy(
        update={
            "optimal": rest.optimal,
            "method": f"{rest.method}+forced",
            "status": rest.status,
            "objective_bound": None,
        }
    )


def _stand_in(
    op_id: int, for_id: int, queue: Queue, tasks: float, scenario: Scenario
) -> list[Operator]:
    """A locked operator on ``queue`` who finishes exactly ``tasks`` there (none if 0)."""
    minutes = working_minutes(queue, scenario.now, scenario.rules, moved=False)
    if tasks <= 0 or minutes <= 0:
        return []
    return [
        Operator(
            id=op_id,
            name=f"stand-in for {for_id}",
            location=queue.location,
            locked=True,
            assigned=queue.key,
            skills={queue.process: Skill(level=5, speed=tasks / minutes * 60.0)},
        )
    ]


def equivalent_scenario(scenario: Scenario, forced: Sequence[Move]) -> Scenario:
    """The equivalent scenario described in the module docstring."""
    by_id = {op.id: op for op in scenario.operators}
    queues = {q.id: q for q in scenario.queues}
    moving = {move.operator_id for move in forced}
    operators = [
        op.model_copy(update={"assigned": None, "locked": True}) if op.id in moving else op
        for op in scenario.operators
    ]
    next_id = max(by_id) + 1
    for n, move in enumerate(forced):
        queue = queues[move.to.id]
        gain = contribution(
            by_id[move.operator_id], queue, scenario.now, scenario.rules, moved=True
        )
        operators += _stand_in(next_id + n, move.operator_id, queue, gain, scenario)
        mover = by_id[move.operator_id]
        home = queues.get(mover.assigned.id) if mover.assigned is not None else None
        if home is not None:  # with rules.loans, what the helper does back home
            back = loan_return(mover, home, queue, scenario.now, scenario.rules)
            operators += _stand_in(
                next_id + len(forced) + n, move.operator_id, home, back, scenario
            )
    rules = scenario.rules.model_copy(update={"max_moves": scenario.rules.max_moves - len(forced)})
    return scenario.model_copy(update={"operators": operators, "rules": rules})

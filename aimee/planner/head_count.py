"""Plans with the number of helpers the manager asked for: 「3名で応援組んで」.

The best plan often needs fewer people than asked (one helper saves the queue). When a
manager says exactly N, the N helpers should buy the earliest finish they can without
making anything worse at the deadline: the planner aims at a wider margin before each
deadline (more helpers are then worth moving), searched by bisection for the smallest
margin at which its plan uses N moves. A plan is kept only if, at the deadline, it
leaves no more late tasks than the best plan does; when no margin gives N moves
(too few eligible helpers, or more would hurt a donor) the plan with the most moves
found is returned and the caller says so.
"""

from __future__ import annotations

from aimee.planner.domain import Plan, Scenario
from aimee.planner.milp import OBJECTIVE_TOLERANCE
from aimee.planner.solver import DEFAULT_TIME_LIMIT_S, plan, plan_with_margin, restate

BISECTIONS = 7
"""Margins tried: the window is cut in half each time (3 hours → under 2 minutes)."""


def plan_with_helpers(
    scenario: Scenario, helpers: int, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> Plan:
    """A plan of ``helpers`` moves (at most ``rules.max_moves``), stated at the deadline."""
    wanted = min(helpers, scenario.rules.max_moves)
    best = plan_with_margin(scenario, time_limit_s=time_limit_s)
    if len(best.moves) >= wanted:
        return best
    at_deadline = scenario.model_copy(
        update={"rules": scenario.rules.model_copy(update={"margin_minutes": 0.0})}
    )
    floor = best.objective.after + OBJECTIVE_TOLERANCE
    low = scenario.rules.margin_minutes
    high = max((q.deadline - scenario.now).total_seconds() / 60 for q in scenario.queues)
    chosen = best
    for _ in range(BISECTIONS):
        if high - low < 1:
            break
        margin = float(round((low + high) / 2))
        wider = scenario.model_copy(
            update={"rules": scenario.rules.model_copy(update={"margin_minutes": margin})}
        )
        candidate = restate(plan(wider, time_limit_s=time_limit_s / BISECTIONS), at_deadline)
        if candidate.objective.after > floor or len(candidate.moves) > wanted:
            high = margin  # worse at the deadline, or more than asked: aim less far
            continue
        if len(candidate.moves) > len(chosen.moves):
            chosen = candidate
        if len(candidate.moves) == wanted:
            high = margin
        else:
            low = margin
    return chosen

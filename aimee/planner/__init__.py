"""AIMEE planner: pure domain, evaluation and optimizer (no DB, HTTP or LLM).

from aimee.planner import plan
result = plan(scenario_dict, time_limit_s=10.0)
result.model_dump(mode="json", by_alias=True)  # the JSON of docs/planner.md
"""

from aimee.planner.baseline import greedy_moves
from aimee.planner.capacity import capacities as queue_capacities
from aimee.planner.capacity import (
    completion_minutes,
    contribution,
    evaluate,
    lateness,
    minutes_left,
    objective,
    projected_completion,
    staffing,
)
from aimee.planner.constraints import violations
from aimee.planner.domain import (
    Move,
    ObjectiveValue,
    Operator,
    Plan,
    PlanMove,
    Queue,
    QueueKey,
    QueueOutcome,
    Rules,
    Scenario,
    Skill,
)
from aimee.planner.impact import Impact, QueueImpact, format_minutes, format_percent, impact
from aimee.planner.solver import (
    greedy_plan,
    optimize,
    plan,
    plan_from_moves,
    plan_with_margin,
    restate,
)

__all__ = [
    "Impact",
    "Move",
    "ObjectiveValue",
    "Operator",
    "Plan",
    "PlanMove",
    "Queue",
    "QueueImpact",
    "QueueKey",
    "QueueOutcome",
    "Rules",
    "Scenario",
    "Skill",
    "completion_minutes",
    "contribution",
    "evaluate",
    "format_minutes",
    "format_percent",
    "greedy_moves",
    "greedy_plan",
    "impact",
    "lateness",
    "minutes_left",
    "objective",
    "optimize",
    "plan",
    "plan_from_moves",
    "plan_with_margin",
    "projected_completion",
    "queue_capacities",
    "restate",
    "staffing",
    "violations",
]

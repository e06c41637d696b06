"""Plan on the current data: build the scenario, solve it, return both."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from aimee.planner import Plan, Rules, Scenario, plan
from aimee.services.scenarios import ScenarioFilter, build_scenario


@dataclass(frozen=True)
class CurrentPlan:
    scenario: Scenario
    plan: Plan


def plan_current(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    rules: Rules | None = None,
    time_limit_s: float,
) -> CurrentPlan:
    """The optimal reallocation for the situation now (optionally around focus queues)."""
    scenario = build_scenario(session, focus, rules=rules)
    return CurrentPlan(scenario=scenario, plan=plan(scenario, time_limit_s=time_limit_s))

"""Plan on the current data: for an API caller, or as a stored suggestion for
the queues a manager (chat) or an alert is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.planner import Plan, QueueKey, Rules, Scenario, plan_with_margin
from aimee.services.approvals import busy_operators
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter, Situation, build_situation
from aimee.services.suggestions import SuggestionPublic, create_suggestion


@dataclass(frozen=True)
class CurrentPlan:
    scenario: Scenario
    plan: Plan


def plan_current(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    now: datetime,
    rules: Rules,
    time_limit_s: float,
) -> CurrentPlan:
    """The optimal reallocation for the situation at ``now`` (optionally around focus
    queues), aimed at ``rules.margin_minutes`` before each deadline where that costs
    nothing at the deadline, its figures stated at the deadline (as every surface shows
    them: ``plan_with_margin``)."""
    situation = build_situation(session, focus, rules=rules, now=now)
    return CurrentPlan(
        situation.scenario, plan_with_margin(situation.scenario, time_limit_s=time_limit_s)
    )


@dataclass(frozen=True)
class FocusedPlan:
    situation: Situation
    targets: list[QueueKey]
    """The focus queues: the only ones that may receive operators (all when no focus)."""
    scenario: Scenario
    plan: Plan
    suggestion: SuggestionPublic | None
    """Stored when the plan moves someone."""


def suggest_for(
    session: Session,
    focus: ScenarioFilter,
    *,
    now: datetime,
    policy: Policy,
    created_by: str | None,
) -> FocusedPlan | None:
    """Plan help for the focus queues (every queue's lateness still counts, so
    donors are protected) and store it as a pending suggestion. None when no
    queue matches the focus."""
    busy = busy_operators(session)  # already promised to an approved move
    situation = build_situation(
        session, focus, rules=policy.rules, now=now, locked_operator_ids=busy
    )
    targets = [q.key for q in situation.scenario.queues if focus.matches(q.key)]
    if not targets:
        return None
    rules = situation.scenario.rules.model_copy(
        update={"targets": None if focus.is_empty else targets}
    )
    scenario = situation.scenario.model_copy(update={"rules": rules})
    # Aimed at the margin where that costs nothing at the deadline; stated (stored, and
    # checked again on approval) as the late tasks at the deadline every surface shows.
    result = plan_with_margin(scenario, time_limit_s=policy.time_limit_s)
    at_deadline = scenario.model_copy(
        update={"rules": rules.model_copy(update={"margin_minutes": 0.0})}
    )
    card = None
    if result.moves:
        card = create_suggestion(
            session, at_deadline, result, now=now, focus=targets, created_by=created_by
        )
    return FocusedPlan(situation, targets, at_deadline, result, card)

"""The optimizer over HTTP: on a given scenario, or on the current data."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import NowDep, PolicyDep, SessionDep, SettingsDep
from aimee.api.schemas import error_responses
from aimee.errors import Unprocessable
from aimee.planner import Plan, Scenario, plan
from aimee.services.planning import plan_current
from aimee.services.scenarios import ScenarioFilter

router = APIRouter(tags=["plan"])


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    return True


@router.post("/plan", response_model=Plan, responses=error_responses(422))
def plan_scenario(scenario: Scenario, settings: SettingsDep) -> Plan:
    """Optimal reallocation for the scenario in the body (the planner contract, docs/planner.md)."""
    result = plan(scenario, time_limit_s=settings.planner_time_limit_s)
    if not _finite(result.model_dump()):  # JSON has no infinity: it would read as null
        raise Unprocessable(
            "計算結果が大きすぎて表せません。"
            "waiting・priority・speed などを現実的な値にしてください"
        )
    return result


class CurrentPlanQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str | None = Field(None, max_length=50, description="focus site (例: 札幌)")
    business_id: str | None = Field(None, max_length=10)
    process: str | None = Field(None, max_length=100)
    min_skill_level: int | None = Field(
        None, ge=1, le=5, description="default: AIMEE_MIN_SKILL_LEVEL"
    )
    max_moves: int | None = Field(None, ge=0, le=500, description="default: AIMEE_MAX_MOVES")
    switch_minutes: float | None = Field(
        None, ge=0, le=240, description="default: AIMEE_SWITCH_MINUTES"
    )
    margin_minutes: float | None = Field(
        None, ge=0, le=240, description="default: AIMEE_MARGIN_MINUTES"
    )


class CurrentPlanPublic(BaseModel):
    scenario: Scenario
    plan: Plan


@router.get("/plan/current", response_model=CurrentPlanPublic)
def plan_on_current_data(
    session: SessionDep,
    policy: PolicyDep,
    now: NowDep,
    query: Annotated[CurrentPlanQuery, Query()],
) -> CurrentPlanPublic:
    """Optimal reallocation for the situation now; with a focus, the focus queues and
    every queue that could lend them operators."""
    result = plan_current(
        session,
        ScenarioFilter(
            location=query.location, business_id=query.business_id, process=query.process
        ),
        now=now,
        rules=policy.rules.model_copy(
            update={
                name: value
                for name in ("min_skill_level", "max_moves", "switch_minutes", "margin_minutes")
                if (value := getattr(query, name)) is not None
            }
        ),
        time_limit_s=policy.time_limit_s,
    )
    return CurrentPlanPublic(scenario=result.scenario, plan=result.plan)

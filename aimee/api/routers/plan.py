"""The optimizer over HTTP: on a given scenario, or on the current data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import SessionDep, SettingsDep
from aimee.planner import Plan, Rules, Scenario, plan
from aimee.services.planning import plan_current
from aimee.services.scenarios import ScenarioFilter

router = APIRouter(tags=["plan"])


@router.post("/plan", response_model=Plan)
def plan_scenario(scenario: Scenario, settings: SettingsDep) -> Plan:
    """Optimal reallocation for the scenario in the body (DESIGN.md's planner contract)."""
    return plan(scenario, time_limit_s=settings.planner_time_limit_s)


class CurrentPlanQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str | None = Field(None, max_length=50, description="focus site (例: 札幌)")
    business_id: str | None = Field(None, max_length=10)
    process: str | None = Field(None, max_length=100)
    min_skill_level: int = Field(3, ge=1, le=5)
    max_moves: int = Field(10, ge=0, le=500)
    switch_minutes: float = Field(5.0, ge=0, le=240)


class CurrentPlanPublic(BaseModel):
    scenario: Scenario
    plan: Plan


@router.get("/plan/current", response_model=CurrentPlanPublic)
def plan_on_current_data(
    session: SessionDep, settings: SettingsDep, query: Annotated[CurrentPlanQuery, Query()]
) -> CurrentPlanPublic:
    """Optimal reallocation for the situation now; with a focus, the focus queues and
    every queue that could lend them operators."""
    result = plan_current(
        session,
        ScenarioFilter(
            location=query.location, business_id=query.business_id, process=query.process
        ),
        rules=Rules(
            min_skill_level=query.min_skill_level,
            max_moves=query.max_moves,
            switch_minutes=query.switch_minutes,
        ),
        time_limit_s=settings.planner_time_limit_s,
    )
    return CurrentPlanPublic(scenario=result.scenario, plan=result.plan)

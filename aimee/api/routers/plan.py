"""The optimizer over HTTP: on a given scenario, or on the current data."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from aimee.api.deps import (
    ApproverUser,
    ComponentsDep,
    NowDep,
    PolicyDep,
    SessionDep,
    SettingsDep,
)
from aimee.api.rate_limit import RATE_LIMITED, limit_plan
from aimee.api.schemas import error_responses
from aimee.bootstrap import Components
from aimee.config import Settings
from aimee.errors import NotFound, Unprocessable
from aimee.planner import Plan, Scenario, plan
from aimee.services.day_plan import DayPlanStatus
from aimee.services.overlaps import annotate_card
from aimee.services.planning import CurrentPlan, plan_current
from aimee.services.policy import Policy
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


def _within_limits(scenario: Scenario, settings: Settings) -> None:
    """422 naming the limit when a posted scenario is larger than this API solves."""
    limits = (
        ("queues", len(scenario.queues), settings.plan_max_queues, "AIMEE_PLAN_MAX_QUEUES"),
        (
            "operators",
            len(scenario.operators),
            settings.plan_max_operators,
            "AIMEE_PLAN_MAX_OPERATORS",
        ),
        (
            "rules.max_moves",
            scenario.rules.max_moves,
            settings.plan_max_moves,
            "AIMEE_PLAN_MAX_MOVES",
        ),
    )
    for field, value, limit, setting in limits:
        if value > limit:
            raise Unprocessable(
                f"{field} が上限を超えています（{value:,}、上限 {limit:,}: {setting}）",
                detail={"field": field, "value": value, "limit": limit},
            )


SCENARIO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}},
    }
}
"""The body of POST /plan in the OpenAPI schema (it is parsed inside the work gate)."""


@router.post(
    "/plan",
    response_model=Plan,
    responses={**error_responses(422, 503), **RATE_LIMITED},
    dependencies=[Depends(limit_plan)],
    openapi_extra=SCENARIO_BODY,
)
async def plan_scenario(request: Request, settings: SettingsDep, components: ComponentsDep) -> Plan:
    """Optimal reallocation for the scenario in the body (the planner contract,
    docs/planner.md). Limits: AIMEE_PLAN_MAX_QUEUES / _OPERATORS / _MOVES (422),
    AIMEE_PLAN_RATE_LIMIT per token (429), one plan at a time per process with a short
    queue (503 with Retry-After when it is full). The body is parsed inside the gate
    too, so that waiting requests hold bytes, not scenarios."""
    body = await request.body()  # at most AIMEE_MAX_BODY_BYTES (api/body_limit.py)
    return await run_in_threadpool(_solve, body, settings, components)


def _parse(body: bytes) -> Scenario:
    try:
        return Scenario.model_validate_json(body)
    except ValidationError as exc:  # the same 422 as any other body
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()]
        raise RequestValidationError(errors) from None


def _solve(body: bytes, settings: Settings, components: Components) -> Plan:
    with components.heavy.slot("配置計画の計算"):
        scenario = _parse(body)
        _within_limits(scenario, settings)
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


@router.get(
    "/plan/current",
    response_model=CurrentPlanPublic,
    responses={**error_responses(503), **RATE_LIMITED},
    dependencies=[Depends(limit_plan)],
)
def plan_on_current_data(
    session: SessionDep,
    policy: PolicyDep,
    now: NowDep,
    components: ComponentsDep,
    query: Annotated[CurrentPlanQuery, Query()],
) -> CurrentPlanPublic:
    """Optimal reallocation for the situation now; with a focus, the focus queues and
    every queue that could lend them operators (limits as for POST /plan)."""
    with components.heavy.slot("配置計画の計算"):
        result = _plan_current(session, policy, now, query)
    return CurrentPlanPublic(scenario=result.scenario, plan=result.plan)


def _plan_current(
    session: Session, policy: Policy, now: datetime, query: CurrentPlanQuery
) -> CurrentPlan:
    return plan_current(
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


@router.post(
    "/plan/day",
    response_model=DayPlanStatus,
    status_code=202,
    responses={200: {"model": DayPlanStatus}, **error_responses(403), **RATE_LIMITED},
    dependencies=[Depends(limit_plan)],
)
def plan_the_day(
    session: SessionDep,
    now: NowDep,
    user: ApproverUser,
    components: ComponentsDep,
    response: Response,
) -> DayPlanStatus:
    """本日の残りの計画: the time-phased plan of every queue for the rest of the day on the
    current data, solved in the background (AIMEE_DAY_PLAN_TIME_LIMIT_S). 202 with the job
    and its progress while it runs (follow it at `GET /plan/day/{id}`); 200 when the plan on
    the same data is already made. When done, its first moves are a pending suggestion
    (`suggestion`, approved as any other) carrying the moves planned after them
    (`timeline`, informational) and the day's figures (`day`). Approver or higher."""
    found = components.day_plans.request(session, now=now, user=user.user_name)
    if found.state != "running":
        response.status_code = 200
    return _shown(session, components, found.id, now) or found


@router.get(
    "/plan/day/{job_id}",
    response_model=DayPlanStatus,
    responses=error_responses(404),
)
def day_plan_status(
    session: SessionDep,
    now: NowDep,
    components: ComponentsDep,
    job_id: Annotated[str, Path(max_length=40)],
    wait_s: Annotated[
        float,
        Query(ge=0, le=10, description="wait up to this long for the plan to be done"),
    ] = 0.0,
) -> DayPlanStatus:
    """Where a plan for the rest of the day stands: running (with `progress`), done (with
    its suggestion, or the timeline alone when nobody should move now) or failed."""
    components.day_plans.wait(job_id, wait_s)
    found = _shown(session, components, job_id, now)
    if found is None:
        raise NotFound(f"計画{job_id}は見つかりません（1時間で消えます）")
    return found


def _shown(
    session: Session, components: Components, job_id: str, now: datetime
) -> DayPlanStatus | None:
    found = components.day_plans.status(session, job_id)
    if found is None or found.suggestion is None:
        return found
    return found.model_copy(update={"suggestion": annotate_card(session, found.suggestion, now)})

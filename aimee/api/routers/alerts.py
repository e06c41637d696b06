"""Alerts found by the periodic scan: list, acknowledge, and a suggestion for
the alert's queue in one click."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import ApproverUser, CurrentUser, NowDep, PolicyDep, SessionDep
from aimee.api.schemas import MAX_ID, IdPath, error_responses
from aimee.services import alert_suggestions
from aimee.services import alerts as service
from aimee.services.alert_rules import AlertType, Severity
from aimee.services.overlaps import annotate_card, open_plans
from aimee.services.suggestions import SuggestionPublic
from aimee.store.models import Alert

router = APIRouter(tags=["alerts"])


class AlertListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "acknowledged", "resolved", "active"] | None = Field(
        None, description="active = open または acknowledged"
    )
    type: AlertType | None = Field(None, description="アラート種別")
    severity: Severity | None = None
    location: str | None = Field(None, max_length=50, description="拠点 (例: 札幌)")
    business_id: str | None = Field(None, max_length=10)
    process: str | None = Field(None, max_length=100, description="工程 (例: エントリ1)")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_ID)


class AlertPublic(BaseModel):
    alert_id: int
    alert_type: str
    severity: str
    location: str | None
    business_id: str | None
    process: str | None
    message: str
    details: dict[str, Any] = Field(description="the numbers the message is built from")
    status: str
    suggestion_id: str | None
    open_suggestion_id: str | None = Field(
        None, description="the open plan for this queue (pending, or approved and not done)"
    )
    created_at: datetime
    updated_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None


class AlertPage(BaseModel):
    total: int
    items: list[AlertPublic]


def _public(row: Alert, plans: dict[tuple[str, str, str], str] | None = None) -> AlertPublic:
    queue = (row.location_name or "", row.business_id or "", row.process_name or "")
    return AlertPublic(
        open_suggestion_id=(plans or {}).get(queue),
        alert_id=row.alert_id,
        alert_type=row.alert_type,
        severity=row.severity,
        location=row.location_name,
        business_id=row.business_id,
        process=row.process_name,
        message=row.message,
        details=dict(row.details or {}),
        status=row.status,
        suggestion_id=row.suggestion_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        resolved_at=row.resolved_at,
    )


@router.get("/alerts", response_model=AlertPage)
def list_alerts(
    session: SessionDep, now: NowDep, query: Annotated[AlertListQuery, Query()]
) -> AlertPage:
    """Alerts, most urgent first: severity, then the queue's deadline, then newest."""
    flt = service.AlertFilter(
        status=query.status,
        alert_type=query.type,
        severity=query.severity,
        location=query.location,
        business_id=query.business_id,
        process=query.process,
    )
    total, rows = service.list_alerts(session, flt, limit=query.limit, offset=query.offset)
    plans = open_plans(session, now)
    return AlertPage(total=total, items=[_public(r, plans) for r in rows])


@router.get("/alerts/{alert_id}", response_model=AlertPublic, responses=error_responses(404))
def get_alert(alert_id: IdPath, session: SessionDep, now: NowDep) -> AlertPublic:
    row = service.get_alert(session, alert_id)
    return _public(row, open_plans(session, now))


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response_model=AlertPublic,
    responses=error_responses(404, 409),
)
def acknowledge_alert(
    alert_id: IdPath, session: SessionDep, user: CurrentUser, now: NowDep
) -> AlertPublic:
    """Record that the authenticated user has seen the alert (once)."""
    row = service.acknowledge(session, alert_id, user=user.user_name, now=now)
    return _public(row)


@router.post(
    "/alerts/{alert_id}/suggestion",
    response_model=SuggestionPublic,
    responses=error_responses(403, 404, 409),
)
def suggest_for_alert(
    alert_id: IdPath, session: SessionDep, policy: PolicyDep, user: ApproverUser, now: NowDep
) -> SuggestionPublic:
    """Plan help for the alert's queue and keep it as a pending suggestion (approver or higher)."""
    card = alert_suggestions.suggest(session, alert_id, user=user.user_name, now=now, policy=policy)
    return annotate_card(session, card, now)

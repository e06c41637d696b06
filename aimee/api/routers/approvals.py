"""Decisions on suggestions and the execution status of approved moves."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aimee.api.deps import ApproverUser, ComponentsDep, NowDep, SessionDep
from aimee.api.schemas import MAX_ID, IdPath, error_responses
from aimee.services import approvals
from aimee.services.approvals import ApprovalPublic, ChangeIn
from aimee.store.db import retry_when_busy
from aimee.store.models import APPROVAL_ACTIONS, EXECUTION_STATUSES

router = APIRouter(tags=["approvals"])


class ApprovalAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "reject", "modify"]
    feedback_reason: str | None = Field(None, max_length=2000, description="判断理由")
    changes: list[ChangeIn] | None = Field(None, description="modify のときの変更後の内容")

    @model_validator(mode="after")
    def _changes_only_for_modify(self) -> ApprovalAction:
        if self.action == "modify" and not self.changes:
            raise ValueError("修正（modify）には変更後の内容（changes）が必要です")
        if self.action != "modify" and self.changes:
            raise ValueError("changes は modify のときだけ指定できます")
        return self


class ExecutionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["executing", "completed", "failed"]


class ApprovalListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suggestion_id: str | None = Field(None, max_length=50)
    user: str | None = Field(None, max_length=100)
    action: Literal[APPROVAL_ACTIONS] | None = None  # type: ignore[valid-type]
    execution_status: Literal[EXECUTION_STATUSES] | None = None  # type: ignore[valid-type]
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_ID)


class ApprovalPage(BaseModel):
    total: int
    items: list[ApprovalPublic]


@router.post(
    "/approvals/{suggestion_id}/action",
    response_model=ApprovalPublic,
    responses=error_responses(400, 403, 404, 409),
)
def act_on_suggestion(
    suggestion_id: str,
    body: ApprovalAction,
    components: ComponentsDep,
    session: SessionDep,
    user: ApproverUser,
    now: NowDep,
) -> ApprovalPublic:
    """Approve, reject or modify a pending suggestion, as the authenticated approver.
    409 when it was already decided, expired, or no longer holds on the current data.
    Retried on fresh data when the database was busy with another decision (so a
    loser learns why: 409, not 503)."""
    return retry_when_busy(
        session,
        lambda: components.approvals.act(
            session,
            suggestion_id,
            body.action,
            user=user,
            now=now,
            feedback_reason=body.feedback_reason,
            changes=body.changes or [],
        ),
    )


@router.patch(
    "/approvals/{approval_history_id}/execution",
    response_model=ApprovalPublic,
    responses=error_responses(403, 404, 409),
)
def update_execution(
    approval_history_id: IdPath,
    body: ExecutionUpdate,
    components: ComponentsDep,
    session: SessionDep,
    _user: ApproverUser,
    now: NowDep,
) -> ApprovalPublic:
    """For the system that carries the moves out: pending → executing →
    completed | failed. On completed the operators' assignments change."""
    return retry_when_busy(
        session,
        lambda: components.approvals.set_execution(
            session, approval_history_id, body.status, now=now
        ),
    )


@router.get("/approvals", response_model=ApprovalPage)
def list_approvals(
    session: SessionDep, now: NowDep, query: Annotated[ApprovalListQuery, Query()]
) -> ApprovalPage:
    """Decisions, newest first, each with its plan's predicted and actual outcomes
    (予測 vs 実績, recorded once the touched queues' deadlines have passed)."""
    total, items = approvals.list_history(session, now=now, **query.model_dump())
    return ApprovalPage(total=total, items=items)

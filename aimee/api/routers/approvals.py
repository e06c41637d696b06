"""Decisions on suggestions and the execution status of approved moves."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aimee import clock
from aimee.api.deps import ApproverUser, SessionDep
from aimee.api.schemas import MAX_ID, IdPath, error_responses
from aimee.services.approvals import ApprovalPublic, ApprovalService, ChangeIn, to_public
from aimee.store.models import APPROVAL_ACTIONS, EXECUTION_STATUSES
from aimee.store.repositories import approvals as repo

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


def _service(request: Request) -> ApprovalService:
    service: ApprovalService = request.app.state.approvals
    return service


@router.post(
    "/approvals/{suggestion_id}/action",
    response_model=ApprovalPublic,
    responses=error_responses(400, 403, 404, 409),
)
def act_on_suggestion(
    suggestion_id: str,
    body: ApprovalAction,
    request: Request,
    session: SessionDep,
    user: ApproverUser,
) -> ApprovalPublic:
    """Approve, reject or modify a pending suggestion, as the authenticated approver.
    409 when it was already decided, expired, or no longer holds on the current data."""
    return _service(request).act(
        session,
        suggestion_id,
        body.action,
        user=user,
        now=clock.now(),
        feedback_reason=body.feedback_reason,
        changes=body.changes or [],
    )


@router.patch(
    "/approvals/{approval_history_id}/execution",
    response_model=ApprovalPublic,
    responses=error_responses(403, 404, 409),
)
def update_execution(
    approval_history_id: IdPath,
    body: ExecutionUpdate,
    request: Request,
    session: SessionDep,
    _user: ApproverUser,
) -> ApprovalPublic:
    """For the system that carries the moves out: pending → executing →
    completed | failed. On completed the operators' assignments change."""
    return _service(request).set_execution(
        session, approval_history_id, body.status, now=clock.now()
    )


@router.get("/approvals", response_model=ApprovalPage)
def list_approvals(
    session: SessionDep, query: Annotated[ApprovalListQuery, Query()]
) -> ApprovalPage:
    total, rows = repo.list_history(session, **query.model_dump())
    return ApprovalPage(total=total, items=[to_public(row) for row in rows])

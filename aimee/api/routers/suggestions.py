"""Suggestions made by the chat and the alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import ApproverUser, NowDep, PolicyDep, SessionDep
from aimee.api.schemas import MAX_ID, error_responses
from aimee.services import suggestions
from aimee.services.approvals import ChangeIn
from aimee.services.overlaps import annotate, annotate_card
from aimee.services.planning import replan
from aimee.services.suggestion_preview import SuggestionPreview, preview_modification
from aimee.services.suggestions import SuggestionPublic, to_public
from aimee.store.models import SUGGESTION_STATUSES

router = APIRouter(tags=["suggestions"])


class SuggestionListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(None, pattern="^(" + "|".join(SUGGESTION_STATUSES) + ")$")
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_ID)


@router.get("/suggestions", response_model=list[SuggestionPublic])
def list_suggestions(
    session: SessionDep, now: NowDep, query: Annotated[SuggestionListQuery, Query()]
) -> list[SuggestionPublic]:
    rows = suggestions.list_suggestions(session, **query.model_dump())
    return annotate(session, [to_public(row) for row in rows], now)


@router.get(
    "/suggestions/{suggestion_id}", response_model=SuggestionPublic, responses=error_responses(404)
)
def get_suggestion(suggestion_id: str, session: SessionDep, now: NowDep) -> SuggestionPublic:
    return annotate_card(
        session, to_public(suggestions.get_suggestion(session, suggestion_id)), now
    )


@router.post(
    "/suggestions/{suggestion_id}/replan",
    response_model=SuggestionPublic,
    responses=error_responses(403, 404, 409),
)
def replan_suggestion(
    suggestion_id: str, session: SessionDep, policy: PolicyDep, user: ApproverUser, now: NowDep
) -> SuggestionPublic:
    """再計算: a new pending suggestion for the same queue on the current data, leaving
    out people promised elsewhere (approver or higher)."""
    card = replan(session, suggestion_id, now=now, policy=policy, user=user.user_name)
    return annotate_card(session, card, now)


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: list[ChangeIn] = Field(min_length=1, description="修正後の内容（modify と同じ形）")


@router.post(
    "/suggestions/{suggestion_id}/preview",
    response_model=SuggestionPreview,
    responses=error_responses(404, 409),
)
def preview_suggestion(
    suggestion_id: str, body: PreviewRequest, session: SessionDep, now: NowDep
) -> SuggestionPreview:
    """Read-only: the impact the edited moves would have on the current data, with
    the same checks as a modify approval (409 with the reason when it would fail)."""
    return preview_modification(session, suggestion_id, body.changes, now=now)

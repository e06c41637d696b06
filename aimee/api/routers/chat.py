"""Chat: one turn as JSON, or streamed as server-sent events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from aimee.api.deps import ComponentsDep, CurrentUser, NowDep, SessionDep
from aimee.api.rate_limit import RATE_LIMITED, limit_chat
from aimee.api.turn_gate import chat_turn
from aimee.nlu import IntentResult
from aimee.services.chat import Source
from aimee.services.feedback import record_feedback
from aimee.services.suggestions import SuggestionPublic
from aimee.services.users import has_role
from aimee.store.db import transaction
from aimee.store.models import User

router = APIRouter(tags=["chat"])

MAX_MESSAGE_CHARS = 2000
MAX_CONTEXT_KEYS = 50
MAX_CONTEXT_BYTES = 8_000


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        max_length=MAX_MESSAGE_CHARS, description="日本語のメッセージ（2000文字まで）"
    )
    session_id: str = Field("default", min_length=1, max_length=100)
    context: dict[str, Any] = Field(
        default_factory=dict,
        description="呼び出し側の付加情報（契約上の項目。回答には使いません）: "
        f"{MAX_CONTEXT_KEYS}項目・JSONで{MAX_CONTEXT_BYTES // 1000}KBまで",
    )

    @field_validator("context")
    @classmethod
    def _small_context(cls, value: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(value, ensure_ascii=False, default=str).encode())
        if len(value) > MAX_CONTEXT_KEYS or size > MAX_CONTEXT_BYTES:
            raise ValueError(
                f"context は{MAX_CONTEXT_KEYS}項目・{MAX_CONTEXT_BYTES // 1000}KBまでです"
                f"（{len(value)}項目・{size:,}バイト）"
            )
        return value

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("メッセージを入力してください")
        if "\x00" in value:
            raise ValueError("メッセージに使用できない文字が含まれています")
        return value.strip()


class IntentPublic(BaseModel):
    intent_type: str
    entities: dict[str, str | int]
    requires_action: bool


class SourcePublic(BaseModel):
    title: str
    content: str
    similarity: float
    category: str


class RequestPublic(BaseModel):
    kind: str = Field(description="what the manager asks for (plan, what_if, finish_time, …)")
    slots: dict[str, Any] = Field(
        description="the constraints the message states: targets, head_count, origins, …"
    )
    leaving: bool = Field(
        False,
        description="a what-if's head_count counts people of the queue who leave it, unnamed "
        "(「1人抜けたら」), rather than people who come",
    )
    horizon: Literal["day"] | None = Field(
        None,
        description="`day`: a plan for the rest of the day (「今日の残りどう回す？」): the "
        "time-phased plan of the whole floor, its first moves the suggestion",
    )


class ChatResponse(BaseModel):
    response: str
    suggestion: SuggestionPublic | None
    intent: IntentPublic
    request: RequestPublic | None = Field(
        None, description="the parsed request (beyond the contract's intent)"
    )
    sources: list[SourcePublic]
    timestamp: datetime
    answer_source: str = Field(description="'template' or 'llm'")


def _session_key(user: User, session_id: str) -> str:
    """Conversations are per user: one user cannot continue another's session."""
    return f"{user.user_id}:{session_id}"


def _intent(intent: IntentResult) -> IntentPublic:
    return IntentPublic(
        intent_type=intent.intent_type,
        entities=dict(intent.entities),
        requires_action=intent.requires_action,
    )


def _request(intent: IntentResult) -> RequestPublic | None:
    return None if intent.request is None else RequestPublic(**intent.request.public())


def _sources(sources: list[Source]) -> list[SourcePublic]:
    return [SourcePublic(**vars(s)) for s in sources]


@router.post(
    "/chat/message",
    response_model=ChatResponse,
    responses=RATE_LIMITED,
    dependencies=[Depends(limit_chat), Depends(chat_turn, scope="function")],
)
def chat_message(
    body: ChatRequest,
    components: ComponentsDep,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> ChatResponse:
    """The seed's pipeline: intent → know-how → data → suggestion → answer."""
    reply = components.chat.reply(
        session,
        body.message,
        _session_key(user, body.session_id),
        now=now,
        user=user.user_name,
        may_plan_day=has_role(user, "approver"),
        home_site=user.site,
    )
    return ChatResponse(
        response=reply.response,
        suggestion=reply.suggestion,
        intent=_intent(reply.intent),
        request=_request(reply.intent),
        sources=_sources(reply.sources),
        timestamp=reply.timestamp,
        answer_source=reply.answer_source,
    )


def _event(kind: str, data: Any) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    dependencies=[Depends(limit_chat), Depends(chat_turn, scope="function")],
    responses={200: {"content": {"text/event-stream": {}}}, **RATE_LIMITED},
)
def chat_stream(
    body: ChatRequest, components: ComponentsDep, user: CurrentUser, now: NowDep
) -> StreamingResponse:
    """Server-sent events: ``meta`` (intent, suggestion, sources) first, then
    ``delta`` pieces of the answer, ``replace`` when an LLM answer is replaced by
    the template, and ``done`` with the final text."""
    service = components.chat
    with transaction(components.sessions) as session:  # the suggestion is saved first
        prepared = service.prepare(
            session,
            body.message,
            _session_key(user, body.session_id),
            now=now,
            user=user.user_name,
            may_plan_day=has_role(user, "approver"),
            home_site=user.site,
        )

    def events() -> Iterator[str]:
        yield _event(
            "meta",
            {
                "intent": _intent(prepared.intent).model_dump(),
                "request": None
                if prepared.intent.request is None
                else prepared.intent.request.public(),
                "suggestion": None
                if prepared.suggestion is None
                else prepared.suggestion.model_dump(mode="json"),
                "sources": [s.model_dump() for s in _sources(prepared.sources)],
                "timestamp": prepared.timestamp.isoformat(),
            },
        )
        for event in service.stream(prepared):
            if event.kind == "end":
                yield _event("done", {"response": event.text, "answer_source": event.source})
            else:
                yield _event(event.kind, {"text": event.text})

    return StreamingResponse(events(), media_type="text/event-stream")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str = Field(min_length=1, max_length=100)
    question: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    answer: str = Field(min_length=1, max_length=20_000)
    rating: Literal["up", "down"]
    intent_type: str | None = Field(None, max_length=40)
    suggestion_id: str | None = Field(None, max_length=50)


class FeedbackPublic(BaseModel):
    feedback_id: int
    rating: str
    created_at: datetime


@router.post("/chat/feedback", response_model=FeedbackPublic, status_code=201)
def chat_feedback(
    body: FeedbackIn, session: SessionDep, user: CurrentUser, now: NowDep
) -> FeedbackPublic:
    """Keep a thumbs up or down on an answer, with the question and answer it is about."""
    row = record_feedback(
        session,
        user_name=user.user_name,
        session_id=body.session_id,
        question=body.question,
        answer=body.answer,
        rating_up=body.rating == "up",
        intent_type=body.intent_type,
        suggestion_id=body.suggestion_id,
        now=now,
    )
    return FeedbackPublic(
        feedback_id=row.feedback_id, rating=body.rating, created_at=row.created_at
    )

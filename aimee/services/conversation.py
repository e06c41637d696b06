"""Conversation memory per session (one hour), in the cache."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

from aimee.cache import TTL, Cache
from aimee.cache.base import get_json, set_json
from aimee.nlu.request import Request

MAX_TURNS = 10


@dataclass(frozen=True)
class Turn:
    message: str
    intent_type: str
    entities: dict[str, Any] = field(default_factory=dict)
    suggestion_id: str | None = None
    at: str = ""
    request: dict[str, Any] | None = None
    """The turn's request (``Request.model_dump``): follow-ups refer to the last plan."""


class ConversationMemory:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    @staticmethod
    def _key(session_id: str) -> str:
        return f"conversation:{session_id}"

    def turns(self, session_id: str) -> list[Turn]:
        data = get_json(self._cache, self._key(session_id)) or []
        return [Turn(**turn) for turn in data if isinstance(turn, dict)]

    def save(self, session_id: str, turns: list[Turn]) -> None:
        """Keep the last MAX_TURNS turns for an hour."""
        kept = turns[-MAX_TURNS:]
        set_json(self._cache, self._key(session_id), [asdict(t) for t in kept], TTL.CONVERSATION)


PLAN_KINDS = ("plan", "what_if")


def last_plan(turns: list[Turn]) -> Request | None:
    """The conversation's last plan or what-if request (its target and constraints):
    what 「じゃあ1名だけなら？」 or 「その場合、品川は？」 refer to."""
    for turn in reversed(turns):
        if turn.request and turn.request.get("kind") in PLAN_KINDS:
            try:
                return Request.model_validate(turn.request)
            except ValidationError:  # written by another version: no context rather than none
                return None
    return None


def last_suggestion_id(turns: list[Turn]) -> str | None:
    """The most recent suggestion made in the conversation."""
    return next((t.suggestion_id for t in reversed(turns) if t.suggestion_id), None)

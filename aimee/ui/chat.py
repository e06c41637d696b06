"""A chat turn as it streams in: the ``meta`` event (intent, suggestion, know-how
sources), answer pieces (``delta``), a ``replace`` when the LLM's answer is
swapped for the template, and ``done`` with the final text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from aimee.ui.client import ApiError, StreamEvent
from aimee.ui.models import ChatReply, Intent, Source, Suggestion

MAX_MESSAGE_CHARS = 2000
"""The API's limit on a chat message (``aimee/api/routers/chat.py``)."""


@dataclass(frozen=True)
class DraftCheck:
    """Whether a message typed in the chat box may be sent, and what to tell the user."""

    text: str
    problem: str | None = None

    @property
    def sendable(self) -> bool:
        return self.problem is None


def check_draft(text: str, limit: int = MAX_MESSAGE_CHARS) -> DraftCheck:
    """A blank message is not sent; one over the limit is not sent either and says
    how many characters to remove (the draft is kept so nothing is lost)."""
    if not text.strip():
        return DraftCheck(text, "メッセージが空です。質問を入力してください。")
    if len(text) > limit:
        over = len(text) - limit
        return DraftCheck(
            text,
            f"メッセージが長すぎます（{len(text):,}文字、上限{limit:,}文字）。"
            f"あと{over:,}文字減らしてから送信してください。",
        )
    return DraftCheck(text)


def counter(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """「123 / 2,000文字」: the length of a draft against the limit."""
    return f"{len(text):,} / {limit:,}文字"


@dataclass
class Turn:
    """One entry of the chat history kept in the session."""

    role: str
    text: str
    reply: ChatReply | None = None
    feedback: int | None = None
    feedback_sent: int | None = None
    """The rating last stored through the API (st.feedback: 1 up, 0 down)."""


class StreamedTurn:
    """Consume the events once through ``text()`` (for ``st.write_stream``), then
    read the assembled ``reply()``."""

    def __init__(self, events: Iterable[StreamEvent]) -> None:
        self._events = events
        self._meta: dict[str, Any] = {}
        self._pieces: list[str] = []
        self._final: str | None = None
        self._answer_source = "template"

    def text(self) -> Iterator[str]:
        for event in self._events:
            if event.kind == "meta":
                self._meta = event.data
            elif event.kind == "delta":
                piece = str(event.data.get("text", ""))
                self._pieces.append(piece)
                yield piece
            elif event.kind == "replace":
                self._pieces = [str(event.data.get("text", ""))]
            elif event.kind == "done":
                self._final = str(event.data.get("response", ""))
                self._answer_source = str(event.data.get("answer_source", "template"))

    @property
    def streamed(self) -> str:
        return "".join(self._pieces)

    def reply(self) -> ChatReply:
        if self._final is None and not self._pieces:
            raise ApiError("チャットの応答が途中で途切れました。もう一度お試しください。")
        try:
            suggestion = self._meta.get("suggestion")
            intent = self._meta.get("intent")
            return ChatReply(
                response=self._final if self._final is not None else self.streamed,
                suggestion=None if suggestion is None else Suggestion.model_validate(suggestion),
                intent=None if intent is None else Intent.model_validate(intent),
                sources=[Source.model_validate(s) for s in self._meta.get("sources", [])],
                answer_source=self._answer_source,
            )
        except ValidationError:
            raise ApiError("チャットの応答の形式が想定と異なります。") from None


@dataclass
class ChatLog:
    """The conversation shown on the chat page."""

    session_id: str
    turns: list[Turn] = field(default_factory=list)

    def ask(self, text: str) -> None:
        self.turns.append(Turn("user", text))

    def answer(self, reply: ChatReply) -> None:
        self.turns.append(Turn("assistant", reply.response, reply))

    def fail(self, message: str) -> None:
        self.turns.append(Turn("assistant", message))

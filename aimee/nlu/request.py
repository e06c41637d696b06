"""What a manager asks, as a typed request: its kind and its slots.

The chat contract's six ``intent_type`` values are too coarse to act on
「盛岡から2人までで」 or 「高山さんを抜いても回る？」; a :class:`Request` says what kind
of answer is wanted (``REQUEST_KINDS``) and every constraint the message (with its
conversation) states. Slots hold names as the data has them (full operator names,
札幌 not さっぽろ). ``KINDS`` maps each kind to the contract's nearest intent type;
it is the one registry of request kinds (services and templates key on it, and a
test fails when a kind lacks either).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from aimee.nlu.intent_types import IntentType

RequestKind = Literal[
    "plan",
    "what_if",
    "donor_check",
    "status",
    "finish_time",
    "delay_risk",
    "skill_search",
    "operator_lookup",
    "knowhow",
    "help",
    "approval_request",
    "out_of_scope",
]
REQUEST_KINDS: tuple[RequestKind, ...] = get_args(RequestKind)

KINDS: dict[RequestKind, IntentType] = {
    "plan": "deadline_optimization",
    "what_if": "impact_analysis",
    "donor_check": "impact_analysis",
    "status": "status_inquiry",
    "finish_time": "delay_risk_detection",
    "delay_risk": "delay_risk_detection",
    "skill_search": "skill_search",
    "operator_lookup": "skill_search",
    "knowhow": "general",
    "help": "general",
    "approval_request": "general",
    "out_of_scope": "general",
}
"""Each kind's ``intent_type`` in the chat contract."""

NEAREST_KIND: dict[IntentType, RequestKind] = {
    "deadline_optimization": "plan",
    "impact_analysis": "what_if",
    "status_inquiry": "status",
    "delay_risk_detection": "delay_risk",
    "skill_search": "skill_search",
    "general": "knowhow",
}
"""The kind an intent type stands for when no rule says more."""


class _Slot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QueueRef(_Slot):
    """A queue, or a site / process, as far as the message names it."""

    location: str | None = None
    business_id: str | None = None
    process: str | None = None

    def names(self, place: tuple[str | None, str | None, str | None]) -> bool:
        """This reference names ``place`` (site, business, process) as far as it goes."""
        wanted = (self.location, self.business_id, self.process)
        return all(w is None or w == got for w, got in zip(wanted, place, strict=True))


class HeadCount(_Slot):
    max: int | None = Field(None, ge=0, description="「N名まで」「N人以内」")
    exact: int | None = Field(None, ge=0, description="「N名」「N人だけ」")
    leaving: bool | None = None
    """「1人抜けたら」「2人減ったら」「ひとり休んだら」: N people of the queue, unnamed,
    leave it (a what-if); otherwise N people come. Not a slot of its own: the request
    says it beside the slots (``Request.public``)."""


class OperatorSlots(_Slot):
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    move: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    """The people a look-up is about."""


class Slots(_Slot):
    targets: tuple[QueueRef, ...] = ()
    head_count: HeadCount | None = None
    origins: tuple[QueueRef, ...] = ()
    spare: tuple[QueueRef, ...] = ()
    operators: OperatorSlots | None = None
    min_level: int | None = Field(None, ge=1, le=5)
    min_experience_months: int | None = Field(None, ge=0)
    available_only: bool = False
    sort: Literal["fastest", "most_experienced"] | None = None
    date: str | None = None
    """``today``, ``yesterday`` or an ISO date, when the message names one."""
    by_time: str | None = None
    """``HH:MM`` the message names (「16時までに」)."""
    language: Literal["en"] | None = None
    unknown: tuple[str, ...] = ()
    """Names the message uses that the data does not have (a site, a person)."""

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the request names, whatever it would do with them."""
        ops = self.operators
        return () if ops is None else ops.add + ops.remove + ops.move + ops.about

    def public(self) -> dict[str, Any]:
        """The slots a message stated, as JSON (nothing for what it did not say)."""
        return self.model_dump(
            mode="json", exclude_defaults=True, exclude={"head_count": {"leaving"}}
        )


class Request(_Slot):
    kind: RequestKind
    slots: Slots = Slots()
    answered_about: tuple[str, ...] = ()
    """People the answer named first (the fastest found, the one looked up): what
    「その人」 in the next turn refers to. Set after the turn is answered."""
    answered_queues: tuple[QueueRef, ...] = ()
    """The late queues the answer listed, most urgent first: what 「それ、何分足りない？」
    in the next turn refers to. Set after the turn is answered."""
    named: tuple[str, ...] = ()
    """Everyone the conversation has named up to this turn, oldest first (as the messages
    said them, before any follow-up resolved their roles): who 「二人とも」 means."""
    aside_from: Request | None = None
    """When this turn is an aside from the floor's queues (know-how about no place, help,
    small talk), the request the thread was on before it: what the next turn continues
    (「E1 間に合わせたい 盛岡から1」 after 「札幌 全体どう」 and 「てか応援出す基準って？」 is
    札幌's E1). The chat service already passes over help and small talk when it picks the
    previous turn (``services.chat``); know-how it cannot, since 「その時って…」 continues it,
    so the parser decides (``request_parser._thread_of``)."""
    horizon: Literal["day"] | None = None
    """``day``: a plan for the rest of the day (「今日の残りどう回す？」, ``nlu.horizon``),
    the time-phased plan of the whole floor; none: help now. Said beside the slots (it
    constrains nothing the message names)."""

    @property
    def intent_type(self) -> IntentType:
        return KINDS[self.kind]

    def public(self) -> dict[str, Any]:
        leaving = self.slots.head_count is not None and self.slots.head_count.leaving
        return (
            {"kind": self.kind, "slots": self.slots.public()}
            | ({"leaving": True} if leaving else {})
            | ({"horizon": self.horizon} if self.horizon else {})
        )

"""A message as the parser's rules read it (its text, the classifier's family, its slots
and its conversation), and the sets of kinds the rules share."""

from __future__ import annotations

from dataclasses import dataclass

from aimee.nlu import request_words as words
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.intent_types import IntentType
from aimee.nlu.request import Request, RequestKind, Slots

_DATA_KINDS: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "status", "finish_time", "delay_risk", "skill_search", "operator_lookup"}
)
_THREAD_KINDS: frozenset[RequestKind] = frozenset({"plan", "what_if", "donor_check"})


@dataclass(frozen=True)
class _Message:
    text: str
    intent: IntentType
    """The classifier's family: the broad rules below do not overrule it where it is
    specific (an impact question stays one)."""
    slots: Slots
    extraction: Extraction
    last_plan: Request | None
    previous: Request | None

    @property
    def people(self) -> tuple[str, ...]:
        return self.slots.people

    @property
    def changes_people(self) -> bool:
        ops = self.slots.operators
        return ops is not None and bool(ops.add or ops.remove or ops.move)

    @property
    def looks_up(self) -> bool:
        ops = self.slots.operators
        return ops is not None and bool(ops.about) and not self.changes_people

    @property
    def places(self) -> bool:
        return any(
            m.kind in ("location", "business_id", "process") for m in self.extraction.mentions
        )

    @property
    def queue_named(self) -> bool:
        return any(t.process is not None for t in self.slots.targets)

    @property
    def about_the_floor(self) -> bool:
        """It names a site, process, person or anything the operation is made of: know-how
        is about the floor, 「明日の朝礼って何時からだっけ」 is not."""
        named = self.places or self.people or self.slots.unknown
        return bool(named) or words.FLOOR_TOPIC.search(self.text) is not None

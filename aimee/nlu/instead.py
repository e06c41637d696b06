"""「XじゃなくてY」: Y in X's place.

- A place followed by 「じゃなくて」「ではなく」 is withdrawn: 「盛岡ではなく梅田からでしたら」
  after a plan from 盛岡 is that plan from 梅田, 「E1じゃなくて補正に回したら？」 sends the
  same person to 補正 instead;
- after a plan that used someone, 「佐野さんじゃなくて前田さんだったら？」 is the same plan
  with 前田 in 佐野's place (still a plan, not a what-if).
"""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.head_counts import head_count
from aimee.nlu.numerals import arabic
from aimee.nlu.request import QueueRef, Request, RequestKind, Slots
from aimee.nlu.said import Said
from aimee.nlu.thread_people import replaced

_NOT_THIS = re.compile(r"[\s…・.、,]*(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|でなく)")
_PLACE_KINDS = frozenset({"location", "business_id", "process"})


def withdrawn_places(slots: Slots, extraction: Extraction) -> Slots:
    """``slots`` without the queues and places the message withdraws (「盛岡ではなく」),
    when something else is named for them."""
    text = extraction.text
    gone = [
        m
        for m in extraction.mentions
        if m.kind in _PLACE_KINDS and m.value is not None and _NOT_THIS.match(text, m.end)
    ]
    if not gone:
        return slots

    def kept(refs: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
        return tuple(r for r in refs if not any(getattr(r, m.kind) == m.value for m in gone))

    targets = kept(slots.targets)
    origins = kept(slots.origins)
    if (targets, origins) == (slots.targets, slots.origins):
        return slots
    if not (targets or origins):
        return slots  # nothing said in its place
    return slots.model_copy(update={"targets": targets, "origins": origins})


_MIND_CHANGED = re.compile(
    r"[….。、,!！\s]+(?:あ[っ、,]?|いや|いえ|失礼|すみません|ごめん)?[、,\s]*"
    r"(?:ちがう|違う|ちがった|違った|間違え|まちがえ|訂正)"
    r"(?!\s*(?:工程|業務|拠点|人|方|キュ|ところ|とこ|場所|サイト|チーム|感じ|の|ん))"
    r"|[….]+\s*(?:いや|いえ|じゃなくて|じゃなく|ではなくて|ではなく)[、,\s]"
    r"|[….、,]\s*(?:じゃない|じゃなかった|ではない)[、,]"  # 「盛岡のKP、じゃない、SSの検証」
    r"|(?<=[人名])[、,]\s*あ[っ、,]\s*(?=\d|[一二三四五])"  # 「2人、あ、3人」
    r"|(?<=[人名])\s*(?:じゃなく|ではなく)て?[、,\s]*(?=\d|[一二三四五])"  # 「5人じゃなくて4人で」
)
"""「梅田のE2に人入れたい…あ、ちがう梅田KPのE1だった」: what follows replaces what came before."""


def corrected_midway(slots: Slots, extraction: Extraction) -> Slots:
    """``slots`` without the targets and origins a message takes back halfway (their
    process, or business or site, said only before 「あ、ちがう」「…いや、」), when others are
    left; a count said after it is the count."""
    said = _MIND_CHANGED.search(extraction.text)
    if said is None or said.start() == 0:
        return slots
    count = head_count(arabic(extraction.text[said.end() :]))  # 「…じゃなくて、3人まで」
    if count is not None:
        slots = slots.model_copy(update={"head_count": count})
    places = [m for m in extraction.mentions if m.kind in _PLACE_KINDS and m.value is not None]
    after = {(m.kind, m.value) for m in places if m.start >= said.end()}
    before = {(m.kind, m.value) for m in places if m.end <= said.start()} - after
    if not after or not before:
        return slots

    def kept(refs: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
        left = tuple(r for r in refs if _most_specific(r) not in before)
        return left or refs

    return slots.model_copy(update={"targets": kept(slots.targets), "origins": kept(slots.origins)})


def _most_specific(ref: QueueRef) -> tuple[str, object]:
    """The process of a queue reference, else its business, else its site."""
    kind = "process" if ref.process else "business_id" if ref.business_id else "location"
    return kind, getattr(ref, kind)


def instead_of_person(m: Said) -> RequestKind | None:
    """「佐野さんじゃなくて前田智子さんだったら？」 right after a plan (or what-if) that used
    佐野: the same plan (or what-if) with the other person."""
    plan = m.last_plan
    on_it = m.previous is not None and m.previous.kind in ("plan", "what_if", "donor_check")
    if plan is None or plan.kind not in ("plan", "what_if") or not on_it:
        return None
    if m.slots.targets or _NOT_THIS.search(m.text) is None:
        return None
    last = plan.slots.operators
    if last is None or replaced(m.slots.operators, last, m.text) is None:
        return None
    return plan.kind


def person_in_plan(kind: RequestKind, slots: Slots, text: str, last_plan: Request | None) -> Slots:
    """In a plan, the people named in place of the last plan's people take their role."""
    if kind != "plan" or last_plan is None or last_plan.slots.operators is None:
        return slots
    people = replaced(slots.operators, last_plan.slots.operators, text)
    return slots if people is None else slots.model_copy(update={"operators": people})

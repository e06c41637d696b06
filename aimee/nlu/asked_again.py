"""The question just asked, asked again about another part of the floor:

- 「SSの方はいかがでしょうか。」「検証の方も確認させてください。」「補正もお願い」「盛岡SSの
  補正も16時半で見て」 after a status or finish-time question: the same kind of question
  about the part named (not a skill search, not a plan), said politely or with 「も」;
- 「じゃあ品川は？」「And Morioka?」 after a question about one part of a site (a queue, or
  a business of the site): the same part of the new site (SCHEMA's follow-up convention).
"""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import PLACEHOLDERS, Extraction
from aimee.nlu.request import QueueRef, Request, RequestKind, Slots
from aimee.nlu.said import Said

ASKED_AGAIN: frozenset[RequestKind] = frozenset({"status", "finish_time"})
"""Kinds whose question a follow-up may ask again of another part."""

_PLACE = "|".join(re.escape(PLACEHOLDERS[k]) for k in ("location", "process", "business_id"))
_PLACES = re.compile(rf"(?:{_PLACE})(?:(?:の|と|、|\s)*(?:{_PLACE}))*")
_LEADING = re.compile(
    r"^(?:じゃあ|じゃ|では|それでは|それなら|なら|あと|あとは|次に?|続いて|で)[、,\s]*"
)
_TIME = re.compile(r"(?:\d{1,2}\s*(?:時(?:半|\d{1,2}分)?|[:：]\d{2}))(?:で|まで|に|には)?")
_AGAIN = re.compile(
    r"^(?:の?(?:方|ほう))?(?:"
    r"は(?:いかが|どう|どんな(?:感じ|具合)|どうなって)"
    r"|も(?:同じく|同様に|同じように|一応|念のため)?"
    r"(?:お願い|確認|教えて|見て|みて|チェック|調べて|頼む|頼みます|よろしく|知りたい)"
    r")"
)
"""What is left of 「SSの方はいかがでしょうか」「検証の方も確認させてください」 once the
places are taken out: the question again, of the part named."""
_NOISE = re.compile(r"[\s、,。.!！?？…〜ー]+")


def asks_again(m: Said) -> RequestKind | None:
    """The previous status or finish-time question, of the part the message names."""
    prev = m.previous
    if prev is None or prev.kind not in ASKED_AGAIN or m.slots.people or not m.extraction.mentions:
        return None
    if any(x.kind == "operator" for x in m.extraction.mentions):
        return None
    rest = _LEADING.sub("", _NOISE.sub("", m.extraction.masked()))
    if not rest.startswith(tuple(PLACEHOLDERS.values())):
        return None
    rest = _TIME.sub("", _PLACES.sub("", rest, count=1))
    return prev.kind if _AGAIN.match(rest) else None


_EN_BARE = re.compile(
    rf"^(?:ok,?\s*)?(?:and|what about|how about|and what about|and how about)?\s*(?:the\s+)?"
    rf"(?:{_PLACE})\s*(?:side|one|queue)?\s*[?？]?$",
    re.IGNORECASE,
)


def bare_place(extraction: Extraction, bare: bool) -> bool:
    """「じゃあ品川は？」 (``bare``, as ``nlu.followup.is_bare`` reads it) or 「And Morioka?」."""
    return bare or _EN_BARE.match(extraction.masked().strip()) is not None


def same_part(kind: RequestKind, slots: Slots, previous: Request | None, bare: bool) -> Slots:
    """After a question about parts of one site (a queue, one business, 「札幌のE1とE2」; or
    a process at a site the data does not have), a bare follow-up or a correction naming
    only another site asks about the same parts there."""
    if kind not in ASKED_AGAIN or not bare or previous is None or previous.kind not in ASKED_AGAIN:
        return slots
    last = previous.slots.targets
    if not last or not slots.targets:
        return slots
    sites = {t.location for t in last}
    unknown_site = sites == {None} and bool(previous.slots.unknown)  # 「福岡 E1」「違う 札幌」
    if len(sites) != 1 or (None in sites and not unknown_site):
        return slots
    if not all(t.process or t.business_id for t in last):
        return slots
    if not all(_site_only(t) and t.location not in sites for t in slots.targets):
        return slots
    parts = [{"process": t.process, "business_id": t.business_id} for t in last]
    asked = (t.model_copy(update=part) for t in slots.targets for part in parts)
    return slots.model_copy(update={"targets": tuple(dict.fromkeys(asked))})


def _site_only(ref: QueueRef) -> bool:
    return ref.location is not None and ref.process is None and ref.business_id is None

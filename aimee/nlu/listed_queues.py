"""Which of the queues the last answer listed a follow-up points at: all the late ones
(「遅れている2つ」「両方」), the first (「それ」「そこ」), the only one (「何分遅れ？」), or some by
their place in the list (「上から2つ」「2つ目のほう」「一番上のところ」). ``nlu.carry`` asks,
with the queues the chat service recorded as the answer's (``Request.answered_queues``)."""

from __future__ import annotations

import re

from aimee.nlu.numerals import EN_ORDINALS, number
from aimee.nlu.request import QueueRef
from aimee.nlu.request_words import WORST

_THAT_ONE = re.compile(
    r"^(?:それ|そこ|そっち|そちら|そいつ|あれ|その(?:キュ|工程|遅れ))|\b(?:that|it|this one)\b"
)
"""「それ、何分足りない？」: the queue the last answer put first, not the site it was about."""
_LATE_ONES = re.compile(
    r"(?:遅れ(?:てい|て|そう)?(?:る|な)?|間に合わ(?:ない|なそう))(?:[^。?？]{0,4}?)"
    r"(?:[2-5２-５二三四]つ|工程|とこ|ところ|やつ|キュ)|その(?:[2-5２-５二三四]つ|両方)|^両方"
    r"|\b(?:both|those|the late ones)\b"
)
"""「遅れている2つの工程は何時に終わる？」「その2つに応援を」: every late queue the last answer
listed."""
_HOW_LATE = re.compile(r"遅れ|足りな|\blate\b|\bbehind\b")
"""「何分遅れ？」 after a list with one late queue: that queue."""


def late_meant(
    listed: tuple[QueueRef, ...], text: str, *, of_late_list: bool = False
) -> tuple[QueueRef, ...] | None:
    """Which of the late queues the last answer listed the message points at: all of them
    (「遅れている2つ」「両方」), some by their place (「上から2つ」「2つ目のほう」), the first
    (「それ」「そこ」), or the only one (「何分遅れ？」;
    after 「どこが遅れてる？」 (``of_late_list``), any question about a queue:
    「いつ終わる」「盛岡SSから1人回して」)."""
    if _LATE_ONES.search(text) and not WORST.search(text):  # not 「一番遅れてるとこ」
        return listed
    picked = _by_position(listed, text)
    if picked is not None:
        return picked
    only = len(listed) == 1 and (of_late_list or _HOW_LATE.search(text) is not None)
    if _THAT_ONE.search(text) or only:
        return listed[:1]
    return None


_TOP_N = re.compile(r"上から\s*(\d|[二三四])\s*(?:つ|個|件|工程)|\btop (two|three|\d)\b")
_NTH_PLACE = re.compile(
    r"(?:(\d|[一二三四])\s*(?:つ|個)目|(\d|[一二三四])\s*番目の?(?:とこ|ところ|工程|やつ|キュ|ほう))"
    r"|(?:一番|いちばん)上の?(?:とこ|ところ|工程|やつ|キュ|ほう|に|へ)|最初の(?:とこ|ところ|工程|やつ)"
    r"|\bthe (first|second|third) one\b"
)
"""「上から2つにまとめて応援」「2つ目のほうに誰か」「一番上のところに」"Send someone to the first
one": queues of the list the last answer gave, by their place in it."""


def _by_position(listed: tuple[QueueRef, ...], text: str) -> tuple[QueueRef, ...] | None:
    """The queues ``text`` picks from ``listed`` by their place in it (or None)."""
    top = _TOP_N.search(text)
    if top is not None:
        said = next(g for g in top.groups() if g)
        return listed[: EN_ORDINALS.get(said) or number(said)]
    nth = _NTH_PLACE.search(text)
    if nth is None:
        return None
    said = next((g for g in nth.groups() if g), "1")
    place = EN_ORDINALS.get(said) or number(said)
    return listed[place - 1 : place] or None

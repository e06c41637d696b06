"""How a sentence of an answer is read: where the answer's sentences end, the names a
sentence mentions, the label and the direction it gives a number, the verdict it states, and
how much of its wording another text shares. ``llm.claims`` checks what is read here against
the facts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from aimee.llm.claim_words import (
    BETTER,
    CHANGE_FIELDS,
    CLAUSE,
    EARLIER,
    ID,
    LABELS,
    LATE,
    LATER,
    OFFSET,
    OFFSET_FIELDS,
    ON_TIME,
    PROCESS_DIGIT,
    SAME,
    SLACK_BEFORE,
    WORSE,
)
from aimee.llm.fact_book import FactBook
from aimee.llm.quantities import Quantity

SENTENCE_ENDS = ("。", "！", "？", "!", "?", "\n")
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?\n]+|[^。！？!?\n]+$")


def sentences(text: str) -> list[str]:
    """``text`` cut after each 。！？ or line break (the pieces join back to ``text``)."""
    return _SENTENCE.findall(text)


@dataclass(frozen=True)
class Mentions:
    sites: frozenset[str] = frozenset()
    processes: frozenset[str] = frozenset()
    businesses: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.sites or self.processes or self.businesses or self.people)

    def __or__(self, other: Mentions) -> Mentions:
        return Mentions(
            self.sites | other.sites,
            self.processes | other.processes,
            self.businesses | other.businesses,
            self.people | other.people,
        )

    def tags(self) -> dict[str, frozenset[str]]:
        return {
            "site": frozenset(f"site:{s}" for s in self.sites),
            "proc": frozenset(f"proc:{p}" for p in self.processes),
            "biz": frozenset(f"biz:{b}" for b in self.businesses),
            "op": frozenset(f"op:{o}" for o in self.people),
        }


@lru_cache(maxsize=64)
def name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def squeezed(text: str) -> str:
    """Without spaces, bullets and line breaks (to find a sentence said word for word)."""
    return re.sub(r"[\s・✅]", "", unicodedata.normalize("NFKC", text))


NOW_MOVE = re.compile(r"今すぐ|すぐに|直ちに|ただちに|今から|承認すると|承認すれば|即")
"""A move said as happening now (or on approval)."""
CLOCK = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*時")


_STOP_WORDS = {
    "了解",
    "承知",
    "確認",
    "対応",
    "回答",
    "質問",
    "結論",
    "申し上げ",
    "いたします",
    "ください",
}


def shares_words(said: str, support: str) -> bool:
    """A word of two or more kanji / katakana the facts or the know-how also use."""
    words = set(re.findall(r"[一-龥ァ-ヶー]{2,}", said)) - _STOP_WORDS
    return any(word in support for word in words)


def verdict(sentence: str) -> str | None:
    if LATE.search(sentence) and not re.search(
        r"間に合(?!わ)(?:い|う)(?:ます|ようになり)", sentence
    ):
        return "late"
    if ON_TIME.search(sentence):
        return "on_time"
    if WORSE.search(sentence):
        return "worse"
    if BETTER.search(sentence):
        return "better"
    if SAME.search(sentence):
        return "same"
    return None


def mask_ids(text: str) -> str:
    """Business and suggestion ids (and process names' digits) are no quantities."""
    return PROCESS_DIGIT.sub("＿", ID.sub("＿", unicodedata.normalize("NFKC", text)))


def same(a: Quantity, b: Quantity) -> bool:
    return (
        a.unit == b.unit
        and abs(abs(a.value) - abs(b.value)) <= max(a.precision, b.precision) / 2 + 1e-6
    )


def label(q: Quantity, normal: str, book: FactBook) -> frozenset[str]:
    """The fields the sentence's wording allows for ``q``: the nearest label before it in
    its clause (else the first after it) that fits its unit; ``{"!"}`` when the label
    right before it cannot have that unit (経験96件)."""
    start = max((m.end() for m in CLAUSE.finditer(normal, 0, q.start)), default=0)
    end = next((m.start() for m in CLAUSE.finditer(normal, q.end)), len(normal))
    units = book.units()
    before, after = normal[start : q.start], normal[q.end : end]
    best: tuple[int, frozenset[str]] | None = None
    for pattern, fields in LABELS:
        fits = not q.unit or any(q.unit in units.get(f, {q.unit}) for f in fields)
        for match in pattern.finditer(before):
            gap = len(before) - match.end()
            if not fits:
                if gap <= 1:
                    return frozenset({"!"})
                continue
            if best is None or gap < best[0]:
                best = (gap, fields)
    if best is not None:
        return best[1]
    for pattern, fields in LABELS:
        found = pattern.search(after)
        fits = not q.unit or any(q.unit in units.get(f, {q.unit}) for f in fields)
        if found and fits and (best is None or found.start() < best[0]):
            best = (found.start(), fields)
    return best[1] if best else frozenset()


def direction(q: Quantity, normal: str) -> tuple[int, frozenset[str]]:
    """+1 when the sentence says the figure is later / more, -1 earlier / less, else 0;
    with the fields that can carry it: a change (4分早まる, 20件減る) or an offset from
    the deadline (6分遅れ, 余裕7分)."""
    after = normal[q.end : q.end + 8]
    sign = 1 if LATER.match(after) else -1 if EARLIER.match(after) else 0
    if sign:
        offset = OFFSET.match(after)
        return sign, OFFSET_FIELDS if offset else CHANGE_FIELDS
    if SLACK_BEFORE.search(normal[max(0, q.start - 6) : q.start]):
        return -1, OFFSET_FIELDS
    return 0, frozenset()


def overlap(sentence: str, support: str) -> float:
    """Share of the sentence's character pairs found in ``support``."""
    text = re.sub(r"\s|[、。・！？]", "", sentence)
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    if not pairs:
        return 1.0
    plain = re.sub(r"\s|[、。・！？]", "", unicodedata.normalize("NFKC", support))
    return sum(1 for p in pairs if p in plain) / len(pairs)

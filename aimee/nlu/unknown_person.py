"""A person the data does not have, named bare in a question about a person:

- 「岩田 どこ」「岩田って今どこ？」: a kanji family name without an honorific, then where
  they are (or their shift or skills);
- 「Where is Kimura?」「Is Nishida on shift today?」: a capitalised romaji name in an English
  question about a person.

The name goes to ``unknown`` and the request is a look-up (SCHEMA: an unknown name keeps the
kind asked; the answer says the person is not known).
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.names import surname_only
from aimee.nlu.request import RequestKind, Slots
from aimee.nlu.said import Said

_KANJI_NAME = re.compile(
    r"^\s*([\u4e00-\u9fff々]{2,4})\s*(?:って|は)?\s*(?:今|いま)?\s*"
    r"(?:どこ|何時まで|シフト|スキル|レベル|何してる|出勤|休み)"
)
_LATIN_NAME = re.compile(
    r"\b(?:where is|where's|is|has|does|did|tell me about|find|about)\s+([a-z]{4,})"
    r"(?=\s*(?:[?？.]|$|\b(?:on|at|in|working|today|here|now|have|has)\b))",
    re.IGNORECASE,
)
_ROMAJI = re.compile(r"(?:(?:[kgsztdnhbpmyrwfj]|ch|sh|ts)?y?[aiueo]|n(?![aiueoy]))+")
"""A word that reads as Japanese in romaji (Ki-mu-ra, Ni-shi-da), not as English."""
_ENGLISH_WORDS = frozenset(
    """
    anyone someone everyone noone none mine here done gone safe sure fine time make take same
    some home nobody
    """.split()  # noqa: SIM905 - a list to read, not to diff
)
"""English words that read as romaji."""
_PERSON_ASKED = re.compile(r"\bwhere\b|\bshift\b|\bskills?\b|\blevels?\b|\bworking\b|\bhere\b")


def unknown_people(slots: Slots, extraction: Extraction) -> Slots:
    """``slots`` with a bare name of someone the data does not have in ``unknown``."""
    found = [n for n in _names(extraction) if n not in slots.unknown]
    return slots.model_copy(update={"unknown": (*slots.unknown, *found)}) if found else slots


def _names(extraction: Extraction) -> list[str]:
    text = extraction.text
    if any(m.kind == "operator" for m in extraction.mentions):
        return []  # 「Kiyomizu... sorry, Shimizu」: the person is named
    covered = [(m.start, m.end) for m in extraction.mentions]

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in covered)

    kanji = _KANJI_NAME.match(text)
    if kanji is not None and free(kanji.start(1), kanji.end(1)):
        name = kanji.group(1)
        if surname_only(name) and words.FLOOR_TOPIC.search(name) is None:
            return [name]  # a family name (not 「今日どこが危ない？」)
    latin = _LATIN_NAME.search(extraction.text)
    if latin is None or not _PERSON_ASKED.search(text.lower()):
        return []
    name = latin.group(1)
    english = name.lower() in _ENGLISH_WORDS
    if english or not free(latin.start(1), latin.end(1)) or not _ROMAJI.fullmatch(name.lower()):
        return []
    return [name.capitalize()]


def asked_of_unknown(m: Said) -> RequestKind | None:
    """A look-up of a person the data does not have, named bare."""
    if m.slots.people or not any(n in m.slots.unknown for n in _names(m.extraction)):
        return None
    return "operator_lookup"

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
from aimee.nlu.slots import LATIN_PLACE_NAMES

_KANJI_NAME = re.compile(
    r"^\s*([\u4e00-\u9fff々]{2,4})\s*(?:って|は)?\s*(?:今|いま)?\s*"
    r"(?:どこ|何時まで|シフト|スキル|レベル|何してる|出勤|休み)"
)
_LATIN_NAME = re.compile(
    r"\b(?:(where is|where's)|is)\s+([a-z]{3,})(?:(-|\s)(?:san|sama|kun)\b)?", re.I
)
"""「Where is Kimura」「Is Nishida」「Is Ono-kun」: a word asked about as a person."""
_WHERE_CONTEXT = re.compile(r"\s*(?:[?？.!]|$|(?:now|today|right now|at the moment)\b)", re.I)
"""「Where is Kimura?」「Where is Tamura now?」: where a person is."""
_IS_CONTEXT = re.compile(
    r"\s+(?:on shift|on duty|working|in today|in the office|at work|here|off today|around)\b",
    re.I,
)
"""「Is Nishida on shift today?」「Is Imai working today?」: whether a person is at work."""
_ROMAJI = re.compile(r"(?:(?:[kgsztdnhbpmyrwfj]|ch|sh|ts)?y?[aiueo]|n(?![aiueoy]))+")
"""A word that reads as Japanese in romaji (Ki-mu-ra, Ni-shi-da), not as English."""
_SURNAME_ENDING = re.compile(
    r"(?:ta|da|moto|mura|kawa|gawa|yama|no|shita|hara|bara|saki|zaki|ki|shi|i|o|be|shima|jima"
    r"|sawa|zawa|oka)$"
)
"""How Japanese family names end (Nishi-da, Ki-mura, Ima-i, Sa-to), unlike 「Kanji」."""
_SITES_IN_ROMAJI = LATIN_PLACE_NAMES | {"sapporo", "naha", "morioka", "shinagawa", "umeda"}
"""Places, not people: 「Is Tokyo working today?」."""
_ENGLISH_WORDS = frozenset(
    """
    anyone someone everyone noone none mine here done gone safe sure fine time make take same
    some home nobody data tomato potato piano radio demo memo hero zero ego info auto mango
    soda panda agenda sushi kimono karate tsunami origami bonsai kanji emoji manga anime
    tempura wasabi sake safari wiki mini kiwi hawaii dubai miami bali
    """.split()  # noqa: SIM905 - a list to read, not to diff
)
"""English words (and loanwords) that read as romaji."""


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
    for latin in _LATIN_NAME.finditer(text):
        if free(latin.start(2), latin.end(2)) and _as_person(latin, text):
            return [latin.group(2).capitalize()]
    return []


def _as_person(latin: re.Match[str], text: str) -> bool:
    """The word is used as a person: said with -san/-sama/-kun, or a Japanese family name
    (the message is lower-cased by now) asked where it is or whether it is at work (not
    「Is Tokyo working today?」「Where is data?」「Is Kanji here?」)."""
    name = latin.group(2).lower()
    if name in _ENGLISH_WORDS or name in _SITES_IN_ROMAJI or not _ROMAJI.fullmatch(name):
        return False
    if latin.group(3) is not None:
        return True
    if not _SURNAME_ENDING.search(name):
        return False
    context = _WHERE_CONTEXT if latin.group(1) else _IS_CONTEXT
    return context.match(text, latin.end()) is not None


def asked_of_unknown(m: Said) -> RequestKind | None:
    """A look-up of a person the data does not have, named bare."""
    if m.slots.people or not any(n in m.slots.unknown for n in _names(m.extraction)):
        return None
    return "operator_lookup"

"""Morphological help for building the gazetteer: split a person's full name into family
and given name, and read a place name in kana (SudachiPy, dictionary bundled offline)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aimee.sudachi import dictionary

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_HIRAGANA_OFFSET = 0x60
TYPICAL_FAMILY_CHARS = 2


@dataclass(frozen=True)
class NameParts:
    """A person's name as written in the master data, split for partial matching."""

    full: str
    family: str | None
    given: str | None
    family_is_surname: bool
    """True when the dictionary knows ``family`` as a surname (not also a place or a word)."""


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    # Built when the first gazetteer is (the dictionary is large), from the one the
    # knowledge search shares.
    return dictionary().tokenizer()


def _morphemes(text: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(surface, part of speech, katakana reading) per morpheme; empty if SudachiPy fails."""
    try:
        with _LOCK:
            tokens = _tokenizer().tokenize(text)
            return [(m.surface(), tuple(m.part_of_speech()), m.reading_form()) for m in tokens]
    except Exception:  # a broken dictionary must not stop the chat: fall back to exact names
        logger.warning("SudachiPy could not analyse %r", text, exc_info=True)
        return []


def _is_surname(pos: tuple[str, ...]) -> bool:
    return len(pos) >= 4 and pos[2] == "人名" and pos[3] == "姓"


def split_name(full: str) -> NameParts:
    """Split 「高山麻由子」 into 「高山」 + 「麻由子」.

    A space in the master data (「高山 麻由子」) is authoritative; otherwise the leading
    morpheme is the family name when the dictionary tags it as a surname, or when the
    name has several morphemes. A name that cannot be split only matches in full.
    """
    parts = full.replace("\u3000", " ").split()
    if len(parts) >= 2:
        family, given = parts[0], "".join(parts[1:])
        return NameParts("".join(parts), family, given, surname_only(family))
    morphemes = _morphemes(full)
    if len(morphemes) < 2:
        return NameParts(full, None, None, False)
    best = max(range(1, len(full)), key=lambda cut: _split_score(full, cut, len(morphemes[0][0])))
    family = full[:best]
    return NameParts(full, family, full[best:], surname_only(family))


def _split_score(full: str, cut: int, analysed_cut: int) -> float:
    """How plausible 「full[:cut]」 + 「full[cut:]」 is as family + given name.

    SudachiPy's own split of the full name is usually right (「高山」「麻由子」) but not
    always (「梅」「田花子」), so every cut is scored: a known surname and a known given
    name on either side, then the analyser's cut, then the most common family-name length.
    """
    given = _morphemes(full[cut:])
    given_ok = len(given) == 1 and len(given[0][1]) >= 4 and given[0][1][3] == "名"
    return (
        2.0 * surname_only(full[:cut])
        + 1.0 * given_ok
        + 0.5 * (cut == analysed_cut)
        + 0.25 * (cut == TYPICAL_FAMILY_CHARS)
    )


def surname_only(word: str) -> bool:
    """Whether ``word`` alone reads as a surname (「高山」) rather than a place (「千葉」)."""
    morphemes = _morphemes(word)
    return len(morphemes) == 1 and _is_surname(morphemes[0][1])


def katakana_to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - _HIRAGANA_OFFSET) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c
        for c in text
    )


def readings(word: str) -> tuple[str, ...]:
    """Katakana and hiragana readings of a place name (「札幌」 → サッポロ, さっぽろ)."""
    morphemes = _morphemes(word)
    if not morphemes:
        return ()
    reading = "".join(reading for _, _, reading in morphemes)
    if not reading or reading == word:
        return ()
    return (reading, katakana_to_hiragana(reading))

"""Operators with their skills and current assignment (the skill matrix), and the
reading (よみ) of their names, by which lists of people are put in 50音 order."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from sqlalchemy.orm import Session

from aimee.knowledge.tokenizer import get_tokenizer
from aimee.store.repositories.operators import OperatorFilter, OperatorRecord, list_operators

__all__ = ["OperatorFilter", "OperatorRecord", "find_operators", "reading"]

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def find_operators(session: Session, flt: OperatorFilter) -> list[OperatorRecord]:
    """Operators matching ``flt``: valid ones unless asked, by site, process, minimum
    level and business; each operator's skills strongest first."""
    return list_operators(session, flt)


@lru_cache(maxsize=4096)
def reading(name: str) -> str:
    """The reading of a name in hiragana (「三浦明美」 → 「みうらあけみ」), from SudachiPy's
    dictionary; sorting by it is 50音 order. A word the dictionary does not know is kept
    as written (kana stay kana).

    It reads with the know-how search's tokenizer, under its lock: a second Sudachi
    dictionary would add some 95 MB to the process."""
    text = unicodedata.normalize("NFKC", name).strip()
    if not text:
        return ""
    shared = get_tokenizer()
    with shared._lock:  # a Sudachi tokenizer is not safe to share between threads
        morphemes = shared._get().tokenize(text)
        kana = "".join(m.reading_form() if m.reading_form() else m.surface() for m in morphemes)
    return kana.translate(_KATAKANA_TO_HIRAGANA)

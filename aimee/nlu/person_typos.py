"""People's names typed with one slip, when the family name leaves no doubt:

- 「菅原翔大さん」「遠藤友見さん」: a full name whose family name is one person's only and
  whose given name has one kanji wrong (same length) is that person (「佐藤花子さん」, a
  given name nobody of that family has, stays unknown: more than one kanji differs);
- 「Sugawra-san」: a Latin word one letter off (a letter dropped, added or changed) from the
  romaji of exactly one person's unique family name, before an honorific or a question
  word, is that person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from aimee.nlu.names import split_name

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]{3,}")
_LATIN = re.compile(r"[a-z]{5,}")
_AFTER_LATIN = re.compile(
    r"\s*-?\s*(?:san|sama|kun|chan|さん|様|くん|ちゃん)\b|\s+(?:doko|wa|ha)\b"
)


def name_typos(
    text: str,
    people: Iterable[str],
    latin_surnames: dict[str, str],
    taken: list[tuple[int, int]],
) -> list[tuple[int, int, str]]:
    """``(start, end, full name)`` for each uncovered name in ``text`` one slip off one
    person's; ``latin_surnames``: romaji of unique family names → full name."""
    found: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in taken)

    def unread(start: int, end: int) -> bool:
        """No one name read covers the run (「竹下明美」 read as 竹下 and 明美 is still a slip)."""
        return not any(s <= start and end <= e for s, e in taken)

    families = _families(tuple(people))
    for run in _KANJI_RUN.finditer(text):
        word = run.group()
        near = {
            full
            for full, family in families.items()
            if word.startswith(family) and _one_kanji_off(word, full, len(family))
        }
        if len(near) == 1 and unread(*run.span()):
            found.append((*run.span(), near.pop()))
    for latin in _LATIN.finditer(text):
        word = latin.group()
        if not free(*latin.span()) or _AFTER_LATIN.match(text, latin.end()) is None:
            continue
        close = {full for surname, full in latin_surnames.items() if _one_letter_off(word, surname)}
        if len(close) == 1:
            found.append((latin.start(), latin.end(), close.pop()))
    return found


@lru_cache(maxsize=4)
def _families(people: tuple[str, ...]) -> dict[str, str]:
    """Full name → family name, for the people whose family name nobody else has."""
    split = {full: split_name(full).family for full in people if _KANJI_RUN.fullmatch(full)}
    counts = Counter(f for f in split.values() if f)
    return {full: f for full, f in split.items() if f and counts[f] == 1}


def _one_kanji_off(word: str, full: str, family: int) -> bool:
    """Same length, the family name intact and one kanji of the given name different."""
    if len(word) != len(full) or len(full) - family < 1:
        return False
    return sum(a != b for a, b in zip(word[family:], full[family:], strict=True)) == 1


def _one_letter_off(word: str, name: str) -> bool:
    """One letter dropped, added or changed (Levenshtein distance 1)."""
    if word == name or abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        return sum(a != b for a, b in zip(word, name, strict=True)) == 1
    short, long = sorted((word, name), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))

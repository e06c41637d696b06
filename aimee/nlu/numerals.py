"""Numbers as a message writes them: kanji and English number words as integers, and
kanji numbers of times, counts and levels rewritten in digits."""

from __future__ import annotations

import re

_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ENGLISH_NUMBERS = {
    "couple": 2,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "nine": 9,
    "twelve": 12,
}


EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
"""English ordinals ("the second person", "the first one")."""


def number(token: str) -> int:
    found = _KANJI_NUMBERS.get(token) or _ENGLISH_NUMBERS.get(token)
    return found or (10 if token == "十" else int(token))


_KANJI_DIGITS = "一二三四五六七八九"
_KANJI_NUMBER = re.compile(
    r"([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
    r"(?=時(?!的|停止|保留|中断|間)|人|名|年(?:半|以上))|(?<=時)([一二三四五]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=分)"
    r"|(?:(?<=レベル|ランク)|(?<=水準))([一二三四五])(?!覧|緒|番|度|部|気|旦|応|切|通|斉|律)|(?<=lv)([一二三四五])"
)


def _kanji_value(word: str) -> int:
    if "十" not in word:
        return _KANJI_DIGITS.index(word) + 1
    tens, _, ones = word.partition("十")
    return (_KANJI_DIGITS.index(tens) + 1 if tens else 1) * 10 + (
        _KANJI_DIGITS.index(ones) + 1 if ones else 0
    )


def arabic(text: str) -> str:
    """Kanji numbers of times, counts and levels in digits: 「十八時」 → 「18時」, 「四人」 →
    「4人」, 「レベル五」 → 「レベル5」 (「一時的」「十分」「レベル一覧」 stay words)."""
    return _KANJI_NUMBER.sub(lambda m: str(_kanji_value(next(g for g in m.groups() if g))), text)

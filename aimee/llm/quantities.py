"""Numbers in any form a Japanese answer writes them, read as values with units.

16:46 and 16時46分 are the same time; 90分, 1時間半 and 1.5時間 the same duration;
毎時88件 and 1時間あたり88件 the same rate; 7割 is 70%; 百二十五件 is 125件; full-width
digits are digits. A number that cannot be read exactly (数十件, 十数名) is reported as
unreadable: a claim nobody can check.

Units: ``time`` (minutes after midnight), ``min`` (a duration in minutes), ``件``, ``名``,
``件/時``, ``%``, ``倍``, ``ヶ月``, ``lv``, ``工程``, and ``""`` for a bare number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "両": 2}
_KANJI_POWERS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千万零両]+")
_COUNTER = r"(?:件|名|人|分|時間|時|ヶ月|か月|カ月|ヵ月|ケ月|割|倍|工程|秒|パーセント)"
_KANJI_BEFORE_COUNTER = re.compile(rf"(?<![数何幾])({_KANJI_NUMBER.pattern})(?=数?{_COUNTER})")
_VAGUE = re.compile(
    rf"[数何幾]+[十百千万]?(?:数)?(?={_COUNTER})|十数|"
    rf"[一二三四五六七八九\d]+\s*[、~〜～-]\s*[一二三四五六七八九\d]+(?=\s*{_COUNTER})"
)
VAGUE_MARK = "¿"
"""Stands for a number nobody can check (数十件, 2〜3名) in a normalised text."""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    start: int
    end: int
    signed: bool = False
    """The text gave a sign (``+30%``, ``-4分``)."""
    precision: float = 1.0
    """Half of this is the rounding the stated value allows (7割: 10, 2.3倍: 0.1)."""
    unreadable: bool = False


def kanji_value(text: str) -> int | None:
    """百二十五 -> 125, 一二〇 -> 120, 三万五千 -> 35000; None when not a number."""
    if text and all(c in _KANJI_DIGITS for c in text):  # digit by digit: 一二〇
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _KANJI_DIGITS:
            if digit is not None:
                return None
            digit = _KANJI_DIGITS[char]
        elif char in _KANJI_POWERS:
            section += (1 if digit is None else digit) * _KANJI_POWERS[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0) or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def normalise(text: str) -> str:
    """NFKC (full-width digits and signs), thousands separators dropped, kanji numbers
    before a counter written in digits; the length may change."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("−", "-")
    text = _VAGUE.sub(VAGUE_MARK, text)

    def digits(match: re.Match[str]) -> str:
        if match.group(1) == "十" and text[match.end() : match.end() + 1] == "分":
            after = text[match.end() + 1 : match.end() + 2]
            before = text[max(0, match.start() - 1) : match.start()]
            if (
                after in {"に", "な", "で", "だ", "間", "す", "か", "あ", "の", ""}
                and not before.isdigit()
                and before != "時"
            ):
                return match.group(0)  # 十分 (enough), not ten minutes
        value = kanji_value(match.group(1))
        return match.group(0) if value is None else str(value)

    return _KANJI_BEFORE_COUNTER.sub(digits, text)


_NUM = r"[+-]?\d+(?:\.\d+)?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")),
    ("time", re.compile(r"(?<![\d.])(\d{1,2}):(\d{2})(?!\d)")),
    ("time", re.compile(r"(?<![\d.])(\d{1,2})時(?:(\d{1,2})分|(半))?(?!間|点)")),
    (
        "rate",
        re.compile(rf"(?:毎時|時速|1時間(?:あたり|当たり|に|で)|時間あたり)\s*約?({_NUM})\s*件"),
    ),
    ("rate", re.compile(rf"({_NUM})\s*件\s*(?:/|／|毎)\s*(?:時|h)")),
    ("min", re.compile(rf"(?<![\d.])({_NUM})\s*時間(?:(半)|\s*(\d{{1,2}})\s*分)?")),
    ("min", re.compile(rf"(?<![\d.])({_NUM})\s*(分|秒)(?!の)")),
    ("%", re.compile(rf"(?<![\d.])({_NUM})\s*(%|パーセント|割)")),
    ("倍", re.compile(rf"(?<![\d.])({_NUM})\s*倍")),
    ("ヶ月", re.compile(rf"(?<![\d.])({_NUM})\s*(?:ヶ月|か月|カ月|ヵ月|ケ月|年(?!\d))")),
    ("lv", re.compile(r"(?:lv|レベル)\s*\.?\s*(\d+)", re.IGNORECASE)),
    ("件", re.compile(rf"(?<![\d.])({_NUM})\s*件")),
    ("名", re.compile(rf"(?<![\d.])({_NUM})\s*(?:名|人)")),
    ("工程", re.compile(rf"(?<![\d.])({_NUM})\s*工程")),
    ("", re.compile(rf"(?<![\d.A-Za-z_])({_NUM})(?![\d.])")),
]


def _number(text: str) -> tuple[float, bool, float]:
    """(value, signed, precision) of a matched number."""
    value = float(text)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return value, text[0] in "+-", 10.0**-decimals


def quantities(normal: str) -> list[Quantity]:
    """Every quantity of an already ``normalise``d text, left to right; a span is read once."""
    found = [
        Quantity(0, "", i, i + 1, unreadable=True) for i, c in enumerate(normal) if c == VAGUE_MARK
    ]
    taken = [False] * len(normal)
    for unit, pattern in _PATTERNS:
        for match in pattern.finditer(normal):
            if any(taken[match.start() : match.end()]):
                continue
            quantity = _read(unit, match)
            if quantity is None:
                continue
            found.append(quantity)
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    return sorted(found, key=lambda q: q.start)


def _clock(m: re.Match[str]) -> Quantity | None:
    hours = int(m.group(1))
    minutes = 30 if (m.lastindex or 0) >= 3 and m.group(3) else int(m.group(2) or 0)
    if hours > 30 or minutes >= 60:
        return None
    return Quantity(hours * 60 + minutes, "time", m.start(), m.end())


def _scale(unit: str, m: re.Match[str], precision: float) -> tuple[float, float, float]:
    """(factor, addend, precision) turning the written number into the canonical unit."""
    written = m.group(0)
    if unit == "min" and "時間" in written:
        extra = 30 if m.group(2) else int(m.group(3) or 0)
        return 60, extra, max(1.0, precision * 60) if "." in m.group(1) else 1.0
    if unit == "min" and m.group(2) == "秒":
        return 1 / 60, 0, precision / 60
    if unit == "%" and m.group(2) == "割":
        return 10, 0, precision * 10
    if unit == "ヶ月" and written.endswith("年"):
        return 12, 0, precision * 12
    return 1, 0, precision


def _read(unit: str, m: re.Match[str]) -> Quantity | None:
    if unit == "date":
        return Quantity(int(m.group(2)) * 100 + int(m.group(3)), "date", m.start(), m.end())
    if unit == "time":
        return _clock(m)
    value, signed, precision = _number(m.group(1))
    if unit == "rate":
        return Quantity(value, "件/時", m.start(), m.end(), signed, precision)
    factor, addend, precision = _scale(unit, m, precision)
    return Quantity(value * factor + addend, unit, m.start(), m.end(), signed, precision)

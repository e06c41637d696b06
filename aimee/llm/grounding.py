"""Grounding check: every number in a generated answer must be one of the facts.

Numbers are compared after NFKC (full-width digits, ％), ignoring thousands
separators, together with their unit (件, 名, 分, %, ヶ月, Lv…), so that
"30分" is not grounded by "+30%". A bare number is grounded by the same value
with any unit. Times are compared as HH:MM."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")
_NUMBER = re.compile(
    r"(?P<prefix>lv\s*)?(?<![\d.])(?P<value>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<unit>件|名|人|分|%|ヶ月|か月|ケ月|カ月|ヵ月|時間|時|秒|日|倍|割)?",
    re.IGNORECASE,
)
_UNIT_ALIASES = {"人": "名", "か月": "ヶ月", "ケ月": "ヶ月", "カ月": "ヶ月", "ヵ月": "ヶ月"}

Token = tuple[str, str]
"""(canonical value, unit); unit "" for a bare number, "time" for HH:MM."""


def _canonical(number: str) -> str:
    value = number.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.lstrip("0") or "0"


def tokens_in(text: str) -> set[Token]:
    """Numbers with their units, and HH:MM times, mentioned in ``text``."""
    normal = unicodedata.normalize("NFKC", text)
    found = {(f"{int(h):02d}:{m}", "time") for h, m in _TIME.findall(normal)}
    rest = _TIME.sub(" ", normal)
    for match in _NUMBER.finditer(rest):
        unit = "lv" if match.group("prefix") else (match.group("unit") or "")
        found.add((_canonical(match.group("value")), _UNIT_ALIASES.get(unit, unit)))
    return found


def numbers_in(text: str) -> set[str]:
    """Canonical numbers and times in ``text``, without units."""
    return {value for value, _unit in tokens_in(text)}


def ungrounded(answer: str, facts: Iterable[str]) -> set[str]:
    """Numbers of ``answer`` (with their unit) that no fact supports."""
    allowed: set[Token] = set()
    for fact in facts:
        allowed |= tokens_in(fact)
    values = {value for value, _unit in allowed}
    return {
        value + ("" if unit in {"", "time", "lv"} else unit)
        for value, unit in tokens_in(answer)
        if (value, unit) not in allowed and not (unit == "" and value in values)
    }

"""The minimum skill level and the experience (in months) a message asks its helpers to have."""

from __future__ import annotations

import re

from aimee.nlu.numerals import number

_LEVEL = re.compile(
    r"(?:lvl|lv|レベル|level|skill|スキル|熟練度|ランク|技能水準|水準)\s*(?:が|は)?\s*[.\-≥≧>=]*\s*([1-5])"
    r"|(?<![a-z\d])l([1-5])(?!\d)|(?<![\de])(?<!エントリ)(?<!入力)([1-5])\s*レベ"
    r"|(?<![\d.:])(?<!遅延)(?<!遅れ)(?<!遅れが)(?<!応援)([1-5])\s*(?:以上|いじょう)"
    r"(?=\s*(?:$|[、,。\s]|で|を|に限|の(?:人|方|メンバ|オペ|レベル|lv|スキル)))"
    r"|(?<![\d.:])([1-5])\s*(?:か|or|～|〜|-)\s*[1-5]\s*の(?:人|方|子)"
)
"""「Lv4以上」「レベルが4以上」「熟練度4」「L4」「4レベ以上」「level-4」「lv≥4」, and a bare
「4以上」 where a level stands: alone, or before 「で」「の人」 (not 「遅延3以上の拠点」
「応援2以上ほしい」「4以上いる？」; counts, years and times have their units); 「4か5の人」: the
lower of two levels."""
_EN_LEVEL = re.compile(r"\b(?:level|lvl|lv|skill)\s+(one|two|three|four|five)\b")
_EXPERIENCE = re.compile(
    r"(?:経験|歴)\s*(?:が)?\s*(\d{1,3})\s*(年半|年|か月)|(\d{1,3})\s*(年半|年|か月)\s*以上の?経験"
    r"|(\d{1,2}|two|three|four|five)\+?\s*years?|(\d{1,2}|three|six|nine|twelve)\+?\s*months?\b"
    r"|(?:more than|at least|over)\s+(a|one)\s+years?\b"
)
_A_SKILL = re.compile(r"エントリ|補正|検証|入力|e[12]\b", re.IGNORECASE)
"""「補正 3年以上 那覇」: a time on a process is how long people have done it."""
_YEARS_OR_MORE = re.compile(
    r"(\d{1,2})\s*(年半|年|か月)\s*(以上|↑)(\s*(?:やって|担当して|携わ|続けて|従事))?"
)
"""「3年以上」 in a message that speaks of experience; 「5年↑」 alone; 「検証を2年以上
やってる人」."""


_ABOVE = re.compile(
    r"\s*(?:より上|より高|超(?!え?な)|を超え|を越え|(?:以下|まで)?\s*(?:とか|なんか|など)?\s*(?:は|も)?\s*"
    r"(?:不可|ng(?![a-z])|ダメ|だめ|駄目|除外|除いて|除く|なし|無し|外して|以外|勘弁|避け))"
    r"|(?:の|な)?(?:子|人|方)(?:は|も)\s*(?:勘弁|無理|むり|ダメ|だめ|ng(?![a-z])|不可|避け)"
    r"|\s*(?:の人)?\s*(?:だと|では|じゃ)\s*(?:正直|ちょっと|少し|まだ)?\s*"
    r"(?:不安|心もとな|心配|頼りな|物足りな|微妙|厳し|足りな)"
)
"""「Lv3より上」「Lv3超」「Lv2以下は除いて」「Lv3は不可」「Lv3の子は勘弁」「Lv2とかは勘弁」
「Lv3だと不安」: the level after the one said."""
_AT_LEAST = re.compile(r"\s*(?:以上|いじょう|↑)")
_THAN_LEVEL = re.compile(r"(?<![\d.])([1-4])\s*より上の(?:レベル|lv)")
"""「3より上のレベル」."""


def min_level(text: str) -> int | None:
    """The lowest level the message accepts: the first level said, unless it says several
    and turns some down or bounds them (「Lv3だと不安なので4以上で」: 4, the highest of
    those), not 「Lv4かLv5」 (4)."""
    said = [_level_said(text, found) for found in _LEVEL.finditer(text)]
    if not said:
        than = _THAN_LEVEL.search(text)
        if than is not None:
            return int(than.group(1)) + 1
        english = _EN_LEVEL.search(text)  # 「level four or above」
        return number(english.group(1)) if english else None
    bounds = [level for level, bound in said if bound]
    return max(bounds) if bounds else said[0][0]


def _level_said(text: str, found: re.Match[str]) -> tuple[int, bool]:
    """The level a mention accepts, and whether it bounds the levels (「4以上」, or one
    turned down: 「Lv3は不可」 accepts 4)."""
    level = int(next(g for g in found.groups() if g))
    above = level < 5 and _ABOVE.match(text, found.end()) is not None
    bounded = above or _AT_LEAST.match(text, found.end()) is not None
    return (level + 1 if above else level), bounded


_HALF_A_YEAR = re.compile(r"(?:経験|歴)\s*(?:が)?\s*半年|半年以上(?!前|ぶり|経)")


def experience_months(text: str) -> int | None:
    if _HALF_A_YEAR.search(text):  # 「経験半年以上」
        return 6
    found = _EXPERIENCE.search(text)
    if found is None:
        alone = _YEARS_OR_MORE.search(text)
        said = alone is not None and (
            "経験" in text or alone.group(3) == "↑" or alone.group(4) or _A_SKILL.search(text)
        )
        return span_months(alone.group(1), alone.group(2)) if alone and said else None
    if found.group(5):  # 「3 years」「three years」
        return number(found.group(5)) * 12
    if found.group(7):  # 「more than a year」
        return 12
    if found.group(6):  # 「at least six months of experience」
        said = found.group(6)
        return number(said)
    value, unit = (found.group(1), found.group(2)) if found.group(1) else found.group(3, 4)
    return span_months(value, unit)


def span_months(value: str, unit: str) -> int:
    """Months in 「N年」「N年半」「Nか月」."""
    return int(value) * 12 + 6 if unit == "年半" else int(value) * (12 if unit == "年" else 1)

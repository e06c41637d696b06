"""Site names typed with one kanji wrong: 「那派のE1」 is 那覇's, 「品側SSの検証」 品川's.

A run of kanji that no dictionary word covers, as long as a site's name, differing
from exactly one site's name in one kanji, and followed (after 「の」 or not) by a
process or business, is that site. Only then: 「品質の検証」 is a word, not a typo, and
a name the data does not have (「福岡のE1」「羽田のE1」) stays unknown: the run must read as
the site or not be a word at all (an input-method slip, ``_slip``). The cost is one pass over
the message's uncovered kanji runs against the handful of site names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aimee.nlu.names import readings

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]+")
_WORDS = frozenset(
    """
    品質 品目 商品 部品 作品 備品 製品 返品 出品 納品 前田 山田 本田 上田 池田 原田 和田 太田
    森田 吉田 福田 岡田 松田 内田 柴田 増田 石田 藤田 盛況 盛大 最盛 繁盛 大阪 福岡 静岡 岡山
    """.split()  # noqa: SIM905 - a list to read, not to diff
)
"""Common words and names one kanji away from a site's name (品川 / 梅田 / 盛岡)."""


def site_typos(
    text: str,
    sites: Iterable[str],
    taken: list[tuple[int, int]],
    queue_word: re.Pattern[str] | None,
) -> list[tuple[int, int, str]]:
    """``(start, end, site)`` for each uncovered kanji run of ``text`` that is a site's
    name with one kanji wrong, followed by a queue word (or by a particle, when it reads
    exactly as the site: 「森岡から」 for 盛岡); ``taken``: the spans the dictionary matched."""
    names = [s for s in sites if _KANJI_RUN.fullmatch(s)]
    found: list[tuple[int, int, str]] = []
    for run in _KANJI_RUN.finditer(text):
        start, end = run.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        word = run.group()
        if word in _WORDS or word in names:
            continue
        after = end + 1 if text.startswith("の", end) else end
        near = [s for s in names if len(s) == len(word) and _one_apart(s, word)]
        if len(near) != 1:
            continue
        before_queue = queue_word is not None and queue_word.match(text, after) is not None
        homophone = _homophone(word, near[0], text, end, before_queue=before_queue)
        if (before_queue and _slip(word, near[0])) or homophone:
            found.append((start, end, near[0]))
    return found


_FROM_PLACE = re.compile(
    r"から(?!の?(?:連絡|電話|メール|報告|相談|聞|言わ|頼ま))|より|の|に|で|へ|は|も|勢|→|、|,|\s|$"
)
"""A particle after a place (not 「森岡から連絡あって」: a person's message)."""


def _homophone(word: str, site: str, text: str, end: int, *, before_queue: bool) -> bool:
    """「森岡から」「森岡のE2」: another word read exactly as the site (the input method's
    first choice), said as a place: a particle after it, no honorific (「森岡さん」 is a
    person), and not as whom a message came from (「森岡から連絡あって」)."""
    said, meant = readings(word), readings(site)
    same = bool(said) and bool(meant) and said[0] == meant[0]
    as_place = before_queue or _FROM_PLACE.match(text, end) is not None
    return same and as_place and not _HONORIFIC.match(text, end)


_HONORIFIC = re.compile(r"さん|様|さま|氏|くん|君|ちゃん")


def _slip(word: str, site: str) -> bool:
    """A slip of the input method: read as the site or one kana off it (品側 シナガワ, 梅出
    ウメデ), or not a word with a reading at all (那派). A real name read otherwise (羽田 ハタ,
    長岡 ナガオカ, 石川, 梅雨 ツユ) is no typo of 梅田 / 盛岡 / 品川: it stays a name the data
    does not have."""
    said, meant = readings(word), readings(site)
    if not said:
        return True
    if not meant or len(said[0]) != len(meant[0]):
        return False
    return sum(a != b for a, b in zip(said[0], meant[0], strict=True)) <= 1


def _one_apart(name: str, word: str) -> bool:
    return sum(a != b for a, b in zip(name, word, strict=True)) == 1

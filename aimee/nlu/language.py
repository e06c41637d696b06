"""Whether a message is in English (answered in English, ``language: "en"``)."""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction

_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々]")
"""Kana or kanji: a message mixing them with English (「Naha の verification」) is not
in English, and is answered in Japanese."""


_ROMAJI_JAPANESE = re.compile(
    r"\b(?:onegai|ouen|dou|desu|masu|kudasai|shite|dekiru|yabai|daijoubu|ikeru|oshiete|misete"
    r"|tasukete|tanomu|doko|dare|nanji|ni|wo|ga|no|wa|san|kun|chan|nani|itsu|imasu|iru)\b"
)
"""Japanese typed in Latin letters (「Naha hosei ni ouen onegai」): not English. Two such
words at least, since 「no」 alone is English."""
_SHORT_EN = re.compile(r"(?:and|is|are|what about|how about|ok,? and)\b", re.IGNORECASE)
"""The first words of a short English follow-up."""


def is_english(text: str) -> bool:
    """The whole message is in English (no kana or kanji, no romaji Japanese)."""
    if _JAPANESE_SCRIPT.search(text) or len(_ROMAJI_JAPANESE.findall(text)) >= 2:
        return False
    letters = [c for c in text if c.isalpha()]
    ascii_letters = sum(c.isascii() for c in letters)
    if ascii_letters == len(letters) and _SHORT_EN.match(text.strip()):
        return True  # 「And 検証?」「Is 梅田 OK?」 once the names are set aside
    return ascii_letters >= 6 and ascii_letters >= 0.7 * len(letters)


def in_english(extraction: Extraction) -> bool:
    """The message is in English once the names it uses are set aside: 「Who can do 補正 at
    level 4?」 is English with one process written as the data writes it."""
    text, rest = extraction.text, extraction.text
    for m in sorted(extraction.mentions, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + " " + rest[m.end :]
        if not text[m.start : m.end].isascii():
            text = text[: m.start] + " " + text[m.end :]
    return is_english(text) and not _romaji_only(rest)


def _romaji_only(rest: str) -> bool:
    """「yamashita doko」: the words beside the names are all romaji Japanese."""
    said = re.findall(r"[a-z]+", rest.lower())
    return bool(said) and all(_ROMAJI_JAPANESE.fullmatch(w) for w in said)

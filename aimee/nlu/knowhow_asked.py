"""Know-how questions the broad rules miss, and what they are about:

- 「ベテランが休んだ日の回し方って前にまとめてたよね？」「新人の教え方、以前共有してましたっけ」:
  a write-up the manager recalls (the operation's know-how), not a plan;
- 「盛岡から応援出したときの過去の事例」「SSからKPに人回していいんだっけ」: the places a rule
  or a past case is about, where people go from included (SCHEMA: a know-how question keeps
  its sites and businesses as targets).
"""

from __future__ import annotations

import re

from aimee.nlu.request import QueueRef, RequestKind, Slots
from aimee.nlu.said import Said

_WRITTEN_UP = re.compile(
    r"(?:前に|前回|以前|この前|こないだ|先日|昔)[^。?？]{0,8}?"
    r"(?:まとめ|整理し|共有し|話し(?:合)?|決め|作っ|書い|資料に?し)"
    r"(?:て(?:た|い(?:た|ました)|ました)|た|ました)"
    r"(?:よね|っけ|でしょ|はず|と思う|気が|やつ|もの|の)"
)


def written_up(m: Said) -> RequestKind | None:
    """A write-up recalled (「前にまとめてたよね？」): know-how, not the data."""
    return "knowhow" if _WRITTEN_UP.search(m.text) and not m.slots.people else None


def topic_places(slots: Slots) -> tuple[QueueRef, ...]:
    """The places a know-how question is about: where people go from, where they are kept
    and where they go (「SSからKPに」 is about both businesses)."""
    return tuple(dict.fromkeys((*slots.origins, *slots.spare, *slots.targets)))

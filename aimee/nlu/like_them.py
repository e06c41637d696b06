"""People like the one just looked up, counted: 「同じようにエントリ1がレベル5の方は、全体で何名？」
「上野さんと同じく補正をレベル4以上でできる方は、品川に何名？」「E1でLv5の人、全部で何人いる？」
after a look-up ask how many people have that skill (a skill search over the process, level
or experience and site said), not about the person again.
"""

from __future__ import annotations

import re

from aimee.nlu.request import Request, RequestKind, Slots
from aimee.nlu.said import Said

_HOW_MANY = re.compile(r"何(?:名|人)(?!か)|何\s*(?:名|人)\s*(?:いる|いらっしゃ)|how many")
_LIKE = re.compile(r"同じ(?:ように|く|レベル|スキル)?|同様に?|と同(?:じ|等)|\blike (?:her|him)\b")


def _counted_skill(m: Said) -> bool:
    s = m.slots
    filtered = s.min_level is not None or s.min_experience_months is not None
    process = any(t.process for t in s.targets)
    return filtered and process and _HOW_MANY.search(m.text) is not None


def people_like_them(m: Said) -> RequestKind | None:
    """A count of the people with a process at a level (or experience), asked right after
    a look-up; a person named is only the one they are like (「上野さんと同じく」)."""
    prev = m.previous
    if prev is None or prev.kind != "operator_lookup" or not _counted_skill(m):
        return None
    ops = m.slots.operators
    if ops is not None and (ops.add or ops.remove or ops.move):
        return None
    if m.slots.people and _LIKE.search(m.text) is None:
        return None
    return "skill_search"


def without_them(kind: RequestKind, slots: Slots, previous: Request | None) -> Slots:
    """The search's slots without the person it compares with."""
    if kind != "skill_search" or previous is None or previous.kind != "operator_lookup":
        return slots
    ops = slots.operators
    if ops is None or ops.add or ops.remove or ops.move:
        return slots
    return slots.model_copy(update={"operators": None})

"""「那覇E2 行かせたら」「じゃあ梅田の補正に回したら？」「品川の検証に入ってもらうのは無理か」
right after a look-up, naming a queue
and no one: what happens if the person just looked up is sent there (a what-if; ``nlu.carry``
puts the person in)."""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.request import RequestKind
from aimee.nlu.said import Said
from aimee.nlu.thread_people import COMES_IN, SENDS


def sent_after_lookup(m: Said) -> RequestKind | None:
    """The person just looked up, sent to the queue named, said as a condition."""
    prev = m.previous
    if prev is None or prev.kind != "operator_lookup" or m.slots.people:
        return None
    people = prev.slots.operators
    if people is None or not people.about:
        return None
    queue = any(t.process for t in m.slots.targets)
    weighed = words.CONDITIONAL.search(m.text) or _WEIGHED.search(m.text)
    sent = (SENDS.search(m.text) or COMES_IN.search(m.text)) is not None and weighed is not None
    return "what_if" if queue and sent else None


_WEIGHED = re.compile(r"の(?:は|って)\s*(?:無理|むり|厳し|難し|どう|あり|アリ|可能)")
"""「品川の検証に入ってもらうのは無理か」: whether it would work, weighed."""

"""People a message names and then takes back or swaps, within the message itself:

- 「高橋さんを検証から…いや、後藤さんのほうがいいか。後藤さんを回したら？」: the manager
  changed their mind; only the people named after 「いや」「やっぱり」 count (in the role of
  the ones withdrawn: 「…いや、遠藤さんのほうがいいか。」 moves 遠藤), and nobody is looked up;
- 「金子さんと交代で長谷川さんに入ってもらったら？」: the one 交代 names leaves the queue
  (removed), the other comes in.
"""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.request import OperatorSlots, Slots

_SECOND_THOUGHT = re.compile(
    r"(?:[…、,。.?？!！\s]|^)(?:いや|いえ|やっぱ(?:り)?|やはり|あ、いや)[、,\s]"
)
"""「…いや、」「、やっぱり」「回したら？いや、」: what was said before is withdrawn."""
_SWAPPED_WITH = re.compile(
    r"(?:さん|様|さま|くん|君|ちゃん)?\s*と(?:の)?\s*(?:交代|交替|入れ替わ|入れ替え|チェンジ)"
)
"""「金子さんと交代で」: that person leaves for the one who comes."""


def second_thoughts(slots: Slots, extraction: Extraction) -> Slots:
    """``slots`` without the people the message withdrew, and with the one 交代 names
    taken off (the people of a change are not looked up as well)."""
    return _swapped(_withdrawn(slots, extraction), extraction)


def _withdrawn(slots: Slots, extraction: Extraction) -> Slots:
    ops = slots.operators
    if ops is None or not (ops.add or ops.remove or ops.move):
        return slots
    people = [m for m in extraction.mentions if m.kind == "operator" and m.label]
    turn = _SECOND_THOUGHT.search(extraction.text)
    if turn is None or not people or people[0].start > turn.start():
        return slots
    after = {m.label for m in people if m.start >= turn.end()}
    before = {m.label for m in people if m.end <= turn.start()} - after
    if not after:
        return slots
    roles = ("add", "remove", "move")
    kept = {role: tuple(n for n in getattr(ops, role) if n not in before) for role in roles}
    # 「菅原さんを回したら…いや、遠藤さんのほうがいいか。」: the one chosen instead takes the
    # withdrawn one's role
    was = next((r for r in roles if any(n in before for n in getattr(ops, r))), None)
    placed = {n for role in roles for n in kept[role]}
    chosen = dict.fromkeys(m.label for m in people if m.start >= turn.end())
    if was is not None:
        kept[was] = (*kept[was], *(n for n in chosen if n not in placed))
    return slots.model_copy(update={"operators": OperatorSlots(**kept)})


def _swapped(slots: Slots, extraction: Extraction) -> Slots:
    ops = slots.operators
    if ops is None:
        return slots
    text = extraction.text
    leaving = [
        m.label
        for m in extraction.mentions
        if m.kind == "operator" and m.label and _SWAPPED_WITH.match(text, m.end)
    ]
    if not leaving or len(set(slots.people)) < 2:
        return slots
    coming = [n for n in ops.about + ops.add + ops.move if n not in leaving]
    if not coming:
        return slots
    role = "move" if ops.move and not ops.add else "add"
    update = {
        "remove": tuple(dict.fromkeys((*ops.remove, *leaving))),
        "add": tuple(n for n in ops.add if n not in leaving),
        "move": tuple(n for n in ops.move if n not in leaving),
        "about": (),
    }
    update[role] = tuple(dict.fromkeys((*update[role], *coming)))
    return slots.model_copy(update={"operators": OperatorSlots(**update)})

"""Help asked for, tersely, for the queue a thread has been talking about, before any plan:

- 「盛岡から二人」「1名 盛岡」「3人で」「E2 3」「札幌のE2から二名」 after 「品川SSのE2やばい？」
  or 「那覇補正 何時」: a plan for that queue with those constraints (a site typed alone
  beside a count is where help comes from);
- 「なら 那覇検証へ 2」 after 「札幌 検証 余裕？」: help sent from the queue with room to
  another queue;
- 「もう1」「もう一人」「１人減らして」 after a plan with a head count: that count changed
  by the number, as a cap or as exact as it was.
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.request import HeadCount, QueueRef, Request, RequestKind, Slots
from aimee.nlu.said import Said
from aimee.nlu.slots import head_count, number

_ABOUT_A_QUEUE: frozenset[RequestKind] = frozenset({"status", "finish_time", "delay_risk"})
_THEN = re.compile(r"^(?:じゃあ|じゃ|なら|それなら|だったら|でしたら|では|では、|ならば)[、, ]*")
_SENT_TO = re.compile(r"(?:へ|に)(?:\s|[0-9０-９一二三四五]|回|まわ|出|送|行|持)")
_N = r"(?:([1-9１-９一二三四五])\s*(?:人|名)|(ひとり|ふたり|さんにん|よにん))"
"""A count of people: a figure or kanji before 人/名 (never 「一度」「1時間」), or a whole
kana word (never a single kana: 「あとよろしく」「さっきより」)."""
_BARE = r"([1-9１-９])\s*[。.!！]?\s*$"
"""A bare figure ending a terse fragment: 「もう1」."""
_MORE = re.compile(rf"^\s*(?:もう|あと|プラス|\+)\s*(?:{_N}|{_BARE})|{_N}\s*増や")
_FEWER = re.compile(rf"{_N}\s*(?:減らし|削っ|少なく|へらし)|^\s*(?:マイナス|-)\s*(?:{_N}|{_BARE})")
_ONLY_N = re.compile(r"^\s*([1-9１-９])\s*[。.!！]?\s*$")
_ABOUT_PEOPLE = re.compile(r"誰|だれ|どの人|どなた|どいつ")
"""「もう1人の人は誰？」: a question about people, not a count."""
_PRESENT = re.compile(r"(?:来て|入って|行って|回って|手伝って|い)(?:る|ます)(?:よね|の|か|[？?])")
"""「盛岡から2人来てるよね？」: a question about who is there now, not a request for help."""
_KANA = {"ひとり": 1, "ふたり": 2, "さんにん": 3, "よにん": 4}


def _queue_talked_about(previous: Request | None) -> bool:
    """The previous turn asked how a queue stands (or listed late ones), no plan since."""
    if previous is None or previous.kind not in _ABOUT_A_QUEUE:
        return False
    return any(t.process for t in previous.slots.targets) or bool(previous.answered_queues)


def _constrains_help(s: Slots) -> bool:
    count = s.head_count is not None and not s.head_count.leaving
    return bool(count or s.origins or s.spare)


def help_for_queue(m: Said) -> RequestKind | None:
    """「盛岡から二人」「1名 盛岡」「3人で」 right after a question about a queue: a plan
    for it (not another question about it); a count alone, a place help comes from or
    one spared, said with no one named and no condition."""
    if m.last_plan is not None or not _queue_talked_about(m.previous):
        return None
    s = m.slots
    if s.people or s.sort is not None or s.available_only or not _constrains_help(s):
        return None
    if words.CONDITIONAL.search(words.LEADING_THEN.sub("", m.text)) or words.WHO.search(m.text):
        return None
    if _PRESENT.search(m.text):
        return "status"  # 「盛岡から2人来てるよね？」 asks how the queue stands now
    own_queue = any(t.location and t.process for t in s.targets)
    if own_queue and not (s.origins or _THEN.search(m.text)):
        return None  # 「札幌のE1 2人」 names its own queue: the ordinary rules read it
    return "plan"


def queue_helped(kind: RequestKind, slots: Slots, text: str, previous: Request | None) -> Slots:
    """The places of a terse plan after a question about a queue: a site typed alone beside
    a count (「1名 盛岡」) is where help comes from; after 「なら」, the queue just asked
    about is where help comes from when another queue is named to send to."""
    if kind != "plan" or previous is None or not _queue_talked_about(previous):
        return slots
    sites_only = bool(slots.targets) and all(
        t.location and not (t.process or t.business_id) for t in slots.targets
    )
    if sites_only and slots.head_count is not None and not slots.origins:
        return slots.model_copy(update={"origins": slots.targets, "targets": ()})
    asked: tuple[QueueRef, ...] = tuple(t for t in previous.slots.targets if t.process)
    sends = _THEN.search(text) is not None and _SENT_TO.search(text) is not None
    sends = sends and "から" not in text  # 「そこから…に回して」 says where help comes from
    other = bool(slots.targets) and all(t not in asked for t in slots.targets)
    if sends and other and asked and not (slots.origins or slots.spare):
        return slots.model_copy(update={"origins": asked[:1]})
    return slots


def count_changed(
    kind: RequestKind,
    slots: Slots,
    text: str,
    last_plan: Request | None,
    previous: Request | None = None,
) -> Slots:
    """「もう1人」「1人減らして」 after a plan with a count, while that plan is the thread:
    the count moved by that many; 「3」 typed alone: that many; a count said besides
    (「あと1時間あるなら1人でいい」) wins, and a question about people (「もう1人の人は誰？」)
    is left alone."""
    if kind != "plan" or last_plan is None or slots.people:
        return slots
    only = _ONLY_N.match(text)
    if only is not None and _plan_is_thread(previous, last_plan):
        count: HeadCount | None = HeadCount(exact=_value(only.group(1)))
    else:
        count = _count_moved(text, last_plan, previous)
    return slots if count is None else slots.model_copy(update={"head_count": count})


def _count_moved(text: str, last_plan: Request, previous: Request | None) -> HeadCount | None:
    """The plan's count moved by 「もう1人」「1人減らして」 (None: not moved)."""
    if not _plan_is_thread(previous, last_plan):
        return None
    last = last_plan.slots.head_count
    found = _MORE.search(text) or _FEWER.search(text)
    if last is None or last.leaving or (last.exact, last.max) == (None, None) or found is None:
        return None
    if _ABOUT_PEOPLE.search(text):  # 「もう1人の人は誰？」: the plan as it was
        return last
    if head_count(text[: found.start()] + text[found.end() :]) is not None:
        return None  # a count said in the message itself
    n = _value(next(g for g in found.groups() if g))
    step = n if found.re is _MORE else -n
    if last.max is not None:
        return HeadCount(max=max(1, last.max + step))
    return HeadCount(exact=max(1, (last.exact or 0) + step))


def recounts_plan(m: Said) -> bool:
    """「やっぱもう1人増やしたら？」「1人減らしたら？」 while a plan with a count is the thread:
    that plan made again with the count moved (``count_changed``), not a what-if."""
    last = m.last_plan
    if last is None or last.kind != "plan" or m.slots.targets or m.slots.people:
        return False
    leaving = m.slots.head_count is not None and m.slots.head_count.leaving
    if leaving and not _FEWER.search(m.text):
        return False  # 「もう1人休んだらどうなる？」: people leaving, weighed
    count = last.slots.head_count
    if count is None or count.leaving or (count.exact, count.max) == (None, None):
        return False
    moved = _MORE.search(m.text) or _FEWER.search(m.text)
    return moved is not None and _plan_is_thread(m.previous, last)


def _plan_is_thread(previous: Request | None, last_plan: Request) -> bool:
    """The previous turn was the plan or a follow-up of it, not a turn about another queue."""
    if previous is None or previous is last_plan or previous.kind in ("plan", "what_if"):
        return True
    return all(t in last_plan.slots.targets for t in previous.slots.targets)


def _value(word: str) -> int:
    return _KANA.get(word) or number(word)

"""What a follow-up takes from the conversation: the thread a manager is on.

A conversation keeps two things apart: the last plan or what-if (its target and
constraints), which 「じゃあ1名だけなら？」 re-plans and 「その場合、品川は？」 checks
against, and the previous turn (what was just talked about), which 「何時に終わる？」
or 「その人のスキルは？」 continue.

- A plan or what-if that names no queue is about the last plan's target (or the
  previous turn's queue: 「じゃあ誰を動かせばいい？」 after 「札幌のエントリ1は間に合う？」).
  A re-plan of the last plan keeps its constraints unless the message restates them
  (「品川は動かさないで」 after 「盛岡から2名まで」: still 2 from 盛岡, and not 品川).
- A status, finish-time or skill question that names no queue and does not widen the
  scope (「全体は？」) is about the previous turn's queue; 「その中で」 keeps a skill
  search's filters.
- 「その人」 is the person just talked about (``person_referred``).
- A message that names a site, process or business starts afresh: a new site does
  not inherit the old process.
"""

from __future__ import annotations

import re

from aimee.nlu.request import OperatorSlots, QueueRef, Request, RequestKind, Slots
from aimee.nlu.slots import that_person

WIDENS_SCOPE = re.compile(
    r"全体|全拠点|各拠点|拠点別|拠点ごと|全部|すべて|全て|全工程|各工程|全キュー|他に|ほかに|他の|ほかの"
    r"|overall|all sites|everything|other"
)
"""Words that widen a question back to the whole floor (「全体の進捗は？」)."""

_NARROWS = re.compile(r"その中|そのうち|その人たち|中で|うち|among them|of them")
_QUEUE_KINDS: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "donor_check", "status", "finish_time", "delay_risk", "skill_search"}
)
"""Kinds whose targets are queues a later turn may continue with."""
_CONTINUES_QUEUE: frozenset[RequestKind] = frozenset({"status", "finish_time", "skill_search"})


def carry_over(
    kind: RequestKind,
    slots: Slots,
    text: str,
    *,
    previous: Request | None,
    last_plan: Request | None,
) -> Slots:
    """``slots`` completed from the conversation for a message of ``kind``."""
    names_queue = bool(slots.targets or slots.origins or slots.spare)
    widens = WIDENS_SCOPE.search(text) is not None
    if kind == "plan" and not slots.targets and not widens:
        return _plan(slots, previous, last_plan)
    if kind == "what_if" and not slots.targets:
        thread = last_plan if last_plan is not None else previous
        if thread is not None and thread.kind in _QUEUE_KINDS:
            return slots.model_copy(update={"targets": thread.slots.targets})
        return slots
    if kind in _CONTINUES_QUEUE and not names_queue and not widens:
        return _continued(kind, slots, text, previous)
    return slots


def _plan(slots: Slots, previous: Request | None, last_plan: Request | None) -> Slots:
    if last_plan is not None:
        return _replan(slots, last_plan.slots)
    if previous is not None and previous.kind in _QUEUE_KINDS and previous.slots.targets:
        return slots.model_copy(update={"targets": previous.slots.targets})
    return slots


def _replan(slots: Slots, last: Slots) -> Slots:
    """The last plan's target and constraints, with what the message restates."""
    origins = slots.origins or tuple(r for r in last.origins if r not in slots.spare)
    spare = (*slots.spare, *(r for r in last.spare if r not in slots.spare + slots.origins))
    return slots.model_copy(
        update={
            "targets": last.targets,
            "origins": origins,
            "spare": spare,
            "head_count": slots.head_count or last.head_count,
            "min_level": slots.min_level or last.min_level,
            "min_experience_months": slots.min_experience_months or last.min_experience_months,
            "operators": _kept_people(slots.operators, last.operators),
        }
    )


def _kept_people(now: OperatorSlots | None, last: OperatorSlots | None) -> OperatorSlots | None:
    """People kept out of the last plan stay out (「高山さんは外して」), people put in
    stay in (「上野さんを入れて」), unless the message says otherwise."""
    if last is None or not (last.remove or last.add or last.move):
        return now
    now = now or OperatorSlots()
    named = set(now.add) | set(now.move) | set(now.remove)
    return now.model_copy(
        update={
            "remove": now.remove + tuple(n for n in last.remove if n not in named),
            "add": now.add + tuple(n for n in last.add + last.move if n not in named),
        }
    )


def _continued(kind: RequestKind, slots: Slots, text: str, previous: Request | None) -> Slots:
    if previous is None or previous.kind not in _QUEUE_KINDS or not previous.slots.targets:
        return slots
    targets: tuple[QueueRef, ...] = previous.slots.targets
    if kind == "skill_search" and previous.kind == "skill_search" and _NARROWS.search(text):
        last = previous.slots
        return slots.model_copy(
            update={
                "targets": targets,
                "min_level": slots.min_level or last.min_level,
                "min_experience_months": slots.min_experience_months or last.min_experience_months,
                "available_only": slots.available_only or last.available_only,
            }
        )
    return slots.model_copy(update={"targets": targets})


def person_referred(slots: Slots, text: str, previous: Request | None) -> Slots:
    """Slots where 「その人」「彼女」 stands for the person the previous turn named."""
    people = previous.slots.operators if previous is not None else None
    if (slots.operators is not None and any(slots.operators.model_dump().values())) or not people:
        return slots
    named = people.about + people.move + people.add + people.remove
    resolved = that_person(text, named[0]) if named else None
    return slots if resolved is None else slots.model_copy(update={"operators": resolved})

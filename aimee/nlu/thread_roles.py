"""Who a request is about when the conversation settles it: the roles a thread gives
the people a message names (or only points at).

- 「その人」「その2人」「2番目の人」 are the people just talked about or listed
  (``person_referred``); 「スキルは？」 after a look-up is the same person (``same_person``).
- In a plan, a name followed only by a particle is put in (「竹下さんも」); 「そのままで」
  keeps someone where the plan on the table puts them; a re-plan keeps the last plan's
  people in their roles (``kept_people``), and 「同じく」 gives new people that role
  (``in_the_same_role``).
- In a what-if, the last change's people and roles carry on (``nlu.thread_people``), and
  「じゃあ那覇の検証に回したら？」 right after a look-up sends the person looked up.

The words around a name decide its role first (``nlu.person_roles``); this stage only
completes or adjusts those roles from the thread.
"""

from __future__ import annotations

import re

from aimee.nlu.person_roles import THOSE_N
from aimee.nlu.request import OperatorSlots, Request, RequestKind, Slots
from aimee.nlu.slots import that_person
from aimee.nlu.thread_people import COMES_IN, SENDS, people_from_thread, still_leaving


def roles_from_thread(
    kind: RequestKind,
    slots: Slots,
    text: str,
    previous: Request | None,
    last_plan: Request | None,
) -> Slots:
    """The people of a plan or what-if of ``kind``, completed from the conversation."""
    if kind == "plan":
        slots = _named_put_in(slots, text, last_plan)
    slots = _kept_as_planned(slots, text, last_plan)
    if kind == "what_if":
        if not slots.people:
            slots = _person_just_looked_up(slots, text, previous)
        slots = people_from_thread(slots, text, last_plan)
        slots = still_leaving(slots, text, last_plan)
    return slots


_NAME_ONLY = re.compile(
    r"(?:さん|様|さま|くん|君|氏)?\s*(?P<also>も)?(?:でも|で|なら)?\s*"
    r"(?:可|いい|ok|おk|大丈夫|お願い|どう|や|だ|です|ね|な)?\s*[?？。!！]*$"
)
"""A message that ends with a name and a particle: 「竹下さんも」「那覇E1 竹下さんでも可」
「遠藤で」 (not 「竹下さんみたいな人」 nor 「竹下さんに相談して」)."""


_PUTS_IN = re.compile(r"入れ|足し|足す|使[っうえ]|追加|加え")
"""The verbs that put someone in (add), as opposed to sending them (move)."""


def _kept_as_planned(slots: Slots, text: str, last_plan: Request | None) -> Slots:
    """「竹下さんはそのままで、もう1人追加して」 after a plan that sends 竹下: she stays in it
    (「そのまま」 keeps someone where the plan on the table puts them)."""
    ops = slots.operators
    if ops is None or last_plan is None or not ops.remove or not _AS_IS.search(text):
        return slots
    last = last_plan.slots.operators
    planned = set(last.add + last.move) if last is not None else set()
    kept = tuple(n for n in ops.remove if n not in planned)
    if kept == ops.remove:
        return slots
    return slots.model_copy(update={"operators": ops.model_copy(update={"remove": kept})})


_AS_IS = re.compile(r"(?:その|この)ままで(?:いい|ok|オッケー|大丈夫)?(?:[、,。!！\s]|$)")


def _named_put_in(slots: Slots, text: str, last_plan: Request | None) -> Slots:
    """「竹下さんも」「竹下さんでも可」 in a plan: a person named with only a particle is put
    in (SCHEMA: 〜さんで is ``add``); not 「竹下さんみたいな人」 nor 「竹下さんに相談して」.
    「山崎さんもや」 after a plan that only kept people out: one more kept out."""
    ops = slots.operators
    if ops is None or not ops.about or ops.add or ops.remove or ops.move:
        return slots
    said = _NAME_ONLY.search(text)
    if said is None or not (said.group("also") or _PARTICLE_SAID.search(said.group())):
        return slots
    last = last_plan.slots.operators if last_plan is not None else None
    kept_out = last is not None and last.remove and not (last.add or last.move)
    if said.group("also") and kept_out:
        return slots.model_copy(update={"operators": OperatorSlots(remove=ops.about)})
    return slots.model_copy(update={"operators": OperatorSlots(add=ops.about)})


_PARTICLE_SAID = re.compile(r"^(?:さん|様|さま|くん|君|氏)?\s*(?:でも|で(?!す)|なら)")


def same_person(slots: Slots, previous: Request) -> Slots:
    """「スキルは？」「her skill level も教えて」 after a look-up: the same person (and day)."""
    people = previous.slots.operators
    if people is None or not people.about:
        return slots
    if not slots.people:
        slots = slots.model_copy(update={"operators": OperatorSlots(about=people.about)})
    if slots.operators is None or slots.operators.about != people.about:
        return slots
    return slots.model_copy(update={"date": slots.date or previous.slots.date})


def in_the_same_role(now: OperatorSlots | None, last: OperatorSlots | None) -> OperatorSlots | None:
    """People named without a verb, 「同じく」: in the role the last plan gave its people."""
    if now is None or last is None or not now.about or now.add or now.remove or now.move:
        return now
    role = next((r for r in ("move", "add", "remove") if getattr(last, r)), None)
    return OperatorSlots(**{role: now.about}) if role else now


def _person_just_looked_up(slots: Slots, text: str, previous: Request | None) -> Slots:
    """「じゃあ那覇の検証に回したら？」 right after a look-up: that person, sent."""
    people = previous.slots.operators if previous is not None else None
    if previous is None or previous.kind != "operator_lookup" or people is None:
        return slots
    comes_in = COMES_IN.search(text) is not None  # 「品川の検証に入ってもらうのは無理か」
    if not people.about or (SENDS.search(text) is None and not comes_in):
        return slots
    if (
        _PUTS_IN.search(text) or comes_in
    ):  # 「じゃあ梅田SSの補正に入れたらどう？」: put in (SCHEMA: add)
        return slots.model_copy(update={"operators": OperatorSlots(add=people.about[:1])})
    return slots.model_copy(update={"operators": OperatorSlots(move=people.about[:1])})


def kept_people(now: OperatorSlots | None, last: OperatorSlots | None) -> OperatorSlots | None:
    """People kept out of the last plan stay out (「高山さんは外して」), people put in
    stay in (「上野さんを入れて」) and people sent stay sent (「竹下さんを回したら？」 then
    「足りなければ他の人も含めて案出して」), unless the message says otherwise."""
    if last is None or not (last.remove or last.add or last.move):
        return now
    now = now or OperatorSlots()
    named = set(now.add) | set(now.move) | set(now.remove)
    in_it = set(last.remove + last.add + last.move)
    return now.model_copy(  # 「岡本さんと長谷川さんの2人なら？」: named again, kept in their role
        update={
            "remove": now.remove + tuple(n for n in last.remove if n not in named),
            "add": now.add + tuple(n for n in last.add if n not in named),
            "move": now.move + tuple(n for n in last.move if n not in named),
            "about": tuple(n for n in now.about if n not in in_it or n in named),
        }
    )


def person_referred(slots: Slots, text: str, previous: Request | None) -> Slots:
    """Slots where 「その人」「彼女」 stands for the person the previous turn named (or
    its answer named first: the fastest, the one looked up)."""
    if previous is None or slots.people:
        return slots
    people = previous.slots.operators
    named = people.about + people.move + people.add + people.remove if people else ()
    named = named or previous.answered_about
    resolved = that_person(text, named)
    if resolved is None:
        return slots
    count = slots.head_count  # 「その2人のスキル」: the two are the people, not a count
    those = THOSE_N.search(text) is not None  # not 「その人をE1に入れて。1名だけでいい」
    if (
        those
        and count is not None
        and count.exact == len(resolved.about + resolved.add + resolved.move)
    ):
        count = None
    return slots.model_copy(update={"operators": resolved, "head_count": count})

"""The chat's what-if (「高山さんを抜いても回る？」「Lv4以上を2名入れたら間に合う？」):
the effect of the change the manager describes, with its verdict when no change is
computed (on time already, or no helper meeting the conditions makes it better)."""

from __future__ import annotations

from dataclasses import replace

from aimee.llm.context import NoHelpfulHelpers, QueueFacts
from aimee.nlu.request import OperatorSlots, QueueRef, Slots
from aimee.nlu.sent_away import sends_away
from aimee.services import chat_intents as intents
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.services.chat_plan import plan
from aimee.services.what_if import people_changed


def what_if(turn: TurnInput) -> TurnData:
    """The effect of a change the manager describes: named people taken off their
    queue or sent to the target (「高山さんを抜いても回る？」「上野さんの代わりに中島さんを
    入れたら？」), N people of level k added (「Lv4以上を2名入れたら間に合う？」: the best
    such helpers, planned), or the last suggestion."""
    slots = slots_of(turn)
    people = slots.operators
    count = slots.head_count
    leave_count = count.exact or 0 if count is not None and count.leaving else 0
    if leave_count and not slots.targets:
        return TurnData(notes=["どの工程から抜けるかがわかりません。拠点と工程を教えてください。"])
    if leave_count or (people is not None and (people.remove or people.move or people.add)):
        people = people or OperatorSlots()
        away = sends_away(turn.message)
        found = people_changed(
            turn.session,
            now=turn.now,
            policy=turn.policy,
            targets=slots.targets,
            remove=people.remove,
            send=(*people.move, *people.add),
            leave_count=leave_count,
            sent_out=people.move if away else (),
            elsewhere=away == "elsewhere",
        )
        if found.facts is None:  # nobody could be moved there: maybe where they leave
            elsewhere = _same_change_elsewhere(turn, slots.targets, people)
            if elsewhere is not None:
                return elsewhere
        return TurnData(suggestion=found.facts, notes=found.notes)
    if slots.head_count is not None or slots.min_level is not None:
        data = plan(turn)
        on_time = bool(data.queues) and not any(q.will_be_late for q in data.queues)
        if data.queues and ((data.suggestion is None and on_time) or data.no_helper_helps):
            data.notes = []  # the verdict says it, with the conditions asked
            data.no_helpful_helpers = _no_helpful_helpers(data.queues, slots, on_time=on_time)
        return data
    return intents.impact_analysis(turn)


def _no_helpful_helpers(
    queues: list[QueueFacts], slots: Slots, *, on_time: bool
) -> NoHelpfulHelpers:
    """A what-if adding N people (of a level, from somewhere) that no such helper makes
    better (or to queues on time already): the queues asked about and the conditions asked,
    for its verdict."""
    count = slots.head_count
    return NoHelpfulHelpers(
        queues=queues,
        on_time=on_time,
        head_count=(count.exact or count.max) if count is not None else None,
        min_level=slots.min_level,
        origins=tuple(dict.fromkeys(r.location for r in slots.origins if r.location)),
    )


def _same_change_elsewhere(
    turn: TurnInput, targets: tuple[QueueRef, ...], people: OperatorSlots
) -> TurnData | None:
    """「竹内さんを那覇のエントリ1に回したら？」 then 「抜けた後の検証は？」: the last
    what-if's change, judged on the queue asked about (the one its people leave)."""
    thread = turn.thread
    if thread is None or thread.kind != "what_if" or not targets:
        return None
    if thread.slots.operators != people or thread.slots.targets == targets:
        return None
    found = people_changed(
        turn.session,
        now=turn.now,
        policy=turn.policy,
        targets=thread.slots.targets,
        remove=people.remove,
        send=(*people.move, *people.add),
    )
    place = targets[0]
    asked = [c for c in found.every_queue if place.names((c.location, c.business_id, c.process))]
    if found.facts is None or not asked:
        return None
    others = [c for c in found.facts.changes if c not in asked]
    judged = replace(found.facts, target=asked[0], changes=[*asked, *others])
    return TurnData(suggestion=judged, notes=found.notes)

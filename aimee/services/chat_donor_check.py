"""The chat's donor check (「その場合、品川は平気？」): the place asked about against the
plan or what-if on the table (who leaves it, each of its queues before and after)."""

from __future__ import annotations

from aimee.llm.context import DonorCheck
from aimee.nlu.request import OperatorSlots, QueueRef
from aimee.services import chat_intents as intents
from aimee.services import facts
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.services.suggestions import TimelineStep, stored_plan
from aimee.services.what_if import people_changed
from aimee.store.repositories import suggestions as suggestion_repo


def donor_check(turn: TurnInput) -> TurnData:
    """「その場合、品川は平気？」: the place asked about against the plan on the table
    (who leaves it, each of its queues before and after); else a what-if."""
    slots = slots_of(turn)
    thread = turn.thread
    people = thread.slots.operators if thread is not None else None
    if slots.targets and thread is not None and thread.kind == "what_if" and people is not None:
        return _donor_of_what_if(turn, slots.targets[0], thread.slots.targets, people)
    if turn.previous_suggestion_id is None or not slots.targets:
        return intents.impact_analysis(turn)
    row = suggestion_repo.get(turn.session, turn.previous_suggestion_id)
    if row is None:
        return intents.impact_analysis(turn)
    scenario, result = stored_plan(row)
    place = slots.targets[0]
    leaving = [
        m
        for m, move in zip(facts.move_facts(scenario, result), result.moves, strict=True)
        if move.from_ is not None and place.names(move.from_.id)
    ]
    queues = [
        c
        for c in facts.queue_changes(result, [o.key.id for o in result.queues])
        if place.names((c.location, c.business_id, c.process))
    ]
    label = "の".join(p for p in (place.location, place.process) if p) or "その工程"
    data = TurnData(donor=DonorCheck(place=label, leaving=leaving, queues=queues))
    if (row.plan or {}).get("day") is not None:  # a plan for the rest of the day
        data.remarks.append(_later_from(row.suggestion_id, row.plan.get("timeline", []), place))
    return data


MAX_LATER_LISTED = 5


def _later_from(suggestion_id: str, timeline: list[dict[str, object]], place: QueueRef) -> str:
    """What a donor check of a day plan's first moves leaves out: the timeline's later moves
    out of the place asked about."""
    steps = [TimelineStep.model_validate(step) for step in timeline]
    later = [
        s
        for s in steps
        if s.from_process is not None
        and not s.returning
        and place.names((s.from_, s.from_business_id, s.from_process))
    ]
    scope = f"この確認は今の移動（提案{suggestion_id}）だけが対象です。"
    if not later:
        return scope + "今後の予定でも、ここから移る人はいません。"
    listed = "、".join(
        f"{s.at:%H:%M} {s.operator}さん→{s.to}の{s.process}" for s in later[:MAX_LATER_LISTED]
    )
    more = f"ほか{len(later) - MAX_LATER_LISTED}名" if len(later) > MAX_LATER_LISTED else ""
    return f"{scope}今後の予定では、ここから{len(later)}名が移ります（{listed}{more}）。"


def _donor_of_what_if(
    turn: TurnInput, place: QueueRef, targets: tuple[QueueRef, ...], people: OperatorSlots
) -> TurnData:
    """「高山さんを回したら？」 then 「その場合、盛岡は？」: the place under that what-if."""
    found = people_changed(
        turn.session,
        now=turn.now,
        policy=turn.policy,
        targets=targets,
        remove=people.remove,
        send=(*people.move, *people.add),
    )
    if found.facts is None:
        return TurnData(notes=found.notes)
    leaving = [
        m
        for m in found.facts.moves
        if m.from_location is not None
        and place.names((m.from_location, place.business_id, m.from_process))
    ]
    queues = [c for c in found.every_queue if place.names((c.location, c.business_id, c.process))]
    label = "の".join(p for p in (place.location, place.process) if p) or "その工程"
    return TurnData(donor=DonorCheck(place=label, leaving=leaving, queues=queues))

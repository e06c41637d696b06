"""What-ifs where unnamed people leave a queue (「1人抜けたら」) and queues named by
what the data says of them (「16時締めのやつ」), on the demo day. Expected figures are
recomputed here from the database and the planner's evaluation, not from the answer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from aimee.nlu.request import HeadCount, QueueRef, Request, Slots
from aimee.planner import evaluate
from aimee.services import facts
from aimee.services.chat_requests import resolve_indirect
from aimee.services.scenarios import build_situation
from aimee.services.what_if import people_changed
from tests.conftest import DEMO_NOW, POLICY

NAHA_E2 = QueueRef(location="那覇", process="エントリ2")
SAPPORO_H = QueueRef(location="札幌", process="補正")


def _staff(session: Session, ref: QueueRef) -> dict[str, float]:
    """Name -> speed on the queue, for the people working it now."""
    scenario = build_situation(session, now=DEMO_NOW, rules=POLICY.rules).scenario
    return {
        op.name: op.speed(op.assigned.process)
        for op in scenario.operators
        if op.assigned is not None
        and ref.names(op.assigned.id)
        and (op.shift_end is None or op.shift_end > DEMO_NOW)
    }


def test_the_person_assumed_to_leave_is_the_one_of_average_speed(db_session: Session) -> None:
    staff = _staff(db_session, NAHA_E2)
    mean = sum(staff.values()) / len(staff)
    nearest = min(abs(speed - mean) for speed in staff.values())
    found = people_changed(
        db_session, now=DEMO_NOW, policy=POLICY, targets=(NAHA_E2,), leave_count=1
    )
    assert found.facts is not None
    [who] = found.facts.assumed_leaving
    assert who in staff and abs(staff[who] - mean) == nearest
    assert "平均的な速さ" in found.facts.premise and "仮定" in found.facts.premise
    assert found.facts.premise.startswith("那覇のエントリ2から")


def test_people_leaving_make_the_queue_and_the_floor_no_better(db_session: Session) -> None:
    scenario = build_situation(
        db_session, now=DEMO_NOW, rules=POLICY.rules.model_copy(update={"margin_minutes": 0.0})
    ).scenario
    floor = sum(round(e.late) for e in evaluate(scenario, {}))
    found = people_changed(
        db_session, now=DEMO_NOW, policy=POLICY, targets=(SAPPORO_H,), leave_count=2
    )
    assert found.facts is not None and found.facts.target is not None
    assert len(found.facts.assumed_leaving) == 2
    assert found.facts.floor_before == floor
    assert found.facts.floor_after is not None and found.facts.floor_after >= floor
    t = found.facts.target
    assert (t.location, t.process) == ("札幌", "補正")
    assert t.completion_before is not None and t.completion_after is not None
    assert t.completion_after > t.completion_before


def test_more_people_than_the_queue_has_are_capped_and_said(db_session: Session) -> None:
    staff = _staff(db_session, SAPPORO_H)
    found = people_changed(
        db_session, now=DEMO_NOW, policy=POLICY, targets=(SAPPORO_H,), leave_count=50
    )
    assert found.facts is not None
    assert sorted(found.facts.assumed_leaving) == sorted(staff)
    assert any(f"{len(staff)}名が抜けるとして" in note for note in found.notes)


def test_a_named_person_and_one_more(db_session: Session) -> None:
    found = people_changed(
        db_session,
        now=DEMO_NOW,
        policy=POLICY,
        targets=(QueueRef(location="盛岡", process="エントリ1"),),
        remove=("高山麻由子",),
        leave_count=1,
    )
    assert found.facts is not None
    [other] = found.facts.assumed_leaving
    assert other != "高山麻由子"
    # the one more is on 高山's queue (盛岡 SS), not on the other business's エントリ1
    assert other in _staff(
        db_session, QueueRef(location="盛岡", business_id="523201", process="エントリ1")
    )
    assert found.facts.premise.startswith("高山麻由子さんが今の工程から抜け、さらに")


def _plan(text_targets: tuple[QueueRef, ...] = ()) -> Request:
    return Request(kind="plan", slots=Slots(targets=text_targets))


def test_a_queue_named_by_its_deadline(db_session: Session) -> None:
    scenario = build_situation(db_session, now=DEMO_NOW, rules=POLICY.rules).scenario
    at_16 = {q.key.id for q in scenario.queues if (q.deadline.hour, q.deadline.minute) == (16, 0)}
    resolved = resolve_indirect(
        db_session, _plan(), "16時締めのやつに誰か回して", now=DEMO_NOW, policy=POLICY
    )
    assert {(t.location, t.business_id, t.process) for t in resolved.slots.targets} == at_16


def test_the_worst_queue_of_a_site(db_session: Session) -> None:
    situation = build_situation(db_session, now=DEMO_NOW, rules=POLICY.rules)
    naha = [q for q in facts.queue_facts(situation).values() if q.location == "那覇"]
    worst = max(naha, key=lambda q: q.late_tasks)
    resolved = resolve_indirect(
        db_session,
        _plan((QueueRef(location="那覇"),)),
        "那覇でいちばんやばい工程に応援",
        now=DEMO_NOW,
        policy=POLICY,
    )
    [target] = resolved.slots.targets
    assert (target.location, target.process) == (worst.location, worst.process)


def test_a_request_that_names_its_queue_is_left_alone(db_session: Session) -> None:
    request = _plan((QueueRef(location="札幌", process="エントリ1"),))
    assert (
        resolve_indirect(db_session, request, "16時締めの札幌E1", now=DEMO_NOW, policy=POLICY)
        is request
    )


def test_a_head_count_of_people_leaving_is_not_a_slot_of_its_own() -> None:
    slots = Slots(targets=(SAPPORO_H,), head_count=HeadCount(exact=1, leaving=True))
    assert slots.public()["head_count"] == {"exact": 1}
    assert Request(kind="what_if", slots=slots).public()["leaving"] is True


def test_someone_sent_goes_to_the_first_target_a_vaguer_one_after_it(
    db_session: Session,
) -> None:
    """「竹内舞さんを那覇のE1に回したらE1どのくらい良くなる？」 names 那覇's エントリ1 first;
    the bare エントリ1 after it must not send her to another site's."""
    naha_e1 = QueueRef(location="那覇", process="エントリ1")
    found = people_changed(
        db_session,
        now=DEMO_NOW,
        policy=POLICY,
        targets=(naha_e1, QueueRef(process="エントリ1")),
        send=("竹内舞",),
    )
    assert found.facts is not None, found.notes
    [move] = found.facts.moves
    assert (move.to_location, move.to_process) == ("那覇", "エントリ1")


def test_someone_both_taken_off_and_sent_is_sent(db_session: Session) -> None:
    """「千葉さんを抜いたら？」 then 「代わりに那覇の補正に行かせたら？」 may name him in both
    roles: the move takes him off his queue; it used to lock him as leaving and then fail
    to move him (a 500 in the chat)."""
    naha_h = QueueRef(location="那覇", process="補正")
    found = people_changed(
        db_session,
        now=DEMO_NOW,
        policy=POLICY,
        targets=(naha_h,),
        remove=("千葉浩二",),
        send=("千葉浩二",),
    )
    assert found.facts is not None, found.notes
    [move] = found.facts.moves
    assert move.operator_name == "千葉浩二"
    assert (move.to_location, move.to_process) == ("那覇", "補正")


def test_someone_taken_off_who_cannot_be_sent_still_leaves(db_session: Session) -> None:
    """金子和子 has no 補正 skill: sent to 那覇の補正 she is not moved, and taken off her
    queue she still leaves it (the floor changes; it used to read 「変わりません」)."""
    found = people_changed(
        db_session,
        now=DEMO_NOW,
        policy=POLICY,
        targets=(QueueRef(location="那覇", process="補正"),),
        remove=("金子和子",),
        send=("金子和子",),
    )
    assert found.facts is not None, found.notes
    assert not found.facts.moves
    assert found.facts.floor_after != found.facts.floor_before

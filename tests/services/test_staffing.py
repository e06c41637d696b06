"""The staffing timeline: today's stints per person from the assignment history,
and the moves promised to an approved plan, by site."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from aimee.services import users
from aimee.services.approvals import ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.services.staffing import timeline
from aimee.store.models import OperatorAssignment
from aimee.store.repositories import assignments
from tests.conftest import DEMO_NOW, POLICY

SAPPORO_E1 = ("札幌", "523201", "エントリ1")


def test_a_move_today_splits_a_persons_day(db_session: Session) -> None:
    row = next(
        r
        for r in db_session.query(OperatorAssignment).order_by(OperatorAssignment.operator_id)
        if (r.location_name, r.business_id, r.process_name) != SAPPORO_E1
    )
    was = (row.location_name, row.business_id, row.process_name)
    moved_at = DEMO_NOW - timedelta(minutes=30)
    assignments.move(db_session, row.operator_id, SAPPORO_E1, moved_at)
    found = timeline(db_session, now=DEMO_NOW)
    mine = sorted(
        (s for s in found.segments if s.operator_id == row.operator_id), key=lambda s: s.start
    )
    assert [(s.queue, s.end, s.ongoing) for s in mine] == [
        (was, moved_at, False),
        (SAPPORO_E1, DEMO_NOW, True),
    ]
    assert mine[1].start == moved_at
    assert mine[0].start == found.day_start  # the day starts at its first snapshot
    assert found.day_start.date() == DEMO_NOW.date() and found.day_start < moved_at
    sapporo = timeline(db_session, now=DEMO_NOW, location="札幌")
    assert {s.operator_id for s in sapporo.segments} >= {row.operator_id}  # worked there today
    assert all(
        s.home == "札幌"
        or any(t.queue[0] == "札幌" for t in sapporo.segments if t.operator_id == s.operator_id)
        for s in sapporo.segments
    )


def test_an_approved_plan_is_planned_until_carried_out(db_session: Session) -> None:
    approver = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)[0]
    focused = suggest_for(
        db_session, ScenarioFilter(*SAPPORO_E1), now=DEMO_NOW, policy=POLICY, created_by=None
    )
    assert focused is not None and focused.suggestion is not None
    card = focused.suggestion
    service = ApprovalService()
    history = service.act(db_session, card.id, "approve", user=approver, now=DEMO_NOW)
    found = timeline(db_session, now=DEMO_NOW)
    expected = {
        (op_id, (c.to, c.business_id, c.process)) for c in card.changes for op_id in c.operator_ids
    }
    assert {(m.operator_id, m.target) for m in found.planned} == expected
    assert {m.suggestion_id for m in found.planned} == {card.id}
    for status in ("executing", "completed"):
        service.set_execution(db_session, history.approval_history_id, status, now=DEMO_NOW)
    after = timeline(db_session, now=DEMO_NOW)
    # carried out: nothing left to move now; with loans (AIMEE_PLAN_LOANS, on by default)
    # each helper whose shift outlasts the loan is due back at its end (16:00)
    assert [m for m in after.planned if m.at is None] == []
    deadline = next(q.deadline for q in focused.scenario.queues if q.id == SAPPORO_E1)
    back = {m.operator_id for m in after.planned}
    assert back <= {op_id for op_id, _ in expected}
    for m in after.planned:
        assert (m.at, m.source, m.suggestion_id) == (deadline, SAPPORO_E1, card.id)
        assert m.shift_end is None or m.shift_end > deadline
    now_on = {s.operator_id for s in after.segments if s.ongoing and s.queue == SAPPORO_E1}
    assert {op_id for op_id, _ in expected} <= now_on

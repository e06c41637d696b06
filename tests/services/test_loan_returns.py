"""A loan that ends sends its helper back: the assignment moves to where the plan took
them from, at the loan's end, once (a helper moved elsewhere since is left alone)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aimee.services import loan_returns, users
from aimee.services.approvals import ApprovalService, ChangeIn
from aimee.services.live_floor import LiveFloor
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.services.staffing import timeline
from aimee.store.models import OperatorAssignment, PastAssignment
from aimee.store.repositories import assignments
from tests.conftest import DEMO_NOW, POLICY

SAPPORO_E1 = ("札幌", "523201", "エントリ1")


def _carried_out_plan(
    session: Session, executed: datetime = DEMO_NOW
) -> tuple[dict[int, tuple[str, str, str]], datetime]:
    """An approved, executed plan for 札幌/エントリ1; its helpers' queues before it."""
    approver = users.add_user(session, "承認者", "approver", now=DEMO_NOW)[0]
    focused = suggest_for(
        session, ScenarioFilter(*SAPPORO_E1), now=DEMO_NOW, policy=POLICY, created_by=None
    )
    assert focused is not None and focused.suggestion is not None
    card = focused.suggestion
    helpers = {op_id for c in card.changes for op_id in c.operator_ids}
    before = {
        op.id: op.assigned.id
        for op in focused.scenario.operators
        if op.id in helpers and op.assigned is not None
    }
    service = ApprovalService()
    history = service.act(session, card.id, "approve", user=approver, now=DEMO_NOW)
    for status in ("executing", "completed"):
        service.set_execution(session, history.approval_history_id, status, now=executed)
    deadline = next(q.deadline for q in focused.scenario.queues if q.id == SAPPORO_E1)
    return before, deadline


def _where(session: Session, operator_id: int) -> tuple[str, str, str]:
    row = session.get(OperatorAssignment, operator_id)
    assert row is not None
    return assignments.where(row)


def test_helpers_go_back_when_the_loan_ends(db_session: Session) -> None:
    before, deadline = _carried_out_plan(db_session)
    assert before, "the demo plan for 札幌/エントリ1 moves someone"
    assert all(_where(db_session, op) == SAPPORO_E1 for op in before)

    assert loan_returns.carry_out_due(db_session, deadline - timedelta(minutes=1)) == []
    assert all(_where(db_session, op) == SAPPORO_E1 for op in before)

    later = deadline + timedelta(minutes=3)
    ended = loan_returns.carry_out_due(db_session, later)
    assert {loan.operator_id for loan in ended} == set(before)  # every move was a loan
    for op, home in before.items():
        assert _where(db_session, op) == home
        row = db_session.get(OperatorAssignment, op)
        assert row is not None and row.since == deadline  # back at the loan's end
        stint = db_session.scalars(
            select(PastAssignment).where(
                PastAssignment.operator_id == op, PastAssignment.ended_at == deadline
            )
        ).one()
        assert (stint.location_name, stint.business_id, stint.process_name) == SAPPORO_E1
        assert stint.started_at == DEMO_NOW
    assert loan_returns.carry_out_due(db_session, later) == []  # once
    assert [m for m in timeline(db_session, now=later).planned if m.at is not None] == []


def test_a_helper_moved_elsewhere_since_stays_there(db_session: Session) -> None:
    before, deadline = _carried_out_plan(db_session)
    moved, home = next(iter(before.items()))
    elsewhere = next(
        assignments.where(r)
        for r in db_session.scalars(select(OperatorAssignment))
        if assignments.where(r) not in (SAPPORO_E1, home)
    )
    assignments.move(db_session, moved, elsewhere, DEMO_NOW + timedelta(minutes=10))
    ended = loan_returns.carry_out_due(db_session, deadline + timedelta(minutes=1))
    assert moved not in {loan.operator_id for loan in ended}
    assert _where(db_session, moved) == elsewhere
    assert {loan.operator_id for loan in ended} == set(before) - {moved}


def test_the_live_demo_floor_sends_helpers_back(db_session: Session) -> None:
    before, deadline = _carried_out_plan(db_session)
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")
    floor = LiveFloor(sessions, POLICY.rules)
    floor.step(deadline + timedelta(minutes=1))
    assert {op: _where(db_session, op) for op in before} == before


def test_a_modified_plan_returns_the_people_it_moved(db_session: Session) -> None:
    """The approval's own moves count (a modify changes them), not the plan proposed."""
    approver = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)[0]
    focused = suggest_for(
        db_session, ScenarioFilter(*SAPPORO_E1), now=DEMO_NOW, policy=POLICY, created_by=None
    )
    assert focused is not None and focused.suggestion is not None
    card = focused.suggestion
    first, *others = [op for c in card.changes for op in c.operator_ids]
    elsewhere = ("品川", "523201", "エントリ2")
    edited = [
        ChangeIn(
            to=elsewhere[0], business_id=elsewhere[1], process=elsewhere[2], operator_ids=[first]
        ),
        *[
            ChangeIn(to="札幌", business_id="523201", process="エントリ1", operator_ids=[op])
            for op in others
        ],
    ]
    home = next(
        op.assigned.id for op in focused.scenario.operators if op.id == first and op.assigned
    )
    service = ApprovalService()
    history = service.act(
        db_session, card.id, "modify", user=approver, now=DEMO_NOW, changes=edited
    )
    for status in ("executing", "completed"):
        service.set_execution(db_session, history.approval_history_id, status, now=DEMO_NOW)
    assert _where(db_session, first) == elsewhere
    deadline = next(q.deadline for q in focused.scenario.queues if q.id == elsewhere)
    ended = loan_returns.carry_out_due(db_session, deadline + timedelta(minutes=1))
    assert first in {loan.operator_id for loan in ended}
    assert _where(db_session, first) == home


def test_a_loan_carried_out_after_its_end_is_due_at_once(db_session: Session) -> None:
    before, deadline = _carried_out_plan(db_session, executed=DEMO_NOW + timedelta(hours=3))
    late = DEMO_NOW + timedelta(hours=3)
    assert late > deadline
    ended = loan_returns.carry_out_due(db_session, late)
    assert {loan.operator_id for loan in ended} == set(before)
    assert all(loan.until == late for loan in ended)  # back when they were moved: no stint
    assert {op: _where(db_session, op) for op in before} == before

"""A loan carried out counts in the forecast only until it ends: the helper works on the
destination until then, as if their shift ended then (the figures are the same as with that
shift end), and no plan moves them on meanwhile. On SQLite and MariaDB."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, attributes

from aimee.planner import Move, QueueKey, plan_from_moves, violations
from aimee.planner.figures import QueueFigures
from aimee.services import users
from aimee.services.approvals import ApprovalService
from aimee.services.scenarios import Situation, build_situation
from aimee.services.suggestions import create_suggestion
from aimee.store.models import ApprovalHistory, OperatorShift
from tests.conftest import DEMO_NOW, POLICY

SAPPORO_E1 = ("札幌", "523201", "エントリ1")
UNTIL = DEMO_NOW + timedelta(minutes=10)  # 札幌のエントリ1 is due at 16:00
E1_KEY = QueueKey(location="札幌", business_id="523201", process="エントリ1")


def _situation(session: Session, now: datetime = DEMO_NOW) -> Situation:
    return build_situation(session, rules=POLICY.rules, now=now)


def _lend(session: Session, until: datetime) -> tuple[int, int]:
    """An approved and carried-out loan of a 札幌 helper to 札幌のエントリ1 until ``until``:
    (the helper, the approval history row)."""
    approver = users.add_user(session, "承認者", "approver", now=DEMO_NOW)[0]
    scenario = _situation(session).scenario
    helper = next(
        op
        for op in scenario.operators
        if op.assigned is not None
        and op.assigned.location == "札幌"
        and op.assigned.id != SAPPORO_E1
        and op.skills.get("エントリ1") is not None
        and op.skills["エントリ1"].level >= POLICY.rules.min_skill_level
        and not op.locked
    )
    plan = plan_from_moves(scenario, [Move(operator_id=helper.id, to=E1_KEY)])
    (move,) = plan.moves
    plan = plan.model_copy(update={"moves": [move.model_copy(update={"until": until})]})
    card = create_suggestion(session, scenario, plan, now=DEMO_NOW, created_by=None)
    service = ApprovalService()
    history = service.act(session, card.id, "approve", user=approver, now=DEMO_NOW)
    for status in ("executing", "completed"):
        service.set_execution(session, history.approval_history_id, status, now=DEMO_NOW)
    return helper.id, history.approval_history_id


def _figures(session: Session, now: datetime = DEMO_NOW) -> QueueFigures:
    return _situation(session, now).figures[SAPPORO_E1]


def _as_a_shift_end(session: Session, helper: int, history_id: int) -> None:
    """The oracle's floor: no loan, the helper's shift ending at the loan's end instead."""
    _without_loan(session, history_id)
    _shift_ends_at_until(session, helper)


def _without_loan(session: Session, history_id: int) -> None:
    """The approved move made permanent (no ``until``)."""
    row = session.get(ApprovalHistory, history_id)
    assert row is not None and row.changes
    row.changes = [{**change, "until": None} for change in row.changes]
    attributes.flag_modified(row, "changes")
    session.flush()


def _shift_ends_at_until(session: Session, helper: int) -> None:
    shift = session.get(OperatorShift, (helper, DEMO_NOW.date()))
    if shift is None:
        starts = DEMO_NOW.replace(hour=9, minute=0)
        shift = OperatorShift(operator_id=helper, shift_date=DEMO_NOW.date(), starts_at=starts)
        session.add(shift)
    shift.ends_at = UNTIL
    session.flush()


def test_a_loan_counts_until_it_ends_as_a_shift_end_would(db_session: Session) -> None:
    helper, history_id = _lend(db_session, UNTIL)
    lent = _situation(db_session)
    figures = lent.figures[SAPPORO_E1]
    operator = next(op for op in lent.scenario.operators if op.id == helper)
    assert operator.assigned is not None and operator.assigned.id == SAPPORO_E1
    assert operator.locked and operator.shift_end == UNTIL  # promised back home: not moved on

    # the oracle: no loan, the helper's shift ending at the loan's end instead
    _without_loan(db_session, history_id)
    stays = _figures(db_session)  # a permanent move: counted until the deadline
    _shift_ends_at_until(db_session, helper)
    leaves = _figures(db_session)
    assert (figures.late, figures.completion, figures.rate) == (
        leaves.late,
        leaves.completion,
        leaves.rate,
    )
    assert figures.late > stays.late  # the loan's end matters


def test_a_loan_ended_but_not_returned_yet_counts_no_more(db_session: Session) -> None:
    """Between the loan's end and the round that writes the return, the helper is counted
    nowhere (not on the destination until their shift ends), and no longer locked (review)."""
    helper, history_id = _lend(db_session, UNTIL)
    after = UNTIL + timedelta(minutes=1)
    ended = _situation(db_session, after)
    operator = next(op for op in ended.scenario.operators if op.id == helper)
    assert not operator.locked
    figures = ended.figures[SAPPORO_E1]
    _as_a_shift_end(db_session, helper, history_id)
    leaves = _figures(db_session, after)
    assert (figures.late, figures.completion, figures.rate) == (
        leaves.late,
        leaves.completion,
        leaves.rate,
    )


def test_moving_a_helper_on_loan_is_refused_naming_the_loan(db_session: Session) -> None:
    """Not 「固定設定のため」: the refusal says the helper is on a loan until when (review)."""
    helper, _history_id = _lend(db_session, UNTIL)
    scenario = _situation(db_session).scenario
    home = QueueKey(location="札幌", business_id="523201", process="補正")
    problems = violations(scenario, [Move(operator_id=helper, to=home)])
    assert any(
        "は15:50まで応援中（その後元の工程へ戻る予定）のため移動できません" in p for p in problems
    )
    assert not any("固定設定" in p for p in problems)

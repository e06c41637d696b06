"""A day plan modified by its approver: a kept move keeps the loan end its card stated
(``approvals.stated_loans``), and the figures stored with the approval (the history's impact,
the reason, the predictions compared with the outcomes later) count that loan as approved.

The snapshot evaluation (``planner.capacity.staffing``, through ``plan_from_moves`` in
``approvals.revalidate`` and ``day_plan_build.first_plan``) takes each move's stated end
(``loan_ends``). The figures with the loan ends are written out by hand below, checked first
against the planner's evaluation of a loan lasting to the deadline (its ``rules.loans``
default)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.planner import Move, QueueKey, Scenario, plan_from_moves, violations
from aimee.planner.domain import QueueId
from aimee.planner.timephased import FirstMove, PhasedPlan
from aimee.services import users
from aimee.services.approvals import ApprovalPublic, ApprovalService, ChangeIn
from aimee.services.day_plan_build import day_inputs, first_plan, summary
from aimee.services.suggestion_preview import preview_modification
from aimee.services.suggestions import create_suggestion, stored_plan
from aimee.store.models import Suggestion
from aimee.store.repositories import suggestions as suggestion_repo
from tests.conftest import DEMO_NOW, POLICY

HELPER, OTHER = 32, 62  # on the demo day: 梅田/補正 and 札幌/補正, both able to help 梅田/エントリ1
UMEDA_E1 = ("梅田", "523202", "エントリ1")  # deadline 17:10, late on the demo day
BACK_AT = DEMO_NOW + timedelta(minutes=30)  # the timeline brings the helpers home at 16:10


def _minutes(now: datetime, then: datetime) -> float:
    return (then - now).total_seconds() / 60


def _late_by_hand(
    scenario: Scenario, loans: dict[int, tuple[QueueId, datetime]]
) -> dict[QueueId, float]:
    """Each queue's late tasks at its deadline (margin 0), written out here: a stayer works
    from now; a helper on the destination from the switch until their loan ends (or the
    deadline, or their shift end), then back home from the loan's end plus the switch until
    the home queue's deadline or their shift end."""
    assert scenario.rules.margin_minutes == 0 and scenario.rules.loans
    queues = {q.id: q for q in scenario.queues}
    now, switch = scenario.now, scenario.rules.switch_minutes
    capacity = dict.fromkeys(queues, 0.0)
    for op in scenario.operators:
        home = op.assigned.id if op.assigned is not None else None
        shift = _minutes(now, op.shift_end) if op.shift_end is not None else float("inf")
        if op.id not in loans:
            if home in queues:
                minutes = max(0.0, min(_minutes(now, queues[home].deadline), shift))
                capacity[home] += op.speed(home[2]) / 60 * minutes
            continue
        to, until = loans[op.id]
        lent = _minutes(now, until)
        away = max(0.0, min(_minutes(now, queues[to].deadline), shift, lent) - switch)
        capacity[to] += op.speed(to[2]) / 60 * away
        if home in queues:
            back = max(lent, switch) + switch
            there = max(0.0, min(_minutes(now, queues[home].deadline), shift) - back)
            capacity[home] += op.speed(home[2]) / 60 * there
    return {key: max(0.0, q.waiting - capacity[key]) for key, q in queues.items()}


def _day_plan_card(
    session: Session, back: dict[int, datetime | None] | None = None
) -> tuple[str, Scenario]:
    """A plan for the rest of the day as the job makes it (``first_plan``): two helpers lent
    to 梅田/エントリ1 now, the timeline bringing both home at 16:10, an hour before its
    deadline (``back``: when each comes back, None: the timeline keeps them there)."""
    inputs = day_inputs(session, now=DEMO_NOW, policy=POLICY)
    homes = {op.id: op.assigned.id for op in inputs.scenario.operators if op.assigned}
    back = {HELPER: BACK_AT, OTHER: BACK_AT} if back is None else back
    result = PhasedPlan(
        timeline={},
        first_moves=[FirstMove(i, homes[i], UMEDA_E1, back[i], back[i] is not None) for i in back],
        late={},
        objective=0.0,
        objective_before=0.0,
        switches=4,
        away_intervals=0,
        optimal=False,
        objective_bound=None,
        status="time_limit",
        solve_ms=0.0,
        n_intervals=1,
    )
    scenario, plan = first_plan(inputs, result)
    card = create_suggestion(
        session, scenario, plan, now=DEMO_NOW, timeline=[], day=summary(result), reason="day"
    )
    return card.id, scenario


@dataclass(frozen=True)
class Modified:
    """The card modified to keep one helper's loan, and its figures written out by hand."""

    done: ApprovalPublic
    reason: str
    touched: set[QueueId]
    as_approved: dict[QueueId, float]
    """Late tasks per queue with the kept loan ending at 16:10."""
    to_deadline: dict[QueueId, float]
    """The same with that loan lasting to the destination's deadline (17:10)."""


def _modified(session: Session) -> Modified:
    user, _ = users.add_user(session, "承認者", "approver", now=DEMO_NOW)
    card_id, scenario = _day_plan_card(session)
    row = suggestion_repo.get(session, card_id)
    assert row is not None
    deadline = next(q.deadline for q in scenario.queues if q.id == UMEDA_E1)
    stated = {m.operator_id: m.until for m in stored_plan(row)[1].moves}
    assert stated == {HELPER: BACK_AT, OTHER: BACK_AT} and deadline > BACK_AT

    kept = ChangeIn(
        to=UMEDA_E1[0], business_id=UMEDA_E1[1], process=UMEDA_E1[2], operator_ids=[HELPER]
    )
    done = ApprovalService().act(
        session, card_id, "modify", user=user, now=DEMO_NOW, changes=[kept]
    )
    assert [c["until"] for c in done.changes] == [BACK_AT.isoformat()]  # the loan kept

    # the hand-written figures agree with the planner's where it can state the loan
    destination = QueueKey(location=UMEDA_E1[0], business_id=UMEDA_E1[1], process=UMEDA_E1[2])
    planned = plan_from_moves(scenario, [Move(HELPER, destination)])
    to_deadline = _late_by_hand(scenario, {HELPER: (UMEDA_E1, deadline)})
    assert {o.key.id: o.late_after for o in planned.queues} == pytest.approx(to_deadline)
    home = next(m.from_ for m in planned.moves if m.from_ is not None)
    return Modified(
        done=done,
        reason=row.reason or "",
        touched={UMEDA_E1, home.id},
        as_approved=_late_by_hand(scenario, {HELPER: (UMEDA_E1, BACK_AT)}),
        to_deadline=to_deadline,
    )


def _touched_late(case: Modified, late: dict[QueueId, float]) -> float:
    return round(sum(late[key] for key in case.touched), 1)


def test_the_kept_loan_end_changes_the_figures_of_the_modified_day_plan(
    db_session: Session,
) -> None:
    """The case below is one where the loan's end matters: the hand-written figures (equal to
    the planner's for a loan lasting to the deadline) differ with the kept end."""
    case = _modified(db_session)
    assert {(o.location, o.business_id, o.process) for o in case.done.outcomes} == case.touched
    assert _touched_late(case, case.as_approved) != _touched_late(case, case.to_deadline)


def test_a_modified_day_plan_states_its_figures_with_the_kept_loan_end(
    db_session: Session,
) -> None:
    case = _modified(db_session)
    predicted = {
        (o.location, o.business_id, o.process): o.predicted_late for o in case.done.outcomes
    }
    # the history shows each prediction to one decimal (outcomes.public)
    assert predicted == pytest.approx({k: round(case.as_approved[k], 1) for k in case.touched})
    late = _touched_late(case, case.as_approved)
    assert case.done.impact["late_tasks_after"] == late
    assert f"{round(late)}件にします" in case.reason


FOR_GOOD = DEMO_NOW + timedelta(days=1)
"""A loan end after every deadline and shift: in ``_late_by_hand``, a helper who stays."""

UMEDA_E1_KEY = QueueKey(location=UMEDA_E1[0], business_id=UMEDA_E1[1], process=UMEDA_E1[2])


def _card(
    session: Session, back: dict[int, datetime | None] | None = None
) -> tuple[str, tuple[Scenario, Suggestion]]:
    card_id, scenario = _day_plan_card(session, back)
    row = suggestion_repo.get(session, card_id)
    assert row is not None
    return card_id, (scenario, row)


def test_a_day_plan_card_counts_each_loan_until_the_timeline_brings_the_helper_back(
    db_session: Session,
) -> None:
    _, (scenario, row) = _card(db_session)
    _, plan = stored_plan(row)
    by_hand = _late_by_hand(scenario, {i: (UMEDA_E1, BACK_AT) for i in (HELPER, OTHER)})
    assert {o.key.id: o.late_after for o in plan.queues} == pytest.approx(by_hand)
    touched = {UMEDA_E1} | {m.from_.id for m in plan.moves if m.from_ is not None}
    assert row.impact["late_tasks_after"] == round(sum(by_hand[k] for k in touched), 1)
    # 199.1 → 137.9 on the demo day (counted to the 17:10 deadline it read 199.1 → 2.9)
    assert (row.impact["late_tasks_before"], row.impact["late_tasks_after"]) == (199.1, 137.9)
    assert all("16:10までに最大" in m.reason for m in plan.moves)


def test_a_helper_the_timeline_keeps_there_is_counted_there_for_good(
    db_session: Session,
) -> None:
    """No ``until``: no return is written (``loan_returns``) and none is counted."""
    _, (scenario, row) = _card(db_session, {HELPER: BACK_AT, OTHER: None})
    _, plan = stored_plan(row)
    assert {m.operator_id: m.until for m in plan.moves} == {HELPER: BACK_AT, OTHER: None}
    by_hand = _late_by_hand(scenario, {HELPER: (UMEDA_E1, BACK_AT), OTHER: (UMEDA_E1, FOR_GOOD)})
    assert {o.key.id: o.late_after for o in plan.queues} == pytest.approx(by_hand)


def test_approving_a_day_plan_predicts_its_card_figures(db_session: Session) -> None:
    user, _ = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)
    card_id, (scenario, _row) = _card(db_session)
    by_hand = _late_by_hand(scenario, {i: (UMEDA_E1, BACK_AT) for i in (HELPER, OTHER)})
    done = ApprovalService().act(db_session, card_id, "approve", user=user, now=DEMO_NOW)
    predicted = {(o.location, o.business_id, o.process): o.predicted_late for o in done.outcomes}
    assert predicted == pytest.approx({k: round(by_hand[k], 1) for k in predicted})
    assert [c["until"] for c in done.changes] == [BACK_AT.isoformat()] * 2


def test_the_preview_of_a_modification_states_what_the_approval_stores(
    db_session: Session,
) -> None:
    user, _ = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)
    card_id, _ = _card(db_session)
    kept = ChangeIn(
        to=UMEDA_E1[0], business_id=UMEDA_E1[1], process=UMEDA_E1[2], operator_ids=[HELPER]
    )
    preview = preview_modification(db_session, card_id, [kept], now=DEMO_NOW)
    done = ApprovalService().act(
        db_session, card_id, "modify", user=user, now=DEMO_NOW, changes=[kept]
    )
    assert preview.impact.model_dump(mode="json") == done.impact
    assert [c.model_dump(mode="json") for c in preview.changes] == done.changes
    assert preview.changes[0].until == BACK_AT


def test_a_move_the_manager_adds_is_a_loan_to_its_destinations_deadline(
    db_session: Session,
) -> None:
    user, _ = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)
    card_id, (scenario, _row) = _card(db_session)
    deadline = next(q.deadline for q in scenario.queues if q.id == UMEDA_E1)
    queues = {q.id for q in scenario.queues}
    added = next(
        op.id
        for op in scenario.operators
        if op.id not in (HELPER, OTHER)
        and op.assigned is not None
        and op.assigned.id in queues
        and op.assigned.id != UMEDA_E1
        and (op.shift_end is None or op.shift_end > deadline + timedelta(minutes=10))
        and not violations(scenario, [Move(op.id, UMEDA_E1_KEY)])
    )
    change = ChangeIn(
        to=UMEDA_E1[0],
        business_id=UMEDA_E1[1],
        process=UMEDA_E1[2],
        operator_ids=[HELPER, added],
    )
    done = ApprovalService().act(
        db_session, card_id, "modify", user=user, now=DEMO_NOW, changes=[change]
    )
    untils = {i: c["until"] for c in done.changes for i in c["operator_ids"]}
    assert untils == {HELPER: BACK_AT.isoformat(), added: deadline.isoformat()}
    by_hand = _late_by_hand(scenario, {HELPER: (UMEDA_E1, BACK_AT), added: (UMEDA_E1, deadline)})
    predicted = {(o.location, o.business_id, o.process): o.predicted_late for o in done.outcomes}
    assert predicted == pytest.approx({k: round(by_hand[k], 1) for k in predicted})

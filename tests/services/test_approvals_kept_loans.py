"""A day plan modified by its approver: a kept move keeps the loan end its card stated
(``approvals.kept_loans``), and the figures stored with the approval (the history's impact,
the predictions compared with the outcomes later) should count that loan as approved.

They do not yet: the snapshot evaluation (``planner.capacity.staffing``, through
``plan_from_moves`` in ``approvals.revalidate``) knows a move only as permanent or, with
``rules.loans``, as a loan lasting to the destination's deadline; it takes no loan end. The
test below pins the gap (strict xfail): the figures with the kept loan end are written out by
hand, checked first against the planner's own evaluation where the planner can state the
loan (one lasting to the deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.planner import Move, QueueKey, Scenario, plan_from_moves
from aimee.planner.domain import QueueId
from aimee.planner.timephased import FirstMove, PhasedPlan
from aimee.services import users
from aimee.services.approvals import ApprovalPublic, ApprovalService, ChangeIn
from aimee.services.day_plan_build import day_inputs, first_plan, summary
from aimee.services.suggestions import create_suggestion, stored_plan
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


def _day_plan_card(session: Session) -> tuple[str, Scenario]:
    """A plan for the rest of the day as the job makes it (``first_plan``): two helpers lent
    to 梅田/エントリ1 now, the timeline bringing both home at 16:10, an hour before its
    deadline."""
    inputs = day_inputs(session, now=DEMO_NOW, policy=POLICY)
    homes = {op.id: op.assigned.id for op in inputs.scenario.operators if op.assigned}
    result = PhasedPlan(
        timeline={},
        first_moves=[FirstMove(i, homes[i], UMEDA_E1, BACK_AT, True) for i in (HELPER, OTHER)],
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


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="the snapshot evaluation (planner.capacity) takes no loan end: a modified day "
    "plan's figures count each kept loan to its destination's deadline",
)
def test_a_modified_day_plan_states_its_figures_with_the_kept_loan_end(
    db_session: Session,
) -> None:
    case = _modified(db_session)
    predicted = {
        (o.location, o.business_id, o.process): o.predicted_late for o in case.done.outcomes
    }
    assert predicted == pytest.approx({k: case.as_approved[k] for k in case.touched})
    late = _touched_late(case, case.as_approved)
    assert case.done.impact["late_tasks_after"] == late
    assert f"{round(late)}件にします" in case.reason

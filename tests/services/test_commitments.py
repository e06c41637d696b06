"""An operator is promised once: approving opens a commitment per moved operator,
a second approval that wants one of them is refused naming who holds them, a new
plan leaves them out, and the commitment ends when the execution completes or
fails or the promise lapses with the suggestion."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.errors import Conflict
from aimee.services import users
from aimee.services.approvals import ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.services.suggestions import SuggestionPublic
from aimee.store.models import OperatorAssignment, OperatorCommitment, User
from aimee.store.repositories import assignments, commitments
from tests.conftest import DEMO_NOW, POLICY

SAPPORO_E1 = ScenarioFilter("札幌", "523201", "エントリ1")


def suggestion(session: Session, now: datetime = DEMO_NOW) -> SuggestionPublic:
    focused = suggest_for(session, SAPPORO_E1, now=now, policy=POLICY, created_by=None)
    assert focused is not None and focused.suggestion is not None
    return focused.suggestion


def movers(s: SuggestionPublic) -> set[str]:
    return {name for change in s.changes for name in change.operators}


def open_rows(session: Session) -> list[OperatorCommitment]:
    return list(
        session.scalars(
            select(OperatorCommitment).where(OperatorCommitment.open_operator_id.is_not(None))
        )
    )


@pytest.fixture
def approver(db_session: Session) -> User:
    return users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)[0]


def test_a_second_suggestion_for_the_same_people_is_refused(
    db_session: Session, approver: User
) -> None:
    # a minute later: other data, so another suggestion (the same plan on the same data is one)
    first, second = suggestion(db_session), suggestion(db_session, DEMO_NOW + timedelta(minutes=1))
    assert first.id != second.id
    assert movers(first) & movers(second)
    service = ApprovalService()
    service.act(db_session, first.id, "approve", user=approver, now=DEMO_NOW)
    assert {row.suggestion_id for row in open_rows(db_session)} == {first.id}
    assert len(open_rows(db_session)) == sum(c.count for c in first.changes)
    with pytest.raises(Conflict, match=f"承認済みの別の提案で既に移動が約束.*{first.id}"):
        service.act(db_session, second.id, "approve", user=approver, now=DEMO_NOW)


def test_a_new_plan_leaves_promised_people_out(db_session: Session, approver: User) -> None:
    first = suggestion(db_session)
    ApprovalService().act(db_session, first.id, "approve", user=approver, now=DEMO_NOW)
    assert not movers(first) & movers(suggestion(db_session))


@pytest.mark.parametrize("outcome", ["completed", "failed"])
def test_the_promise_ends_with_the_execution(
    db_session: Session, approver: User, outcome: str
) -> None:
    first = suggestion(db_session)
    service = ApprovalService()
    history = service.act(db_session, first.id, "approve", user=approver, now=DEMO_NOW)
    service.set_execution(db_session, history.approval_history_id, "executing", now=DEMO_NOW)
    assert all(row.lapses_at is None for row in open_rows(db_session))  # started: no lapse
    service.set_execution(db_session, history.approval_history_id, outcome, now=DEMO_NOW)
    assert open_rows(db_session) == []
    ended = db_session.scalars(select(OperatorCommitment.end_reason)).all()
    assert set(ended) == {outcome}


def test_completion_is_refused_when_someone_was_moved_since(
    db_session: Session, approver: User
) -> None:
    first = suggestion(db_session)
    service = ApprovalService()
    history = service.act(db_session, first.id, "approve", user=approver, now=DEMO_NOW)
    service.set_execution(db_session, history.approval_history_id, "executing", now=DEMO_NOW)
    operator_id = history.changes[0]["operator_ids"][0]
    assignments.move(db_session, operator_id, ("那覇", "523201", "検証"), DEMO_NOW)
    with pytest.raises(Conflict, match=r"提案時から配置が変わった.*那覇・523201・検証"):
        service.set_execution(db_session, history.approval_history_id, "completed", now=DEMO_NOW)
    row = db_session.get(OperatorAssignment, operator_id)
    assert row is not None and row.location_name == "那覇"  # nobody was moved twice


def test_a_lapsed_promise_does_not_hold_anyone(db_session: Session) -> None:
    later = DEMO_NOW + timedelta(minutes=30)
    assert commitments.reserve(db_session, "A", [1, 2], now=DEMO_NOW, lapses_at=later) is None
    assert commitments.reserve(db_session, "B", [2], now=DEMO_NOW, lapses_at=None) == (2, "A")
    assert commitments.holders(db_session, later) == {}
    assert commitments.reserve(db_session, "B", [2, 3], now=later, lapses_at=None) is None
    assert commitments.holders(db_session, later) == {2: "B", 3: "B"}

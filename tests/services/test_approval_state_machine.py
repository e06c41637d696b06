"""The approval state machine under random sequences of requests (hypothesis):
a suggestion is decided once; execution only moves pending → executing →
completed | failed; completed moves the operators."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from aimee.errors import Conflict
from aimee.services import users
from aimee.services.approvals import TRANSITIONS, ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.store.models import OperatorAssignment
from tests.conftest import DEMO_NOW, POLICY

DECISIONS = st.sampled_from(["approve", "reject"])
EXECUTIONS = st.sampled_from(["executing", "completed", "failed"])
REQUESTS = st.lists(
    st.one_of(DECISIONS.map(lambda a: ("decide", a)), EXECUTIONS.map(lambda s: ("execute", s))),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(requests=REQUESTS)
def test_random_requests_follow_the_state_machine(
    db_session: Session, requests: list[tuple[str, str]]
) -> None:
    nested = db_session.begin_nested()
    try:
        user, _ = users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)
        focused = suggest_for(
            db_session,
            ScenarioFilter("札幌", "523201", "エントリ1"),
            now=DEMO_NOW,
            policy=POLICY,
            created_by=None,
        )
        assert focused is not None and focused.suggestion is not None
        suggestion = focused.suggestion
        service = ApprovalService()
        decided: str | None = None
        execution: str | None = None
        history_id: int | None = None
        for kind, value in requests:
            if kind == "decide":
                try:
                    row = service.act(db_session, suggestion.id, value, user=user, now=DEMO_NOW)  # type: ignore[arg-type]
                except Conflict:
                    assert decided is not None  # only a second decision is refused
                    continue
                assert decided is None
                decided, history_id = value, row.approval_history_id
                execution = row.execution_status
                assert execution == ("pending" if value == "approve" else None)
            else:
                if history_id is None:
                    continue
                allowed = execution is not None and value in TRANSITIONS.get(execution, set())
                try:
                    row = service.set_execution(db_session, history_id, value, now=DEMO_NOW)
                except Conflict:
                    assert not allowed
                    continue
                assert allowed
                execution = row.execution_status
        if execution == "completed":
            for change in suggestion.changes:
                for operator_id in change.operator_ids:
                    assignment = db_session.get(OperatorAssignment, operator_id)
                    assert assignment is not None
                    assert (assignment.location_name, assignment.process_name) == (
                        change.to,
                        change.process,
                    )
    finally:
        nested.rollback()

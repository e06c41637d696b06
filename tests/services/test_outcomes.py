"""Did it work? An approved plan keeps its prediction per touched queue; after a
queue's deadline the snapshots give the actual late tasks and completion, the
past case cites them, and a plan that was not carried out gets no actuals."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.services import outcomes, users
from aimee.services.approvals import ApprovalPublic, ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.services.suggestions import SuggestionPublic
from aimee.store.models import ApprovalHistory, KnowledgeDocument, ProgressSnapshot, User
from aimee.store.repositories import approvals as approval_repo
from aimee.store.repositories import knowledge as knowledge_repo
from tests.conftest import DEMO_NOW, POLICY

SAPPORO_E1 = ScenarioFilter("札幌", "523201", "エントリ1")
T = DEMO_NOW.replace(hour=15, minute=0)


def snap(
    minute: int, waiting: int, deadline: datetime = T + timedelta(hours=1)
) -> ProgressSnapshot:
    return ProgressSnapshot(
        snapshot_time=T + timedelta(minutes=minute),
        location_name="札幌",
        business_id="523201",
        process_name="エントリ1",
        expected_completion_time=deadline,
        total_waiting=waiting,
    )


@pytest.mark.parametrize(
    ("waiting", "late", "done_minute"),
    [
        ([30, 12, 0, 0], 0, 40),  # empty from the third snapshot on
        ([30, 0, 4, 0], 0, 60),  # work came back: done only at the last one
        ([30, 12, 5, 3], 3, None),  # three left at the deadline
        ([0, 0, 0, 0], 0, 0),
    ],
)
def test_the_actual_figures_from_the_snapshots(
    waiting: list[int], late: int, done_minute: int | None
) -> None:
    snapshots = [snap(minute, n) for minute, n in zip((0, 20, 40, 60), waiting, strict=True)]
    found = outcomes.actual(snapshots)
    assert found.late == late
    assert found.observed_at == T + timedelta(minutes=60)
    expected = None if done_minute is None else T + timedelta(minutes=done_minute)
    assert found.completion == expected


def test_no_snapshot_means_no_actual() -> None:
    assert outcomes.actual([]) == outcomes.Actual(None, None, None)


@pytest.fixture
def approver(db_session: Session) -> User:
    return users.add_user(db_session, "承認者", "approver", now=DEMO_NOW)[0]


def approved(session: Session, approver: User) -> tuple[SuggestionPublic, ApprovalPublic]:
    focused = suggest_for(session, SAPPORO_E1, now=DEMO_NOW, policy=POLICY, created_by=None)
    assert focused is not None and focused.suggestion is not None
    history = ApprovalService().act(
        session, focused.suggestion.id, "approve", user=approver, now=DEMO_NOW
    )
    return focused.suggestion, history


def feed(session: Session, deadline: datetime, *waiting: tuple[int, int]) -> None:
    """Snapshots of 札幌's エントリ1 at DEMO_NOW + minute."""
    session.add_all(
        ProgressSnapshot(
            snapshot_time=DEMO_NOW + timedelta(minutes=minute),
            location_name="札幌",
            business_id="523201",
            process_name="エントリ1",
            expected_completion_time=deadline,
            total_waiting=n,
        )
        for minute, n in waiting
    )
    session.flush()


def test_a_carried_out_plan_is_recorded_once_after_the_deadline(
    db_session: Session, approver: User
) -> None:
    suggestion, history = approved(db_session, approver)
    service = ApprovalService()
    for status in ("executing", "completed"):
        service.set_execution(db_session, history.approval_history_id, status, now=DEMO_NOW)
    (target,) = [o for o in history.outcomes if o.role == "target"]
    db_session.add(
        KnowledgeDocument(
            title="過去事例: 札幌/523201/エントリ1（承認）",
            content="配置変更の記録。",
            category="過去事例",
            source=f"承認履歴 {suggestion.id} / 承認者",
            created_at=DEMO_NOW,
            updated_at=DEMO_NOW,
        )
    )
    feed(db_session, target.deadline, (5, 30), (12, 6), (16, 0), (19, 0))
    done_at = DEMO_NOW + timedelta(minutes=16)

    assert outcomes.record_due(db_session, target.deadline + timedelta(minutes=4)) == []
    after = target.deadline + outcomes.RECORD_AFTER
    (row,) = outcomes.record_due(db_session, after)  # the donors' deadlines are later
    assert (row.process_name, row.role) == ("エントリ1", "target")
    assert (row.actual_late, row.actual_completion, row.recorded_at) == (0, done_at, after)
    assert outcomes.record_due(db_session, after + timedelta(minutes=1)) == []

    (case,) = past_cases(db_session, suggestion.id)
    result = "札幌/523201/エントリ1（応援先）遅延 予測0件→実績0件、完了 実績15:56"
    assert result in case.content and case.content.startswith("配置変更の記録。")

    later = max(o.deadline for o in history.outcomes) + outcomes.RECORD_AFTER
    donors = outcomes.record_due(db_session, later)
    assert {r.role for r in donors} == {"donor"}
    (case,) = past_cases(db_session, suggestion.id)
    assert case.content.count(outcomes.RESULT_MARK) == 1  # rewritten, not appended
    assert result in case.content
    assert all(
        f"{r.location_name}/{r.business_id}/{r.process_name}（応援元）" in case.content
        for r in donors
    )


def test_a_plan_that_was_not_carried_out_gets_no_actuals(
    db_session: Session, approver: User
) -> None:
    _suggestion, history = approved(db_session, approver)
    (target,) = [o for o in history.outcomes if o.role == "target"]
    after = target.deadline + outcomes.RECORD_AFTER
    assert outcomes.record_due(db_session, after) == []  # approved, never started
    rows = outcomes.for_histories(db_session, [service_row(db_session, history)], after)
    assert {o.state for o in rows[history.approval_history_id] if o.role == "target"} == {
        "not_carried_out"
    }
    before = outcomes.for_histories(db_session, [service_row(db_session, history)], DEMO_NOW)
    assert {o.state for o in before[history.approval_history_id]} == {"awaiting"}

    ApprovalService().set_execution(
        db_session, history.approval_history_id, "executing", now=DEMO_NOW
    )
    ApprovalService().set_execution(db_session, history.approval_history_id, "failed", now=DEMO_NOW)
    assert outcomes.record_due(db_session, after) == []
    failed = outcomes.for_histories(db_session, [service_row(db_session, history)], DEMO_NOW)
    assert {o.state for o in failed[history.approval_history_id]} == {"not_carried_out"}


def past_cases(session: Session, suggestion_id: str) -> list[KnowledgeDocument]:
    documents = knowledge_repo.list_documents(session, category="過去事例")
    return [d for d in documents if suggestion_id in d.source]


def service_row(session: Session, history: ApprovalPublic) -> ApprovalHistory:
    row = approval_repo.get(session, history.approval_history_id)
    assert row is not None
    return row


def test_a_rejection_predicts_nothing(db_session: Session, approver: User) -> None:
    focused = suggest_for(db_session, SAPPORO_E1, now=DEMO_NOW, policy=POLICY, created_by=None)
    assert focused is not None and focused.suggestion is not None
    rejected = ApprovalService().act(
        db_session, focused.suggestion.id, "reject", user=approver, now=DEMO_NOW
    )
    assert rejected.outcomes == []

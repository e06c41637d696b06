"""Did it work? What an approved plan predicted for each queue it touched, and
what the snapshots say happened.

With the decision, one row per touched queue keeps the prediction the approver
saw (late tasks at the deadline without and with the moves, and the projected
completion). Once a queue's deadline has passed (plus ``RECORD_AFTER``, for
late-arriving feed rows) and the plan was carried out, ``record_due`` reads the
queue's snapshots between the decision and the deadline: the tasks still waiting
at the last one are the actual late tasks, and the time from which the queue
stayed empty up to the deadline is the actual completion. The decision's past
case (know-how) then gets the result, so that later answers cite what happened.
The alert worker calls ``record_due`` every round; ``aimee outcomes`` does it by hand.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from aimee.llm.wording import clock
from aimee.planner import Plan
from aimee.services.knowledge import DocumentFields, KnowledgeService, past_case_prefix
from aimee.store.models import ApprovalHistory, PlanOutcome, ProgressSnapshot
from aimee.store.repositories import approvals as approval_repo
from aimee.store.repositories import outcomes as repo
from aimee.store.repositories import progress as progress_repo

log = logging.getLogger(__name__)

RECORD_AFTER = timedelta(minutes=5)
"""How long after a deadline the outcome is read: the feed's last rows have landed."""
BATCH = 500
"""Outcomes recorded per call at most (the rest on the next round)."""
RESULT_MARK = "\n結果（納期後の実績）: "
"""Where a past case's result starts: rewritten, never appended twice."""

Role = Literal["target", "donor"]
State = Literal["awaiting", "recorded", "no_data", "not_carried_out"]
ROLE_LABELS: dict[str, str] = {"target": "応援先", "donor": "応援元"}


class OutcomePublic(BaseModel):
    """One queue of an approved plan: predicted vs actual."""

    location: str
    business_id: str
    process: str
    role: Role
    operators_moved: int
    deadline: datetime
    predicted_late_without: float
    predicted_late: float
    predicted_completion: datetime | None
    actual_late: int | None
    actual_completion: datetime | None
    observed_at: datetime | None
    recorded_at: datetime | None
    state: State
    """awaiting (the deadline has not passed or the plan is still being carried
    out), recorded, no_data (no snapshot between the decision and the deadline),
    not_carried_out (the execution failed, or never completed before the deadline)."""


def predictions(
    plan: Plan, *, history: ApprovalHistory, suggestion_id: str, now: datetime
) -> list[PlanOutcome]:
    """One row per queue the plan's moves touch whose deadline is still ahead,
    with the plan's prediction."""
    brought = Counter(m.to.id for m in plan.moves)
    taken = Counter(m.from_.id for m in plan.moves if m.from_ is not None)
    rows = []
    for queue in plan.queues:
        key = queue.key.id
        if (not brought[key] and not taken[key]) or queue.deadline <= now:
            continue  # untouched, or its deadline has passed: nothing left to predict
        role: Role = "target" if brought[key] else "donor"
        rows.append(
            PlanOutcome(
                approval_history_id=history.approval_history_id,
                suggestion_id=suggestion_id,
                location_name=queue.location,
                business_id=queue.business_id,
                process_name=queue.process,
                role=role,
                operators_moved=brought[key] if role == "target" else taken[key],
                deadline=queue.deadline,
                predicted_at=now,
                predicted_late_without=queue.late_before,
                predicted_late=queue.late_after,
                predicted_completion=queue.projected_completion_after,
            )
        )
    return rows


def record_predictions(
    session: Session, plan: Plan, *, history: ApprovalHistory, suggestion_id: str, now: datetime
) -> None:
    repo.add_all(session, predictions(plan, history=history, suggestion_id=suggestion_id, now=now))


@dataclass(frozen=True)
class Actual:
    late: int | None
    completion: datetime | None
    observed_at: datetime | None


def actual(snapshots: Sequence[ProgressSnapshot]) -> Actual:
    """The queue at its deadline from its snapshots up to it (in time order): the
    tasks waiting at the last one, and since when it had stayed empty."""
    if not snapshots:
        return Actual(None, None, None)
    last = snapshots[-1]
    completion = None
    for snap in reversed(snapshots):
        if (snap.total_waiting or 0) > 0:
            break
        completion = snap.snapshot_time
    return Actual(max(0, last.total_waiting or 0), completion, last.snapshot_time)


def record_due(
    session: Session, now: datetime, *, knowledge: KnowledgeService | None = None
) -> list[PlanOutcome]:
    """Record the actual figures of every outcome that is due; returns them.
    Each decision whose outcomes changed gets its past case rewritten."""
    rows = repo.due(session, deadline_before=now - RECORD_AFTER, limit=BATCH)
    for row in rows:
        key = (row.location_name, row.business_id, row.process_name)
        found = actual(
            progress_repo.queue_history(session, key, since=row.predicted_at, until=row.deadline)
        )
        row.actual_late, row.actual_completion = found.late, found.completion
        row.observed_at, row.recorded_at = found.observed_at, now
    session.flush()
    for history_id in sorted({row.approval_history_id for row in rows}):
        _write_past_case(session, history_id, now, knowledge)
    if rows:
        decisions = len({row.approval_history_id for row in rows})
        log.info("plan outcomes recorded: %d queue(s) of %d decision(s)", len(rows), decisions)
    return rows


def result_text(rows: Sequence[PlanOutcome]) -> str:
    """The recorded results in one line of Japanese, as the past case keeps them."""
    parts = []
    for row in rows:
        if row.recorded_at is None or row.actual_late is None:
            continue
        text = (
            f"{row.location_name}/{row.business_id}/{row.process_name}"
            f"（{ROLE_LABELS[row.role]}）遅延 予測{round(row.predicted_late)}件→"
            f"実績{row.actual_late}件"
        )
        if row.actual_completion is not None:
            text += f"、完了 実績{clock(row.actual_completion)}"
            if row.predicted_completion is not None:
                text += f"（予測{clock(row.predicted_completion)}）"
        else:
            text += f"、納期{clock(row.deadline)}に未完了"
        parts.append(text)
    return "; ".join(parts)


def _write_past_case(
    session: Session, history_id: int, now: datetime, knowledge: KnowledgeService | None
) -> None:
    history = approval_repo.get(session, history_id)
    if history is None or history.suggestion_id is None:
        return
    document = repo.past_case(session, past_case_prefix(history.suggestion_id))
    text = result_text(repo.for_histories(session, [history_id]).get(history_id, []))
    if document is None or not text:
        return
    content = document.content.split(RESULT_MARK)[0] + RESULT_MARK + text + "。"
    if knowledge is not None:  # also the search index, once committed
        fields = DocumentFields(document.title, content, document.category, document.source)
        knowledge.update(session, document.document_id, fields, now=now)
        return
    document.content, document.updated_at = content, now  # the API's refresh re-indexes it
    session.flush()


def state_of(row: PlanOutcome, execution_status: str | None, now: datetime) -> State:
    if row.recorded_at is not None:
        return "recorded" if row.actual_late is not None else "no_data"
    if execution_status == "completed":
        return "awaiting"
    if execution_status in {"pending", "executing"} and now < row.deadline:
        return "awaiting"
    return "not_carried_out"


def to_public(row: PlanOutcome, execution_status: str | None, now: datetime) -> OutcomePublic:
    return OutcomePublic(
        location=row.location_name,
        business_id=row.business_id,
        process=row.process_name,
        role="target" if row.role == "target" else "donor",
        operators_moved=row.operators_moved,
        deadline=row.deadline,
        predicted_late_without=round(row.predicted_late_without, 1),
        predicted_late=round(row.predicted_late, 1),
        predicted_completion=row.predicted_completion,
        actual_late=row.actual_late,
        actual_completion=row.actual_completion,
        observed_at=row.observed_at,
        recorded_at=row.recorded_at,
        state=state_of(row, execution_status, now),
    )


def for_histories(
    session: Session, histories: Sequence[ApprovalHistory], now: datetime
) -> dict[int, list[OutcomePublic]]:
    """The outcomes of a page of decisions, by decision id."""
    rows = repo.for_histories(session, [h.approval_history_id for h in histories])
    status = {h.approval_history_id: h.execution_status for h in histories}
    return {
        history_id: [to_public(row, status.get(history_id), now) for row in outcome_rows]
        for history_id, outcome_rows in rows.items()
    }

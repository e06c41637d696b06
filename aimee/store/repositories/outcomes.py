"""Plan outcomes: the predictions written with a decision, and the ones whose
actual figures are due (the queue's deadline has passed and the plan was carried out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.store.models import ApprovalHistory, KnowledgeDocument, PlanOutcome


def add_all(session: Session, rows: Iterable[PlanOutcome]) -> None:
    session.add_all(rows)
    session.flush()


def for_histories(session: Session, history_ids: Sequence[int]) -> dict[int, list[PlanOutcome]]:
    """The outcomes of these decisions, targets first, then by queue."""
    if not history_ids:
        return {}
    rows = session.scalars(
        select(PlanOutcome)
        .where(PlanOutcome.approval_history_id.in_(history_ids))
        .order_by(
            PlanOutcome.approval_history_id,
            PlanOutcome.role.desc(),  # target before donor
            PlanOutcome.location_name,
            PlanOutcome.business_id,
            PlanOutcome.process_name,
        )
    )
    grouped: dict[int, list[PlanOutcome]] = {}
    for row in rows:
        grouped.setdefault(row.approval_history_id, []).append(row)
    return grouped


def due(session: Session, *, deadline_before: datetime, limit: int) -> list[PlanOutcome]:
    """Unrecorded outcomes of completed executions whose deadline is before
    ``deadline_before``, oldest deadline first."""
    return list(
        session.scalars(
            select(PlanOutcome)
            .join(
                ApprovalHistory,
                ApprovalHistory.approval_history_id == PlanOutcome.approval_history_id,
            )
            .where(
                PlanOutcome.recorded_at.is_(None),
                PlanOutcome.deadline <= deadline_before,
                ApprovalHistory.execution_status == "completed",
            )
            .order_by(PlanOutcome.deadline, PlanOutcome.outcome_id)
            .limit(limit)
        )
    )


def past_case(session: Session, source_prefix: str) -> KnowledgeDocument | None:
    """The past case written for a decision (its ``source`` starts with the prefix)."""
    return session.scalars(
        select(KnowledgeDocument)
        .where(
            KnowledgeDocument.category == "過去事例",
            KnowledgeDocument.source.startswith(source_prefix, autoescape=True),
        )
        .order_by(KnowledgeDocument.document_id)
        .limit(1)
    ).first()

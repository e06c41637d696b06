"""Approval history and the exactly-once transitions behind it. The
transitions are conditional UPDATEs (``… WHERE status = expected``): the
database decides who wins, on SQLite and on MariaDB alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aimee.store.models import ApprovalHistory, Suggestion


def claim_suggestion(session: Session, suggestion_id: str, new_status: str) -> bool:
    """Move a pending suggestion to ``new_status``; False when it was not pending."""
    result = session.execute(
        update(Suggestion)
        .where(Suggestion.suggestion_id == suggestion_id, Suggestion.status == "pending")
        .values(status=new_status)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def add(session: Session, row: ApprovalHistory) -> ApprovalHistory:
    session.add(row)
    session.flush()
    return row


def get(session: Session, approval_history_id: int) -> ApprovalHistory | None:
    return session.get(ApprovalHistory, approval_history_id)


def move_execution(
    session: Session, approval_history_id: int, expected: str, new_status: str
) -> bool:
    """Move an approval's execution status from ``expected``; False when it was not."""
    result = session.execute(
        update(ApprovalHistory)
        .where(
            ApprovalHistory.approval_history_id == approval_history_id,
            ApprovalHistory.execution_status == expected,
        )
        .values(execution_status=new_status)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CompletedChanges:
    suggestion_id: str | None
    created_at: datetime | None
    changes: list[Any]


def completed_changes(
    session: Session, *, since: datetime, until: datetime, limit: int
) -> list[CompletedChanges]:
    """The moves of decisions carried out (execution completed) made in ``[since, until]``,
    newest first: only the columns a loan needs (read on every floor reading)."""
    rows = session.execute(
        select(ApprovalHistory.suggestion_id, ApprovalHistory.created_at, ApprovalHistory.changes)
        .where(
            ApprovalHistory.execution_status == "completed",
            ApprovalHistory.created_at >= since,
            ApprovalHistory.created_at <= until,
        )
        .order_by(ApprovalHistory.approval_history_id.desc())
        .limit(limit)
    )
    return [CompletedChanges(sid, at, list(changes or [])) for sid, at, changes in rows]


def list_history(
    session: Session,
    *,
    suggestion_id: str | None = None,
    user: str | None = None,
    action: str | None = None,
    execution_status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[ApprovalHistory]]:
    conditions: list[Any] = []
    if suggestion_id:
        conditions.append(ApprovalHistory.suggestion_id == suggestion_id)
    if user:
        conditions.append(ApprovalHistory.action_user == user)
    if action:
        conditions.append(ApprovalHistory.action_type == action)
    if execution_status:
        conditions.append(ApprovalHistory.execution_status == execution_status)
    if since:
        conditions.append(ApprovalHistory.created_at >= since)
    if until:
        conditions.append(ApprovalHistory.created_at <= until)
    total = session.scalar(select(func.count()).select_from(ApprovalHistory).where(*conditions))
    rows = session.scalars(
        select(ApprovalHistory)
        .where(*conditions)
        .order_by(ApprovalHistory.approval_history_id.desc())
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), list(rows)

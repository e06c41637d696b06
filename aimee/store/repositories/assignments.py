"""Assignment changes: the current assignment moves, the stint it ends is kept
(``operator_assignment_history``), so who was on a queue when stays known."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from aimee.store.models import OperatorAssignment, PastAssignment

QueueKey = tuple[str, str, str]


def where(row: OperatorAssignment) -> QueueKey:
    return (row.location_name, row.business_id, row.process_name)


def ended_stint(row: OperatorAssignment, at: datetime) -> PastAssignment | None:
    """The history row for ``row``'s stint ending at ``at`` (None when it began
    at or after ``at``: nothing was worked)."""
    if row.since is not None and row.since >= at:
        return None
    return PastAssignment(
        operator_id=row.operator_id,
        location_name=row.location_name,
        business_id=row.business_id,
        process_name=row.process_name,
        started_at=row.since or at,
        ended_at=at,
    )


def move(session: Session, operator_id: int, queue: QueueKey, at: datetime) -> None:
    """The operator works on ``queue`` from ``at`` on; the stint this ends is kept.
    Moving to where the operator already works changes nothing."""
    row = session.get(OperatorAssignment, operator_id)
    if row is None:
        row = OperatorAssignment(operator_id=operator_id)
        session.add(row)
    elif where(row) == queue:
        return
    elif (past := ended_stint(row, at)) is not None:
        session.add(past)
    row.location_name, row.business_id, row.process_name = queue
    row.since = at
    session.flush()

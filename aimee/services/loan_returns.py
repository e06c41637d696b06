"""Loans carried out today, and the helpers' way back when a loan ends.

A loan is a change of an approved plan that carries ``until``: the helper works on the
destination until then and goes back to the queue the plan took them from. It is
carried out when the approval's execution is completed (the moves of the approval
history, so a modified plan's own moves) and the helper is on the destination now,
moved there after the approval. The newest completed approval holding a person is the
one that counts: a later plan that sent them on (or back to the same queue) replaces it.

`carry_out_due` writes the way back once the loan has ended (the assignment moves to
the origin at ``until``, or at the move itself when it was carried out after that; the
stint on the destination is kept in the history), so the floor, the forecast and the
staffing timeline stop counting the helper where they no longer are. The alert worker
and the live demo floor call it every round; a helper moved elsewhere since is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.store.repositories import approvals as approval_repo
from aimee.store.repositories import assignments as assignment_repo
from aimee.store.repositories import queue_status as status_repo
from aimee.store.repositories.assignments import QueueKey

log = logging.getLogger(__name__)

LOOK_BACK = timedelta(days=1)
"""Plans older than this hold no loan still to end (loans last a working day at most)."""
MAX_PLANS = 500


@dataclass(frozen=True)
class Loan:
    operator_id: int
    suggestion_id: str
    destination: QueueKey
    origin: QueueKey
    until: datetime


def carried_out(
    session: Session,
    *,
    since: datetime,
    now: datetime,
    current: Mapping[int, tuple[QueueKey, datetime | None]] | None = None,
) -> list[Loan]:
    """Loans of approvals made since ``since`` whose execution is completed and whose
    helper is on the destination now, moved there after the approval (``current``: where
    everyone is, when the caller has read it already)."""
    if current is None:
        current = status_repo.assignments(session)
    rows = approval_repo.completed_changes(session, since=since, until=now, limit=MAX_PLANS)
    newest: dict[int, Loan | None] = {}
    for row in rows:  # newest first
        approved = row.created_at or since
        for change in row.changes or []:
            destination = (change["to"], change["business_id"], change["process"])
            origin = (
                change.get("from"),
                change.get("from_business_id"),
                change.get("from_process"),
            )
            until = change.get("until")
            for operator_id in (int(op) for op in change.get("operator_ids", [])):
                if operator_id in newest:
                    continue  # a later approval holds them
                here, moved_at = current.get(operator_id, (None, None))
                loan = None
                if (
                    until is not None
                    and all(origin)
                    and here == destination
                    and (moved_at is None or moved_at >= approved)
                ):
                    end = datetime.fromisoformat(until)
                    if moved_at is not None and moved_at > end:  # carried out late
                        end = moved_at
                    loan = Loan(operator_id, row.suggestion_id or "", destination, origin, end)
                newest[operator_id] = loan
    loans = [loan for loan in newest.values() if loan is not None]
    return sorted(loans, key=lambda loan: (loan.until, loan.operator_id))


def carry_out_due(session: Session, now: datetime) -> list[Loan]:
    """Send back every helper whose loan has ended by ``now``: their assignment moves
    to the origin at the loan's end. Returns the loans ended."""
    due = [
        loan for loan in carried_out(session, since=now - LOOK_BACK, now=now) if loan.until <= now
    ]
    for loan in due:
        assignment_repo.move(session, loan.operator_id, loan.origin, loan.until)
        log.info(
            "loan ended: operator %d back from %s to %s at %s (plan %s)",
            loan.operator_id,
            "/".join(loan.destination),
            "/".join(loan.origin),
            f"{loan.until:%H:%M}",
            loan.suggestion_id,
        )
    return due

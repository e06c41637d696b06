"""Loans carried out today, and the helpers' way back when a loan ends.

A loan is a move of an approved plan that carries ``until``: the helper works on the
destination until then and goes back to the queue the plan took them from. It is
carried out when the helper is on the destination now, moved there after the plan was
made, and the plan holds no open commitment any more (its moves were executed).

`carry_out_due` writes the way back once the loan has ended (the assignment moves to
the origin at ``until``, the stint on the destination is kept in the history), so the
floor, the forecast and the staffing timeline stop counting the helper where they no
longer are. The alert worker and the live demo floor call it every round; a helper
moved elsewhere since (by a later plan or an assignments import) is left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.services.suggestions import stored_plan
from aimee.store.repositories import assignments as assignment_repo
from aimee.store.repositories import commitments
from aimee.store.repositories import queue_status as status_repo
from aimee.store.repositories import suggestions as suggestion_repo

log = logging.getLogger(__name__)

QueueKey = tuple[str, str, str]
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


def carried_out(session: Session, *, since: datetime, now: datetime) -> list[Loan]:
    """Loans of plans approved (as proposed or modified) since ``since`` whose helper is
    on the destination now, moved there after the plan was made, the plan's moves
    executed (no open commitment left)."""
    open_plans = set(commitments.holders(session, now).values())
    current = status_repo.assignments(session)
    loans = []
    for status in ("approved", "modified"):
        for row in suggestion_repo.list_suggestions(
            session, status=status, since=since, until=now, limit=MAX_PLANS
        ):
            if row.suggestion_id in open_plans:
                continue  # not carried out yet
            _scenario, plan = stored_plan(row)
            for move in plan.moves:
                here, moved_at = current.get(move.operator_id, (None, None))
                if (
                    move.until is None
                    or move.from_ is None
                    or here != move.to.id
                    or (moved_at is not None and not row.created_at <= moved_at < move.until)
                ):
                    continue
                loans.append(
                    Loan(move.operator_id, row.suggestion_id, move.to.id, move.from_.id, move.until)
                )
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

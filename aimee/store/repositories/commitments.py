"""Operator commitments: who is promised to which approved suggestion. A reservation
inserts one open row per operator; the unique ``open_operator_id`` lets the database
decide between two approvals that want the same person (on SQLite and MariaDB alike),
and the loser learns who holds them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aimee.store.models import OperatorCommitment


def _open(now: datetime) -> list[ColumnElement[bool]]:
    return [
        OperatorCommitment.open_operator_id.is_not(None),
        or_(OperatorCommitment.lapses_at.is_(None), OperatorCommitment.lapses_at > now),
    ]


def holders(session: Session, now: datetime) -> dict[int, str]:
    """Operators in open commitments: id -> the suggestion holding them."""
    rows = session.execute(
        select(OperatorCommitment.operator_id, OperatorCommitment.suggestion_id).where(*_open(now))
    )
    return {operator_id: suggestion_id for operator_id, suggestion_id in rows}


def _insert(session: Session, row: OperatorCommitment) -> bool:
    """Insert in a savepoint; False when the operator is already held."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def reserve(
    session: Session,
    suggestion_id: str,
    operator_ids: Iterable[int],
    *,
    now: datetime,
    lapses_at: datetime | None,
) -> tuple[int, str | None] | None:
    """Open a commitment per operator, in id order (two reservations then wait on
    each other in the same order, never in a cycle); on the first operator held by
    an open commitment, return (operator, holder) and leave the caller to roll back.
    A lapsed commitment in the way is ended, by its key (no range locks)."""
    for operator_id in sorted(set(operator_ids)):

        def row(operator_id: int = operator_id) -> OperatorCommitment:
            return OperatorCommitment(
                operator_id=operator_id,
                suggestion_id=suggestion_id,
                open_operator_id=operator_id,
                created_at=now,
                lapses_at=lapses_at,
            )

        if _insert(session, row()):
            continue
        holder = session.execute(
            select(OperatorCommitment.commitment_id, OperatorCommitment.suggestion_id)
            .where(OperatorCommitment.open_operator_id == operator_id)
            .where(OperatorCommitment.lapses_at <= now)
            # a shared lock reads the committed row (not this snapshot's view); an
            # exclusive one would deadlock with the other losers of the same race
            .with_for_update(read=True)
        ).first()
        if holder is not None:
            session.execute(
                update(OperatorCommitment)
                .where(OperatorCommitment.commitment_id == holder.commitment_id)
                .values(open_operator_id=None, ended_at=now, end_reason="lapsed")
            )
            if _insert(session, row()):
                continue
        held_by = session.scalar(
            select(OperatorCommitment.suggestion_id)
            .where(OperatorCommitment.open_operator_id == operator_id)
            .with_for_update(read=True)
        )
        return operator_id, held_by
    return None


def started(session: Session, suggestion_id: str) -> None:
    """Execution began: the promise no longer lapses with the suggestion."""
    session.execute(
        update(OperatorCommitment)
        .where(
            OperatorCommitment.suggestion_id == suggestion_id,
            OperatorCommitment.open_operator_id.is_not(None),
        )
        .values(lapses_at=None)
    )


def end(session: Session, suggestion_id: str, *, now: datetime, reason: str) -> int:
    """Close the suggestion's open commitments; how many were open."""
    result = session.execute(
        update(OperatorCommitment)
        .where(
            OperatorCommitment.suggestion_id == suggestion_id,
            OperatorCommitment.open_operator_id.is_not(None),
        )
        .values(open_operator_id=None, ended_at=now, end_reason=reason)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]

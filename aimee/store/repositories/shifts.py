"""Operators' shifts: when each works on a day."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.store.models import OperatorShift


def shift_ends(session: Session, day: date) -> dict[int, datetime]:
    """When each operator with a shift on ``day`` stops working."""
    rows = session.execute(
        select(OperatorShift.operator_id, OperatorShift.ends_at).where(
            OperatorShift.shift_date == day
        )
    )
    return {operator_id: ends_at for operator_id, ends_at in rows}


def shifts(
    session: Session, keys: Collection[tuple[int, date]]
) -> dict[tuple[int, date], OperatorShift]:
    """The stored shifts of these (operator, day) pairs."""
    if not keys:
        return {}
    operator_ids = {operator_id for operator_id, _ in keys}
    days = {day for _, day in keys}
    found = session.scalars(
        select(OperatorShift).where(
            OperatorShift.operator_id.in_(operator_ids), OperatorShift.shift_date.in_(days)
        )
    )
    return {
        (row.operator_id, row.shift_date): row
        for row in found
        if (row.operator_id, row.shift_date) in keys
    }

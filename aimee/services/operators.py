"""Operators with their skills and current assignment (the skill matrix)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from aimee.store.repositories.operators import OperatorFilter, OperatorRecord, list_operators

__all__ = ["OperatorFilter", "OperatorRecord", "find_operators"]


def find_operators(session: Session, flt: OperatorFilter) -> list[OperatorRecord]:
    """Operators matching ``flt``: valid ones unless asked, by site, process, minimum
    level and business; each operator's skills strongest first."""
    return list_operators(session, flt)

"""Lookups that imports and snapshot ingestion need: the known master values
and the stored rows an incoming batch may repeat or update."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, tuple_, union
from sqlalchemy.orm import Session

from aimee.store.base import Base
from aimee.store.models import (
    Business,
    KnowledgeDocument,
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    ProgressSnapshot,
)

SnapshotKey = tuple[str, str, str, datetime]
"""location, business, process, snapshot time: the natural key of a snapshot."""


def _strings(session: Session, *queries: Select[tuple[str | None]]) -> set[str]:
    return {str(value) for value in session.scalars(union(*queries)) if value}


def known_locations(session: Session) -> set[str]:
    """Sites that have operators or assignments."""
    return _strings(
        session,
        select(Operator.location_name),
        select(OperatorAssignment.location_name),
    )


def known_processes(session: Session) -> set[str]:
    """Processes that some operator has a skill for or is assigned to."""
    return _strings(
        session,
        select(OperatorProcessCapability.process_name),
        select(OperatorAssignment.process_name),
    )


def known_businesses(session: Session) -> set[str]:
    """Business ids of the master table and of the assignments (empty when the
    database has neither: then any business id is accepted)."""
    return _strings(session, select(Business.business_id), select(OperatorAssignment.business_id))


def operators(session: Session, ids: Collection[int]) -> dict[int, Operator]:
    if not ids:
        return {}
    rows = session.scalars(select(Operator).where(Operator.operator_id.in_(ids)))
    return {row.operator_id: row for row in rows}


def capabilities(
    session: Session, operator_ids: Collection[int]
) -> dict[tuple[int, str], OperatorProcessCapability]:
    """The skills of ``operator_ids`` keyed by (operator, process)."""
    if not operator_ids:
        return {}
    cap = OperatorProcessCapability
    rows = session.scalars(select(cap).where(cap.operator_id.in_(operator_ids)))
    return {(row.operator_id or 0, row.process_name or ""): row for row in rows}


def capabilities_by_id(
    session: Session, ids: Collection[int]
) -> dict[int, OperatorProcessCapability]:
    if not ids:
        return {}
    cap = OperatorProcessCapability
    return {
        row.capability_id: row
        for row in session.scalars(select(cap).where(cap.capability_id.in_(ids)))
    }


def assignments(session: Session, operator_ids: Collection[int]) -> dict[int, OperatorAssignment]:
    if not operator_ids:
        return {}
    a = OperatorAssignment
    return {
        row.operator_id: row
        for row in session.scalars(select(a).where(a.operator_id.in_(operator_ids)))
    }


def rows_by_key(
    session: Session, model: type[Base], column: str, keys: Collection[Any]
) -> dict[Any, Any]:
    """The stored rows of ``model`` whose ``column`` is one of ``keys``, by key."""
    if not keys:
        return {}
    attribute = getattr(model, column)
    return {
        getattr(row, column): row
        for row in session.scalars(select(model).where(attribute.in_(keys)))
    }


def snapshots_by_key(
    session: Session, keys: Collection[SnapshotKey]
) -> dict[SnapshotKey, ProgressSnapshot]:
    if not keys:
        return {}
    s = ProgressSnapshot
    query = select(s).where(
        tuple_(s.location_name, s.business_id, s.process_name, s.snapshot_time).in_(list(keys))
    )
    found = {}
    for row in session.scalars(query):
        key = (row.location_name or "", row.business_id or "", row.process_name or "")
        if row.snapshot_time is not None:
            found[(*key, row.snapshot_time)] = row
    return found


def snapshots_by_id(session: Session, ids: Collection[int]) -> dict[int, ProgressSnapshot]:
    if not ids:
        return {}
    s = ProgressSnapshot
    return {
        row.snapshot_id: row for row in session.scalars(select(s).where(s.snapshot_id.in_(ids)))
    }


def knowledge_by_id(session: Session, ids: Collection[int]) -> dict[int, KnowledgeDocument]:
    if not ids:
        return {}
    k = KnowledgeDocument
    return {
        row.document_id: row for row in session.scalars(select(k).where(k.document_id.in_(ids)))
    }


def knowledge_by_title(
    session: Session, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], KnowledgeDocument]:
    """Documents keyed by (category, title)."""
    if not keys:
        return {}
    k = KnowledgeDocument
    query = select(k).where(tuple_(k.category, k.title).in_(list(keys)))
    return {(row.category, row.title): row for row in session.scalars(query)}

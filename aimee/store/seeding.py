"""Bulk loading of rows keyed by column names (demo day, imports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from aimee.store.base import Base
from aimee.store.models import Operator

BATCH_SIZE = 1000


def insert_rows(
    session: Session,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    on_batch: Callable[[str, int], None] | None = None,
) -> None:
    """Insert rows table by table in foreign-key order (``tables`` is keyed by
    table name); ``on_batch(table, rows)`` reports each batch of ``rows``."""
    for table in Base.metadata.sorted_tables:
        rows = tables.get(table.name)
        if not rows:
            continue
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [dict(row) for row in rows[start : start + BATCH_SIZE]]
            session.execute(insert(table), batch)
            if on_batch is not None:
                on_batch(table.name, len(batch))


def insert_batches(
    session: Session,
    table_name: str,
    batches: Iterable[Sequence[Mapping[str, Any]]],
    on_batch: Callable[[str, int], None] | None = None,
) -> int:
    """Insert rows of one table as they come, one ``executemany`` per batch, so
    that a generator of batches never has to hold all its rows at once; returns
    how many rows were inserted. ``on_batch(table, rows)`` reports each batch."""
    table = Base.metadata.tables[table_name]
    inserted = 0
    for batch in batches:
        if not batch:
            continue
        session.execute(insert(table), batch)
        inserted += len(batch)
        if on_batch is not None:
            on_batch(table_name, len(batch))
    return inserted


def has_operational_data(session: Session) -> bool:
    """True when the database already holds operators (it is not empty)."""
    return bool(session.scalar(select(func.count()).select_from(Operator)))


def clear_all(session: Session) -> None:
    """Delete every row of every AIMEE table (children first)."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())

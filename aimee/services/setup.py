"""Create or upgrade the database and fill it with the demo day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from aimee.demo import generate_demo_day, generate_history
from aimee.errors import BadRequest, Conflict
from aimee.store import migrate, seeding
from aimee.store.db import session_factory, transaction

SNAPSHOTS = "progress_snapshots"


@dataclass(frozen=True)
class DemoSummary:
    now: datetime
    counts: dict[str, int]


def apply_migrations(engine: Engine) -> str | None:
    """Bring the schema to the newest revision; return it."""
    migrate.upgrade(engine)
    return migrate.current_revision(engine)


def load_demo(
    engine: Engine,
    *,
    seed: int,
    now: datetime,
    reset: bool = False,
    scale: int | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> DemoSummary:
    """Fill the (migrated) database with the demo day in one transaction.

    Refuses a database that already holds operators unless ``reset`` is set,
    so that real data is never overwritten by accident. With ``scale``,
    ``progress_snapshots`` ends up with exactly ``scale`` rows: the demo day's
    and those of earlier working days (``aimee.demo.history``), generated and
    inserted a batch at a time. ``on_progress(table, rows_done, rows_total)``
    reports progress."""
    day = generate_demo_day(seed=seed, now=now)
    today = day.tables[SNAPSHOTS]
    if scale is not None and scale < len(today):
        raise BadRequest(
            f"--scale must be at least {len(today)}, the demo day's own progress snapshots"
        )
    history_rows = 0 if scale is None else scale - len(today)
    counts = {name: len(rows) for name, rows in day.tables.items()}
    counts[SNAPSHOTS] += history_rows
    total = sum(counts.values())
    with transaction(session_factory(engine)) as session:
        if seeding.has_operational_data(session):
            if not reset:
                raise Conflict(
                    "the database already holds data; use --reset to replace it with the demo day"
                )
            seeding.clear_all(session)
        done = 0

        def report(table: str, rows: int) -> None:
            nonlocal done
            done += rows
            if on_progress is not None:
                on_progress(table, done, total)

        seeding.insert_rows(session, day.tables, on_batch=report)
        history = generate_history(today, seed=seed, rows=history_rows)
        seeding.insert_batches(session, SNAPSHOTS, history, on_batch=report)
    return DemoSummary(now=day.now, counts=counts)


def is_empty(engine: Engine) -> bool:
    """True when the schema is missing or holds no operators."""
    if migrate.current_revision(engine) is None:
        return True
    with transaction(session_factory(engine)) as session:
        return not seeding.has_operational_data(session)

"""Reads remembered for one transaction, forgotten at a write to what they read or its end."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from aimee.services.floor import FLOOR_TABLES, read_floor
from aimee.store.models import Base, ChatFeedback, OperatorAssignment, PastAssignment
from aimee.store.session_memo import remembered
from tests.conftest import DEMO_NOW

FEEDBACK = {
    "user_name": "test",
    "session_id": "s",
    "question": "札幌は？",
    "answer": "間に合います",
    "rating": 1,
    "created_at": DEMO_NOW,
}


class Reads:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_a_read_is_made_once_per_key(db_session: Session) -> None:
    reads = Reads()
    assert remembered(db_session, "a", reads) == 1
    assert remembered(db_session, "a", reads) == 1
    assert remembered(db_session, "b", reads) == 2


def test_a_flush_a_statement_or_the_end_of_the_transaction_forgets(db_session: Session) -> None:
    reads = Reads()
    remembered(db_session, "a", reads)
    db_session.add(
        PastAssignment(
            operator_id=1,
            location_name="札幌",
            business_id="523201",
            process_name="補正",
            started_at=DEMO_NOW,
            ended_at=DEMO_NOW,
        )
    )
    db_session.flush()
    assert remembered(db_session, "a", reads) == 2
    db_session.execute(
        update(OperatorAssignment).where(OperatorAssignment.operator_id == 1).values(since=DEMO_NOW)
    )
    assert remembered(db_session, "a", reads) == 3
    db_session.rollback()
    assert remembered(db_session, "a", reads) == 4


def test_the_floor_is_read_once_and_again_after_a_move(db_session: Session) -> None:
    first = read_floor(db_session, DEMO_NOW, switch_minutes=5)
    assert read_floor(db_session, DEMO_NOW, switch_minutes=5) is first
    assert read_floor(db_session, DEMO_NOW, switch_minutes=0) is not first  # another key
    operator_id, old = next(iter(first.where.items()))
    new = next(key for key in first.history if key != old)
    moved = db_session.get(OperatorAssignment, operator_id)
    assert moved is not None
    moved.location_name, moved.business_id, moved.process_name = new
    db_session.flush()  # the floor is read through the connection: no autoflush
    after = read_floor(db_session, DEMO_NOW, switch_minutes=5)
    assert after.where[operator_id] == new
    assert operator_id in after.staff(new) and operator_id not in after.staff(old)


def test_a_read_names_the_tables_whose_writes_forget_it(db_session: Session) -> None:
    reads = Reads()
    remembered(db_session, "floor", reads, tables={"operator_assignments"})
    db_session.add(ChatFeedback(**FEEDBACK))  # another table: still remembered
    db_session.flush()
    assert remembered(db_session, "floor", reads, tables={"operator_assignments"}) == 1
    db_session.execute(
        update(OperatorAssignment).where(OperatorAssignment.operator_id == 1).values(since=DEMO_NOW)
    )
    assert remembered(db_session, "floor", reads, tables={"operator_assignments"}) == 2


def test_the_floor_names_every_table_it_reads(db_session: Session) -> None:
    """FLOOR_TABLES against the statements a reading runs: a table read but not named
    there would keep a stale floor after a write to it."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = db_session.get_bind().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        read_floor(db_session, DEMO_NOW + timedelta(seconds=1), switch_minutes=5)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    words = {w for s in seen for w in re.findall(r"[a-z_]+", s)}
    read = {name for name in Base.metadata.tables if name in words}
    assert read and read <= FLOOR_TABLES

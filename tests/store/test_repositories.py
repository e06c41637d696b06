"""Repositories against the demo day, on SQLite and MariaDB."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    ProgressSnapshot,
)
from aimee.store.repositories import operators, progress
from tests.conftest import DEMO_NOW

SEED_QUEUE = ("札幌", "523201", "エントリ1")


def test_latest_snapshot_per_queue_is_the_newest(db_session: Session) -> None:
    rows = progress.latest_snapshots(db_session)
    assert len(rows) == 32
    assert {r.snapshot_time for r in rows} == {DEMO_NOW}
    sapporo = progress.latest_snapshots(
        db_session, location="札幌", business_id="523201", process="エントリ1"
    )
    assert [(r.total_waiting, r.expected_completion_time) for r in sapporo] == [
        (120, DEMO_NOW + timedelta(minutes=20))
    ]


def test_latest_snapshot_respects_as_of(db_session: Session) -> None:
    earlier = DEMO_NOW - timedelta(minutes=60)
    rows = progress.latest_snapshots(db_session, as_of=earlier)
    assert {r.snapshot_time for r in rows} == {earlier}


def test_a_newer_snapshot_wins(db_session: Session) -> None:
    later = DEMO_NOW + timedelta(minutes=2)
    db_session.add(
        ProgressSnapshot(
            snapshot_time=later,
            location_name="札幌",
            business_id="523201",
            process_name="エントリ1",
            expected_completion_time=DEMO_NOW + timedelta(minutes=20),
            total_waiting=111,
            entry_count=2010,
            correction_waiting=3,
        )
    )
    db_session.flush()
    rows = progress.latest_snapshots(db_session, location="札幌", process="エントリ1")
    assert [r.total_waiting for r in rows] == [111]


def test_queue_history_is_in_time_order(db_session: Session) -> None:
    history = progress.queue_history(db_session, SEED_QUEUE)
    times = [h.snapshot_time for h in history]
    assert times == sorted(times)
    assert len(history) == 41


def test_operators_by_process_and_skill(db_session: Session) -> None:
    found = operators.list_operators(
        db_session, operators.OperatorFilter(process="エントリ1", min_skill=4)
    )
    assert found
    for record in found:
        assert any(
            s.process_name == "エントリ1" and (s.skill_level or 0) >= 4 for s in record.skills
        )
        assert record.operator.is_valid
    levels = [s.skill_level or 0 for s in found[0].skills]
    assert levels == sorted(levels, reverse=True)


def test_operators_by_location_and_business(db_session: Session) -> None:
    found = operators.list_operators(
        db_session, operators.OperatorFilter(location="盛岡", business_id="523202")
    )
    assert found
    assert all(r.operator.location_name == "盛岡" for r in found)
    assert all(r.assignment and r.assignment.business_id == "523202" for r in found)


def test_invalid_operators_are_hidden_unless_asked(db_session: Session) -> None:
    visible = operators.list_operators(db_session, operators.OperatorFilter(limit=1000))
    everyone = operators.list_operators(
        db_session, operators.OperatorFilter(limit=1000, include_invalid=True)
    )
    assert len(everyone) == len(visible) + 1
    assert len(operators.all_active(db_session)) == len(visible)


def test_active_staff_is_everyone_valid_with_the_skill_that_counts(db_session: Session) -> None:
    """Plain rows of the valid operators: a newer assessment replaces the older one of
    the same process, an invalid operator is left out, assignments as (site, business,
    process)."""
    hidden = db_session.scalars(select(Operator).where(Operator.is_valid.is_not(True))).first()
    assert hidden is not None
    someone = db_session.get(Operator, 1)
    assert someone is not None and someone.is_valid
    db_session.add_all(
        [
            OperatorProcessCapability(
                operator_id=1,
                process_name="補正",
                skill_level=2,
                experience_months=3,
                average_speed=Decimal("11.50"),
            ),
            OperatorProcessCapability(  # assessed again: this one counts
                operator_id=1,
                process_name="補正",
                skill_level=5,
                experience_months=30,
                average_speed=Decimal("42.25"),
            ),
        ]
    )
    db_session.flush()
    staff = {row.operator_id: row for row in operators.active_staff(db_session)}
    assert hidden.operator_id not in staff
    row = staff[1]
    assert (row.operator_name, row.location_name) == (someone.operator_name, someone.location_name)
    correction = [s for s in row.skills if s.process_name == "補正"]
    assert correction == [operators.SkillRow("補正", 5, 30, Decimal("42.25"))]
    levels = [s.skill_level or 0 for s in row.skills]
    assert levels == sorted(levels, reverse=True)
    placed = db_session.get(OperatorAssignment, 1)
    expected = (
        None if placed is None else (placed.location_name, placed.business_id, placed.process_name)
    )
    assert row.assignment == expected
    assert len(staff) == len(operators.all_active(db_session))

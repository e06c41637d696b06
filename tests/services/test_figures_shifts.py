"""Shift ends in the shared queue figures: every surface (alert scan, scenario, the
planner's own evaluation, /progress, the chat's facts) agrees on random databases with
shift rows, and on a hand-built floor the figures are those worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from aimee.services.progress import current_progress
from aimee.services.queue_status import queue_states
from aimee.services.scenarios import build_situation
from aimee.store.base import Base
from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    OperatorShift,
    ProgressSnapshot,
)
from tests.conftest import POLICY
from tests.services.test_figures_parity import NOW, check, fill, worlds


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _shift(session: Session, operator_id: int, ends_in: float) -> None:
    session.add(
        OperatorShift(
            operator_id=operator_id,
            shift_date=NOW.date(),
            starts_at=NOW.replace(hour=9, minute=0),
            ends_at=NOW + timedelta(minutes=ends_in),
        )
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    world=worlds,
    # minutes after now that each operator's shift ends (None: no shift row; < 0: gone home)
    ends=st.lists(st.none() | st.integers(-30, 300), min_size=10, max_size=10),
)
def test_every_surface_shows_the_same_figures_with_shift_ends(
    engine: Engine,
    world: tuple[list, list],  # type: ignore[type-arg]
    ends: list[int | None],
) -> None:
    ops, queues = world
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            fill(session, ops, queues)
            for number, end in enumerate(ends[: len(ops)], start=1):
                if end is not None:
                    _shift(session, number, end)
            session.flush()
            check(session)
            scenario = build_situation(session, now=NOW, rules=POLICY.rules).scenario
            gone = {
                n for n, end in enumerate(ends[: len(ops)], start=1) if end is not None and end <= 0
            }
            assert not gone & {op.id for op in scenario.operators}  # gone home: not planned
        finally:
            session.close()
            transaction.rollback()


QUEUE = ("札幌", "523201", "エントリ1")


def _floor(session: Session, ends: dict[int, float]) -> None:
    """札幌/エントリ1: 200 waiting (no arrivals: the same 200 an hour ago, nothing done),
    deadline in 90 minutes; three operators at 60 tasks/hour on it since 08:00."""
    for number in (1, 2, 3):
        session.add(
            Operator(
                operator_id=number, operator_name=f"op{number}", location_name="札幌", is_valid=True
            )
        )
    session.flush()
    for number in (1, 2, 3):
        session.add(
            OperatorProcessCapability(
                capability_id=number,
                operator_id=number,
                process_name="エントリ1",
                skill_level=3,
                experience_months=12,
                average_speed=Decimal(60),
            )
        )
        session.add(
            OperatorAssignment(
                operator_id=number,
                location_name=QUEUE[0],
                business_id=QUEUE[1],
                process_name=QUEUE[2],
                since=NOW.replace(hour=8, minute=0),
            )
        )
    session.add(
        ProgressSnapshot(
            snapshot_time=NOW,
            location_name=QUEUE[0],
            business_id=QUEUE[1],
            process_name=QUEUE[2],
            expected_completion_time=NOW + timedelta(minutes=90),
            total_waiting=200,
            entry_count=0,
            correction_waiting=0,
        )
    )
    for number, end in ends.items():
        _shift(session, number, end)
    session.flush()


def _at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_the_figures_of_a_queue_whose_staff_go_home(engine: Engine) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            # op1 went home 10 minutes ago, op2 leaves in 30, op3 works on
            _floor(session, {1: -10, 2: 30})
            situation = build_situation(session, now=NOW, rules=POLICY.rules)
            f = situation.figures[QUEUE]
            assert f.staff_count == 2  # op1 is not staff now
            assert f.rate == 120.0
            assert f.late == pytest.approx(200 - (30 + 90))  # 1/min x 30 + 1/min x 90
            assert f.completion == _at(170)  # 60 by 30, then 140 at 1/min
            assert f.leaving == (_at(30),)
            assert [op.id for op in situation.scenario.operators] == [2, 3]
            state = next(s for s in queue_states(session, NOW, POLICY))
            assert (state.staff_count, round(state.late_tasks)) == (2, 80)
            assert state.projected_completion == _at(170)
            row = next(iter(current_progress(session, now=NOW, policy=POLICY)))
            assert (row.late_tasks_at_deadline, row.projected_completion) == (80, _at(170))
        finally:
            session.close()
            transaction.rollback()


def test_without_shift_rows_the_figures_are_as_before(engine: Engine) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            _floor(session, {})
            f = build_situation(session, now=NOW, rules=POLICY.rules).figures[QUEUE]
            assert (f.staff_count, f.rate, f.late) == (3, 180.0, 0.0)
            assert f.completion == _at(200 / 3)
        finally:
            session.close()
            transaction.rollback()

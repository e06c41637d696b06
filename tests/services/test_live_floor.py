"""The live demo floor: snapshots carried forward by the assigned staff, and a
business clock that runs faster on demand."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee import clock
from aimee.planner.figures import QueueFigures
from aimee.services.live_floor import advance
from aimee.store.repositories import assignments
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories import progress as repo
from tests.conftest import DEMO_NOW, POLICY

SAPPORO = ("札幌", "523201", "エントリ1")


def waiting(session: Session, key: tuple[str, str, str], now: object) -> int:
    snap = next(
        s
        for s in repo.latest_snapshots(session, as_of=now)  # type: ignore[arg-type]
        if (s.location_name, s.business_id, s.process_name) == key
    )
    return snap.total_waiting or 0


def test_every_queue_moves_on_at_its_staffs_speed(db_session: Session) -> None:
    later = DEMO_NOW + timedelta(minutes=10)
    queues = len(repo.latest_snapshots(db_session, as_of=DEMO_NOW))
    assert advance(db_session, later, random.Random(1), POLICY.rules) == queues
    latest = repo.latest_snapshots(db_session, as_of=later)
    assert {s.snapshot_time for s in latest} == {later}
    # four operators at 300 tasks/hour for 10 minutes; no arrivals 20 minutes before 16:00
    assert waiting(db_session, SAPPORO, later) in range(69, 72)
    sapporo = next(s for s in latest if s.location_name == "札幌" and s.process_name == "エントリ1")
    assert sapporo.expected_completion_time == DEMO_NOW.replace(hour=16, minute=0)


def test_nothing_is_appended_within_a_step(db_session: Session) -> None:
    assert (
        advance(db_session, DEMO_NOW + timedelta(seconds=30), random.Random(1), POLICY.rules) == 0
    )


def test_a_completed_move_speeds_the_receiving_queue_up(db_session: Session) -> None:
    later = DEMO_NOW + timedelta(minutes=10)
    helper = next(
        r.operator.operator_id
        for r in operator_repo.all_active(db_session)
        if r.assignment is not None
        and r.assignment.location_name != "札幌"
        and any(c.process_name == "エントリ1" and (c.average_speed or 0) >= 60 for c in r.skills)
    )
    assignments.move(db_session, helper, SAPPORO, DEMO_NOW)
    advance(db_session, later, random.Random(1), POLICY.rules)
    # a fifth operator at 60+ tasks/hour does at least 10 more in 10 minutes
    assert waiting(db_session, SAPPORO, later) <= 61


def test_a_floor_that_surprises_the_forecast(db_session: Session) -> None:
    """With ``true_rate`` the staff work at that rate instead of the forecast's: at half
    of 札幌's forecast rate (four operators, 300 tasks/hour between them), half the work is done."""
    before = waiting(db_session, SAPPORO, DEMO_NOW)
    later = DEMO_NOW + timedelta(minutes=10)
    seen: list[float] = []

    def half(key: tuple[str, str, str], queue: QueueFigures, _now: datetime) -> float:
        if key == SAPPORO:
            seen.append(queue.rate)
        return queue.rate / 2

    advance(db_session, later, random.Random(1), POLICY.rules, true_rate=half)
    assert seen == [pytest.approx(300)]
    # 10 minutes at 150 tasks/hour: 25 tasks instead of 50 (no arrivals this close to 16:00)
    assert before - waiting(db_session, SAPPORO, later) in range(24, 27)


def test_the_business_clock_can_run_faster(monkeypatch: pytest.MonkeyPatch) -> None:
    # run() reads the monotonic clock, then now() does, 0.2 s later
    monotonic = itertools.chain([1000.0], itertools.repeat(1000.2))
    monkeypatch.setattr(clock.time, "monotonic", lambda: next(monotonic))
    monkeypatch.setattr(clock, "_pace", None)
    assert clock.now() == DEMO_NOW  # AIMEE_NOW holds the clock still
    clock.run(600)
    assert clock.now() - DEMO_NOW == timedelta(seconds=120)  # 0.2 s at x600
    with pytest.raises(ValueError, match="positive"):
        clock.run(0)

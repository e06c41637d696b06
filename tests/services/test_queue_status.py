"""The scan's set-based queue figures agree with the planner's view of the same
data (SQLite and MariaDB)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.services.facts import queue_facts
from aimee.services.queue_status import queue_states
from aimee.services.scenarios import build_situation
from aimee.store.models import ProgressSnapshot
from tests.conftest import DEMO_NOW, POLICY


def test_every_queue_matches_the_planners_figures(db_session: Session) -> None:
    states = {
        (s.location, s.business_id, s.process): s
        for s in queue_states(db_session, DEMO_NOW, POLICY)
    }
    situation = build_situation(db_session, now=DEMO_NOW, rules=POLICY.rules)
    facts = queue_facts(situation)
    assert set(states) == set(facts)
    assert len(states) == 32
    for key, fact in facts.items():
        state = states[key]
        assert state.waiting == fact.waiting
        assert state.expected_arrivals == fact.expected_arrivals
        assert state.staff_count == fact.staff_count
        assert state.minutes_left == pytest.approx(fact.minutes_left)
        assert state.rate_per_hour == pytest.approx(fact.rate_per_hour)
        assert state.late_tasks == pytest.approx(fact.late_tasks, abs=1e-6)
        assert state.projected_completion == fact.projected_completion
        figures = situation.figures[key]
        assert state.processing_rate == figures.observed.processing_rate
        assert state.nominal_rate == figures.nominal_rate


def test_the_seed_queue(db_session: Session) -> None:
    state = next(
        s
        for s in queue_states(db_session, DEMO_NOW, POLICY)
        if (s.location, s.business_id, s.process) == ("札幌", "523201", "エントリ1")
    )
    assert (state.waiting, state.staff_count, state.rate_per_hour) == (120, 4, 300.0)
    assert round(state.late_tasks) == 20
    assert state.projected_completion == DEMO_NOW + timedelta(minutes=24)
    assert state.qualified_reserve > 0  # 高山麻由子 and others could come


def test_the_previous_window_is_read_for_slow_queues_only(db_session: Session) -> None:
    states = {(s.location, s.process): s for s in queue_states(db_session, DEMO_NOW, POLICY)}
    naha = states[("那覇", "エントリ1")]  # the demo's slow site: about 70% of recorded speed
    assert naha.processing_rate is not None
    assert naha.pace is not None and naha.pace < 0.9
    assert naha.previous_pace is not None
    assert naha.previous_minutes == 60
    sapporo = states[("札幌", "エントリ1")]  # 290 of 300: not slow
    assert sapporo.previous_pace is None


def test_a_queue_whose_feed_stopped_is_not_watched(db_session: Session) -> None:
    later = DEMO_NOW + timedelta(minutes=61)
    db_session.add(
        ProgressSnapshot(
            snapshot_time=later,
            location_name="札幌",
            business_id="523201",
            process_name="エントリ1",
            expected_completion_time=later + timedelta(minutes=30),
            total_waiting=10,
            entry_count=5000,
            correction_waiting=0,
        )
    )
    db_session.flush()
    watched = queue_states(db_session, later, POLICY)
    assert [(s.location, s.process) for s in watched] == [("札幌", "エントリ1")]
    assert watched[0].waiting == 10

"""Every surface shows the same queue figures, on random databases: the alert
scan's states, the scenario builder's figures, the planner's own evaluation of
that scenario (a separate implementation of capacity and lateness), /progress
and the chat's facts. The databases hold what real ones do: duplicate skill rows
for one operator and process, stale feeds, idle and invalid operators, operators
moved during the last hour, queues that ran empty, queues without a deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from aimee.planner import evaluate
from aimee.services.alert_rules import SEVERITY_RANK
from aimee.services.alerts import current_drafts
from aimee.services.facts import queue_facts
from aimee.services.progress import current_progress
from aimee.services.queue_status import queue_states
from aimee.services.scenarios import build_situation
from aimee.store.base import Base
from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    PastAssignment,
    ProgressSnapshot,
)
from tests.conftest import POLICY

NOW = datetime(2025, 10, 23, 15, 40)
SITES = ("札幌", "盛岡")
PROCESSES = ("エントリ1", "補正")
QUEUES = [(site, "523201", process) for site in SITES for process in PROCESSES]

skill_rows = st.lists(
    st.tuples(
        st.sampled_from(PROCESSES),
        st.integers(1, 5),
        st.integers(0, 12000).map(lambda cents: Decimal(cents) / 100),
    ),
    max_size=4,  # a process may appear twice: the newest row counts
)
operators = st.lists(
    st.fixed_dictionaries(
        {
            "site": st.sampled_from(SITES),
            "valid": st.booleans() | st.just(True),
            "queue": st.none() | st.sampled_from(QUEUES),
            "since": st.integers(0, 150),  # minutes before now
            "before": st.none() | st.sampled_from(QUEUES),  # where they were before that
            "skills": skill_rows,
        }
    ),
    min_size=1,
    max_size=10,
)
feeds = st.fixed_dictionaries(
    {
        "queue": st.sampled_from(QUEUES),
        "last": st.sampled_from([0, 0, 0, 5, 90]),  # minutes before now; 90: a stale feed
        # minutes after now; now and then none (such a queue is shown, never planned)
        "deadline": st.integers(-10, 400).map(lambda m: None if m > 360 else m),
        "steps": st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 40)), min_size=1, max_size=8
        ),
        "start": st.integers(0, 300),
    }
)
worlds = st.tuples(
    operators, st.lists(feeds, min_size=2, max_size=4, unique_by=lambda f: f["queue"])
)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def fill(session: Session, ops: list[dict[str, object]], queues: list[dict[str, object]]) -> None:
    for number, op in enumerate(ops, start=1):
        session.add(
            Operator(
                operator_id=number,
                operator_name=f"op{number}",
                location_name=op["site"],
                is_valid=op["valid"],
            )
        )
    session.flush()
    capability = 0
    for number, op in enumerate(ops, start=1):
        for process, level, speed in op["skills"]:  # type: ignore[attr-defined]
            capability += 1
            session.add(
                OperatorProcessCapability(
                    capability_id=capability,
                    operator_id=number,
                    process_name=process,
                    skill_level=level,
                    experience_months=12,
                    average_speed=speed,
                )
            )
        since = NOW - timedelta(minutes=op["since"])  # type: ignore[operator]
        if op["queue"] is not None:
            location, business_id, process = op["queue"]  # type: ignore[misc]
            session.add(
                OperatorAssignment(
                    operator_id=number,
                    location_name=location,
                    business_id=business_id,
                    process_name=process,
                    since=since,
                )
            )
        if op["before"] is not None:
            location, business_id, process = op["before"]  # type: ignore[misc]
            session.add(
                PastAssignment(
                    operator_id=number,
                    location_name=location,
                    business_id=business_id,
                    process_name=process,
                    started_at=since - timedelta(hours=3),
                    ended_at=since,
                )
            )
    for feed in queues:
        location, business_id, process = feed["queue"]  # type: ignore[misc]
        deadline = None if feed["deadline"] is None else NOW + timedelta(minutes=feed["deadline"])  # type: ignore[operator]
        steps: list[tuple[int, int]] = feed["steps"]  # type: ignore[assignment]
        moment = NOW - timedelta(minutes=feed["last"] + 10 * (len(steps) - 1))  # type: ignore[operator]
        waiting, done = feed["start"], 0
        for capacity, arrived in steps:
            processed = min(capacity, waiting + arrived)  # type: ignore[operator]
            waiting = waiting + arrived - processed  # type: ignore[operator]
            done += processed
            session.add(
                ProgressSnapshot(
                    snapshot_time=moment,
                    location_name=location,
                    business_id=business_id,
                    process_name=process,
                    expected_completion_time=deadline,
                    total_waiting=waiting,
                    entry_count=done,
                    correction_waiting=0,
                )
            )
            moment += timedelta(minutes=10)
    session.flush()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds)
def test_every_surface_shows_the_same_figures(engine: Engine, world: tuple[list, list]) -> None:  # type: ignore[type-arg]
    ops, queues = world
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            fill(session, ops, queues)
            check(session)
        finally:
            session.close()
            transaction.rollback()


def check(session: Session) -> None:
    situation = build_situation(session, now=NOW, rules=POLICY.rules)
    figures = situation.figures
    states = {(s.location, s.business_id, s.process): s for s in queue_states(session, NOW, POLICY)}
    facts = queue_facts(situation)
    progress = {
        (p.location, p.business_id, p.process): p
        for p in current_progress(session, now=NOW, policy=POLICY)
    }
    drafts = current_drafts(session, NOW, POLICY)

    # the scan watches the fresh queues with a deadline; the planner sees every queue with one
    assert set(states) == {key for key, f in figures.items() if not f.stale}
    assert set(facts) == set(figures)
    assert set(progress) == set(situation.snapshots)

    # the planner's own capacity code, at the deadline (the figures' late tasks; the
    # policy's margin is a planning target)
    at_deadline = situation.scenario.model_copy(
        update={"rules": situation.scenario.rules.model_copy(update={"margin_minutes": 0})}
    )
    for e in evaluate(at_deadline, {}):
        f = figures[e.queue.id]
        assert e.queue.waiting == f.work
        assert e.rate == pytest.approx(f.rate, abs=1e-9)
        assert e.late == pytest.approx(f.late, abs=1e-6)
        if f.completion is None or e.completion is None:
            assert f.completion == e.completion
        else:
            assert abs((f.completion - e.completion).total_seconds()) < 1

    for key, f in figures.items():
        fact, row = facts[key], progress[key]
        assert (fact.waiting, fact.expected_arrivals, fact.staff_count) == (
            f.waiting,
            f.expected_arrivals,
            f.staff_count,
        )
        assert (fact.rate_per_hour, fact.late_tasks) == (f.rate, f.late)
        assert row.late_tasks_at_deadline == round(f.late)
        assert row.staff_count == f.staff_count
        assert row.stale == f.stale
        if key in states:
            s = states[key]
            assert (s.waiting, s.expected_arrivals, s.staff_count) == (
                f.waiting,
                f.expected_arrivals,
                f.staff_count,
            )
            assert (s.rate_per_hour, s.late_tasks, s.projected_completion) == (
                f.rate,
                f.late,
                f.completion,
            )
        raised = [d.severity for d in drafts if (d.location, d.business_id, d.process) == key]
        expected = max(raised, key=lambda s: SEVERITY_RANK[s]) if raised else None
        assert row.severity == expected

    # invalid operators never count; each valid one counts on the queue it works on now
    valid_staff = sum(
        1 for op in situation.scenario.operators if op.assigned and op.assigned.id in figures
    )
    assert sum(f.staff_count for f in figures.values()) == valid_staff

"""The plan for the rest of the day is re-planned as data arrives: the alert worker's round
plans again once the plan in use has aged, only after someone made one today and did not
reject it; the newer plan replaces the pending older one. On SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache.memory import MemoryCache
from aimee.services import setup, staffing
from aimee.services.day_plan import AUTO_REPLAN_USER, DayPlanner
from aimee.services.day_plan_solve import Solve, at_once, solve_here
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import OperatorAssignment, ProgressSnapshot
from aimee.store.repositories import assignments
from aimee.store.repositories import suggestions as suggestion_repo
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY

AFTER = timedelta(minutes=15)


@pytest.fixture
def sessions(empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    """A demo day of its own (its plans are written)."""
    engine = create_db_engine(empty_database_url)
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    yield session_factory(engine)
    engine.dispose()


def _planner(sessions: sessionmaker[Session]) -> DayPlanner:
    return DayPlanner(
        sessions, MemoryCache(), policy=POLICY, time_limit_s=1.0, run=at_once, solve=solve_here
    )


def _new_snapshot(sessions: sessionmaker[Session], at: datetime) -> None:
    """A newer reading of one queue (10 tasks fewer waiting)."""
    with transaction(sessions) as session:
        latest = session.scalars(
            select(ProgressSnapshot)
            .where(ProgressSnapshot.snapshot_time <= at)
            .order_by(ProgressSnapshot.snapshot_time.desc(), ProgressSnapshot.snapshot_id)
            .limit(1)
        ).one()
        session.add(
            ProgressSnapshot(
                snapshot_time=at,
                location_name=latest.location_name,
                business_id=latest.business_id,
                process_name=latest.process_name,
                expected_completion_time=latest.expected_completion_time,
                total_waiting=max(0, (latest.total_waiting or 0) - 10),
                entry_count=(latest.entry_count or 0) + 10,
                correction_waiting=latest.correction_waiting,
            )
        )


def _status(sessions: sessionmaker[Session], suggestion_id: str | None) -> str | None:
    assert suggestion_id is not None
    with sessions() as session:
        row = suggestion_repo.get(session, suggestion_id)
        return None if row is None else row.status


def test_the_rest_of_the_day_is_re_planned_as_data_arrives(
    sessions: sessionmaker[Session],
) -> None:
    planner = _planner(sessions)

    def due(minutes: int) -> object:
        with transaction(sessions) as session:
            return planner.replan_due(
                session, now=DEMO_NOW + timedelta(minutes=minutes), after=AFTER
            )

    assert due(30) is None and planner.solves == 0  # nobody has planned the day
    with transaction(sessions) as session:
        first = planner.request(session, now=DEMO_NOW, user="boss")
    assert first.state == "done" and first.suggestion_id is not None
    assert due(10) is None and planner.solves == 1  # not aged yet
    assert due(15) is None and planner.solves == 1  # aged, but nothing new: no churn

    _new_snapshot(sessions, DEMO_NOW + timedelta(minutes=14))  # data arrives
    second = due(15)
    assert isinstance(second, type(first)) and second.state == "done"
    assert second.started_at == DEMO_NOW + AFTER and planner.solves == 2
    assert _status(sessions, first.suggestion_id) == "expired"  # replaced
    assert second.suggestion_id is not None
    with sessions() as session:
        newer = suggestion_repo.get(session, second.suggestion_id)
        assert newer is not None and newer.created_by == AUTO_REPLAN_USER
    assert due(20) is None  # the re-plan is the plan in use now
    _new_snapshot(sessions, DEMO_NOW + timedelta(minutes=21))
    assert due(25) is None and planner.solves == 2  # tried at +15: at most once per 15 min

    with transaction(sessions) as session:  # the manager rejects it: not pressed again
        row = suggestion_repo.get(session, second.suggestion_id)
        assert row is not None
        row.status = "rejected"
    assert due(45) is None and planner.solves == 2


def test_a_plan_of_another_day_is_not_re_planned(sessions: sessionmaker[Session]) -> None:
    planner = _planner(sessions)
    with transaction(sessions) as session:
        planner.request(session, now=DEMO_NOW, user="boss")
        tomorrow = DEMO_NOW + timedelta(days=1)
        assert planner.replan_due(session, now=tomorrow, after=AFTER) is None
    assert planner.solves == 1


def test_replacing_leaves_a_plan_approved_meanwhile_alone(
    sessions: sessionmaker[Session],
) -> None:
    """One conditional update: an approval committed between the search for older plans and
    their expiry stands (review)."""
    planner = _planner(sessions)
    with transaction(sessions) as session:
        made = planner.request(session, now=DEMO_NOW, user="boss")
    assert made.suggestion_id is not None
    with transaction(sessions) as session:  # approved by a manager meanwhile
        row = suggestion_repo.get(session, made.suggestion_id)
        assert row is not None
        row.status = "approved"
    with transaction(sessions) as session:
        assert suggestion_repo.expire_pending(session, [made.suggestion_id]) == 0
    assert _status(sessions, made.suggestion_id) == "approved"


def test_the_newest_day_plan_is_drawn_and_a_plan_needing_no_move_replaces_it(
    sessions: sessionmaker[Session],
) -> None:
    """Two plans made the same minute: the one the other was replaced by is drawn, whichever
    order the database gives them; a newer plan with no first move expires the pending one,
    and 配置の推移 then draws none (review)."""
    planner = _planner(sessions)
    with transaction(sessions) as session:
        older = planner.request(session, now=DEMO_NOW, user="boss")
    with transaction(sessions) as session:  # newer data, the same minute: someone moved
        to = ("札幌", "523201", "補正")
        rows = session.scalars(select(OperatorAssignment)).all()
        moved = next(row for row in rows if assignments.where(row) != to)
        assignments.move(session, moved.operator_id, to, DEMO_NOW)
    with transaction(sessions) as session:
        newer = planner.request(session, now=DEMO_NOW, user="boss")
    assert newer.id != older.id and newer.suggestion_id is not None
    assert _status(sessions, older.suggestion_id) == "expired"
    with sessions() as session:
        drawn = staffing.timeline(session, now=DEMO_NOW)
        assert drawn.intended and {m.suggestion_id for m in drawn.intended} == {newer.suggestion_id}

    made = planner.read(newer.id)
    assert made is not None
    nobody: Solve = lambda *_args: replace(  # noqa: E731 - a solve that moves nobody now
        solve_here(*_args), first_moves=[]
    )
    quiet = DayPlanner(
        sessions, MemoryCache(), policy=POLICY, time_limit_s=1.0, run=at_once, solve=nobody
    )
    later = DEMO_NOW + timedelta(minutes=5)
    with transaction(sessions) as session:
        none_now = quiet.request(session, now=later, user="boss")
    assert none_now.state == "done" and none_now.suggestion_id is None
    assert _status(sessions, newer.suggestion_id) == "expired"  # not to be approved any more
    with sessions() as session:
        assert staffing.timeline(session, now=later).intended == []

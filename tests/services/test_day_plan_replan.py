"""The plan for the rest of the day is re-planned as data arrives: the alert worker's round
plans again once the plan in use has aged, only after someone made one today and did not
reject it; the newer plan replaces the pending older one. On SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache.memory import MemoryCache
from aimee.services import setup
from aimee.services.day_plan import AUTO_REPLAN_USER, DayPlanner, at_once, solve_here
from aimee.store.db import create_db_engine, session_factory, transaction
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

    second = due(15)
    assert isinstance(second, type(first)) and second.state == "done"
    assert second.started_at == DEMO_NOW + AFTER and planner.solves == 2
    assert _status(sessions, first.suggestion_id) == "expired"  # replaced
    assert second.suggestion_id is not None
    with sessions() as session:
        newer = suggestion_repo.get(session, second.suggestion_id)
        assert newer is not None and newer.created_by == AUTO_REPLAN_USER
    assert due(20) is None  # the re-plan is the plan in use now

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

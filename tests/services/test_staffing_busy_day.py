"""配置の推移 on a busy day: the newest plan for the rest of the day is drawn, and replaces
the older pending one, however many other suggestions (the alert worker's, the chat's) were
made after it. On SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache.memory import MemoryCache
from aimee.services import setup, staffing
from aimee.services.day_plan import DayPlanner, replace_older
from aimee.services.day_plan_solve import at_once, solve_here
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import Suggestion
from aimee.store.repositories import suggestions as suggestion_repo
from tests.conftest import DEMO_NOW, DEMO_SEED, POLICY

OTHERS = 150
"""Suggestions made after the day plan: more than the 100 the view used to look through."""


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


def _other(number: int) -> Suggestion:
    """A suggestion that is no plan for the rest of the day, made ``number`` seconds after
    the day plan (a small plan: the view never reads it)."""
    made = DEMO_NOW + timedelta(seconds=number)
    return Suggestion(
        suggestion_id=f"SGT-OTHER-{number:04d}",
        changes=[],
        impact={},
        plan={"scenario": {}, "plan": {}},
        reason="アラートからの提案",
        rules_used=[],
        status="pending",
        data_fingerprint="0" * 64,
        created_by="alert-worker",
        created_at=made,
        expires_at=made + timedelta(hours=1),
    )


def test_the_day_plan_is_drawn_after_many_other_suggestions(
    sessions: sessionmaker[Session],
) -> None:
    planner = _planner(sessions)
    with transaction(sessions) as session:
        made = planner.request(session, now=DEMO_NOW, user="boss")
    assert made.state == "done" and made.suggestion_id is not None
    with transaction(sessions) as session:
        for number in range(1, OTHERS + 1):
            suggestion_repo.add(session, _other(number))
    later = DEMO_NOW + timedelta(minutes=5)
    with sessions() as session:
        newer = suggestion_repo.list_suggestions(session, since=DEMO_NOW, limit=OTHERS + 1)
        assert len(newer) == OTHERS + 1 and newer[-1].suggestion_id == made.suggestion_id
        drawn = staffing.timeline(session, now=later)
    assert drawn.intended, "the day plan's moves are drawn"
    assert {m.suggestion_id for m in drawn.intended} == {made.suggestion_id}
    assert drawn.intended_made_at == DEMO_NOW


def test_a_day_plan_is_saved_with_its_horizon_and_other_suggestions_without(
    sessions: sessionmaker[Session],
) -> None:
    planner = _planner(sessions)
    with transaction(sessions) as session:
        made = planner.request(session, now=DEMO_NOW, user="boss")
        focused = suggest_for(
            session,
            ScenarioFilter("札幌", "523201", "エントリ1"),
            now=DEMO_NOW,
            policy=POLICY,
            created_by=None,
        )
    assert made.suggestion_id is not None
    assert focused is not None and focused.suggestion is not None
    with sessions() as session:
        day = suggestion_repo.get(session, made.suggestion_id)
        other = suggestion_repo.get(session, focused.suggestion.id)
        assert day is not None and day.horizon == "day"
        assert other is not None and other.horizon is None


def test_a_newer_day_plan_replaces_the_older_after_many_other_suggestions(
    sessions: sessionmaker[Session],
) -> None:
    planner = _planner(sessions)
    with transaction(sessions) as session:
        older = planner.request(session, now=DEMO_NOW, user="boss")
    assert older.suggestion_id is not None
    with transaction(sessions) as session:  # more pending than the 500 once looked through
        for number in range(1, 601):
            suggestion_repo.add(session, _other(number))
    with transaction(sessions) as session:
        replaced = replace_older(session, "", now=DEMO_NOW + timedelta(minutes=15))
    assert replaced == 1
    with sessions() as session:
        row = suggestion_repo.get(session, older.suggestion_id)
        assert row is not None and row.status == "expired"
        others = suggestion_repo.list_suggestions(session, status="pending", limit=1000)
        assert len(others) == 600  # the other suggestions stay pending

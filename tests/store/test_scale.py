"""A demo database with earlier working days (``load_demo(..., scale=N)``), on
SQLite and MariaDB: exactly N snapshots, today's rows untouched, and the reads
of the current state give the same answers as on the plain demo day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aimee.demo import generate_demo_day
from aimee.errors import BadRequest
from aimee.services import setup
from aimee.store.db import create_db_engine
from aimee.store.models import Operator, ProgressSnapshot
from aimee.store.repositories import master, progress
from tests.conftest import BACKENDS, DEMO_NOW, DEMO_SEED, make_database_url
from tests.store.test_schema import SEED_COLUMNS

SCALE = 5000
SEED_QUEUE = ("札幌", "523201", "エントリ1")
COLUMNS = tuple(SEED_COLUMNS["progress_snapshots"])


@pytest.fixture(scope="module")
def today() -> list[dict[str, Any]]:
    return generate_demo_day(seed=DEMO_SEED, now=DEMO_NOW).tables["progress_snapshots"]


@pytest.fixture(scope="module", params=BACKENDS)
def scaled_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    urls = make_database_url(request.param, tmp_path_factory.mktemp(f"scale_{request.param}"))
    engine = create_db_engine(next(urls))
    setup.apply_migrations(engine)
    summary = setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, scale=SCALE)
    assert summary.counts["progress_snapshots"] == SCALE
    yield engine
    engine.dispose()
    for _ in urls:  # drop the database
        pass


@pytest.fixture
def session(scaled_engine: Engine) -> Iterator[Session]:
    with Session(scaled_engine) as session:
        yield session


def _row(snapshot: ProgressSnapshot) -> tuple[Any, ...]:
    return tuple(getattr(snapshot, column) for column in COLUMNS)


def test_exactly_n_snapshots_with_today_unchanged(
    session: Session, today: list[dict[str, Any]]
) -> None:
    count = session.scalar(select(func.count()).select_from(ProgressSnapshot))
    assert count == SCALE
    ids = session.scalars(select(ProgressSnapshot.snapshot_id)).all()
    assert sorted(ids) == list(range(1, SCALE + 1))
    stored = session.scalars(
        select(ProgressSnapshot)
        .where(ProgressSnapshot.snapshot_id <= len(today))
        .order_by(ProgressSnapshot.snapshot_id)
    ).all()
    assert [_row(s) for s in stored] == [tuple(r[c] for c in COLUMNS) for r in today]
    earliest_today = min(r["snapshot_time"] for r in today)
    history = session.scalar(
        select(func.max(ProgressSnapshot.snapshot_time)).where(
            ProgressSnapshot.snapshot_id > len(today)
        )
    )
    assert history is not None and history < earliest_today


def test_latest_snapshots_are_todays(session: Session, today: list[dict[str, Any]]) -> None:
    for as_of in (DEMO_NOW, DEMO_NOW - timedelta(minutes=60), None):
        moment = as_of or DEMO_NOW
        expected = sorted(
            tuple(r[c] for c in COLUMNS) for r in today if r["snapshot_time"] == moment
        )
        rows = progress.latest_snapshots(session, as_of=as_of)
        assert sorted(_row(s) for s in rows) == expected
    sapporo = progress.latest_snapshots(
        session, location="札幌", business_id="523201", process="エントリ1", as_of=DEMO_NOW
    )
    assert [(s.total_waiting, s.snapshot_time) for s in sapporo] == [(120, DEMO_NOW)]


def test_before_the_day_began_yesterdays_queues_are_current(session: Session) -> None:
    morning = DEMO_NOW.replace(hour=8, minute=0)
    rows = progress.latest_snapshots(session, as_of=morning)
    assert len(rows) == 32
    assert {s.snapshot_time for s in rows} == {DEMO_NOW.replace(day=22, hour=20, minute=50)}


def test_queue_history_of_the_business_day(session: Session) -> None:
    midnight = DEMO_NOW.replace(hour=0, minute=0)
    day = progress.queue_history(session, SEED_QUEUE, since=midnight, until=DEMO_NOW)
    assert len(day) == 41
    assert day[0].snapshot_time == DEMO_NOW - timedelta(minutes=400)
    assert day[-1].snapshot_time == DEMO_NOW
    everything = progress.queue_history(session, SEED_QUEUE)
    assert len(everything) > len(day)
    assert everything[-len(day) :] == day


def test_master_data_is_the_demo_days(session: Session) -> None:
    data = master.master_data(session)
    assert data.locations == ["品川", "札幌", "梅田", "盛岡", "那覇"]
    assert data.processes == ["エントリ1", "エントリ2", "検証", "補正"]
    assert len(data.operators) == 140  # everyone by name, the one inactive person too
    assert [data.operators[i] for i in data.inactive] == ["後藤健太"]


def test_a_scale_below_the_demo_day_is_refused(
    empty_database_url: str, today: list[dict[str, Any]]
) -> None:
    engine = create_db_engine(empty_database_url)
    setup.apply_migrations(engine)
    with pytest.raises(BadRequest, match=f"at least {len(today)}"):
        setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, scale=len(today) - 1)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Operator)) == 0
    summary = setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, scale=len(today))
    assert summary.counts["progress_snapshots"] == len(today)
    engine.dispose()

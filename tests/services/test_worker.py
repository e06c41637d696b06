"""The periodic scanner: one scan per interval among workers sharing a cache
(in-process and the real Redis), failures logged and survived, a clean stop."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache import Cache, MemoryCache
from aimee.cache.redis_cache import RedisCache
from aimee.config import ConfigError, load_settings
from aimee.services.alerts import ScanSummary
from aimee.services.policy import Policy
from aimee.services.worker import AlertWorker
from aimee.store.db import create_db_engine, session_factory
from aimee.store.models import Alert
from tests.conftest import DEMO_NOW, POLICY, REDIS_URL


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """Sessions on an empty database, for scans that do not read it."""
    return session_factory(create_db_engine("sqlite://"))


class CountingScan:
    """A scan that counts its calls, fails the first ``fail_first`` of them, and
    sets ``reached`` at the ``target``-th call (tests wait on it, never on a timer)."""

    def __init__(self, fail_first: int = 0, target: int = 1) -> None:
        self.calls = 0
        self.fail_first = fail_first
        self.target = target
        self.reached = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, session: Session, now: datetime, policy: Policy) -> ScanSummary:
        with self._lock:
            self.calls += 1
            failing = self.calls <= self.fail_first
            if self.calls >= self.target:
                self.reached.set()
        if failing:
            raise RuntimeError("database went away")
        return ScanSummary(now, 0, 0, 0, 0, 0, [], 0.0)


def worker(
    sessions: sessionmaker[Session], cache: Cache, scan: CountingScan, interval_s: float
) -> AlertWorker:
    return AlertWorker(
        sessions,
        cache,
        interval_s=interval_s,
        policy=POLICY,
        scan=scan,
        record=lambda _session, _now: [],  # the outcomes and loan returns are the
        return_loans=lambda _session, _now: [],  # next tests' subject
        now=lambda: DEMO_NOW,
    )


def test_two_workers_one_scan(shared_cache: Cache, sessions: sessionmaker[Session]) -> None:
    scan = CountingScan()
    workers = [worker(sessions, shared_cache, scan, 60) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[ScanSummary | None] = []

    def attempt(w: AlertWorker) -> None:
        start.wait()
        results.append(w.run_once())

    threads = [threading.Thread(target=attempt, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert scan.calls == 1
    assert sum(r is not None for r in results) == 1
    assert workers[0].run_once() is None  # still this interval for everybody
    assert shared_cache.get("lock:alert-scan") in {w.owner for w in workers}


def test_the_lock_expires_before_the_next_round(sessions: sessionmaker[Session]) -> None:
    moment = [0.0]
    cache = MemoryCache(clock=lambda: moment[0])
    scan = CountingScan()
    first = worker(sessions, cache, scan, 120)
    other = worker(sessions, cache, scan, 120)
    assert first.run_once() is not None
    assert other.run_once() is None
    moment[0] += 0.9 * 120 - 0.01  # the lock lives 90% of the interval
    assert other.run_once() is None
    moment[0] += 0.02
    assert other.run_once() is not None
    assert scan.calls == 2


@pytest.mark.redis
def test_redis_holds_the_lock_for_most_of_the_interval(
    sessions: sessionmaker[Session], redis_prefix: str
) -> None:
    cache = RedisCache(REDIS_URL, prefix=redis_prefix)
    assert worker(sessions, cache, CountingScan(), 120).run_once() is not None
    left_ms = redis.Redis.from_url(REDIS_URL).pttl(redis_prefix + "lock:alert-scan")
    assert 0.9 * 120_000 - 5_000 < left_ms <= 0.9 * 120_000  # gone before the next round


def test_a_failed_scan_is_logged_and_the_loop_goes_on(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    scan = CountingScan(fail_first=1, target=3)
    loop = worker(sessions, MemoryCache(), scan, 0.001)
    with caplog.at_level(logging.INFO, logger="aimee.services.worker"):
        loop.start()
        assert scan.reached.wait(timeout=30)
        loop.stop()
    assert scan.calls >= 3
    assert not loop.running
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert "alert scan failed" in failures[0].getMessage()
    assert any("0 queues: 0 created" in r.getMessage() for r in caplog.records)


def test_stop_does_not_wait_for_the_next_round(sessions: sessionmaker[Session]) -> None:
    scan = CountingScan()
    loop = worker(sessions, MemoryCache(), scan, 3600)
    loop.start()
    assert scan.reached.wait(timeout=30)
    loop.stop(timeout_s=30)
    assert not loop.running  # stopped long before the hour of the next round
    assert scan.calls == 1


def test_the_real_scan_in_a_worker(db_session: Session) -> None:
    """A worker's round writes the alerts in its own transaction (a savepoint here)."""
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")
    loop = AlertWorker(sessions, MemoryCache(), interval_s=120, policy=POLICY, now=lambda: DEMO_NOW)
    summary = loop.run_once()
    assert summary is not None
    assert any(a.location == "札幌" and a.alert_type == "delay_risk" for a in summary.live)
    count = db_session.scalar(select(func.count()).select_from(Alert).where(Alert.status == "open"))
    assert count == summary.open


def test_the_interval_is_a_validated_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().alert_interval_s == 120
    monkeypatch.setenv("AIMEE_ALERT_INTERVAL_S", "30")
    assert load_settings().alert_interval_s == 30
    monkeypatch.setenv("AIMEE_ALERT_INTERVAL_S", "0")
    with pytest.raises(ConfigError, match="AIMEE_ALERT_INTERVAL_S"):
        load_settings()
    with pytest.raises(ValueError, match="positive"):
        AlertWorker(
            session_factory(create_db_engine("sqlite://")),
            MemoryCache(),
            interval_s=0,
            policy=POLICY,
        )


def test_a_failed_outcome_recording_keeps_the_scan(
    db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """Recording plan outcomes runs after the scan in its own transaction: when it
    fails, the error is logged and the alerts the scan wrote stay."""
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")

    def failing(_session: Session, _now: datetime) -> list[object]:
        raise RuntimeError("snapshots unreadable")

    loop = AlertWorker(
        sessions, MemoryCache(), interval_s=120, policy=POLICY, record=failing, now=lambda: DEMO_NOW
    )
    with caplog.at_level(logging.ERROR, logger="aimee.services.worker"):
        summary = loop.run_once()
    assert summary is not None and summary.created > 0
    assert db_session.scalar(select(func.count()).select_from(Alert)) == summary.created
    (failure,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "recording plan outcomes failed" in failure.getMessage()


def test_a_round_sends_helpers_back_then_records_outcomes_each_on_its_own(
    db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """Loan returns run after the scan in their own transaction: a failure there is
    logged and neither undoes the scan nor stops the outcome recording."""
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")
    calls: list[tuple[str, datetime]] = []

    def failing_returns(_session: Session, now: datetime) -> list[object]:
        calls.append(("returns", now))
        raise RuntimeError("assignments locked")

    def record(_session: Session, now: datetime) -> list[object]:
        calls.append(("outcomes", now))
        return []

    def replan(_session: Session, now: datetime) -> None:
        calls.append(("replan", now))

    loop = AlertWorker(
        sessions,
        MemoryCache(),
        interval_s=120,
        policy=POLICY,
        record=record,
        return_loans=failing_returns,
        now=lambda: DEMO_NOW,
        replan_day=replan,
    )
    with caplog.at_level(logging.ERROR, logger="aimee.services.worker"):
        summary = loop.run_once()
    assert summary is not None and summary.created > 0
    assert calls == [("returns", DEMO_NOW), ("outcomes", DEMO_NOW), ("replan", DEMO_NOW)]
    (failure,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "sending helpers back from loans failed" in failure.getMessage()

"""Notifications: high alerts and suggestions awaiting approval reach the configured
channels once each (over scans, restarts and concurrent workers), low and medium
alerts never; a channel that is down is retried and then given up, in the log; a
failing round never undoes the scan. The channel is a local webhook
(``tests/fakes/notify_receiver.py``) behind apprise's ``json://`` URL."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache import MemoryCache
from aimee.config import ConfigError, load_settings
from aimee.services import notifications
from aimee.services.alerts import ScanSummary
from aimee.services.notifications import (
    AppriseChannel,
    Message,
    Notifier,
    RoundSummary,
    channel_key,
)
from aimee.services.worker import AlertWorker
from aimee.store import migrate
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import Alert, Base, Notification, Suggestion
from aimee.store.repositories import notifications as repo
from tests.conftest import DEMO_NOW, POLICY
from tests.fakes.notify_receiver import Receiver, closed_port, running_receiver

DASHBOARD = "http://aimee.example.jp:8501"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    """A migrated, empty database (SQLite file or MariaDB) that several connections share."""
    created = create_db_engine(empty_database_url)
    migrate.upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def notifier(*urls: str, **options: int) -> Notifier:
    return Notifier([AppriseChannel(u) for u in urls], dashboard_url=DASHBOARD, **options)


def add_alert(
    sessions: sessionmaker[Session],
    severity: str,
    *,
    process: str,
    status: str = "open",
    late: int = 12,
) -> int:
    with transaction(sessions) as session:
        alert = Alert(
            alert_type="delay_risk",
            severity=severity,
            location_name="札幌",
            business_id="B01",
            process_name=process,
            message=f"札幌/{process}: 納期17:00まで残り20分、約{late}件が納期に残る見込みです",
            details={"late_tasks": late, "minutes_left": 20},
            status=status,
            created_at=DEMO_NOW,
            active_key=None if status == "resolved" else f"delay_risk|札幌|B01|{process}",
            deadline=DEMO_NOW.replace(hour=17, minute=0),
        )
        session.add(alert)
        session.flush()
        return alert.alert_id


def add_suggestion(
    sessions: sessionmaker[Session],
    suggestion_id: str,
    *,
    status: str = "pending",
    expires_at: datetime = DEMO_NOW + timedelta(hours=1),
) -> None:
    with transaction(sessions) as session:
        session.add(
            Suggestion(
                suggestion_id=suggestion_id,
                changes=[],
                impact={
                    "productivity": "+20%",
                    "delay": "-15分",
                    "quality": "維持",
                    "late_tasks_before": 30.0,
                    "late_tasks_after": 4.0,
                    "target": "札幌/B01/仕分け",
                },
                plan={},
                reason="2名の移動で遅延見込みを30件から4件にします。",
                rules_used=[],
                status=status,
                data_fingerprint="f" * 64,
                created_by="山田（入力した名前は通知に出ない）",
                created_at=DEMO_NOW,
                expires_at=expires_at,
            )
        )


def set_alert(sessions: sessionmaker[Session], alert_id: int, **values: object) -> None:
    with transaction(sessions) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        for key, value in values.items():
            setattr(alert, key, value)


def rows(sessions: sessionmaker[Session]) -> list[Notification]:
    with transaction(sessions) as session:
        return list(session.scalars(select(Notification).order_by(Notification.notification_id)))


# --- the migration -------------------------------------------------------------------


def test_the_migration_creates_the_model_table(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine, "0007")
        assert "notifications" not in inspect(engine).get_table_names()
        migrate.upgrade(engine, "0008")
        assert migrate.current_revision(engine) == "0008"
        inspector = inspect(engine)
        columns = [c["name"] for c in inspector.get_columns("notifications")]
        assert columns == [c.name for c in Notification.__table__.columns]
        unique = [i for i in inspector.get_indexes("notifications") if i["unique"]]
        assert [i["column_names"] for i in unique] == [["kind", "subject_id", "channel"]]
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            drift = [
                d
                for d in compare_metadata(context, Base.metadata)
                if "notifications" in repr(d) and "notification_id" not in repr(d)
            ]
        assert drift == []
        command.downgrade(migrate.alembic_config(engine), "0007")  # back cleanly, then up
        assert "notifications" not in inspect(engine).get_table_names()
        migrate.upgrade(engine)
        assert "notifications" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


# --- settings --------------------------------------------------------------------------


def test_notify_urls_are_a_validated_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.notify_urls == []
    assert settings.dashboard_url == "http://127.0.0.1:8501"
    assert Notifier.from_settings(settings) is None  # off by default
    monkeypatch.setenv(
        "AIMEE_NOTIFY_URLS",
        "json://127.0.0.1:9/hook, mailto://u:p@mail.example.jp?to=a@example.jp,b@example.jp",
    )
    monkeypatch.setenv("AIMEE_DASHBOARD_URL", "https://aimee.example.jp/")
    settings = load_settings()
    assert settings.notify_urls == [
        "json://127.0.0.1:9/hook",
        "mailto://u:p@mail.example.jp?to=a@example.jp,b@example.jp",  # its comma stays
    ]
    assert settings.dashboard_url == "https://aimee.example.jp"
    built = Notifier.from_settings(settings)
    assert built is not None and len(built.channels) == 2
    monkeypatch.setenv("AIMEE_NOTIFY_URLS", "json://127.0.0.1:9/hook,nosuch://SECRET-TOKEN")
    with pytest.raises(ConfigError, match="AIMEE_NOTIFY_URLS") as raised:
        load_settings()
    assert "SECRET-TOKEN" not in str(raised.value)  # a URL may hold a token: never echoed
    monkeypatch.delenv("AIMEE_NOTIFY_URLS")
    monkeypatch.setenv("AIMEE_DASHBOARD_URL", "aimee.example.jp")
    with pytest.raises(ConfigError, match="AIMEE_DASHBOARD_URL"):
        load_settings()


def test_a_channel_is_known_by_a_hash_not_its_token() -> None:
    key = channel_key("slack://TOKENA/TOKENB/TOKENC/#floor")
    assert key.startswith("slack:") and len(key) == 16
    assert "TOKEN" not in key
    assert key == channel_key("slack://TOKENA/TOKENB/TOKENC/#floor")
    assert key != channel_key("slack://TOKENA/TOKENB/TOKENX/#floor")


# --- once only -----------------------------------------------------------------------


def test_a_high_alert_reaches_the_receiver_once_over_several_scans(
    db_session: Session, receiver: Receiver
) -> None:
    """The real scan of the demo day in the worker's rounds: each high alert is
    posted once, however many scans find it; a restarted worker sends nothing again;
    medium and low alerts are never posted."""
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")
    moment = [0.0]
    cache = MemoryCache(clock=lambda: moment[0])

    def worker() -> AlertWorker:
        return AlertWorker(
            sessions,
            cache,
            interval_s=120,
            policy=POLICY,
            now=lambda: DEMO_NOW,
            notifier=notifier(receiver.url("floor")),
        )

    first = worker()
    summaries: list[ScanSummary] = []
    for _ in range(3):
        summary = first.run_once()
        assert summary is not None
        summaries.append(summary)
        moment[0] += 120  # the next interval: the scan lock has expired
    assert worker().run_once() is not None  # a restart: a new process, same database
    high = [a for a in summaries[0].live if a.severity == "high"]
    assert len(high) >= 2
    bodies = receiver.bodies()
    assert len(bodies) == len(high)
    assert {b["message"].splitlines()[0] for b in bodies} == {a.message for a in high}
    others = {a.message for a in summaries[0].live if a.severity != "high"}
    assert others and not others & {b["message"].splitlines()[0] for b in bodies}
    assert all(path == "/floor" for path, _ in receiver.posts)
    for body in bodies:
        assert body["type"] == "warning"
        assert body["title"].startswith("【AIMEE】遅延リスク（高）: ")
        assert f"アラート一覧: {DASHBOARD}/alerts" in body["message"]
    sent = db_session.scalar(
        select(func.count()).select_from(Notification).where(Notification.status == "sent")
    )
    assert sent == len(high)


def test_low_and_medium_alerts_are_not_notified_until_high(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    sending = notifier(receiver.url())
    medium = add_alert(sessions, "medium", process="仕分け")
    add_alert(sessions, "low", process="検品")
    add_alert(sessions, "high", process="入力", status="acknowledged")  # someone has seen it
    assert sending.run(sessions, DEMO_NOW, owner="w1").sent == 0
    assert receiver.posts == []
    set_alert(sessions, medium, severity="high", message="札幌/仕分け: 納期17:00まで残り20分")
    assert sending.run(sessions, DEMO_NOW, owner="w1").sent == 1
    assert sending.run(sessions, DEMO_NOW, owner="w1").sent == 0
    (body,) = receiver.bodies()
    assert body["message"].startswith("札幌/仕分け: 納期17:00まで残り20分")
    assert "納期: 17:00" in body["message"]


def test_an_alert_acknowledged_before_its_send_is_not_sent(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """Queued while open, acknowledged before a round could send it (the channel was
    down): the next round drops it instead of telling somebody who already knows."""
    alert = add_alert(sessions, "high", process="仕分け")
    down = notifier(f"json://127.0.0.1:{closed_port()}/x")
    assert down.run(sessions, DEMO_NOW, owner="w1").retrying == 1
    set_alert(sessions, alert, status="acknowledged")
    assert down.run(sessions, DEMO_NOW, owner="w1").dropped == 1
    assert [r.status for r in rows(sessions)] == ["dropped"]


def test_a_pending_suggestion_is_notified_once(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    add_suggestion(sessions, "SUG-20251023-0001")
    add_suggestion(sessions, "SUG-20251023-0002", status="approved")
    add_suggestion(sessions, "SUG-20251023-0003", expires_at=DEMO_NOW - timedelta(minutes=1))
    sending = notifier(receiver.url())
    for _ in range(3):
        sending.run(sessions, DEMO_NOW, owner="w1")
    notifier(receiver.url()).run(sessions, DEMO_NOW, owner="w2")  # after a restart
    (body,) = receiver.bodies()
    assert body["type"] == "info"
    assert body["title"] == "【AIMEE】承認待ちの提案: 札幌/B01/仕分け"
    message = body["message"]
    assert "2名の移動で遅延見込みを30件から4件にします。" in message
    assert "遅延見込み: 30件 → 4件" in message
    assert "提案ID: SUG-20251023-0001" in message
    assert "承認期限: 16:40" in message
    assert f"{DASHBOARD}/history" in message
    assert "山田" not in message  # no user text


def test_two_workers_at_once_send_once(sessions: sessionmaker[Session], engine: Engine) -> None:
    """Workers in separate connections run their rounds at the same moment (the
    scan lock is not shared: Redis absent, each process its own cache): each
    message is posted once, by one of them."""
    with running_receiver() as receiver:
        for n in range(4):
            add_alert(sessions, "high", process=f"工程{n}")
        add_suggestion(sessions, "SUG-20251023-0001")
        workers = [notifier(receiver.url(), receiver.url("second")) for _ in range(3)]
        factories = [session_factory(engine) for _ in workers]
        start = threading.Barrier(len(workers))
        results: list[RoundSummary] = []

        def round_of(index: int) -> None:
            start.wait()
            results.append(workers[index].run(factories[index], DEMO_NOW, owner=f"w{index}"))

        threads = [threading.Thread(target=round_of, args=(i,)) for i in range(len(workers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r.sent for r in results) == 10  # 5 messages, 2 channels
        keys = [k for r in results for k in r.sent_keys]
        assert len(keys) == len(set(keys)) == 10
        assert len(receiver.posts) == 10
        assert sorted(path for path, _ in receiver.posts) == ["/aimee"] * 5 + ["/second"] * 5
        assert {r.status for r in rows(sessions)} == {"sent"}


def test_of_two_claims_of_one_row_one_wins(sessions: sessionmaker[Session]) -> None:
    """Both workers read the row as due before either claims it: the conditional
    UPDATE lets exactly one of them through."""
    with transaction(sessions) as session:
        repo.enqueue(session, "alert", ["7"], ["json:abc"], now=DEMO_NOW)
        repo.enqueue(session, "alert", ["7"], ["json:abc"], now=DEMO_NOW)  # a second insert: no row
    with transaction(sessions) as session:  # two inserts that both missed the other's row
        row = {"kind": "alert", "subject_id": "7", "channel": "json:abc", "status": "pending"}
        insert = repo._insert_ignoring_duplicates(session)
        session.execute(insert, [{**row, "attempts": 0, "created_at": DEMO_NOW}])
    assert len(rows(sessions)) == 1
    stale = DEMO_NOW - timedelta(minutes=15)
    seen = []
    for _ in range(2):
        with transaction(sessions) as session:
            seen.append(
                repo.due(session, ["json:abc"], max_attempts=5, stale_before=stale, limit=10)
            )
    assert seen[0] == seen[1] and len(seen[0]) == 1
    won = []
    for owner, (row,) in zip(("w1", "w2"), seen, strict=True):
        with transaction(sessions) as session:
            won.append(repo.claim(session, row, owner=owner, now=DEMO_NOW, stale_before=stale))
    assert won == [True, False]
    (stored,) = rows(sessions)
    assert (stored.status, stored.claimed_by, stored.attempts) == ("sending", "w1", 1)


def test_a_claim_whose_sender_died_is_taken_again_later(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    add_alert(sessions, "high", process="仕分け")
    sending = notifier(receiver.url())
    with transaction(sessions) as session:  # a worker claimed it, then its process died
        sending._enqueue(session, DEMO_NOW)
        (row,) = repo.due(
            session, list(sending.channels), max_attempts=5, stale_before=DEMO_NOW, limit=5
        )
        assert repo.claim(session, row, owner="dead", now=DEMO_NOW, stale_before=DEMO_NOW)
    assert sending.run(sessions, DEMO_NOW + timedelta(minutes=5), owner="w1").sent == 0
    later = DEMO_NOW + notifications.CLAIM_STALE + timedelta(minutes=1)
    assert sending.run(sessions, later, owner="w1").sent == 1
    assert len(receiver.posts) == 1


# --- failures --------------------------------------------------------------------------


def test_a_receiver_that_is_down_is_retried_then_given_up(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    add_alert(sessions, "high", process="仕分け")
    add_alert(sessions, "high", process="検品")
    down = notifier(f"json://127.0.0.1:{closed_port()}/hook", max_attempts=3)
    with caplog.at_level(logging.WARNING, logger="aimee.services.notifications"):
        rounds = [down.run(sessions, DEMO_NOW, owner="w1") for _ in range(4)]
    # one try per round: the second alert waits while the channel is failing
    assert [(r.sent, r.retrying, r.gave_up, r.skipped) for r in rounds] == [
        (0, 1, 0, 1),
        (0, 1, 0, 1),
        (0, 0, 1, 1),
        (0, 1, 0, 0),
    ]
    ours = [r for r in caplog.records if r.name == "aimee.services.notifications"]
    assert [r.levelno for r in ours] == [logging.WARNING] * 2 + [logging.ERROR, logging.WARNING]
    assert "attempt 1 of 3" in ours[0].getMessage()
    assert "failed 3 times: given up" in ours[2].getMessage()
    stored = rows(sessions)
    assert [(r.status, r.attempts) for r in stored] == [("failed", 3), ("pending", 1)]


def test_a_failed_send_is_delivered_on_the_next_round(sessions: sessionmaker[Session]) -> None:
    add_alert(sessions, "high", process="仕分け")
    with running_receiver(status=500) as receiver:
        sending = notifier(receiver.url())
        assert sending.run(sessions, DEMO_NOW, owner="w1").retrying == 1
        receiver.status = 200
        assert sending.run(sessions, DEMO_NOW, owner="w1").sent == 1
        assert sending.run(sessions, DEMO_NOW, owner="w1").sent == 0
        assert len(receiver.posts) == 2  # the refused one, then the delivered one
    ((status, attempts),) = [(r.status, r.attempts) for r in rows(sessions)]
    assert (status, attempts) == ("sent", 2)


def test_a_receiver_that_never_answers_costs_one_timeout_per_round(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """A channel that accepts the connection and never answers is given up after
    the send timeout, and the other messages for it wait for the next round; the
    other channels are still told."""
    for n in range(3):
        add_alert(sessions, "high", process=f"工程{n}")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are accepted by the kernel, never answered
        hung = AppriseChannel(f"json://127.0.0.1:{silent.getsockname()[1]}/x", timeout_s=0.3)
        sending = Notifier([hung, AppriseChannel(receiver.url())], dashboard_url=DASHBOARD)
        summary = sending.run(sessions, DEMO_NOW, owner="w1")
    assert (summary.sent, summary.retrying, summary.skipped) == (3, 1, 2)
    assert len(receiver.posts) == 3


class BrokenNotifier(Notifier):
    def run(self, sessions: sessionmaker[Session], now: datetime, *, owner: str) -> RoundSummary:
        raise RuntimeError("notifications table locked")


def test_a_failed_notification_round_keeps_the_scan(
    db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    sessions = sessionmaker(bind=db_session.connection(), join_transaction_mode="create_savepoint")
    loop = AlertWorker(
        sessions,
        MemoryCache(),
        interval_s=120,
        policy=POLICY,
        now=lambda: DEMO_NOW,
        notifier=BrokenNotifier([AppriseChannel("json://127.0.0.1:9/x")], dashboard_url=DASHBOARD),
    )
    with caplog.at_level(logging.ERROR, logger="aimee.services.worker"):
        summary = loop.run_once()
    assert summary is not None and summary.created > 0
    assert db_session.scalar(select(func.count()).select_from(Alert)) == summary.created
    (failure,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "sending notifications failed" in failure.getMessage()


def test_a_channel_that_raises_is_a_failed_send(sessions: sessionmaker[Session]) -> None:
    class Raising:
        key = "test:raising0000"

        def send(self, message: Message) -> bool:
            raise OSError("boom")

    add_alert(sessions, "high", process="仕分け")
    summary = Notifier([Raising()], dashboard_url=DASHBOARD).run(sessions, DEMO_NOW, owner="w1")
    assert summary.retrying == 1


def test_the_worker_is_built_with_the_configured_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    from aimee.cli.server import _alert_worker

    settings = load_settings()
    database = create_db_engine(settings.effective_database_url)
    migrate.upgrade(database)
    database.dispose()
    assert _alert_worker(settings)._notifier is None  # no URL: notifications are off
    monkeypatch.setenv("AIMEE_NOTIFY_URLS", "json://127.0.0.1:9/hook")
    built = _alert_worker(load_settings())
    assert built._notifier is not None
    assert list(built._notifier.channels) == [channel_key("json://127.0.0.1:9/hook")]

"""The alert scan on the demo day: what it finds, no duplicates, refreshed numbers,
resolution, acknowledgement and a suggestion for an alert (SQLite and MariaDB)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aimee.errors import Conflict, NotFound
from aimee.services import alert_suggestions, alerts
from aimee.store.models import Alert, ProgressSnapshot
from tests.conftest import DEMO_NOW, POLICY

SEED_MESSAGE = (
    "札幌のエントリ1（523201）: 納期16:00まで残り20分、約20件が納期に残る見込みです"
    "（残件120件、処理ペース300件/時）"
)


def find(session: Session, alert_type: str, location: str, business_id: str, process: str) -> Alert:
    return session.scalars(
        select(Alert).where(
            Alert.alert_type == alert_type,
            Alert.location_name == location,
            Alert.business_id == business_id,
            Alert.process_name == process,
            Alert.status != "resolved",
        )
    ).one()


def add_snapshot(session: Session, when: datetime, process: str, waiting: int) -> None:
    """A newer snapshot of a 札幌 / 523201 queue (entry count keeps growing)."""
    previous = session.scalars(
        select(ProgressSnapshot)
        .where(ProgressSnapshot.location_name == "札幌", ProgressSnapshot.process_name == process)
        .order_by(ProgressSnapshot.snapshot_time.desc())
    ).first()
    assert previous is not None
    session.add(
        ProgressSnapshot(
            snapshot_time=when,
            location_name="札幌",
            business_id="523201",
            process_name=process,
            expected_completion_time=previous.expected_completion_time,
            total_waiting=waiting,
            entry_count=(previous.entry_count or 0) + 20,
            correction_waiting=0,
        )
    )
    session.flush()


def test_the_scan_reports_the_seed_delay_risk(db_session: Session) -> None:
    summary = alerts.scan(db_session, DEMO_NOW, POLICY)
    assert summary.queues == 32
    assert summary.created == summary.open == len(summary.live) > 0
    assert (summary.updated, summary.resolved) == (0, 0)
    seed = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    assert (seed.severity, seed.status, seed.message) == ("high", "open", SEED_MESSAGE)
    assert seed.details["late_tasks"] == 20
    assert seed.details["minutes_left"] == 20
    assert seed.details["staff_count"] == 4
    assert seed.created_at == DEMO_NOW
    assert summary.live[0].severity == "high"  # most severe first
    naha = find(db_session, "productivity_drop", "那覇", "523201", "エントリ1")
    assert naha.details["ratio_to_nominal"] < 0.8


def test_a_second_scan_adds_nothing_and_a_later_one_updates_the_numbers(
    db_session: Session,
) -> None:
    first = alerts.scan(db_session, DEMO_NOW, POLICY)
    again = alerts.scan(db_session, DEMO_NOW, POLICY)
    assert (again.created, again.updated, again.resolved) == (0, 0, 0)
    assert again.unchanged == again.open == first.open
    later = alerts.scan(db_session, DEMO_NOW + timedelta(minutes=2), POLICY)
    assert later.updated > 0
    per_key = db_session.execute(
        select(func.count())
        .select_from(Alert)
        .where(Alert.status != "resolved")
        .group_by(Alert.alert_type, Alert.location_name, Alert.business_id, Alert.process_name)
    ).scalars()
    assert set(per_key) == {1}
    seed = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    assert seed.details["minutes_left"] == 18
    assert "残り18分" in seed.message
    assert seed.updated_at == DEMO_NOW + timedelta(minutes=2)
    assert seed.created_at == DEMO_NOW


def test_an_alert_resolves_when_its_condition_clears_and_can_come_back(
    db_session: Session,
) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    before = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    cleared_at = DEMO_NOW + timedelta(minutes=1)
    add_snapshot(db_session, cleared_at, "エントリ1", waiting=0)
    summary = alerts.scan(db_session, cleared_at, POLICY)
    assert summary.resolved >= 1
    db_session.refresh(before)
    assert (before.status, before.resolved_at, before.active_key) == ("resolved", cleared_at, None)
    assert not any(
        a.location == "札幌" and a.process == "エントリ1" and a.alert_type == "delay_risk"
        for a in summary.live
    )
    back_at = DEMO_NOW + timedelta(minutes=2)
    add_snapshot(db_session, back_at, "エントリ1", waiting=200)
    assert alerts.scan(db_session, back_at, POLICY).created >= 1
    again = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    assert again.alert_id != before.alert_id
    assert again.status == "open"


def test_acknowledged_stays_acknowledged_until_it_gets_worse(db_session: Session) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    low = find(db_session, "delay_risk", "札幌", "523201", "エントリ2")  # done 3 min early
    assert low.severity == "low"
    acknowledged = alerts.acknowledge(db_session, low.alert_id, user="山田", now=DEMO_NOW)
    assert (acknowledged.status, acknowledged.acknowledged_by) == ("acknowledged", "山田")
    alerts.scan(db_session, DEMO_NOW + timedelta(minutes=1), POLICY)  # new numbers, same severity
    db_session.refresh(low)
    assert (low.status, low.acknowledged_by) == ("acknowledged", "山田")
    worse_at = DEMO_NOW + timedelta(minutes=2)
    add_snapshot(db_session, worse_at, "エントリ2", waiting=900)
    alerts.scan(db_session, worse_at, POLICY)
    db_session.refresh(low)
    assert (low.severity, low.status, low.acknowledged_by) == ("high", "open", None)


def test_acknowledge_once(db_session: Session) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    seed = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    alerts.acknowledge(db_session, seed.alert_id, user="山田", now=DEMO_NOW)
    with pytest.raises(Conflict, match="山田さんが確認済み"):
        alerts.acknowledge(db_session, seed.alert_id, user="鈴木", now=DEMO_NOW)
    with pytest.raises(NotFound, match="アラート999999は見つかりません"):
        alerts.acknowledge(db_session, 999999, user="鈴木", now=DEMO_NOW)


def test_the_database_refuses_a_second_live_alert_for_a_queue(db_session: Session) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    seed = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    copy = Alert(
        alert_type=seed.alert_type,
        severity=seed.severity,
        location_name=seed.location_name,
        business_id=seed.business_id,
        process_name=seed.process_name,
        message=seed.message,
        details=seed.details,
        status="open",
        created_at=DEMO_NOW,
        active_key=seed.active_key,
    )
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(copy)
        db_session.flush()


def test_a_suggestion_from_an_alert(db_session: Session) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    seed = find(db_session, "delay_risk", "札幌", "523201", "エントリ1")
    card = alert_suggestions.suggest(
        db_session, seed.alert_id, user="山田", now=DEMO_NOW, policy=POLICY
    )
    assert card.id.startswith("SGT20251023-")
    assert {(c.to, c.process) for c in card.changes} == {("札幌", "エントリ1")}
    assert card.impact.late_tasks_before >= 20
    assert card.impact.late_tasks_after < card.impact.late_tasks_before
    db_session.refresh(seed)
    assert seed.suggestion_id == card.id


def test_no_suggestion_when_no_move_is_needed_or_the_alert_is_resolved(
    db_session: Session,
) -> None:
    alerts.scan(db_session, DEMO_NOW, POLICY)
    low = find(db_session, "delay_risk", "札幌", "523201", "エントリ2")
    # Finishing in time is all a policy without a safety margin asks (with one, this
    # thin margin gets help: tests/api/test_alerts.py).
    no_margin = replace(POLICY, rules=POLICY.rules.model_copy(update={"margin_minutes": 0}))
    with pytest.raises(Conflict, match="納期に間に合う見込みのため、配置変更は不要です"):
        alert_suggestions.suggest(
            db_session, low.alert_id, user="山田", now=DEMO_NOW, policy=no_margin
        )
    cleared_at = DEMO_NOW + timedelta(minutes=1)
    add_snapshot(db_session, cleared_at, "エントリ2", waiting=0)
    alerts.scan(db_session, cleared_at, POLICY)
    with pytest.raises(Conflict, match="解消済み"):
        alert_suggestions.suggest(
            db_session, low.alert_id, user="山田", now=cleared_at, policy=POLICY
        )
    with pytest.raises(Conflict, match="解消済み"):
        alerts.acknowledge(db_session, low.alert_id, user="山田", now=cleared_at)

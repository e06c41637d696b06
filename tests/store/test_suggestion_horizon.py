"""suggestions.horizon: migration 0011 adds it and fills it in from each stored plan; the
newest plans for the rest of the day are found through it. On SQLite and MariaDB."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from aimee.store import migrate
from aimee.store.db import create_db_engine
from aimee.store.models import DAY_HORIZON, Suggestion
from aimee.store.repositories import suggestions as repo
from tests.conftest import DEMO_NOW

MADE = datetime(2025, 10, 23, 10, 0)
PLAN = {"scenario": {"queues": [], "operators": []}, "plan": {"moves": []}}
DAY = {"late_before": 3.0, "late_after": 1.0}

INSERT = text(
    "INSERT INTO suggestions (suggestion_id, changes, impact, plan, reason, rules_used,"
    " status, data_fingerprint, created_by, created_at, expires_at)"
    " VALUES (:suggestion_id, '[]', '{}', :plan, 'r', '[]', 'pending', :fingerprint, NULL,"
    " :created_at, :expires_at)"
)


def _insert(engine: Engine, rows: dict[str, Any]) -> None:
    """Rows as revision 0010 stored them (no horizon), each plan written as JSON text."""
    with engine.begin() as connection:
        connection.execute(
            INSERT,
            [
                {
                    "suggestion_id": suggestion_id,
                    "plan": json.dumps(plan, ensure_ascii=False),
                    "fingerprint": "0" * 64,
                    "created_at": MADE + timedelta(seconds=number),
                    "expires_at": MADE + timedelta(hours=8),
                }
                for number, (suggestion_id, plan) in enumerate(rows.items())
            ],
        )


def _horizons(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        found = connection.execute(text("SELECT suggestion_id, horizon FROM suggestions"))
        return {suggestion_id: horizon for suggestion_id, horizon in found}


def test_the_migration_fills_in_the_horizon_from_the_stored_plans(
    empty_database_url: str,
) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine, "0010")
        kinds: dict[str, Any] = {
            "SGT-DAY": {**PLAN, "timeline": [], "day": DAY},
            "SGT-DAY-NO-TIMELINE": {**PLAN, "day": DAY},
            "SGT-NOW": PLAN,
            "SGT-DAY-NULL": {**PLAN, "day": None},  # a "day" key, but no plan for the day
            "SGT-MENTIONS": {**PLAN, "reason": "本日の残り", "scenario": {"day": "2025-10-23"}},
            "SGT-NULL-PLAN": None,  # JSON null
        }
        # more rows naming "day" than one batch reads (200): day plans in every batch
        mentions = {**PLAN, "scenario": {"day": "2025-10-23"}}
        many = {
            f"SGT-MANY-{n:04d}": {**PLAN, "day": DAY} if n % 7 == 0 else mentions
            for n in range(450)
        }
        _insert(engine, {**kinds, **many})
        assert "horizon" not in [c["name"] for c in inspect(engine).get_columns("suggestions")]

        migrate.upgrade(engine, "0011")

        horizons = _horizons(engine)
        assert {key: horizons[key] for key in kinds} == {
            "SGT-DAY": "day",
            "SGT-DAY-NO-TIMELINE": "day",
            "SGT-NOW": None,
            "SGT-DAY-NULL": None,
            "SGT-MENTIONS": None,
            "SGT-NULL-PLAN": None,
        }
        assert {key for key in many if horizons[key] == "day"} == {
            f"SGT-MANY-{n:04d}" for n in range(0, 450, 7)
        }
        indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("suggestions")}
        assert indexes["ix_suggestions_horizon_created_at"] == ["horizon", "created_at"]

        command.downgrade(migrate.alembic_config(engine), "0010")  # back cleanly, then up
        assert "horizon" not in [c["name"] for c in inspect(engine).get_columns("suggestions")]
        with engine.connect() as connection:  # the rows stay
            count = connection.execute(text("SELECT COUNT(*) FROM suggestions")).scalar()
        assert count == len(kinds) + len(many)
        migrate.upgrade(engine)
        assert _horizons(engine)["SGT-DAY"] == "day"
    finally:
        engine.dispose()


def _row(suggestion_id: str, at: datetime, *, day: bool, status: str = "pending") -> Suggestion:
    return Suggestion(
        suggestion_id=suggestion_id,
        changes=[],
        impact={},
        plan={**PLAN, "day": DAY} if day else PLAN,
        reason="r",
        rules_used=[],
        status=status,
        data_fingerprint="0" * 64,
        created_by=None,
        created_at=at,
        expires_at=at + timedelta(hours=1),
        horizon=DAY_HORIZON if day else None,
    )


def test_the_newest_day_plans_are_those_of_the_newest_minute(db_session: Session) -> None:
    day_start = DEMO_NOW.replace(hour=0, minute=0)
    minute = DEMO_NOW - timedelta(minutes=10)
    for row in [
        _row("SGT-A-OLDER", minute - timedelta(minutes=15), day=True),
        _row("SGT-B-REPLACED", minute, day=True, status="expired"),
        _row("SGT-C-NEWEST", minute, day=True),
        _row("SGT-D-YESTERDAY", day_start - timedelta(minutes=1), day=True),
        _row("SGT-E-LATER", DEMO_NOW + timedelta(minutes=1), day=True),  # after `until`
        *(_row(f"SGT-F-{n:03d}", minute + timedelta(seconds=n), day=False) for n in range(150)),
    ]:
        repo.add(db_session, row)
    newest = repo.newest_day_plans(db_session, since=day_start, until=DEMO_NOW)
    assert [row.suggestion_id for row in newest] == ["SGT-B-REPLACED", "SGT-C-NEWEST"]
    before = repo.newest_day_plans(db_session, since=day_start, until=minute - timedelta(seconds=1))
    assert [row.suggestion_id for row in before] == ["SGT-A-OLDER"]
    after = minute + timedelta(seconds=1)
    assert repo.newest_day_plans(db_session, since=after, until=DEMO_NOW) == []

"""Open suggestions seen from a card or an alert: which pending ones hold an
operator, which open plan helps a queue; the JSON of each is decoded once per
process, not on every look-up."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from aimee.services import overlaps
from aimee.store.models import Suggestion
from tests.conftest import DEMO_NOW


def _row(sid: str, operators: list[int], target: tuple[str, str, str], **kw: Any) -> Suggestion:
    location, business, process = target
    values: dict[str, Any] = {
        "suggestion_id": sid,
        "changes": [{"operator_ids": operators, "to": f"{location} {process}"}],
        "impact": {},
        "plan": {
            "scenario": {
                "rules": {
                    "targets": [{"location": location, "business_id": business, "process": process}]
                }
            }
        },
        "reason": "",
        "rules_used": [],
        "status": "pending",
        "data_fingerprint": "x",
        "created_by": "test",
        "created_at": DEMO_NOW,
        "expires_at": DEMO_NOW + timedelta(hours=24),
    }
    values.update(kw)
    return Suggestion(**values)


SAPPORO_E1 = ("札幌", "523201", "エントリ1")
MORIOKA_H = ("盛岡", "523202", "補正")


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = session.get_bind().engine  # the test session is bound to a connection
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_pending_suggestions_and_open_plans(db_session: Session) -> None:
    prefix = f"SGT-OV-{secrets.token_hex(4)}-"  # ids unseen by this process's memo
    db_session.add_all(
        [
            _row(prefix + "1", [5, 6], SAPPORO_E1, created_at=DEMO_NOW - timedelta(minutes=9)),
            _row(prefix + "2", [6, 7], SAPPORO_E1, created_at=DEMO_NOW - timedelta(minutes=2)),
            _row(prefix + "3", [8], MORIOKA_H),
            _row(prefix + "4", [5], MORIOKA_H, expires_at=DEMO_NOW - timedelta(minutes=1)),
            _row(prefix + "5", [5], MORIOKA_H, status="rejected"),
        ]
    )
    db_session.flush()
    pending = dict(overlaps._pending(db_session, DEMO_NOW))
    assert {k: v for k, v in pending.items() if k.startswith(prefix)} == {
        prefix + "1": {5, 6},
        prefix + "2": {6, 7},
        prefix + "3": {8},
    }
    plans = overlaps.open_plans(db_session, DEMO_NOW)
    assert plans[SAPPORO_E1] == prefix + "2"  # the newest open plan for the queue
    assert plans[MORIOKA_H] == prefix + "3"  # not the expired nor the rejected one


def test_the_json_of_each_suggestion_is_read_once(db_session: Session) -> None:
    run = secrets.token_hex(4)  # ids unseen by this process's memo (as real ids are)
    db_session.add_all(
        [_row(f"SGT-ONCE-{run}-{i:03d}", [i % 40], SAPPORO_E1) for i in range(600)]  # 2 chunks
    )
    db_session.flush()
    with statements(db_session) as first:
        overlaps._pending(db_session, DEMO_NOW)
        overlaps.open_plans(db_session, DEMO_NOW)
    with statements(db_session) as again:
        pending = overlaps._pending(db_session, DEMO_NOW)
        overlaps.open_plans(db_session, DEMO_NOW)
    assert sum("suggestions.changes" in s for s in first) >= 2  # 600 ids in chunks of 500
    assert not any("suggestions.changes" in s or "plan" in s for s in again)
    assert sum(1 for sid, _ in pending if sid.startswith(f"SGT-ONCE-{run}-")) == 600

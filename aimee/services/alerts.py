"""Alert use cases: the scan (evaluate every queue once, create, refresh and
resolve alerts) and acknowledgement. Services flush; the caller (request or job)
commits. A suggestion for an alert's queue is in ``alert_suggestions``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from aimee.errors import Conflict, NotFound
from aimee.services.alert_rules import (
    SEVERITY_RANK,
    AlertDraft,
    QueueState,
    alert_key,
    evaluate,
    queue_label,
    urgency,
)
from aimee.services.policy import Policy
from aimee.services.queue_status import queue_states
from aimee.store.models import Alert
from aimee.store.repositories import alerts as repo


@dataclass(frozen=True, slots=True)
class LiveAlert:
    alert_id: int
    alert_type: str
    severity: str
    location: str
    business_id: str
    process: str
    message: str
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ScanSummary:
    now: datetime
    queues: int
    created: int
    updated: int
    resolved: int
    unchanged: int
    live: list[LiveAlert]
    """Open and acknowledged alerts after the scan, most severe first."""
    elapsed_ms: float

    @property
    def open(self) -> int:
        return len(self.live)

    def describe(self) -> str:
        return (
            f"{self.queues} queues: {self.created} created, {self.updated} updated, "
            f"{self.resolved} resolved, {self.open} open ({self.elapsed_ms:.0f} ms)"
        )


def _new(draft: AlertDraft, now: datetime) -> Alert:
    return Alert(
        alert_type=draft.alert_type,
        severity=draft.severity,
        location_name=draft.location,
        business_id=draft.business_id,
        process_name=draft.process,
        message=draft.message,
        details=draft.details,
        status="open",
        created_at=now,
        updated_at=now,
        active_key=draft.key,
        deadline=draft.deadline,
    )


def _change(row: repo.LiveRow, draft: AlertDraft, now: datetime) -> dict[str, Any]:
    """A live alert with the new numbers. An acknowledged alert that becomes more
    severe is open again (somebody has to look at it anew)."""
    escalated = row.status == "acknowledged" and SEVERITY_RANK[draft.severity] > (
        SEVERITY_RANK.get(row.severity, 0)
    )
    return {
        "alert_id": row.alert_id,
        "severity": draft.severity,
        "message": draft.message,
        "details": draft.details,
        "updated_at": now,
        "active_key": draft.key,
        "deadline": draft.deadline,
        "status": "open" if escalated else row.status,
        "acknowledged_at": None if escalated else row.acknowledged_at,
        "acknowledged_by": None if escalated else row.acknowledged_by,
    }


def _view(alert_id: int, draft: AlertDraft, status: str, created_at: datetime) -> LiveAlert:
    return LiveAlert(
        alert_id=alert_id,
        alert_type=draft.alert_type,
        severity=draft.severity,
        location=draft.location,
        business_id=draft.business_id,
        process=draft.process,
        message=draft.message,
        status=status,
        created_at=created_at,
    )


def _index_live(rows: list[repo.LiveRow]) -> tuple[dict[str, repo.LiveRow], list[int]]:
    """Live alerts by key, and the ids of duplicates (from before the unique key) to close."""
    live: dict[str, repo.LiveRow] = {}
    duplicates: list[int] = []
    for row in rows:
        key = alert_key(row.alert_type, row.location, row.business_id, row.process)
        if key in live:
            duplicates.append(row.alert_id)
        else:
            live[key] = row
    return live, duplicates


def _reconcile(
    drafts: list[AlertDraft], live: dict[str, repo.LiveRow], now: datetime
) -> tuple[list[tuple[AlertDraft, Alert]], list[dict[str, Any]], list[LiveAlert]]:
    """New alerts, changed live alerts and the unchanged ones; takes the matched
    alerts out of ``live`` (what stays there has cleared)."""
    fresh: list[tuple[AlertDraft, Alert]] = []
    changes: list[dict[str, Any]] = []
    current: list[LiveAlert] = []
    for draft in drafts:
        found = live.pop(draft.key, None)
        if found is None:
            fresh.append((draft, _new(draft, now)))
            continue
        status = found.status
        if (found.severity, found.message, found.details, found.deadline) != (
            draft.severity,
            draft.message,
            draft.details,
            draft.deadline,
        ):
            change = _change(found, draft, now)
            changes.append(change)
            status = change["status"]
        current.append(_view(found.alert_id, draft, status, found.created_at))
    return fresh, changes, current


def _evaluate(
    session: Session, now: datetime, policy: Policy
) -> tuple[list[QueueState], list[AlertDraft]]:
    states = queue_states(session, now, policy)
    return states, evaluate(states, policy.thresholds)


def current_drafts(session: Session, now: datetime, policy: Policy) -> list[AlertDraft]:
    """The alerts the rules raise at ``now`` (what the next scan stores), without
    writing anything."""
    return _evaluate(session, now, policy)[1]


def scan(session: Session, now: datetime, policy: Policy) -> ScanSummary:
    """Evaluate every queue once: new conditions become open alerts, live alerts
    whose condition still holds get the new numbers (never a second alert for the
    same queue and type), and live alerts whose condition cleared are resolved.
    Set-based: three reads for the queues (a fourth for the slow queues' hour
    before), one for the live alerts, then at most one resolve, one batched
    update and one batched insert."""
    started = time.perf_counter()
    states, drafts = _evaluate(session, now, policy)
    live, to_resolve = _index_live(repo.live_rows(session))
    fresh, changes, current = _reconcile(drafts, live, now)
    to_resolve += [row.alert_id for row in live.values()]  # what is left has cleared
    repo.resolve(session, to_resolve, now=now)
    repo.update_many(session, changes)
    repo.add_all(session, [alert for _, alert in fresh])
    current += [_view(alert.alert_id, draft, "open", now) for draft, alert in fresh]
    left = {(s.location, s.business_id, s.process): s.minutes_left for s in states}
    current.sort(
        key=lambda a: (
            *urgency(a.severity, left.get((a.location, a.business_id, a.process)), a.location),
            a.alert_type,
        )
    )
    return ScanSummary(
        now=now,
        queues=len(states),
        created=len(fresh),
        updated=len(changes),
        resolved=len(to_resolve),
        unchanged=len(current) - len(fresh) - len(changes),
        live=current,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


AlertFilter = repo.AlertFilter


def list_alerts(
    session: Session, flt: AlertFilter, *, limit: int, offset: int
) -> tuple[int, list[Alert]]:
    """How many alerts match, and one page of them, most urgent first."""
    return repo.count_alerts(session, flt), repo.list_alerts(
        session, flt, limit=limit, offset=offset
    )


def get_alert(session: Session, alert_id: int) -> Alert:
    row = repo.get(session, alert_id)
    if row is None:
        raise NotFound(f"アラート{alert_id}は見つかりません")
    return row


def alert_label(row: Alert) -> str:
    return queue_label(row.location_name or "", row.business_id or "", row.process_name or "")


def acknowledge(session: Session, alert_id: int, *, user: str, now: datetime) -> Alert:
    """Record that ``user`` has seen the alert (once)."""
    get_alert(session, alert_id)
    if not repo.acknowledge(session, alert_id, user=user, now=now):
        row = get_alert(session, alert_id)
        if row.status == "acknowledged":
            seen = "" if row.acknowledged_at is None else f"（{row.acknowledged_at:%H:%M}）"
            raise Conflict(
                f"アラート{alert_id}は{row.acknowledged_by}さんが確認済みです{seen}",
                detail={"status": row.status, "acknowledged_by": row.acknowledged_by},
            )
        raise Conflict(
            f"アラート{alert_id}は解消済みのため、確認は不要です",
            detail={"status": row.status},
        )
    return get_alert(session, alert_id)

"""Where every queue stands now: the latest snapshot with the shared queue
figures (``services.floor``: what the planner, the chat and the alerts use) and
the severity the alert rules give it now, most urgent first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.planner import QueueKey
from aimee.services.alert_rules import SEVERITY_RANK, AlertDraft, urgency
from aimee.services.alerts import current_drafts
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter, build_situation
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import progress as progress_repo
from aimee.store.repositories.master import business_names


@dataclass(frozen=True)
class RaisedAlert:
    alert_type: str
    severity: str


@dataclass(frozen=True)
class QueueProgress:
    location: str
    business_id: str
    process: str
    snapshot_id: int
    snapshot_time: datetime
    deadline: datetime | None
    minutes_to_deadline: float | None
    waiting: int
    entry_count: int
    correction_waiting: int
    staff_count: int
    staff_speed_per_hour: float
    nominal_speed_per_hour: float
    expected_arrivals: int
    projected_completion: datetime | None
    late_tasks_at_deadline: int | None
    margin_minutes: float | None
    stale: bool
    severity: str | None
    """The highest severity among the alerts the rules raise for this queue now."""
    alerts: list[RaisedAlert] = field(default_factory=list)
    """The alerts the rules raise for this queue now (what the next scan stores),
    most severe first."""
    business_name: str | None = None
    """The business's name in the master data (「SS」); None when it has none."""


def queue_history(
    session: Session, key: tuple[str, str, str], *, since: datetime, until: datetime
) -> list[ProgressSnapshot]:
    """One queue's snapshots from ``since`` to ``until``, oldest first."""
    return [
        row
        for row in progress_repo.queue_history(session, key, since=since, until=until)
        if row.snapshot_time is not None
    ]


def floor_total(queues: Sequence[QueueProgress]) -> int:
    """全体: tasks expected to be left at their deadlines over every queue
    (each queue's figure as shown, summed)."""
    return sum(q.late_tasks_at_deadline or 0 for q in queues)


def current_progress(
    session: Session,
    *,
    now: datetime,
    policy: Policy,
    location: str | None = None,
    business_id: str | None = None,
    process: str | None = None,
) -> list[QueueProgress]:
    """Latest snapshot per queue with its figures at ``now``, most urgent first
    (severity, then minutes to the deadline)."""
    focus = ScenarioFilter(location=location, business_id=business_id, process=process)
    situation = build_situation(session, now=now, rules=policy.rules)
    drafts = _by_queue(current_drafts(session, now, policy))
    names = business_names(session)
    result = []
    for key, snap in situation.snapshots.items():
        if not focus.matches(QueueKey(location=key[0], business_id=key[1], process=key[2])):
            continue
        f = situation.figures.get(key)
        raised = drafts.get(key, [])
        deadline = snap.expected_completion_time
        result.append(
            QueueProgress(
                location=key[0],
                business_id=key[1],
                process=key[2],
                snapshot_id=snap.snapshot_id,
                snapshot_time=snap.snapshot_time or now,
                deadline=deadline,
                minutes_to_deadline=None
                if deadline is None
                else round((deadline - now).total_seconds() / 60, 1),
                waiting=snap.total_waiting or 0,
                entry_count=snap.entry_count or 0,
                correction_waiting=snap.correction_waiting or 0,
                staff_count=f.staff_count if f else 0,
                staff_speed_per_hour=round(f.rate, 2) if f else 0.0,
                nominal_speed_per_hour=round(f.nominal_rate, 2) if f else 0.0,
                expected_arrivals=f.expected_arrivals if f else 0,
                projected_completion=f.completion if f else None,
                late_tasks_at_deadline=round(f.late) if f else None,
                margin_minutes=None
                if f is None or (margin := f.margin_minutes) is None
                else round(margin, 1),
                stale=f.stale if f else True,
                severity=raised[0].severity if raised else None,
                alerts=[RaisedAlert(d.alert_type, d.severity) for d in raised],
                business_name=names.get(key[1]) or None,
            )
        )
    result.sort(key=lambda q: urgency(q.severity, q.minutes_to_deadline, q.location, q.process))
    return result


def _by_queue(drafts: list[AlertDraft]) -> dict[tuple[str, str, str], list[AlertDraft]]:
    grouped: dict[tuple[str, str, str], list[AlertDraft]] = {}
    for draft in drafts:
        grouped.setdefault((draft.location, draft.business_id, draft.process), []).append(draft)
    for items in grouped.values():
        items.sort(key=lambda d: -SEVERITY_RANK[d.severity])
    return grouped

"""Impact of a plan for the suggestion card, derived from the Plan's own fields only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aimee.planner.domain import Plan, QueueId, QueueKey, QueueOutcome


@dataclass(frozen=True)
class QueueImpact:
    queue: QueueKey
    rate_before: float
    """Tasks per hour of the staff on the queue before the plan."""
    rate_after: float
    productivity_change: float | None
    """rate_after / rate_before - 1; None when nobody worked on the queue before."""
    delay_change_minutes: float | None
    """Projected completion after minus before (negative: earlier); None when either is unknown."""
    completion_before: datetime | None
    completion_after: datetime | None
    late_before: float
    late_after: float
    note: str | None
    """Japanese explanation when a number cannot be given."""


@dataclass(frozen=True)
class Impact:
    queues: list[QueueImpact]
    """Receiving queues, in plan order."""
    late_tasks_before: float
    late_tasks_after: float


def productivity_change(rate_before: float, rate_after: float) -> float | None:
    if rate_before <= 0:
        return None
    return rate_after / rate_before - 1.0


def delay_change_minutes(before: datetime | None, after: datetime | None) -> float | None:
    if before is None or after is None:
        return None
    return (after - before).total_seconds() / 60.0


def _note(outcome: QueueOutcome) -> str | None:
    notes = []
    if outcome.rate_before <= 0:
        notes.append("移動前は処理人員がいないため生産性の変化率は算出できません")
    if outcome.projected_completion_before is None and outcome.waiting > 0:
        notes.append("移動前は完了見込みが立ちません")
    if outcome.projected_completion_after is None and outcome.waiting > 0:
        notes.append("移動後も完了見込みが立ちません")
    return "。".join(notes) if notes else None


def queue_impact(outcome: QueueOutcome) -> QueueImpact:
    return QueueImpact(
        queue=outcome.key,
        rate_before=outcome.rate_before,
        rate_after=outcome.rate_after,
        productivity_change=productivity_change(outcome.rate_before, outcome.rate_after),
        delay_change_minutes=delay_change_minutes(
            outcome.projected_completion_before, outcome.projected_completion_after
        ),
        completion_before=outcome.projected_completion_before,
        completion_after=outcome.projected_completion_after,
        late_before=outcome.late_before,
        late_after=outcome.late_after,
        note=_note(outcome),
    )


def impact(plan: Plan) -> Impact:
    receiving: list[QueueId] = []
    for move in plan.moves:
        if move.to.id not in receiving:
            receiving.append(move.to.id)
    outcomes = {outcome.key.id: outcome for outcome in plan.queues}
    return Impact(
        queues=[queue_impact(outcomes[key]) for key in receiving],
        late_tasks_before=sum(outcome.late_before for outcome in plan.queues),
        late_tasks_after=sum(outcome.late_after for outcome in plan.queues),
    )


def format_percent(change: float | None) -> str:
    """0.25 -> '+25%', -0.1 -> '-10%', None -> '算出不可'."""
    if change is None:
        return "算出不可"
    percent = round(change * 100)
    return f"{percent:+d}%" if percent != 0 else "±0%"


def format_minutes(minutes: float | None) -> str:
    """-30.0 -> '-30分', 4.2 -> '+4分', None -> '算出不可'."""
    if minutes is None:
        return "算出不可"
    rounded = round(minutes)
    return f"{rounded:+d}分" if rounded != 0 else "±0分"

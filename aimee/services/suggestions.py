"""Turn a plan into a suggestion in the seed's shape, with its impact derived
from the plan, and keep it until its target queue's deadline."""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from aimee.errors import NotFound
from aimee.planner import Plan, QueueKey, Scenario, format_minutes, format_percent, impact
from aimee.planner.domain import QueueId
from aimee.store.models import DAY_HORIZON, Suggestion
from aimee.store.repositories import suggestions as repo

LIFETIME = timedelta(hours=24)
"""How long a suggestion stays valid when its target queue has no deadline ahead."""


class SuggestionChange(BaseModel):
    """Operators moving from one site to one queue (the seed's ``changes`` item)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from", description="site the operators come from (待機 when idle)")
    from_business_id: str | None = Field(
        None, description="business of the queue they leave (null when idle)"
    )
    from_process: str | None = Field(
        None, description="process of the queue they leave (null when idle)"
    )
    to: str
    process: str
    business_id: str
    count: int
    operators: list[str]
    operator_ids: list[int]
    until: datetime | None = Field(
        None,
        description="a loan (応援): the helpers leave the destination then and go back to the "
        "queue they came from (null: a permanent move)",
    )
    shift_ends: list[datetime | None] = Field(
        default_factory=list,
        description="when each operator's shift ends, in the order of `operators` (null: not "
        "known; empty: none known); a helper whose shift ends by `until` goes home instead",
    )

    @property
    def route(self) -> str:
        """札幌の補正→札幌のエントリ1: the queue left, never just 「札幌→札幌」."""
        origin = self.from_ if self.from_process is None else f"{self.from_}の{self.from_process}"
        return f"{origin}→{self.to}の{self.process}"


class TimelineStep(BaseModel):
    """A later move of the plan for the rest of the day: the intended timeline, shown and
    re-planned as data arrives, never approved."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    at: datetime = Field(description="when the operator goes")
    operator: str
    operator_id: int
    from_: str = Field(alias="from", description="site of the queue left (待機 when not working)")
    from_business_id: str | None = None
    from_process: str | None = None
    to: str
    business_id: str
    process: str
    until: datetime | None = Field(
        None, description="when the plan takes them on to another queue (null: they stay)"
    )
    back: bool = Field(False, description="at `until` they go back to the queue they left")
    returning: bool = Field(
        False, description="this move takes them back to their own queue (the end of a loan)"
    )
    idle_after: bool = Field(
        False, description="after `until` the plan has no more work for them (nothing planned)"
    )
    shift_end: datetime | None = None


class DaySummary(BaseModel):
    """The figures of a plan for the rest of the day (time-phased, every queue)."""

    late_before: float = Field(description="late tasks at the deadlines if nobody moves")
    late_after: float = Field(description="late tasks at the deadlines with the whole timeline")
    switches: int
    optimal: bool
    solve_ms: float
    intervals: int
    gap: float | None = Field(
        None,
        description="how far from the optimum the plan may be at most, as a share of its "
        "objective (Σ priority × late tasks): 0 when proven optimal, null when no useful bound "
        "was proven (none, or one near 0)",
    )
    proof: str = Field("", description="the same in a sentence, in Japanese")


class SuggestionImpact(BaseModel):
    productivity: str
    delay: str
    quality: str
    late_tasks_before: float
    late_tasks_after: float
    target: str
    """The receiving queue the productivity and delay figures are about."""


class Overlap(BaseModel):
    """One of a card's operators also in another suggestion."""

    operator: str
    suggestion_id: str
    committed: bool
    """True: promised to that (approved) suggestion; False: also in that pending one."""


class SuggestionPublic(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)

    id: str
    changes: list[SuggestionChange]
    impact: SuggestionImpact
    reason: str
    rules_used: list[str]
    status: str
    created_at: datetime
    expires_at: datetime
    overlaps: list[Overlap] = Field(
        default_factory=list,
        description="operators also in another suggestion: promised to an approved one "
        "(committed) or in one still pending",
    )
    needs_replan: bool = Field(
        False, description="pending, but some of its operators are promised elsewhere: 再計算"
    )
    timeline: list[TimelineStep] = Field(
        default_factory=list,
        description="a plan for the rest of the day: the moves planned after `changes` (the "
        "intended timeline; approving approves `changes` only)",
    )
    day: DaySummary | None = Field(
        None, description="a plan for the rest of the day: its figures over the whole timeline"
    )


def new_suggestion_id(now: datetime) -> str:
    return f"SGT{now:%Y%m%d}-{secrets.token_hex(4).upper()}"


def fingerprint(scenario: Scenario) -> str:
    """Hash of the data a plan was computed from (for staleness checks)."""
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def group_changes(plan: Plan) -> list[SuggestionChange]:
    """Moves grouped by the queue they leave, the queue they join and until when."""
    groups: dict[tuple[QueueId | None, QueueId, datetime | None], SuggestionChange] = {}
    for move in plan.moves:
        origin = move.from_
        key = (None if origin is None else origin.id, move.to.id, move.until)
        if key not in groups:
            groups[key] = SuggestionChange(
                from_="待機" if origin is None else origin.location,
                from_business_id=None if origin is None else origin.business_id,
                from_process=None if origin is None else origin.process,
                to=move.to.location,
                process=move.to.process,
                business_id=move.to.business_id,
                count=0,
                operators=[],
                operator_ids=[],
                until=move.until,
            )
        group = groups[key]
        group.count += 1
        group.operators.append(move.operator_name)
        group.operator_ids.append(move.operator_id)
        group.shift_ends.append(move.shift_end)
    for group in groups.values():
        if all(end is None for end in group.shift_ends):
            group.shift_ends = []
    return list(groups.values())


def primary_target(plan: Plan, focus: Sequence[QueueKey] = ()) -> QueueId | None:
    """The receiving queue the card's figures describe: a focus queue that
    receives operators, else the one whose late tasks fall most."""
    receiving = [m.to.id for m in plan.moves]
    for key in focus:
        if key.id in receiving:
            return key.id
    outcomes = {o.key.id: o for o in plan.queues}
    return max(
        dict.fromkeys(receiving),
        key=lambda k: outcomes[k].late_before - outcomes[k].late_after,
        default=None,
    )


def quality(scenario: Scenario, plan: Plan) -> str:
    """ "維持" when every operator moved in is at least as skilled as the
    receiving queue's current staff on average; otherwise say who is below."""
    operators = {op.id: op for op in scenario.operators}
    levels: dict[QueueId, list[int]] = {}  # each queue's staff's levels on its process
    for op in scenario.operators:
        if op.assigned is not None and op.assigned.process in op.skills:
            levels.setdefault(op.assigned.id, []).append(op.skills[op.assigned.process].level)
    below = []
    for move in plan.moves:
        staff = levels.get(move.to.id, [])
        mover = operators[move.operator_id].skills.get(move.to.process)
        if staff and mover is not None and mover.level < sum(staff) / len(staff):
            below.append(move.operator_name)
    if not below:
        return "維持"
    return f"要確認（受け入れ先の平均スキルより低い応援者: {'、'.join(below)}）"


def touched_queues(plan: Plan) -> set[QueueId]:
    """Queues the plan's moves leave or join."""
    return {m.to.id for m in plan.moves} | {m.from_.id for m in plan.moves if m.from_}


def touched_late(plan: Plan) -> tuple[float, float]:
    """Late tasks before and after over the queues the plan touches: what this
    suggestion changes (untouched queues keep their numbers)."""
    touched = touched_queues(plan)
    outcomes = [o for o in plan.queues if o.key.id in touched]
    return sum(o.late_before for o in outcomes), sum(o.late_after for o in outcomes)


def card_impact(scenario: Scenario, plan: Plan, focus: Sequence[QueueKey] = ()) -> SuggestionImpact:
    figures = impact(plan)
    target = primary_target(plan, focus)
    chosen = next((q for q in figures.queues if q.queue.id == target), None)
    late_before, late_after = touched_late(plan)
    return SuggestionImpact(
        productivity=format_percent(chosen.productivity_change) if chosen else "±0%",
        delay=format_minutes(chosen.delay_change_minutes) if chosen else "±0分",
        quality=quality(scenario, plan),
        late_tasks_before=round(late_before, 1),
        late_tasks_after=round(late_after, 1),
        target=""
        if chosen is None
        else f"{chosen.queue.location}/{chosen.queue.business_id}/{chosen.queue.process}",
    )


def summary_reason(plan: Plan, card: SuggestionImpact) -> str:
    if not plan.moves:
        return "配置変更で減らせる遅延見込みはありません。"
    donors_late = [o for o in plan.queues if o.late_after > o.late_before]
    donor_text = (
        "移動元の工程はすべて納期に間に合う見込みです。"
        if not donors_late
        else "移動元で遅延見込みが増える工程があります: "
        + "、".join(f"{o.location}/{o.process}（{round(o.late_after)}件）" for o in donors_late)
        + "。"
    )
    before, after = round(card.late_tasks_before), round(card.late_tasks_after)
    if before == after == 0:
        return f"{len(plan.moves)}名の移動で{_margin_text(plan)}{donor_text}"
    return f"{len(plan.moves)}名の移動で遅延見込みを{before}件から{after}件にします。{donor_text}"


def _margin_text(plan: Plan) -> str:
    """What a move buys when nothing is late: time before the receiving queues' deadlines."""
    receiving = {m.to.id for m in plan.moves}
    parts = []
    for o in plan.queues:
        done_before, done_after = o.projected_completion_before, o.projected_completion_after
        if o.key.id not in receiving or done_before is None or done_after is None:
            continue
        slack = max(0, math.floor((o.deadline - done_after).total_seconds() / 60))
        parts.append(
            f"{o.location}の{o.process}の完了見込みを{done_before:%H:%M}から{done_after:%H:%M}に"
            f"早め、納期までの余裕を{slack}分にします"
        )
    return "、".join(parts) + "。" if parts else "納期までの余裕を広げます。"


def create_suggestion(
    session: Session,
    scenario: Scenario,
    plan: Plan,
    *,
    now: datetime,
    focus: Sequence[QueueKey] = (),
    knowhow_titles: Sequence[str] = (),
    created_by: str | None = None,
    timeline: Sequence[TimelineStep] = (),
    day: DaySummary | None = None,
    reason: str | None = None,
) -> SuggestionPublic:
    """Store the plan as a pending suggestion and return it in the seed's shape. A plan
    for the rest of the day also keeps its later moves (``timeline``) and figures (``day``),
    and is saved with ``horizon`` "day"; ``reason`` replaces the summary made from the plan.

    The same plan on the same data is one suggestion: when a pending one holds exactly
    this card (moves, figures, wording) computed from the same data, it is returned
    instead of a second card that would only compete with it for the same people."""
    card = card_impact(scenario, plan, focus)
    stored: dict[str, Any] = {
        "scenario": scenario.model_dump(mode="json"),
        "plan": plan.model_dump(mode="json", by_alias=True),
    }
    if day is not None:
        stored["timeline"] = [step.model_dump(mode="json") for step in timeline]
        stored["day"] = day.model_dump(mode="json")
    content: dict[str, Any] = {
        "changes": [c.model_dump(mode="json") for c in group_changes(plan)],
        "impact": card.model_dump(mode="json"),
        "plan": stored,
        "reason": reason or summary_reason(plan, card),
        "rules_used": [*knowhow_titles, *plan.rules_applied],
    }
    data = fingerprint(scenario)
    for row in repo.pending_on(session, data, now):
        if all(getattr(row, key) == value for key, value in content.items()):
            return to_public(row)
    row = repo.add(
        session,
        Suggestion(
            suggestion_id=new_suggestion_id(now),
            **content,
            status="pending",
            data_fingerprint=data,
            created_by=created_by,
            created_at=now,
            expires_at=valid_until(scenario, plan, now),
            horizon=None if day is None else DAY_HORIZON,
        ),
    )
    return to_public(row)


def valid_until(scenario: Scenario, plan: Plan, now: datetime) -> datetime:
    """A suggestion is valid until its target queue's deadline (the earliest one when
    it helps several): after it, moving people there helps nobody and the plan's
    figures no longer hold. ``LIFETIME`` when no such deadline is ahead."""
    receiving = {m.to.id for m in plan.moves}
    deadlines = [
        q.deadline
        for q in scenario.queues
        if q.id in receiving and q.deadline is not None and q.deadline > now
    ]
    return min(deadlines, default=now + LIFETIME)


def list_suggestions(session: Session, **filters: Any) -> list[Suggestion]:
    """Stored suggestions matching ``filters`` (``repositories.suggestions``), newest first."""
    return repo.list_suggestions(session, **filters)


def get_suggestion(session: Session, suggestion_id: str) -> Suggestion:
    row = repo.get(session, suggestion_id)
    if row is None:
        raise NotFound(f"提案{suggestion_id}は見つかりません")
    return row


def to_public(row: Suggestion) -> SuggestionPublic:
    stored: dict[str, Any] = row.plan or {}
    day = stored.get("day")
    return SuggestionPublic(
        timeline=[TimelineStep.model_validate(step) for step in stored.get("timeline", [])],
        day=None if day is None else DaySummary.model_validate(day),
        id=row.suggestion_id,
        changes=[SuggestionChange.model_validate(c) for c in row.changes or []],
        impact=SuggestionImpact.model_validate(row.impact),
        reason=row.reason,
        rules_used=list(row.rules_used or []),
        status=row.status,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def stored_plan(row: Suggestion) -> tuple[Scenario, Plan]:
    data: dict[str, Any] = row.plan
    return Scenario.model_validate(data["scenario"]), Plan.model_validate(data["plan"])

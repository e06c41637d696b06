"""Build a planner Scenario from the database: latest snapshots, deadlines,
current assignments and capabilities, with a forecast from recent trends.

Every queue's figures come from ``services.floor`` (``planner.figures``): a
queue's ``waiting`` in the scenario is its work (tasks waiting now plus the
tasks expected to arrive before its deadline), and an operator's speeds are
scaled by the efficiency of the queue they work on (the pace its staff kept
over the last hour, measured against who was there at the time). The figures
are kept in ``Situation.figures`` so that every surface shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.planner import Operator, Queue, QueueKey, Rules, Scenario, Skill
from aimee.planner.domain import QueueId
from aimee.planner.figures import QueueFigures, scaled_speed
from aimee.services.floor import FloorReading, all_figures, read_floor
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories import progress as progress_repo


@dataclass(frozen=True)
class ScenarioFilter:
    """Focus queues. Unset fields match everything."""

    location: str | None = None
    business_id: str | None = None
    process: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.location is None and self.business_id is None and self.process is None

    def matches(self, key: QueueKey) -> bool:
        return (
            (self.location is None or key.location == self.location)
            and (self.business_id is None or key.business_id == self.business_id)
            and (self.process is None or key.process == self.process)
        )


@dataclass(frozen=True)
class AnyOf:
    """Queues matching any of several filters (「札幌と盛岡の状況は？」)."""

    filters: tuple[ScenarioFilter, ...]

    @property
    def is_empty(self) -> bool:
        return not self.filters or any(f.is_empty for f in self.filters)

    def matches(self, key: QueueKey) -> bool:
        return self.is_empty or any(f.matches(key) for f in self.filters)


Focus = ScenarioFilter | AnyOf
"""The queues a request is about."""


@dataclass(frozen=True)
class Situation:
    scenario: Scenario
    figures: dict[QueueId, QueueFigures]
    """Each scenario queue's figures when nobody moves."""
    floor_late: dict[QueueId, float]
    """Late tasks at the deadline of every queue with a deadline, whatever the focus:
    what 全体 (the floor total) is summed from."""
    snapshots: dict[QueueId, ProgressSnapshot]
    """The latest snapshot of each queue in view (without a focus: every queue,
    also those without a deadline, which the scenario leaves out)."""


def build_situation(
    session: Session,
    focus: Focus | None = None,
    *,
    rules: Rules,
    locked_operator_ids: Collection[int] = (),
    now: datetime,
    forecast: bool = True,
) -> Situation:
    """The current situation as a Scenario, with the forecast behind it.

    Without a filter: every queue with a deadline and every valid operator whose shift
    today (if known) has not ended; each carries their shift end.
    With a filter: the focus queues, plus the queues of every operator who could
    be moved into one of them (so that what a donor queue loses is in the plan),
    and the operators working on or able to help those queues."""
    focus = focus or ScenarioFilter()
    all_latest = progress_repo.latest_snapshots(session, as_of=now)
    latest = {
        _key(snap): (snap.snapshot_time, snap.total_waiting or 0, snap.entry_count or 0, deadline)
        for snap in all_latest
        if snap.snapshot_time is not None and (deadline := snap.expected_completion_time)
    }
    reading = read_floor(session, now, switch_minutes=rules.switch_minutes)
    figures = all_figures(reading, latest, forecast=forecast)
    queues = [
        Queue(
            location=key[0], business_id=key[1], process=key[2], waiting=f.work, deadline=f.deadline
        )
        for key, f in figures.items()
    ]
    operators = [  # an operator whose shift has ended is not on the floor: no plan counts on them
        _operator(
            record,
            # a helper on a loan is promised back home: no plan moves them on
            locked=record.operator_id in locked_operator_ids or reading.on_loan(record.operator_id),
            locked_reason=_why_locked(record.operator_id, locked_operator_ids, reading),
            factor=_factor_of(record, figures),
            shift_end=reading.leaves_at(record.operator_id),
        )
        for record in operator_repo.active_staff(session)
        if not reading.gone_home(record.operator_id)
    ]
    if not focus.is_empty:
        queues, operators = _focus(queues, operators, focus, rules)
    kept = {queue.id for queue in queues}
    return Situation(
        scenario=Scenario(now=now, queues=queues, operators=operators, rules=rules),
        figures={key: value for key, value in figures.items() if key in kept},
        floor_late={key: f.late for key, f in figures.items()},
        snapshots={_key(snap): snap for snap in all_latest if focus.is_empty or _key(snap) in kept},
    )


def build_scenario(
    session: Session,
    focus: Focus | None = None,
    *,
    rules: Rules,
    locked_operator_ids: Collection[int] = (),
    now: datetime,
    forecast: bool = True,
) -> Scenario:
    """``build_situation(...).scenario``."""
    return build_situation(
        session,
        focus,
        rules=rules,
        locked_operator_ids=locked_operator_ids,
        now=now,
        forecast=forecast,
    ).scenario


def _key(snap: ProgressSnapshot) -> QueueId:
    return (snap.location_name or "", snap.business_id or "", snap.process_name or "")


def _factor_of(record: operator_repo.StaffRow, figures: dict[QueueId, QueueFigures]) -> float:
    if record.assignment is None:
        return 1.0
    found = figures.get(record.assignment)
    return 1.0 if found is None else found.efficiency


def _why_locked(operator_id: int, promised: Collection[int], reading: FloorReading) -> str | None:
    """What a refusal to move a locked operator says (None: not locked here)."""
    if reading.on_loan(operator_id):
        return f"{reading.loan_ends[operator_id]:%H:%M}まで応援中（その後元の工程へ戻る予定）"
    if operator_id in promised:
        return "承認済みの移動の約束"
    return None


def _operator(
    record: operator_repo.StaffRow,
    *,
    locked: bool,
    factor: float,
    shift_end: datetime | None = None,
    locked_reason: str | None = None,
) -> Operator:
    assignment = record.assignment
    return Operator(
        id=record.operator_id,
        name=record.operator_name or "",
        location=record.location_name or "",
        locked=locked,
        locked_reason=locked_reason,
        assigned=None
        if assignment is None
        else QueueKey(location=assignment[0], business_id=assignment[1], process=assignment[2]),
        skills={
            cap.process_name: Skill(
                level=cap.skill_level or 1,
                speed=scaled_speed(float(cap.average_speed or 0), factor),
                experience_months=cap.experience_months or 0,
            )
            for cap in record.skills
        },
        shift_end=shift_end,
    )


def _focus(
    queues: list[Queue], operators: list[Operator], focus: Focus, rules: Rules
) -> tuple[list[Queue], list[Operator]]:
    focus_keys = {q.key for q in queues if focus.matches(q.key)}
    focus_processes = {key.process for key in focus_keys}

    def can_help(op: Operator) -> bool:
        return not op.locked and any(
            (skill := op.skills.get(process)) is not None and skill.level >= rules.min_skill_level
            for process in focus_processes
        )

    helpers = [op for op in operators if can_help(op)]
    helper_ids = {op.id for op in helpers}
    kept_keys = focus_keys | {op.assigned for op in helpers if op.assigned is not None}
    kept_queues = [q for q in queues if q.key in kept_keys]
    kept_operators = [
        op
        for op in operators
        if op.id in helper_ids or (op.assigned is not None and op.assigned in kept_keys)
    ]
    return kept_queues, kept_operators

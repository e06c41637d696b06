"""Build a planner Scenario from the database: latest snapshots, deadlines,
current assignments and capabilities, with a forecast from recent trends.

Forecast (on by default): a queue's ``waiting`` in the scenario is the tasks
waiting now plus the tasks expected to arrive before its deadline (recent
arrival rate, up to 30 minutes before the deadline); an operator's speeds are
scaled by the observed efficiency of the queue they work on when it deviates
from nominal by 10% or more (a slow site). Each queue's figures are kept in
``Situation.forecasts`` so that users can see where the numbers come from.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee import clock
from aimee.planner import Operator, Queue, QueueKey, Rules, Scenario, Skill
from aimee.planner.domain import QueueId
from aimee.planner.forecast import (
    DEFAULT_WINDOW_MINUTES,
    Observation,
    efficiency,
    expected_arrivals,
    trend,
)
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
class QueueForecast:
    """Where a queue's scenario numbers come from."""

    waiting_now: int
    expected_arrivals: int
    arrival_rate: float
    """Tasks per hour over the recent window."""
    processing_rate: float | None
    """Tasks per hour the staff processed over the window while work was waiting."""
    nominal_rate: float
    """Tasks per hour of the assigned staff at their recorded speeds."""
    efficiency: float
    """Factor applied to the speeds of the operators on this queue."""


@dataclass(frozen=True)
class Situation:
    scenario: Scenario
    forecasts: dict[QueueId, QueueForecast]
    snapshots: dict[QueueId, ProgressSnapshot]
    """The latest snapshot of each queue in view (without a focus: every queue,
    also those without a deadline, which the scenario leaves out)."""


def build_situation(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    rules: Rules | None = None,
    locked_operator_ids: Collection[int] = (),
    now: datetime | None = None,
    forecast: bool = True,
) -> Situation:
    """The current situation as a Scenario, with the forecast behind it.

    Without a filter: every queue with a deadline and every valid operator.
    With a filter: the focus queues, plus the queues of every operator who could
    be moved into one of them (so that what a donor queue loses is in the plan),
    and the operators working on or able to help those queues."""
    focus = focus or ScenarioFilter()
    rules = rules or Rules()
    now = now or clock.now()
    all_latest = progress_repo.latest_snapshots(session, as_of=now)
    latest = [snap for snap in all_latest if snap.expected_completion_time is not None]
    records = operator_repo.all_active(session)
    forecasts = _forecasts(session, latest, records, now, enabled=forecast)
    queues = [_queue(snap, forecasts[_key(snap)]) for snap in latest]
    operators = [
        _operator(
            record,
            locked=record.operator.operator_id in locked_operator_ids,
            factor=_factor_of(record, forecasts),
        )
        for record in records
    ]
    if not focus.is_empty:
        queues, operators = _focus(queues, operators, focus, rules)
    kept = {queue.id for queue in queues}
    return Situation(
        scenario=Scenario(now=now, queues=queues, operators=operators, rules=rules),
        forecasts={key: value for key, value in forecasts.items() if key in kept},
        snapshots={_key(snap): snap for snap in all_latest if focus.is_empty or _key(snap) in kept},
    )


def build_scenario(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    rules: Rules | None = None,
    locked_operator_ids: Collection[int] = (),
    now: datetime | None = None,
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


def _forecasts(
    session: Session,
    latest: list[ProgressSnapshot],
    records: list[operator_repo.OperatorRecord],
    now: datetime,
    *,
    enabled: bool,
) -> dict[QueueId, QueueForecast]:
    nominal: dict[QueueId, float] = {}
    for record in records:
        a = record.assignment
        if a is None:
            continue
        key = (a.location_name, a.business_id, a.process_name)
        speed = next(
            (float(c.average_speed or 0) for c in record.skills if c.process_name == key[2]), 0.0
        )
        nominal[key] = nominal.get(key, 0.0) + speed
    history = (
        progress_repo.recent_history(
            session, since=now - timedelta(minutes=DEFAULT_WINDOW_MINUTES), until=now
        )
        if enabled
        else {}
    )
    result = {}
    for snap in latest:
        key = _key(snap)
        observed = trend(
            [
                Observation(row.snapshot_time, row.total_waiting or 0, row.entry_count or 0)
                for row in history.get(key, [])
                if row.snapshot_time is not None
            ]
        )
        deadline = snap.expected_completion_time or now
        arrivals = expected_arrivals(observed.arrival_rate, now, deadline) if enabled else 0.0
        result[key] = QueueForecast(
            waiting_now=max(0, snap.total_waiting or 0),
            expected_arrivals=round(arrivals),
            arrival_rate=round(observed.arrival_rate, 1),
            processing_rate=None
            if observed.processing_rate is None
            else round(observed.processing_rate, 1),
            nominal_rate=round(nominal.get(key, 0.0), 2),
            efficiency=efficiency(observed.processing_rate, nominal.get(key, 0.0))
            if enabled
            else 1.0,
        )
    return result


def _queue(snap: ProgressSnapshot, forecast: QueueForecast) -> Queue:
    assert snap.expected_completion_time is not None
    return Queue(
        location=snap.location_name or "",
        business_id=snap.business_id or "",
        process=snap.process_name or "",
        waiting=forecast.waiting_now + forecast.expected_arrivals,
        deadline=snap.expected_completion_time,
    )


def _factor_of(
    record: operator_repo.OperatorRecord, forecasts: dict[QueueId, QueueForecast]
) -> float:
    a = record.assignment
    if a is None:
        return 1.0
    found = forecasts.get((a.location_name, a.business_id, a.process_name))
    return 1.0 if found is None else found.efficiency


def _operator(record: operator_repo.OperatorRecord, *, locked: bool, factor: float) -> Operator:
    assignment = record.assignment
    return Operator(
        id=record.operator.operator_id,
        name=record.operator.operator_name or "",
        location=record.operator.location_name or "",
        locked=locked,
        assigned=None
        if assignment is None
        else QueueKey(
            location=assignment.location_name,
            business_id=assignment.business_id,
            process=assignment.process_name,
        ),
        skills={
            cap.process_name: Skill(
                level=cap.skill_level or 1,
                speed=round(float(cap.average_speed or 0) * factor, 2),
                experience_months=cap.experience_months or 0,
            )
            for cap in record.skills
            if cap.process_name
        },
    )


def _focus(
    queues: list[Queue], operators: list[Operator], focus: ScenarioFilter, rules: Rules
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

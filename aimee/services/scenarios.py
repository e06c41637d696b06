"""Build a planner Scenario from the database: latest snapshots, deadlines,
current assignments and capabilities."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from aimee import clock
from aimee.planner import Operator, Queue, QueueKey, Rules, Scenario, Skill
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


def build_scenario(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    rules: Rules | None = None,
    locked_operator_ids: Collection[int] = (),
    now: datetime | None = None,
) -> Scenario:
    """The current situation as a Scenario.

    Without a filter: every queue with a deadline and every valid operator.
    With a filter: the focus queues, plus the queues of every operator who could
    be moved into one of them (so that what a donor queue loses is in the plan),
    and the operators working on or able to help those queues."""
    focus = focus or ScenarioFilter()
    rules = rules or Rules()
    now = now or clock.now()
    queues = [
        Queue(
            location=snap.location_name or "",
            business_id=snap.business_id or "",
            process=snap.process_name or "",
            waiting=max(0, snap.total_waiting or 0),
            deadline=snap.expected_completion_time,
        )
        for snap in progress_repo.latest_snapshots(session, as_of=now)
        if snap.expected_completion_time is not None
    ]
    operators = [
        _operator(record, locked=record.operator.operator_id in locked_operator_ids)
        for record in operator_repo.all_active(session)
    ]
    if not focus.is_empty:
        queues, operators = _focus(queues, operators, focus, rules)
    return Scenario(now=now, queues=queues, operators=operators, rules=rules)


def _operator(record: operator_repo.OperatorRecord, *, locked: bool) -> Operator:
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
                speed=float(cap.average_speed or 0),
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
            op.skills.get(process) is not None and op.skills[process].level >= rules.min_skill_level
            for process in focus_processes
        )

    helpers = [op for op in operators if can_help(op)]
    kept_keys = focus_keys | {op.assigned for op in helpers if op.assigned is not None}
    kept_queues = [q for q in queues if q.key in kept_keys]
    kept_ids = {q.key for q in kept_queues}
    kept_operators = [
        op
        for op in operators
        if op in helpers or (op.assigned is not None and op.assigned in kept_ids)
    ]
    return kept_queues, kept_operators

"""Operators with their skills and current assignment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.store.models import Operator, OperatorAssignment, OperatorProcessCapability
from aimee.store.repositories.skills import current_capability


@dataclass(frozen=True)
class OperatorFilter:
    location: str | None = None
    process: str | None = None
    min_skill: int | None = None
    business_id: str | None = None
    include_invalid: bool = False
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class OperatorRecord:
    operator: Operator
    skills: Sequence[OperatorProcessCapability]
    assignment: OperatorAssignment | None


def list_operators(session: Session, flt: OperatorFilter) -> list[OperatorRecord]:
    """Operators matching the filter; ``process``/``min_skill`` select operators
    with a skill entry for that process (any process when none is given) at or
    above that level, strongest first, as in the seed's skill query."""
    query = select(Operator).order_by(Operator.operator_id)
    if not flt.include_invalid:
        query = query.where(Operator.is_valid.is_(True))
    if flt.location:
        query = query.where(Operator.location_name == flt.location)
    if flt.process or flt.min_skill is not None:
        skill = select(OperatorProcessCapability.operator_id).where(current_capability())
        if flt.process:
            skill = skill.where(OperatorProcessCapability.process_name == flt.process)
        if flt.min_skill is not None:
            skill = skill.where(OperatorProcessCapability.skill_level >= flt.min_skill)
        query = query.where(Operator.operator_id.in_(skill))
    if flt.business_id:
        assigned = select(OperatorAssignment.operator_id).where(
            OperatorAssignment.business_id == flt.business_id
        )
        query = query.where(Operator.operator_id.in_(assigned))
    operators = list(session.scalars(query.limit(flt.limit).offset(flt.offset)))
    return _with_details(session, operators)


def all_active(session: Session) -> list[OperatorRecord]:
    """Every valid operator with skills and assignment (for building scenarios)."""
    operators = list(
        session.scalars(
            select(Operator).where(Operator.is_valid.is_(True)).order_by(Operator.operator_id)
        )
    )
    return _with_details(session, operators)


@dataclass(frozen=True)
class SkillRow:
    process_name: str
    skill_level: int | None
    experience_months: int | None
    average_speed: Decimal | None


@dataclass(frozen=True)
class StaffRow:
    """A valid operator as the planner needs them: plain values, no ORM instances."""

    operator_id: int
    operator_name: str | None
    location_name: str | None
    assignment: tuple[str, str, str] | None
    """(location, business, process) of the queue they work on now."""
    skills: tuple[SkillRow, ...]
    """Current skills, strongest first (as ``OperatorRecord.skills``)."""


def active_staff(session: Session) -> list[StaffRow]:
    """``all_active`` as plain rows, read with three Core queries: every chat answer
    that plans builds a scenario from these, and loading them as ORM instances was a
    fifth of an API worker's time under load (py-spy, bench/load.py saturation)."""
    cap = OperatorProcessCapability
    skills: dict[int, list[SkillRow]] = {}
    for operator_id, process, level, months, speed in session.execute(
        select(
            cap.operator_id,
            cap.process_name,
            cap.skill_level,
            cap.experience_months,
            cap.average_speed,
        )
        .join(Operator, Operator.operator_id == cap.operator_id)
        .where(Operator.is_valid.is_(True), cap.process_name.is_not(None), current_capability())
        .order_by(cap.skill_level.desc(), cap.experience_months.desc())
    ):
        if operator_id is not None and process is not None:  # both are, by the query
            skills.setdefault(operator_id, []).append(SkillRow(process, level, months, speed))
    assignments = {
        operator_id: (location, business, process)
        for operator_id, location, business, process in session.execute(
            select(
                OperatorAssignment.operator_id,
                OperatorAssignment.location_name,
                OperatorAssignment.business_id,
                OperatorAssignment.process_name,
            )
        )
    }
    return [
        StaffRow(
            operator_id,
            name,
            location,
            assignments.get(operator_id),
            tuple(skills.get(operator_id, ())),
        )
        for operator_id, name, location in session.execute(
            select(Operator.operator_id, Operator.operator_name, Operator.location_name)
            .where(Operator.is_valid.is_(True))
            .order_by(Operator.operator_id)
        )
    ]


def inactive_among(session: Session, names: Sequence[str]) -> list[str]:
    """Those of ``names`` that belong to operators who are not active (cannot be assigned)."""
    if not names:
        return []
    found = session.scalars(
        select(Operator.operator_name).where(
            Operator.operator_name.in_(list(names)), Operator.is_valid.is_not(True)
        )
    )
    return [name for name in found if name]


def assigned_queues(session: Session, names: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """Full name -> the queue (site, business id, process) each of ``names`` is assigned to
    now (those unassigned or unknown are left out)."""
    if not names:
        return {}
    rows = session.execute(
        select(
            Operator.operator_name,
            OperatorAssignment.location_name,
            OperatorAssignment.business_id,
            OperatorAssignment.process_name,
        )
        .join(OperatorAssignment, OperatorAssignment.operator_id == Operator.operator_id)
        .where(Operator.operator_name.in_(list(names)))
    )
    return {
        name: (site, business, process) for name, site, business, process in rows if name and site
    }


def _with_details(session: Session, operators: list[Operator]) -> list[OperatorRecord]:
    ids = [op.operator_id for op in operators]
    if not ids:
        return []
    skills: dict[int, list[OperatorProcessCapability]] = {}
    for cap in session.scalars(
        select(OperatorProcessCapability)
        .where(OperatorProcessCapability.operator_id.in_(ids), current_capability())
        .order_by(
            OperatorProcessCapability.skill_level.desc(),
            OperatorProcessCapability.experience_months.desc(),
        )
    ):
        if cap.operator_id is not None:
            skills.setdefault(cap.operator_id, []).append(cap)
    assignments = {
        a.operator_id: a
        for a in session.scalars(
            select(OperatorAssignment).where(OperatorAssignment.operator_id.in_(ids))
        )
    }
    return [
        OperatorRecord(op, skills.get(op.operator_id, []), assignments.get(op.operator_id))
        for op in operators
    ]

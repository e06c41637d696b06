"""Operators with skills and current assignment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aimee.api.deps import SessionDep
from aimee.api.schemas import (
    AssignmentPublic,
    OperatorFilterQuery,
    OperatorPublic,
    SkillPublic,
)
from aimee.services import operators

router = APIRouter(tags=["operators"])


@router.get("/operators", response_model=list[OperatorPublic])
def list_operators(
    session: SessionDep, query: Annotated[OperatorFilterQuery, Query()]
) -> list[OperatorPublic]:
    """Operators by site, process and minimum skill level (skilled first per operator)."""
    records = operators.find_operators(session, operators.OperatorFilter(**query.model_dump()))
    return [_public(record) for record in records]


def _public(record: operators.OperatorRecord) -> OperatorPublic:
    op, assignment = record.operator, record.assignment
    return OperatorPublic(
        operator_id=op.operator_id,
        operator_name=op.operator_name or "",
        location_name=op.location_name or "",
        is_valid=bool(op.is_valid),
        assignment=None
        if assignment is None
        else AssignmentPublic(
            location=assignment.location_name,
            business_id=assignment.business_id,
            process=assignment.process_name,
            since=assignment.since,
        ),
        skills=[
            SkillPublic(
                process_name=cap.process_name or "",
                skill_level=cap.skill_level or 0,
                experience_months=cap.experience_months or 0,
                average_speed=float(cap.average_speed or 0),
            )
            for cap in record.skills
        ],
    )

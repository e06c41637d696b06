"""Operators with skills and current assignment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from aimee.api.deps import SessionDep
from aimee.api.schemas import (
    AssignmentPublic,
    OperatorFilterQuery,
    OperatorPublic,
    SkillPublic,
)
from aimee.services import operators

router = APIRouter(tags=["operators"])


class OperatorWithReading(OperatorPublic):
    reading: str = Field(
        description="氏名のよみ（ひらがな、辞書による推定）: 50音順に並べるためのキー"
    )


@router.get("/operators", response_model=list[OperatorWithReading])
def list_operators(
    session: SessionDep, query: Annotated[OperatorFilterQuery, Query()]
) -> list[OperatorWithReading]:
    """Operators by site, process and minimum skill level (skilled first per operator),
    each with the reading of the name (sort by it for 50音 order)."""
    records = operators.find_operators(session, operators.OperatorFilter(**query.model_dump()))
    return [_public(record) for record in records]


def _public(record: operators.OperatorRecord) -> OperatorWithReading:
    op, assignment = record.operator, record.assignment
    return OperatorWithReading(
        operator_id=op.operator_id,
        operator_name=op.operator_name or "",
        reading=operators.reading(op.operator_name or ""),
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

"""Master data for the gazetteer: sites, processes, businesses, operators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from aimee.store.models import Business, Operator, OperatorProcessCapability, ProgressSnapshot


@dataclass(frozen=True)
class MasterData:
    locations: list[str]
    processes: list[str]
    businesses: dict[str, str]
    operators: dict[int, str]


def master_data(session: Session) -> MasterData:
    locations = session.scalars(
        union(
            select(Operator.location_name).where(Operator.location_name.is_not(None)),
            select(ProgressSnapshot.location_name).where(
                ProgressSnapshot.location_name.is_not(None)
            ),
        )
    )
    processes = session.scalars(
        union(
            select(OperatorProcessCapability.process_name).where(
                OperatorProcessCapability.process_name.is_not(None)
            ),
            select(ProgressSnapshot.process_name).where(ProgressSnapshot.process_name.is_not(None)),
        )
    )
    businesses = {b.business_id: b.business_name for b in session.scalars(select(Business))}
    operators = {
        op.operator_id: op.operator_name
        for op in session.scalars(select(Operator).where(Operator.is_valid.is_(True)))
        if op.operator_name
    }
    return MasterData(
        locations=sorted({str(x) for x in locations}),
        processes=sorted({str(x) for x in processes}),
        businesses=businesses,
        operators=operators,
    )

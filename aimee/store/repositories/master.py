"""Master data for the gazetteer: sites, processes, businesses, operators."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import false, func, select, union
from sqlalchemy.orm import Session

from aimee.store.models import (
    Business,
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    ProgressSnapshot,
)
from aimee.store.repositories.progress import LATEST_LOOKBACK


@dataclass(frozen=True)
class MasterData:
    locations: list[str]
    processes: list[str]
    businesses: dict[str, str]
    operators: dict[int, str]
    """Every operator by id, active or not (a manager may name someone who is not)."""
    inactive: frozenset[int] = frozenset()
    """Ids of ``operators`` who are not active."""
    sites: dict[int, str] = field(default_factory=dict)
    """Each operator's site, by id."""
    queues: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    """The queue each assigned operator works on now (site, business id, process), by id."""


def master_data(session: Session) -> MasterData:
    """The names the chat recognises: sites of operators and processes of skills,
    plus those of the queues observed in the ``LATEST_LOOKBACK`` before the newest
    snapshot (the current queues, as ``progress.latest_snapshots`` sees them).
    Older snapshots are left out: a name only they hold belongs to no current
    queue, and reading the whole table would cost time in proportion to the
    history kept."""
    snap = ProgressSnapshot
    newest = session.scalar(select(func.max(snap.snapshot_time)))
    recent = snap.snapshot_time > newest - LATEST_LOOKBACK if newest is not None else false()
    locations = session.scalars(
        union(
            select(Operator.location_name).where(Operator.location_name.is_not(None)),
            select(snap.location_name).where(recent, snap.location_name.is_not(None)),
        )
    )
    processes = session.scalars(
        union(
            select(OperatorProcessCapability.process_name).where(
                OperatorProcessCapability.process_name.is_not(None)
            ),
            select(snap.process_name).where(recent, snap.process_name.is_not(None)),
        )
    )
    businesses = business_names(session)
    everyone = [op for op in session.scalars(select(Operator)) if op.operator_name]
    operators = {op.operator_id: op.operator_name or "" for op in everyone}
    return MasterData(
        locations=sorted({str(x) for x in locations}),
        processes=sorted({str(x) for x in processes}),
        businesses=businesses,
        operators=operators,
        inactive=frozenset(op.operator_id for op in everyone if not op.is_valid),
        sites={op.operator_id: op.location_name for op in everyone if op.location_name},
        queues=current_queues(session),
    )


def current_queues(session: Session) -> dict[int, tuple[str, str, str]]:
    """The queue each assigned operator works on now (site, business id, process)."""
    rows = session.execute(
        select(
            OperatorAssignment.operator_id,
            OperatorAssignment.location_name,
            OperatorAssignment.business_id,
            OperatorAssignment.process_name,
        )
    )
    return {op_id: (site, business, process) for op_id, site, business, process in rows}


def business_names(session: Session) -> dict[str, str]:
    """Each business's name by its id (「523201」: 「SS」)."""
    return {b.business_id: b.business_name for b in session.scalars(select(Business))}

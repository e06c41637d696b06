"""Which capability row counts. The seed's ``operator_process_capabilities`` may
hold several rows for one operator and process (a skill assessed again, an
import appended); everywhere AIMEE reads skills, the newest row (the highest
``capability_id``) is the operator's skill on that process and older ones are
ignored."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased

from aimee.store.models import OperatorProcessCapability


def current_capability() -> ColumnElement[bool]:
    """A WHERE condition on ``operator_process_capabilities``: no newer row for the
    same operator and process exists."""
    cap = OperatorProcessCapability
    newer = aliased(OperatorProcessCapability)
    return ~exists().where(
        newer.operator_id == cap.operator_id,
        newer.process_name == cap.process_name,
        newer.capability_id > cap.capability_id,
    )

"""suggestions.horizon: what a suggestion plans for ("day": a plan for the rest of the day,
NULL: the moves now only), indexed with created_at so the newest day plan is found without
reading every suggestion's plan; existing rows are filled in from their plan ("day" when it
carries the day's figures)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:40:00.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 200
"""Suggestions read at once (each row's plan is tens of kB)."""

# A plan whose JSON text has no "day" at all cannot have the key: those rows are not read.
# The rest are decoded, in batches after the last id read, to tell a plan for the rest of the
# day (a "day" that is not null) from a plan that merely mentions the word.
CANDIDATES = sa.text(
    "SELECT suggestion_id, plan FROM suggestions"
    " WHERE suggestion_id > :after AND plan LIKE :mentions_day"
    " ORDER BY suggestion_id LIMIT :batch"
)
MARK = sa.text("UPDATE suggestions SET horizon = 'day' WHERE suggestion_id = :suggestion_id")


def upgrade() -> None:
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("horizon", sa.String(length=10), nullable=True))
        batch_op.create_index(
            "ix_suggestions_horizon_created_at", ["horizon", "created_at"], unique=False
        )
    _backfill()


def _is_day_plan(raw: Any) -> bool:
    plan = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return isinstance(plan, dict) and plan.get("day") is not None


def _backfill() -> None:
    bind = op.get_bind()
    after = ""
    while True:
        params = {"after": after, "mentions_day": '%"day"%', "batch": BATCH}
        rows = bind.execute(CANDIDATES, params).all()
        if not rows:
            return
        days = [{"suggestion_id": row[0]} for row in rows if _is_day_plan(row[1])]
        if days:
            bind.execute(MARK, days)
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestions_horizon_created_at")
        batch_op.drop_column("horizon")

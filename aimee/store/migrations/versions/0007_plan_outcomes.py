"""plan outcomes: what an approved plan predicted for each queue it touched, and
the actual late tasks and completion read from the snapshots after the deadline

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 08:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_outcomes",
        sa.Column("outcome_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("approval_history_id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.String(length=50), nullable=False),
        sa.Column("location_name", sa.String(length=50), nullable=False),
        sa.Column("business_id", sa.String(length=10), nullable=False),
        sa.Column("process_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("operators_moved", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("predicted_at", sa.DateTime(), nullable=False),
        sa.Column("predicted_late_without", sa.Float(), nullable=False),
        sa.Column("predicted_late", sa.Float(), nullable=False),
        sa.Column("predicted_completion", sa.DateTime(), nullable=True),
        sa.Column("actual_late", sa.Integer(), nullable=True),
        sa.Column("actual_completion", sa.DateTime(), nullable=True),
        sa.Column("observed_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approval_history_id"],
            ["approval_history.approval_history_id"],
            name=op.f("fk_plan_outcomes_approval_history_id_approval_history"),
        ),
        sa.PrimaryKeyConstraint("outcome_id", name=op.f("pk_plan_outcomes")),
    )
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            "uq_plan_outcomes_queue",
            ["approval_history_id", "location_name", "business_id", "process_name"],
            unique=True,
        )
        batch_op.create_index("ix_plan_outcomes_pending", ["recorded_at", "deadline"])
        batch_op.create_index(
            batch_op.f("ix_plan_outcomes_suggestion_id"), ["suggestion_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_outcomes_suggestion_id"))
        batch_op.drop_index("ix_plan_outcomes_pending")
        batch_op.drop_index("uq_plan_outcomes_queue")
    op.drop_table("plan_outcomes")

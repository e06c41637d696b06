"""operator assignment history: the ended stints behind each current assignment,
so that a queue's observed pace is compared with the staff who were there; the
queue's deadline on alerts, so that they are listed in urgency order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_assignment_history",
        sa.Column("history_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("location_name", sa.String(length=50), nullable=False),
        sa.Column("business_id", sa.String(length=10), nullable=False),
        sa.Column("process_name", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_operator_assignment_history_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("history_id", name=op.f("pk_operator_assignment_history")),
    )
    with op.batch_alter_table("operator_assignment_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operator_assignment_history_operator_id"), ["operator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_operator_assignment_history_ended_at"), ["ended_at"], unique=False
        )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("deadline")
    with op.batch_alter_table("operator_assignment_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_assignment_history_ended_at"))
        batch_op.drop_index(batch_op.f("ix_operator_assignment_history_operator_id"))
    op.drop_table("operator_assignment_history")

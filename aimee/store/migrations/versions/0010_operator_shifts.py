"""operator_shifts: when each operator works on a day (plans count capacity until
the shift ends)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 11:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_shifts",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("shift_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_operator_shifts_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("operator_id", "shift_date", name=op.f("pk_operator_shifts")),
    )


def downgrade() -> None:
    op.drop_table("operator_shifts")

"""operator commitments: an operator promised to an approved move, at most one open
commitment per operator (unique while open); open approvals of earlier versions are
carried over, the first one per operator keeping it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:20:00.000000
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "operator_commitments",
        sa.Column("commitment_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.String(length=50), nullable=False),
        sa.Column("open_operator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("lapses_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_operator_commitments_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("commitment_id", name=op.f("pk_operator_commitments")),
        sa.UniqueConstraint(
            "open_operator_id", name=op.f("uq_operator_commitments_open_operator_id")
        ),
    )
    with op.batch_alter_table("operator_commitments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operator_commitments_operator_id"), ["operator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_operator_commitments_suggestion_id"), ["suggestion_id"], unique=False
        )
    _carry_over(table)


def _carry_over(table: sa.Table) -> None:
    """Open approvals (execution pending or executing) become open commitments."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT h.suggestion_id, h.changes, h.execution_status, h.created_at, s.expires_at "
            "FROM approval_history h JOIN suggestions s ON s.suggestion_id = h.suggestion_id "
            "WHERE h.action_type IN ('approved', 'modified') "
            "AND h.execution_status IN ('pending', 'executing') ORDER BY h.created_at"
        )
    ).all()
    taken: set[int] = set()
    for suggestion_id, raw, status, created_at, expires_at in rows:
        changes = json.loads(raw) if isinstance(raw, str) else raw
        for change in changes or []:
            for operator_id in change.get("operator_ids", []):
                if int(operator_id) in taken:
                    continue
                taken.add(int(operator_id))
                bind.execute(
                    table.insert().values(
                        operator_id=int(operator_id),
                        suggestion_id=suggestion_id,
                        open_operator_id=int(operator_id),
                        created_at=created_at,
                        lapses_at=expires_at if status == "pending" else None,
                    )
                )


def downgrade() -> None:
    with op.batch_alter_table("operator_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_commitments_suggestion_id"))
        batch_op.drop_index(batch_op.f("ix_operator_commitments_operator_id"))
    op.drop_table("operator_commitments")

"""chat feedback

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:16:28.822495
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_feedback",
        sa.Column("feedback_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("intent_type", sa.String(length=40), nullable=True),
        sa.Column("suggestion_id", sa.String(length=50), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id", name=op.f("pk_chat_feedback")),
    )
    with op.batch_alter_table("chat_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_feedback_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("chat_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_feedback_created_at"))

    op.drop_table("chat_feedback")

"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:21:39.522716
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_type", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("location_name", sa.String(length=50), nullable=True),
        sa.Column("business_id", sa.String(length=10), nullable=True),
        sa.Column("process_name", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "acknowledged", "resolved", name="alert_status"),
            nullable=False,
        ),
        sa.Column("suggestion_id", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "approval_history",
        sa.Column("approval_history_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("suggestion_id", sa.String(length=50), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("impact", sa.JSON(), nullable=True),
        sa.Column(
            "action_type",
            sa.Enum("approved", "rejected", "modified", name="approval_action_type"),
            nullable=True,
        ),
        sa.Column("action_user", sa.String(length=100), nullable=True),
        sa.Column("feedback_reason", sa.Text(), nullable=True),
        sa.Column(
            "execution_status",
            sa.Enum(
                "pending",
                "executing",
                "completed",
                "failed",
                name="approval_execution_status",
            ),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("approval_history_id", name=op.f("pk_approval_history")),
    )
    with op.batch_alter_table("approval_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_history_suggestion_id"),
            ["suggestion_id"],
            unique=False,
        )

    op.create_table(
        "businesses",
        sa.Column("business_id", sa.String(length=10), nullable=False),
        sa.Column("business_name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("business_id", name=op.f("pk_businesses")),
    )
    op.create_table(
        "knowledge_documents",
        sa.Column("document_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_knowledge_documents")),
    )
    with op.batch_alter_table("knowledge_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_documents_category"), ["category"], unique=False
        )

    op.create_table(
        "operators",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("operator_name", sa.String(length=100), nullable=True),
        sa.Column("location_name", sa.String(length=50), nullable=True),
        sa.Column("is_valid", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("operator_id", name=op.f("pk_operators")),
    )
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operators_location_name"), ["location_name"], unique=False
        )

    op.create_table(
        "progress_snapshots",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_time", sa.DateTime(), nullable=True),
        sa.Column("location_name", sa.String(length=50), nullable=True),
        sa.Column("business_id", sa.String(length=10), nullable=True),
        sa.Column("process_name", sa.String(length=100), nullable=True),
        sa.Column("expected_completion_time", sa.DateTime(), nullable=True),
        sa.Column("total_waiting", sa.Integer(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=True),
        sa.Column("correction_waiting", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("snapshot_id", name=op.f("pk_progress_snapshots")),
    )
    with op.batch_alter_table("progress_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_snapshots_queue_time",
            ["location_name", "business_id", "process_name", "snapshot_time"],
            unique=False,
        )
        batch_op.create_index("ix_snapshots_time", ["snapshot_time"], unique=False)

    op.create_table(
        "suggestions",
        sa.Column("suggestion_id", sa.String(length=50), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("impact", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rules_used", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                "modified",
                "expired",
                name="suggestion_status",
            ),
            nullable=False,
        ),
        sa.Column("data_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("suggestion_id", name=op.f("pk_suggestions")),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestions_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_status"), ["status"], unique=False)

    op.create_table(
        "users",
        sa.Column("user_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum("viewer", "approver", "admin", name="user_role"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_users")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_users_token_hash")),
        sa.UniqueConstraint("user_name", name=op.f("uq_users_user_name")),
    )
    op.create_table(
        "operator_assignments",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("location_name", sa.String(length=50), nullable=False),
        sa.Column("business_id", sa.String(length=10), nullable=False),
        sa.Column("process_name", sa.String(length=100), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_operator_assignments_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("operator_id", name=op.f("pk_operator_assignments")),
    )
    with op.batch_alter_table("operator_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assignments_queue",
            ["location_name", "business_id", "process_name"],
            unique=False,
        )

    op.create_table(
        "operator_process_capabilities",
        sa.Column("capability_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("process_name", sa.String(length=100), nullable=True),
        sa.Column("skill_level", sa.Integer(), nullable=True),
        sa.Column("experience_months", sa.Integer(), nullable=True),
        sa.Column("average_speed", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_operator_process_capabilities_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("capability_id", name=op.f("pk_operator_process_capabilities")),
    )
    with op.batch_alter_table("operator_process_capabilities", schema=None) as batch_op:
        batch_op.create_index("ix_capabilities_operator", ["operator_id"], unique=False)
        batch_op.create_index(
            "ix_capabilities_process_skill",
            ["process_name", "skill_level"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("operator_process_capabilities", schema=None) as batch_op:
        batch_op.drop_index("ix_capabilities_process_skill")
        batch_op.drop_index("ix_capabilities_operator")

    op.drop_table("operator_process_capabilities")
    with op.batch_alter_table("operator_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_queue")

    op.drop_table("operator_assignments")
    op.drop_table("users")
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestions_status"))
        batch_op.drop_index(batch_op.f("ix_suggestions_created_at"))

    op.drop_table("suggestions")
    with op.batch_alter_table("progress_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_snapshots_time")
        batch_op.drop_index("ix_snapshots_queue_time")

    op.drop_table("progress_snapshots")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operators_location_name"))

    op.drop_table("operators")
    with op.batch_alter_table("knowledge_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_documents_category"))

    op.drop_table("knowledge_documents")
    op.drop_table("businesses")
    with op.batch_alter_table("approval_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_history_suggestion_id"))

    op.drop_table("approval_history")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_status_created")

    op.drop_table("alerts")

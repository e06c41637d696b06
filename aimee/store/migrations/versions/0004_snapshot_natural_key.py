"""progress snapshots: one row per queue and time (unique natural key), so that
ingestion is idempotent even when two senders race

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 15:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ["location_name", "business_id", "process_name", "snapshot_time"]

DUPLICATES = sa.text(
    "SELECT COUNT(*) FROM (SELECT 1 FROM progress_snapshots"
    " GROUP BY location_name, business_id, process_name, snapshot_time"
    " HAVING COUNT(*) > 1) AS repeated"
)


def upgrade() -> None:
    repeated = op.get_bind().execute(DUPLICATES).scalar()
    if repeated:
        raise RuntimeError(
            f"progress_snapshots holds {repeated} (location, business, process, time) "
            "observations more than once; keep one row of each (the newest snapshot_id is the "
            "one AIMEE reads) and run `aimee init` again"
        )
    with op.batch_alter_table("progress_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_snapshots_queue_time")
        batch_op.create_index("uq_snapshots_queue_time", COLUMNS, unique=True)


def downgrade() -> None:
    with op.batch_alter_table("progress_snapshots", schema=None) as batch_op:
        batch_op.drop_index("uq_snapshots_queue_time")
        batch_op.create_index("ix_snapshots_queue_time", COLUMNS, unique=False)

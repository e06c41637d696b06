"""The seed's tables keep the seed's names and columns; migrations run on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from aimee.store import migrate
from aimee.store.db import create_db_engine
from aimee.store.models import Base

SEED_COLUMNS = {
    "progress_snapshots": [
        "snapshot_id",
        "snapshot_time",
        "location_name",
        "business_id",
        "process_name",
        "expected_completion_time",
        "total_waiting",
        "entry_count",
        "correction_waiting",
    ],
    "operators": ["operator_id", "operator_name", "location_name", "is_valid"],
    "operator_process_capabilities": [
        "capability_id",
        "operator_id",
        "process_name",
        "skill_level",
        "experience_months",
        "average_speed",
    ],
    "approval_history": [
        "approval_history_id",
        "suggestion_id",
        "changes",
        "impact",
        "action_type",
        "action_user",
        "feedback_reason",
        "execution_status",
        "created_at",
    ],
}
PRODUCT_TABLES = {
    "operator_assignments",
    "suggestions",
    "alerts",
    "users",
    "knowledge_documents",
    "businesses",
}


def test_migrations_create_the_seed_tables_exactly(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        inspector = inspect(engine)
        for table, columns in SEED_COLUMNS.items():
            assert [c["name"] for c in inspector.get_columns(table)] == columns
        assert set(inspector.get_table_names()) >= PRODUCT_TABLES
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_migrations_are_idempotent_on_an_existing_database(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_hot_reads_have_indexes(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        inspector = inspect(engine)
        snapshot_indexes = [i["column_names"] for i in inspector.get_indexes("progress_snapshots")]
        assert [
            "location_name",
            "business_id",
            "process_name",
            "snapshot_time",
        ] in snapshot_indexes
        skill_indexes = [
            i["column_names"] for i in inspector.get_indexes("operator_process_capabilities")
        ]
        assert ["process_name", "skill_level"] in skill_indexes
    finally:
        engine.dispose()


def test_the_migrations_build_the_schema_the_models_describe(empty_database_url: str) -> None:
    """Alembic's comparison of the migrated database with the models finds nothing to
    add, drop or alter (tables, columns, types, nullability, indexes, foreign keys)."""
    engine = create_db_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        engine.dispose()

"""Alembic environment: runs against the engine handed over by aimee.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from aimee.store import models  # noqa: F401  (registers the tables)
from aimee.store.base import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through aimee.store.migrate.upgrade(engine)")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

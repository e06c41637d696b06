"""Hostile text survives the round trip: an export (formula-safe, with the added
quotes) imports back into an empty database as the original text, on SQLite and
MariaDB, for CSV and xlsx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aimee.services import exports, imports, setup
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.tabular import read_sheet, write_sheet
from tests.conftest import DEMO_NOW
from tests.hostile_data import add_hostile_floor

TZ = "Asia/Tokyo"
KINDS = ("businesses", "operators", "capabilities", "assignments", "snapshots", "knowledge")


@pytest.fixture
def target(empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(empty_database_url)
    setup.apply_migrations(engine)
    yield session_factory(engine)
    engine.dispose()


def source_engine(folder: Path, cr: str) -> Engine:
    engine = create_db_engine(f"sqlite:///{folder / 'source.sqlite3'}")
    setup.apply_migrations(engine)
    with transaction(session_factory(engine)) as session:
        add_hostile_floor(session, cr=cr)
    return engine


def rows(session: Session, kind: str) -> list[tuple[Any, ...]]:
    return [
        tuple(float(v) if hasattr(v, "as_tuple") else v for v in row)
        for row in exports.export_rows(session, kind)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_text_imports_back_as_it_was(
    target: sessionmaker[Session], tmp_path: Path, fmt: str
) -> None:
    line_break = "\r" if fmt == "csv" else "\n"  # xlsx keeps a CR as LF
    engine = source_engine(tmp_path, line_break)
    with transaction(session_factory(engine)) as source:
        for kind in KINDS:
            table = exports.EXPORTS[kind]
            path = tmp_path / f"{kind}.{fmt}"
            with path.open("wb") as handle:
                write_sheet(handle, fmt, table.columns, exports.export_rows(source, kind))  # type: ignore[arg-type]
            report = imports.import_sheet(
                target, kind, read_sheet(path), commit=True, now=DEMO_NOW, timezone=TZ
            )
            assert report.committed, [error.describe() for error in report.errors][:5]
            with target() as copy:
                assert rows(copy, kind) == rows(source, kind), kind
        contents = {row[2] for row in rows(source, "knowledge")}
        assert contents == {"\t=1+1", line_break + "=1+1"}
    engine.dispose()

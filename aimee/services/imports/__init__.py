"""Bring your own data: import spreadsheets of operators, skills, assignments,
progress snapshots and know-how, and ingest snapshot batches from the API.

Every import is all or nothing: all rows are checked (every bad row reported
with its line and reason) and written in one transaction only when none is bad.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from aimee.errors import Conflict, Unprocessable
from aimee.services.imports.columns import Column, RowError, header_problems
from aimee.services.imports.engine import ImportReport, TableImporter, run_import
from aimee.services.imports.snapshots import SnapshotImporter
from aimee.services.imports.tables import (
    AssignmentImporter,
    BusinessImporter,
    CapabilityImporter,
    KnowledgeImporter,
    OperatorImporter,
    ShiftImporter,
)
from aimee.store.db import is_busy
from aimee.tabular import Sheet, SheetRow

IMPORTERS: dict[str, type[TableImporter]] = {
    importer.kind: importer
    for importer in (
        BusinessImporter,
        OperatorImporter,
        CapabilityImporter,
        AssignmentImporter,
        ShiftImporter,
        SnapshotImporter,
        KnowledgeImporter,
    )
}
"""In the order a new database is filled: each may refer to the ones before."""
logger = logging.getLogger(__name__)
SNAPSHOT_COLUMNS = SnapshotImporter.columns

__all__ = [
    "IMPORTERS",
    "SNAPSHOT_COLUMNS",
    "Column",
    "ConcurrentImport",
    "ImportReport",
    "RowError",
    "import_sheet",
    "ingest_snapshots",
]


class ConcurrentImport(Conflict):
    """Another import stored some of the same rows between this one's checks and
    its writes (the database's unique keys refused the second copy), or held the
    database's locks longer than this one could wait; nothing of this import was
    stored."""


def import_sheet(
    sessions: sessionmaker[Session],
    kind: str,
    sheet: Sheet,
    *,
    commit: bool,
    now: datetime,
    timezone: str,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check ``sheet`` as rows of ``kind`` and, when ``commit`` and no row is
    bad, store them all in one transaction (``commit=False``: a dry run that
    reports what would change).

    Raises ``ConcurrentImport`` when another import stored the same rows at
    the same time (running it again then finds them stored), or held the
    database's locks for longer than this one could wait."""
    importer_type = IMPORTERS[kind]
    problems = header_problems(importer_type.columns, sheet.columns)
    if problems:
        report = ImportReport(kind=kind)
        report.add_errors(RowError(1, None, problem) for problem in problems)
        return report
    try:
        return _run(sessions, importer_type, sheet.rows(), commit, now, timezone, on_progress)
    except IntegrityError as exc:
        logger.debug("the database refused the %s import: %s", kind, exc.orig)
        raise ConcurrentImport(
            f"別の取り込みが同じ{importer_type.title}を同時に登録したため、"
            "何も取り込んでいません。もう一度実行してください"
        ) from None
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        logger.debug("the %s import waited too long for a lock: %s", kind, exc.orig)
        raise ConcurrentImport(
            "別の取り込みなどが同時にデータベースを更新していて待ちきれなかったため、"
            "何も取り込んでいません。それが終わってからもう一度実行してください"
        ) from None


def _run(
    sessions: sessionmaker[Session],
    importer_type: type[TableImporter],
    rows: Iterable[SheetRow],
    commit: bool,
    now: datetime,
    timezone: str,
    on_progress: Callable[[int], None] | None,
) -> ImportReport:
    with sessions() as session:
        try:
            report = run_import(
                importer_type(session, now),
                rows,
                timezone=timezone,
                on_progress=on_progress,
            )
        except BaseException:
            session.rollback()
            raise
        if commit and report.ok:
            session.commit()
            report.committed = True
        else:
            session.rollback()
    return report


def ingest_snapshots(
    sessions: sessionmaker[Session],
    snapshots: list[dict[str, Any]],
    *,
    now: datetime,
    timezone: str,
) -> ImportReport:
    """Store a batch of snapshots (the seed's columns) all or nothing; the same
    snapshot sent again is stored once. Raises ``Unprocessable`` listing every
    bad row by its index in the batch."""
    rows = [SheetRow(line=index, cells=cells) for index, cells in enumerate(snapshots)]
    for attempt in (1, 2):
        try:
            report = _run(sessions, SnapshotImporter, rows, True, now, timezone, None)
        except IntegrityError:
            # A concurrent batch stored some of these snapshots first: check again,
            # they are now duplicates (or conflicts) of stored rows.
            if attempt == 2:
                raise Conflict(
                    "同じスナップショットが同時に送信されました。もう一度送信してください"
                ) from None
            continue
        break
    if not report.ok:
        raise Unprocessable(
            f"{report.error_count}件の誤りがあるため、どのスナップショットも登録していません"
            f"（{report.errors[0].describe('番目')}"
            + (" ほか）" if report.error_count > 1 else "）"),
            detail=[
                {
                    "row": error.line,
                    "field": f"snapshots.{error.line}"
                    + (f".{error.column}" if error.column else ""),
                    "message": error.message,
                }
                for error in report.errors
            ],
        )
    return report

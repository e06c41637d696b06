"""Run an import: parse and check the rows a chunk at a time and write the good
ones of each chunk into the session, leaving commit or rollback to the caller:
a file with one bad row commits nothing, a good file commits in one
transaction. Good rows are written even after a bad one (and rolled back with
it), so every chunk is checked against all the rows before it through the
database, and memory stays flat however long the file is."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from aimee.services.imports.columns import Column, RowError, parse_row
from aimee.tabular import SheetRow

CHUNK_ROWS = 1000
MAX_LISTED_ERRORS = 10_000
"""Errors kept for the report; beyond that only their number is reported."""
EXTRA_VALUES = "ヘッダーより多くの値があります（区切り文字や値の中のカンマを確認してください）"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, Any]


@dataclass
class Verdict:
    """The checks of one chunk: what is wrong, what is worth a warning, and the
    rows to write (the others repeat what is stored)."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    unchanged: int = 0

    def judge(self, row: ParsedRow, problems: Iterable[RowError | None]) -> None:
        """Keep ``row`` for writing unless any of ``problems`` is an error."""
        errors = [problem for problem in problems if problem is not None]
        if errors:
            self.errors.extend(errors)
        else:
            self.rows.append(row)


@dataclass(frozen=True)
class Written:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class TableImporter(ABC):
    """One importable table. Subclasses set ``kind``, ``columns`` and implement
    ``check`` (against the database and the rows seen so far) and ``write``."""

    kind: ClassVar[str]
    title: ClassVar[str]
    """What the rows are, in Japanese (for messages)."""
    columns: ClassVar[tuple[Column, ...]]

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now

    @abstractmethod
    def check(self, rows: list[ParsedRow]) -> Verdict:
        """Errors and warnings of ``rows`` and the ones to write."""

    @abstractmethod
    def write(self, rows: list[ParsedRow]) -> Written:
        """Insert or update ``rows`` (all checked and good) in the session."""


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unlisted_errors: int = 0
    warnings: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.unlisted_errors

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            if len(self.errors) < MAX_LISTED_ERRORS:
                self.errors.append(error)
            else:
                self.unlisted_errors += 1


def _chunks(rows: Iterable[SheetRow]) -> Iterator[list[SheetRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk


def run_import(
    importer: TableImporter,
    rows: Iterable[SheetRow],
    *,
    timezone: str,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check ``rows`` and write the good ones into the session chunk by chunk.
    Flushes but never commits: the caller commits when the report is ok and it
    means to, and rolls back otherwise (a dry run writes too, so it counts what
    would change)."""
    report = ImportReport(kind=importer.kind)
    for chunk in _chunks(rows):
        parsed, bad = [], []
        for row in chunk:
            values, errors = parse_row(importer.columns, row.line, row.cells, timezone=timezone)
            if row.extra:
                errors.append(RowError(row.line, None, EXTRA_VALUES))
            if errors:
                bad.extend(errors)
            else:
                parsed.append(ParsedRow(row.line, values))
        verdict = importer.check(parsed)
        report.add_errors(sorted(bad + verdict.errors, key=lambda error: error.line))
        report.warnings.extend(verdict.warnings)
        report.rows += len(chunk)
        report.unchanged += verdict.unchanged
        written = importer.write(verdict.rows)
        importer.session.flush()
        report.inserted += written.inserted
        report.updated += written.updated
        report.unchanged += written.unchanged
        if on_progress is not None:
            on_progress(len(chunk))
    if not report.ok:
        report.inserted = report.updated = 0
    return report

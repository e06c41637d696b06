"""Data in and out: `aimee import` and `aimee export` (CSV or Excel)."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, NoReturn

import typer

from aimee.cli.common import app, cli_settings, console, sessions_for

if TYPE_CHECKING:
    from aimee.config import Settings
    from aimee.services.imports import ImportReport

IMPORT_KINDS = (
    "businesses",
    "operators",
    "capabilities",
    "assignments",
    "shifts",
    "snapshots",
    "knowledge",
)
EXPORT_KINDS = ("approvals", "outcomes", "suggestions", "alerts", *IMPORT_KINDS)
PROGRESS_FROM_ROWS = 5000
SHOWN_ERRORS = 200
RACE_EXIT = 3
"""`aimee import`: another import stored the same rows at the same time."""
UNENCODABLE_EXIT = 1
"""`aimee export`: some text cannot be written in --encoding (nothing written)."""
"""Bad rows printed on the console; all of them go to --errors FILE."""


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help=f"What the file holds: {', '.join(IMPORT_KINDS)}.")],
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8 or Shift_JIS) or .xlsx file.")],
    check: Annotated[
        bool, typer.Option("--check", help="Dry run: report every bad row, store nothing.")
    ] = False,
    encoding: Annotated[
        str | None, typer.Option(help="CSV encoding (default: detect UTF-8 or Shift_JIS).")
    ] = None,
    errors_file: Annotated[
        Path | None, typer.Option("--errors", help="Also write every bad row to this CSV file.")
    ] = None,
) -> None:
    """Import rows (columns as in docs/data.md); all rows or none are stored.

    Exit status: 0 imported (or would be, with --check), 1 bad rows (nothing
    stored), 2 the file cannot be read, 3 another import stored the same rows
    at the same time (nothing stored; run it again)."""
    from aimee import clock
    from aimee.services import imports
    from aimee.tabular import FileFormatError, read_sheet

    if kind not in IMPORT_KINDS:
        _fail(f"unknown kind {kind!r}; use one of: {', '.join(IMPORT_KINDS)}", code=2)
    settings = cli_settings()
    sessions = sessions_for(settings)
    try:
        sheet = read_sheet(file, encoding=encoding)
    except FileFormatError as exc:
        _fail(str(exc), code=2)
    encoding_label = f", {sheet.encoding}" if sheet.encoding else ""
    console.print(f"{file.name}: {sheet.row_count} rows{encoding_label}")
    if sheet.encoding_doubt:
        console.print(f"[yellow]warning:[/yellow] {sheet.encoding_doubt}", soft_wrap=True)
    try:
        report = _with_progress(
            sheet.row_count,
            lambda advance: imports.import_sheet(
                sessions,
                kind,
                sheet,
                commit=not check,
                now=clock.now(settings),
                timezone=settings.timezone,
                on_progress=advance,
            ),
        )
    except imports.ConcurrentImport as exc:
        _fail(exc.message, code=RACE_EXIT)
    _print_report(report, check=check, errors_file=errors_file)
    if not report.ok:
        raise typer.Exit(1)
    if kind == "knowledge" and report.committed:
        _sync_knowledge(settings)


def _with_progress(
    total: int, work: Callable[[Callable[[int], None]], ImportReport]
) -> ImportReport:
    """Run ``work`` with a progress bar when the file is long."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if total < PROGRESS_FROM_ROWS:
        return work(lambda _rows: None)
    with Progress(
        TextColumn("Checking and importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("rows", total=total)
        report: ImportReport = work(lambda rows: progress.advance(task, rows))
    return report


def _print_report(report: ImportReport, *, check: bool, errors_file: Path | None) -> None:
    for warning in report.warnings[:SHOWN_ERRORS]:
        console.print(f"[yellow]warning:[/yellow] {warning.describe()}")
    if not report.ok:
        for error in report.errors[:SHOWN_ERRORS]:
            console.print(f"[red]error:[/red] {error.describe()}")
        hidden = report.error_count - min(len(report.errors), SHOWN_ERRORS)
        if hidden:
            console.print(
                f"… and {hidden} more bad rows"
                + (
                    f" (all listed in {errors_file})"
                    if errors_file
                    else " (use --errors FILE for all)"
                )
            )
        if errors_file is not None:
            _write_errors(report, errors_file)
        console.print(
            f"[red]{report.error_count} bad rows in {report.rows}: nothing was imported.[/red]"
        )
        return
    counts = f"{report.inserted} new, {report.updated} updated, {report.unchanged} unchanged"
    if check:
        console.print(f"[green]OK:[/green] all {report.rows} rows can be imported ({counts}).")
    else:
        console.print(f"[green]Imported {report.rows} {report.kind} rows[/green] ({counts}).")


def _write_errors(report: ImportReport, path: Path) -> None:
    from aimee.tabular import write_sheet

    with path.open("wb") as handle:
        write_sheet(
            handle,
            "csv",
            ("line", "column", "message"),
            ((e.line, e.column, e.message) for e in report.errors),
        )


def _sync_knowledge(settings: Settings) -> None:
    from aimee.knowledge import KnowledgeIndex
    from aimee.services.knowledge import KnowledgeService
    from aimee.store.db import transaction

    service = KnowledgeService(KnowledgeIndex.from_settings(settings))
    with (
        console.status("Updating the know-how index…"),
        transaction(sessions_for(settings)) as session,
    ):
        sync = service.sync(session)
    console.print(f"Know-how index updated: {sync}")


@app.command("export")
def export(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(EXPORT_KINDS)}.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: stdout for csv)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="From this date or time (inclusive).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="To this date (whole day) or time (exclusive).")
    ] = None,
    encoding: Annotated[
        str, typer.Option(help="CSV encoding: utf-8-sig (Excel-friendly) or cp932.")
    ] = "utf-8-sig",
) -> None:
    """Export rows as CSV or Excel; the importable kinds re-import unchanged.

    Exit status: 0 exported, 1 some text cannot be written in --encoding (the
    rows are named; nothing is written), 2 a bad argument."""
    from aimee.errors import AimeeError
    from aimee.services import exports
    from aimee.store.db import transaction
    from aimee.tabular import FORMATS, UnencodableText, write_sheet

    if kind not in EXPORT_KINDS:
        _fail(f"unknown kind {kind!r}; use one of: {', '.join(EXPORT_KINDS)}", code=2)
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; use csv or xlsx", code=2)
    if fmt == "xlsx" and output is None:
        _fail("xlsx needs --output FILE", code=2)
    try:
        codecs.lookup(encoding)
    except LookupError:
        _fail(f"unknown encoding {encoding!r}; use utf-8-sig or cp932", code=2)
    table = exports.EXPORTS[kind]
    try:
        bounds = (
            exports.parse_bound(start, end=False, name="--from"),
            exports.parse_bound(end, end=True, name="--to"),
        )
        with transaction(sessions_for(cli_settings())) as session:
            rows = exports.export_rows(session, kind, start=bounds[0], end=bounds[1])
            count = _write_whole(
                output,
                lambda handle: write_sheet(
                    handle, fmt, table.columns, rows, encoding=encoding, title=table.title
                ),
            )
    except AimeeError as exc:
        _fail(exc.message, code=2)
    except UnencodableText as exc:
        _fail(str(exc), code=UNENCODABLE_EXIT)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}", code=2)
    console.print(f"Exported {count} {kind} rows" + (f" to {output}" if output else ""))


def _write_whole(output: Path | None, write: Callable[[BinaryIO], int]) -> int:
    """Run ``write`` into a temporary file and only then move it to ``output``
    (or copy it to stdout, or to a device or pipe given as ``output``): a failed
    export leaves no file, or the previous one as it was, and prints nothing."""
    import os
    import shutil
    import tempfile

    if output is None or (output.exists() and not output.is_file()):
        with tempfile.TemporaryFile() as spool:
            count = write(spool)
            spool.seek(0)
            if output is None:
                shutil.copyfileobj(spool, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with output.open("wb") as handle:
                    shutil.copyfileobj(spool, handle)
        return count
    final = output.resolve()  # through a symlink: replace the file it points to
    part = final.with_name(f".{final.name}.{os.getpid()}.part")
    try:
        with part.open("wb") as handle:
            count = write(handle)
        if final.exists():
            shutil.copymode(final, part)
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return count


def _fail(message: str, *, code: int) -> NoReturn:
    from rich.markup import escape

    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)

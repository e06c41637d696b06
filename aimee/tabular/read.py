"""Read a CSV or .xlsx file as a header plus rows of raw cells, each row with
the line (CSV) or row number (Excel) a person sees in their editor."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

CSV_ENCODINGS = ("utf-8-sig", "cp932")
"""Tried in order: UTF-8 (with or without BOM), then Shift_JIS as Windows and
Japanese spreadsheets write it (CP932 is its superset)."""

_CHUNK = 1 << 20

Cell = str | int | float | datetime | bool | None


class FileFormatError(ValueError):
    """The file cannot be read as a table (not the values in it: the file)."""


@dataclass(frozen=True)
class SheetRow:
    line: int
    """1-based line (CSV) or row (Excel) number; the header is line 1."""
    cells: dict[str, Cell]
    """Column name → raw value; empty cells are None."""
    extra: int = 0
    """Values found beyond the last named column (a shifted row)."""


@dataclass(frozen=True)
class Sheet:
    path: Path
    columns: list[str]
    encoding: str | None
    """The CSV encoding that was used; None for Excel."""
    row_count: int
    """Data rows (for progress bars); rows that are empty everywhere are skipped."""
    reader: Callable[[], Iterator[SheetRow]]

    def rows(self) -> Iterator[SheetRow]:
        """The data rows, read again from the file on each call (streams)."""
        return self.reader()


def read_sheet(path: Path, *, encoding: str | None = None) -> Sheet:
    """Open ``path`` (.csv or .xlsx, by its suffix). For CSV the encoding is
    detected unless given."""
    if not path.is_file():
        raise FileFormatError(f"ファイルが見つかりません: {path}")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path, encoding or detect_encoding(path), tsv=suffix == ".tsv")
    raise FileFormatError(
        f"対応していないファイル形式です: {path.name}（.csv または .xlsx を指定してください）"
    )


def detect_encoding(path: Path) -> str:
    """The first of ``CSV_ENCODINGS`` that decodes the whole file."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileFormatError(
        f"{path.name}: 文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）"
    )


def _header(raw: list[Any], name: str) -> list[str]:
    columns = [str(cell).strip().lstrip("\ufeff") if cell is not None else "" for cell in raw]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise FileFormatError(f"{name}: 1行目に列名（ヘッダー）がありません")
    if "" in columns:
        raise FileFormatError(f"{name}: {columns.index('') + 1}列目の列名が空です")
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise FileFormatError(f"{name}: 列名「{column}」が重複しています")
        seen.add(column)
    return columns


def _row(line: int, columns: list[str], values: list[Any]) -> SheetRow | None:
    """The row keyed by column; None for a row with no value at all."""
    cells: dict[str, Cell] = {}
    for index, column in enumerate(columns):
        value = values[index] if index < len(values) else None
        if isinstance(value, str):
            value = value.strip() or None
        cells[column] = value
    extra = sum(1 for v in values[len(columns) :] if v is not None and str(v).strip())
    if extra == 0 and all(value is None for value in cells.values()):
        return None
    return SheetRow(line=line, cells=cells, extra=extra)


def _read_csv(path: Path, encoding: str, *, tsv: bool) -> Sheet:
    delimiter = "\t" if tsv else ","
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            columns = _header(next(reader, []), path.name)
            count = sum(1 for values in reader if _row(0, columns, list(values)) is not None)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileFormatError(f"{path.name}: {encoding}として読めません（{exc}）") from None
    except csv.Error as exc:
        raise FileFormatError(f"{path.name}: CSVとして読めません（{exc}）") from None

    def rows() -> Iterator[SheetRow]:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            for values in reader:
                # line_num: the physical line the record ended on
                row = _row(reader.line_num, columns, list(values))
                if row is not None:
                    yield row

    return Sheet(path=path, columns=columns, encoding=encoding, row_count=count, reader=rows)


def _read_xlsx(path: Path) -> Sheet:
    def open_sheet() -> Any:
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise FileFormatError(f"{path.name}: Excelファイルとして読めません（{exc}）") from None
        return workbook, workbook.worksheets[0]

    workbook, sheet = open_sheet()
    try:
        values = sheet.iter_rows(values_only=True)
        columns = _header(list(next(values, ())), path.name)
        count = sum(1 for row in values if _row(0, columns, list(row)) is not None)
    finally:
        workbook.close()

    def rows() -> Iterator[SheetRow]:
        workbook, sheet = open_sheet()
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number == 1:
                    continue
                parsed = _row(number, columns, list(row))
                if parsed is not None:
                    yield parsed
        finally:
            workbook.close()

    return Sheet(path=path, columns=columns, encoding=None, row_count=count, reader=rows)

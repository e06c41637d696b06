"""Read a CSV or .xlsx file as a header plus rows of raw cells, each row with
the line (CSV) or row number (Excel) a person sees in their editor."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from aimee.tabular import formulas

CSV_ENCODINGS = ("utf-8-sig", "cp932")
"""UTF-8 (with or without BOM), and Shift_JIS as Windows and Japanese
spreadsheets write it (CP932 is its superset); ``detect`` chooses."""

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
    encoding_doubt: str | None = None
    """Set when another encoding would also have read the file (see ``detect``)."""

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
        if encoding is not None:
            return _read_csv(path, encoding, tsv=suffix == ".tsv")
        detection = detect(path)
        return _read_csv(path, detection.encoding, tsv=suffix == ".tsv", doubt=detection.doubt)
    raise FileFormatError(
        f"対応していないファイル形式です: {path.name}（.csv または .xlsx を指定してください）"
    )


def detect_encoding(path: Path) -> str:
    """The encoding of a CSV file: UTF-8 or CP932 (``detect``)."""
    return detect(path).encoding


@dataclass(frozen=True)
class Detection:
    encoding: str
    doubt: str | None = None
    """Why another encoding would also read the file (for the user), if it would."""


_JAPANESE_IN_UTF8 = re.compile("[^\x00-\u07ff]")
"""Characters UTF-8 writes in three or four bytes: every kana and kanji."""
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")


def detect(path: Path) -> Detection:
    """UTF-8 (with or without BOM) or CP932, whichever reads the whole file.

    Both read it when its only non-ASCII text is CP932 half-width katakana whose
    byte pairs happen to be valid UTF-8 (``ﾃｽﾄｱ`` is ``ýı`` in UTF-8). Then, unless
    the file starts with a UTF-8 BOM or its UTF-8 reading holds any character UTF-8
    writes in three bytes or more (all Japanese text does), it is read as CP932,
    the way Japanese Excel saves half-width kana; ``doubt`` says so."""
    with path.open("rb") as handle:
        bom = handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    utf8 = _scan(path, "utf-8-sig", _JAPANESE_IN_UTF8)
    if utf8 is not None and (bom or utf8 or _is_ascii(path)):
        return Detection("utf-8-sig")
    cp932 = _scan(path, "cp932", _HALF_WIDTH_KANA)
    if utf8 is None and cp932 is not None:
        return Detection("cp932")
    if utf8 is not None:
        if cp932:
            return Detection(
                "cp932",
                "UTF-8 としても読めますが、半角カナを含む Shift_JIS（CP932）と判断しました"
                "（UTF-8 の場合は --encoding utf-8 を指定してください）",
            )
        return Detection("utf-8-sig")
    raise FileFormatError(
        f"{path.name}: 文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）"
    )


def _scan(path: Path, encoding: str, pattern: re.Pattern[str]) -> bool | None:
    """None when ``encoding`` cannot decode the whole file, else whether the
    decoded text holds ``pattern`` (read in chunks: memory stays flat)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    found = False
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                text = decoder.decode(chunk)
                found = found or pattern.search(text) is not None
            found = found or pattern.search(decoder.decode(b"", final=True)) is not None
    except UnicodeDecodeError:
        return None
    return found


def _is_ascii(path: Path) -> bool:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if not chunk.isascii():
                return False
    return True


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
    """The row keyed by column; None for a row with no value at all. Text is
    trimmed, except in a cell escaped against formulas (``formulas.restore``),
    which is the original text exactly."""
    cells: dict[str, Cell] = {}
    for index, column in enumerate(columns):
        value = values[index] if index < len(values) else None
        if isinstance(value, str):
            value = formulas.restore(value) if formulas.escaped(value) else value.strip() or None
        cells[column] = value
    extra = sum(1 for v in values[len(columns) :] if v is not None and str(v).strip())
    if extra == 0 and all(value is None for value in cells.values()):
        return None
    return SheetRow(line=line, cells=cells, extra=extra)


def _read_csv(path: Path, encoding: str, *, tsv: bool, doubt: str | None = None) -> Sheet:
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

    return Sheet(
        path=path,
        columns=columns,
        encoding=encoding,
        row_count=count,
        reader=rows,
        encoding_doubt=doubt,
    )


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

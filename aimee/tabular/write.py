"""Write rows as CSV (UTF-8 with BOM by default, so Excel shows Japanese
correctly; or CP932) or as an .xlsx workbook with one sheet. Text cells are
formula-safe (``formulas``): no file we write runs a formula when opened."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from aimee.tabular import formulas

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def text(value: Any) -> str:
    """One cell as CSV text: ISO times with a space, JSON for structures."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Unencodable:
    line: int
    """The row in the file (the header is line 1; Excel's row number)."""
    key: str
    """The row's first value (its id), to find it in the data."""
    column: str
    char: str

    def describe(self) -> str:
        code = f"U+{ord(self.char):04X}"
        return f"{self.line}行目（{self.key}）の {self.column}: 「{self.char}」({code})"


class UnencodableText(ValueError):
    """Some text cannot be written in the chosen encoding; the file is not valid
    and the caller discards what was written to the target."""

    def __init__(self, encoding: str, problems: list[Unencodable], more: int) -> None:
        self.encoding = encoding
        self.problems = problems
        self.more = more
        listed = "、".join(problem.describe() for problem in problems)
        others = f" ほか{more}件" if more else ""
        super().__init__(
            f"{encoding} で書けない文字があるため出力していません: {listed}{others}"
            "（--encoding utf-8-sig なら出力できます）"
        )


LISTED_UNENCODABLE = 10
CSV_BATCH_ROWS = 500
"""Rows encoded at once (a row that cannot be is then found cell by cell)."""


def write_sheet(
    target: BinaryIO,
    fmt: Format,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
    title: str = "data",
) -> int:
    """Write the header and ``rows`` to ``target``; returns the number of rows.

    Text cells are made formula-safe (``formulas.neutralise``). Raises
    ``UnencodableText`` (CSV) when a text has characters ``encoding`` cannot
    write, after checking every row; ``target`` then holds a partial file that
    the caller must discard."""
    if fmt == "csv":
        return _write_csv(target, columns, rows, encoding)
    return _write_xlsx(target, columns, rows, title)


def _csv_cell(value: Any) -> str:
    cell = text(value)
    return cell if isinstance(value, int | float | Decimal) else formulas.neutralise(cell)


def _write_csv(
    target: BinaryIO, columns: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str
) -> int:
    encoder = codecs.getincrementalencoder(encoding)()  # a BOM once, for utf-8-sig
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    problems: list[Unencodable] = []
    more = 0
    batch: list[list[str]] = []
    count = 0

    def flush() -> None:
        """Encode the buffered lines at once; on failure, find the bad cells of
        the batch (nothing more is written after the first)."""
        nonlocal more
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        try:
            data = encoder.encode(text)
        except UnicodeEncodeError:
            first_line = count - len(batch) + 2  # the header is line 1
            for offset, cells in enumerate(batch):
                for column, cell in zip(columns, cells, strict=False):
                    bad = _unencodable_char(cell, encoding)
                    if bad is None:
                        continue
                    if len(problems) < LISTED_UNENCODABLE:
                        key = f"{columns[0]} {cells[0]}" if cells else ""
                        problems.append(Unencodable(first_line + offset, key, column, bad))
                    else:
                        more += 1
        else:
            if not problems:
                target.write(data)
        batch.clear()

    flush()
    for row in rows:
        cells = [_csv_cell(value) for value in row]
        writer.writerow(cells)
        batch.append(cells)
        count += 1
        if len(batch) == CSV_BATCH_ROWS:
            flush()
    flush()
    if problems:
        raise UnencodableText(encoding, problems, more)
    return count


def _unencodable_char(cell: str, encoding: str) -> str | None:
    try:
        cell.encode(encoding)
    except UnicodeEncodeError as exc:
        return cell[exc.start]
    return None


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters (openpyxl refuses them);
        # tab and line breaks are kept. CSV keeps the text as stored.
        return formulas.neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _write_xlsx(
    target: BinaryIO, columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count

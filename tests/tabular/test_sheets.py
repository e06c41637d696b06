"""Reading and writing spreadsheet files: encodings, Excel, line numbers, bad files."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from aimee.tabular import FileFormatError, read_sheet, write_sheet
from aimee.tabular.read import detect_encoding

HEADER = "operator_id,operator_name,location_name\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8-sig"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp932", "cp932"),
        ("shift_jis", "cp932"),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, detected: str) -> None:
    text = HEADER + "17,高山麻由子,盛岡\n23,竹下朱美,盛岡\n"
    path = _write(tmp_path, "operators.csv", text.encode(encoding))
    sheet = read_sheet(path)
    assert sheet.encoding == detected
    assert sheet.columns == ["operator_id", "operator_name", "location_name"]
    rows = list(sheet.rows())
    assert [r.cells["operator_name"] for r in rows] == ["高山麻由子", "竹下朱美"]
    assert [r.line for r in rows] == [2, 3]


def test_cp932_only_characters_are_read(tmp_path: Path) -> None:
    # ① and ㈱ exist in CP932 (Windows) but not in strict Shift_JIS
    path = _write(tmp_path, "k.csv", (HEADER + "1,㈱高山①,札幌\n").encode("cp932"))
    assert next(read_sheet(path).rows()).cells["operator_name"] == "㈱高山①"


def test_explicit_encoding_wins(tmp_path: Path) -> None:
    path = _write(tmp_path, "o.csv", (HEADER + "1,高山,札幌\n").encode("cp932"))
    assert read_sheet(path, encoding="cp932").encoding == "cp932"
    with pytest.raises(FileFormatError, match="utf-8"):
        read_sheet(path, encoding="utf-8")


def test_undecodable_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", HEADER.encode() + b"1,\xef\x20,x\n")
    with pytest.raises(FileFormatError, match="文字コード"):
        detect_encoding(path)


def test_line_numbers_count_blank_lines_and_multiline_cells(tmp_path: Path) -> None:
    text = HEADER + '1,"高山\n麻由子",盛岡\n\n,,\n2,竹下,盛岡\n'
    rows = list(read_sheet(_write(tmp_path, "o.csv", text.encode())).rows())
    assert [(r.line, r.cells["operator_id"]) for r in rows] == [(3, "1"), (6, "2")]
    assert read_sheet(tmp_path / "o.csv").row_count == 2


def test_cells_are_trimmed_and_empty_cells_are_none(tmp_path: Path) -> None:
    path = _write(tmp_path, "o.csv", (HEADER + " 1 ,  ,札幌\n").encode())
    assert next(read_sheet(path).rows()).cells == {
        "operator_id": "1",
        "operator_name": None,
        "location_name": "札幌",
    }


def test_values_beyond_the_header_are_counted(tmp_path: Path) -> None:
    path = _write(tmp_path, "o.csv", (HEADER + "1,高山,札幌,余分\n2,竹下\n").encode())
    first, second = read_sheet(path).rows()
    assert first.extra == 1
    assert second.extra == 0 and second.cells["location_name"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "ヘッダー"),
        ("a,,b\n1,2,3\n", "2列目の列名が空"),
        ("a,b,a\n1,2,3\n", "重複"),
    ],
)
def test_bad_headers_are_refused(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(FileFormatError, match=message):
        read_sheet(_write(tmp_path, "h.csv", content.encode()))


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"\.csv または \.xlsx"):
        read_sheet(_write(tmp_path, "o.json", b"{}"))
    with pytest.raises(FileFormatError, match="見つかりません"):
        read_sheet(tmp_path / "missing.csv")


def test_a_broken_xlsx_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="Excel"):
        read_sheet(_write(tmp_path, "o.xlsx", b"not a zip file"))


ROWS = [
    [17, "高山麻由子", datetime(2025, 10, 23, 15, 40), Decimal("90.50"), True, {"a": 1}],
    [23, 'カンマ, と"引用符"', None, Decimal("76"), False, None],
]
COLUMNS = ["id", "name", "since", "speed", "valid", "extra"]


def test_csv_round_trip_as_text(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    assert write_sheet(buffer, "csv", COLUMNS, ROWS) == 2
    assert buffer.getvalue().startswith("\ufeff".encode())  # Excel needs the BOM for UTF-8
    rows = list(read_sheet(_write(tmp_path, "o.csv", buffer.getvalue())).rows())
    assert rows[0].cells == {
        "id": "17",
        "name": "高山麻由子",
        "since": "2025-10-23 15:40:00",
        "speed": "90.50",
        "valid": "true",
        "extra": '{"a": 1}',
    }
    assert rows[1].cells["name"] == 'カンマ, と"引用符"'
    assert rows[1].cells["since"] is None


def test_csv_can_be_written_in_cp932(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_sheet(buffer, "csv", COLUMNS, ROWS, encoding="cp932")
    sheet = read_sheet(_write(tmp_path, "o.csv", buffer.getvalue()))
    assert sheet.encoding == "cp932"
    assert next(sheet.rows()).cells["name"] == "高山麻由子"


def test_xlsx_round_trip_keeps_types(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    assert write_sheet(buffer, "xlsx", COLUMNS, ROWS, title="オペレータ") == 2
    sheet = read_sheet(_write(tmp_path, "o.xlsx", buffer.getvalue()))
    assert sheet.encoding is None and sheet.row_count == 2
    first, second = sheet.rows()
    assert first.line == 2 and second.line == 3
    assert first.cells["id"] == 17
    assert first.cells["since"] == datetime(2025, 10, 23, 15, 40)
    assert first.cells["speed"] == pytest.approx(90.5)
    assert first.cells["valid"] is True
    assert second.cells["since"] is None


def test_xlsx_drops_control_characters_csv_keeps_them(tmp_path: Path) -> None:
    """XML cannot hold most C0 controls: openpyxl refused them (a 500 on download)."""
    rows = [["a\x00b\x07c\td\ne"]]
    xlsx, csv_buffer = io.BytesIO(), io.BytesIO()
    write_sheet(xlsx, "xlsx", ["text"], rows)
    write_sheet(csv_buffer, "csv", ["text"], rows)
    cell = next(read_sheet(_write(tmp_path, "t.xlsx", xlsx.getvalue())).rows()).cells["text"]
    assert cell == "abc\td\ne"
    assert "a\x00b\x07c" in csv_buffer.getvalue().decode("utf-8-sig")

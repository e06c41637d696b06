"""CP932 both ways: detection of half-width katakana files that also decode as
UTF-8, and CP932 exports that refuse text CP932 cannot hold, writing nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aimee.tabular import UnencodableText, read_sheet, write_sheet
from aimee.tabular.read import detect

HEADER = "operator_id,operator_name,location_name\n"


def _write(tmp_path: Path, data: bytes, name: str = "o.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["ﾃｽﾄｱ", "ﾅｶﾞｲ ﾐｻ", "ﾏｷ"])
def test_half_width_kana_that_is_valid_utf8_is_read_as_cp932(tmp_path: Path, name: str) -> None:
    data = (HEADER + f"1,{name},Sapporo\n").encode("cp932")
    data.decode("utf-8")  # the trap: these bytes are valid UTF-8 too (mojibake)
    sheet = read_sheet(_write(tmp_path, data))
    assert sheet.encoding == "cp932"
    assert next(sheet.rows()).cells["operator_name"] == name
    assert sheet.encoding_doubt is not None and "--encoding utf-8" in sheet.encoding_doubt


@pytest.mark.parametrize(
    "text",
    [
        "1,高山ﾏﾕｺ,札幌\n",  # kanji: UTF-8 writes it in three bytes
        "1,Café Noël,Paris\n",  # with a BOM below: the BOM decides
        "1,plain,ascii\n",
    ],
)
def test_utf8_stays_utf8(tmp_path: Path, text: str) -> None:
    data = (HEADER + text).encode("utf-8-sig" if "é" in text else "utf-8")
    detection = detect(_write(tmp_path, data))
    assert (detection.encoding, detection.doubt) == ("utf-8-sig", None)
    assert next(read_sheet(tmp_path / "o.csv").rows()).cells["operator_name"] == text.split(",")[1]


def test_the_choice_can_be_forced(tmp_path: Path) -> None:
    path = _write(tmp_path, (HEADER + "1,ﾃｽﾄｱ,x\n").encode("cp932"))
    sheet = read_sheet(path, encoding="utf-8")
    assert sheet.encoding_doubt is None
    assert next(sheet.rows()).cells["operator_name"] == "ýı"


def test_plain_cp932_is_still_detected_without_doubt(tmp_path: Path) -> None:
    detection = detect(_write(tmp_path, (HEADER + "1,高山ﾏﾕｺ,札幌\n").encode("cp932")))
    assert (detection.encoding, detection.doubt) == ("cp932", None)


ROWS = [
    [1, "寿司", "札幌"],
    [2, "お寿司🍣", "札幌"],
    [3, "𠮷野", "盛岡"],
    [4, "髙橋", "那覇"],  # 髙 is in CP932 (an NEC/IBM extension)
]


def test_cp932_refuses_what_it_cannot_write_naming_rows_and_characters() -> None:
    buffer = io.BytesIO()
    with pytest.raises(UnencodableText) as caught:
        write_sheet(buffer, "csv", ["id", "name", "site"], ROWS, encoding="cp932")
    problems = [(p.line, p.key, p.column, p.char) for p in caught.value.problems]
    assert problems == [(3, "id 2", "name", "🍣"), (4, "id 3", "name", "𠮷")]
    message = str(caught.value)
    assert "3行目（id 2）の name: 「🍣」(U+1F363)" in message
    assert "4行目（id 3）の name: 「𠮷」(U+20BB7)" in message
    assert "utf-8-sig" in message
    # the rows before the first bad one may be in the buffer: callers discard it
    assert "🍣".encode() not in buffer.getvalue()


def test_cp932_writes_what_it_can() -> None:
    buffer = io.BytesIO()
    assert (
        write_sheet(buffer, "csv", ["id", "name"], [[4, "髙橋"], [5, "①㈱"]], encoding="cp932") == 2
    )
    assert buffer.getvalue().decode("cp932") == "id,name\r\n4,髙橋\r\n5,①㈱\r\n"


def test_the_list_of_problems_is_bounded() -> None:
    rows = [[n, f"🍣{n}"] for n in range(25)]
    with pytest.raises(UnencodableText) as caught:
        write_sheet(io.BytesIO(), "csv", ["id", "name"], rows, encoding="cp932")
    assert len(caught.value.problems) == 10 and caught.value.more == 15
    assert "ほか15件" in str(caught.value)


def test_utf8_with_bom_is_written_once() -> None:
    buffer = io.BytesIO()
    write_sheet(buffer, "csv", ["id", "name"], [[1, "🍣"], [2, "𠮷"]])
    assert buffer.getvalue().count("\ufeff".encode()) == 1
    assert buffer.getvalue().decode("utf-8-sig") == "id,name\r\n1,🍣\r\n2,𠮷\r\n"


def test_a_bad_row_beyond_the_first_batch_is_named_by_its_line() -> None:
    rows: list[list[object]] = [[n, "ok"] for n in range(1, 1200)]
    rows[600][1] = "🍣"  # the 601st data row: line 602 (the header is line 1)
    rows[1100][1] = "𠮷"
    with pytest.raises(UnencodableText) as caught:
        write_sheet(io.BytesIO(), "csv", ["id", "name"], rows, encoding="cp932")
    assert [(p.line, p.key) for p in caught.value.problems] == [(602, "id 601"), (1102, "id 1101")]

from __future__ import annotations

import pytest

from aimee.llm.quantities import kanji_value, normalise, quantities


def read(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in quantities(normalise(text)) if not q.unreadable]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完了見込み16:46", [(16 * 60 + 46, "time")]),
        ("十六時四十六分に終わります", [(16 * 60 + 46, "time")]),
        ("１６時半まで", [(16 * 60 + 30, "time")]),
        ("残り1時間半", [(90, "min")]),
        ("残り0.5時間", [(30, "min")]),
        ("1時間あたり88件", [(88, "件/時")]),
        ("毎時８８件", [(88, "件/時")]),
        ("百二十五件", [(125, "件")]),
        ("一二〇件", [(120, "件")]),
        ("1,200件", [(1200, "件")]),
        ("7割向上", [(70, "%")]),
        ("３０パーセント", [(30, "%")]),
        ("2.3倍", [(2.3, "倍")]),
        ("経験4年", [(48, "ヶ月")]),
        ("Lv４、レベル3", [(4, "lv"), (3, "lv")]),
        ("9工程", [(9, "工程")]),
        ("二十分で", [(20, "min")]),
        ("十九時十分", [(19 * 60 + 10, "time")]),
    ],
)
def test_numbers_are_read_in_any_form(text: str, expected: list[tuple[float, str]]) -> None:
    assert read(text) == expected


def test_signs_are_kept() -> None:
    (delay,) = quantities(normalise("（-4分）"))
    assert (delay.value, delay.signed) == (-4, True)


def test_juubun_is_enough_not_ten_minutes() -> None:
    assert read("十分に間に合います") == []


@pytest.mark.parametrize("text", ["数十件", "十数名", "2〜3名", "二、三人", "数件"])
def test_vague_numbers_are_unreadable(text: str) -> None:
    assert [q.unreadable for q in quantities(normalise(text))] == [True]


def test_kanji_values() -> None:
    assert kanji_value("三万五千") == 35000
    assert kanji_value("十") == 10
    assert kanji_value("二十五") == 25

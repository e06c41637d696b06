"""Normalisation: widths, long vowels, katakana variants, typos; idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimee.nlu.normalize import MAX_CHARS, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("エントリー２", "エントリ2"),
        ("ｴﾝﾄﾘ1", "エントリ1"),
        ("エントリ１", "エントリ1"),
        ("ｴﾝﾄﾘｰ2", "エントリ2"),
        ("エントリ－２", "エントリ2"),
        ("エントリ-2", "エントリ2"),
        ("エントリ①", "エントリ1"),
        ("ＳＳの残件", "ssの残件"),
        ("Lv４以上", "lv4以上"),
        ("札幌　の　進捗", "札幌 の 進捗"),
        ("  前後の空白  ", "前後の空白"),
        ("2ヶ月", "2か月"),
        ("3ヵ月以上", "3か月以上"),
        ("札幌の進渉は？", "札幌の進捗は?"),
        ("補正が遅廷", "補正が遅延"),
        ("まにあう？", "間に合う?"),
        ("間に合わん", "間に合わない"),
        ("えんとりー1", "エントリ1"),
        ("エンリト2", "エントリ2"),
        # phone input sent before conversion
        ("ぜんたいどんなかんじ", "全体どんな感じ"),
        ("なはのE1じょうきょう", "なはのe1状況"),
        ("2めいいれて", "2名入れて"),
        ("おうえん 3 めい", "応援 3名"),
        ("補正からぬいてもへいき？", "補正から抜いても平気?"),
        ("だいじょぶ？", "大丈夫?"),
        ("きりかえじかん", "切り替え時間"),
        ("なんじかんかかる", "何時間かかる"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_long_vowel_inside_a_word_is_kept() -> None:
    assert normalize("データ") == "データ"
    assert normalize("センター") == "センタ"
    assert normalize("メンバー表") == "メンバ表"


def test_kana_words_inside_other_words_are_kept() -> None:
    assert normalize("へいきんは？") == "へいきんは?"  # 平均, not 平気
    assert normalize("ぬいめ") == "ぬいめ"


def test_empty_and_oversized_input() -> None:
    assert normalize("") == ""
    assert len(normalize("あ" * (MAX_CHARS * 3))) == MAX_CHARS


@given(st.text(max_size=200))
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from aimee.knowledge.tokenizer import JapaneseTokenizer, get_tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> JapaneseTokenizer:
    return get_tokenizer()


def test_full_width_and_long_vowel_variants_meet(tokenizer: JapaneseTokenizer) -> None:
    assert (
        tokenizer.tokenize("エントリー１") == tokenizer.tokenize("エントリ1") == ["エントリー", "1"]
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [("ＳＳ", "ss"), ("Ｌｖ３", "lv3"), ("５２３２０１", "523201"), ("ﾎｾｲ", "ホセイ")],
)
def test_width_and_case_do_not_matter(tokenizer: JapaneseTokenizer, left: str, right: str) -> None:
    assert tokenizer.tokenize(left) == tokenizer.tokenize(right)
    assert tokenizer.tokenize(left)


def test_particles_auxiliaries_and_punctuation_are_dropped(tokenizer: JapaneseTokenizer) -> None:
    terms = tokenizer.tokenize("札幌のエントリ1工程が遅延しています。")

    assert terms == ["札幌", "エントリー", "1", "工程", "遅延"]


def test_inflected_words_are_reduced_to_their_normalised_form(
    tokenizer: JapaneseTokenizer,
) -> None:
    assert "残る" in tokenizer.tokenize("120件残っています")
    assert "遅れる" in tokenizer.tokenize("報告が遅れると")


def test_compounds_are_split_so_parts_can_match(tokenizer: JapaneseTokenizer) -> None:
    assert tokenizer.tokenize("処理速度") == ["処理", "速度"]


def test_text_without_content_words_gives_no_terms(tokenizer: JapaneseTokenizer) -> None:
    assert tokenizer.tokenize("") == []
    assert tokenizer.tokenize("、。！？ のが") == []


def test_one_tokenizer_can_be_shared_between_threads(tokenizer: JapaneseTokenizer) -> None:
    texts = ["札幌のエントリ1工程が遅延しています", "補正工程はLv3以上のみ"] * 20
    expected = [tokenizer.tokenize(text) for text in texts]

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(tokenizer.tokenize, texts)) == expected


def test_light_verbs_are_dropped_but_meaningful_verbs_kept(tokenizer: JapaneseTokenizer) -> None:
    assert tokenizer.tokenize("遅延している") == ["遅延"]
    assert tokenizer.tokenize("余裕がある") == ["余裕"]
    assert tokenizer.tokenize("応援に出す") == ["応援", "出す"]

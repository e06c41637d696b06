"""Follow-ups a review of the fifteenth and sixteenth sets' rules found misread."""

from __future__ import annotations

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}


def test_both_of_them_take_the_role_the_verb_says(analyzer: IntentAnalyzer) -> None:
    """「二人とも抜いたら？」 after putting two people in: both taken off, not put in again."""
    turns = conversation(
        analyzer, "札幌のエントリ1に菅原さんと遠藤さんを入れたら？", "二人とも抜いたら？"
    )
    assert said(turns[-1]) == (
        "what_if",
        {"targets": [SAPPORO_E1], "operators": {"remove": ["菅原翔太", "遠藤友美"]}},
    )


def test_both_of_them_keep_the_role_when_no_verb_says_another(analyzer: IntentAnalyzer) -> None:
    turns = conversation(
        analyzer, "札幌のエントリ1に菅原さんと遠藤さんを入れたら？", "じゃあ二人とも入れたら？"
    )
    assert said(turns[-1])[1]["operators"] == {"add": ["菅原翔太", "遠藤友美"]}

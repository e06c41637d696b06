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


def test_another_person_in_their_place_is_a_what_if_on_the_same_queue(
    analyzer: IntentAnalyzer,
) -> None:
    """「じゃあ遠藤さんなら那覇も間に合う？」: 遠藤 in 菅原's role on 那覇のE2, not a check of
    那覇 under 菅原's move (and 「那覇も」 adds nobody)."""
    turns = conversation(
        analyzer, "那覇のE2に菅原さんを入れたら？", "じゃあ遠藤さんなら那覇も間に合う？"
    )
    assert said(turns[-1]) == (
        "what_if",
        {
            "targets": [{"location": "那覇", "process": "エントリ2"}],
            "operators": {"add": ["遠藤友美"]},
        },
    )


def test_another_person_after_a_plan_stays_a_plan(analyzer: IntentAnalyzer) -> None:
    turns = conversation(
        analyzer,
        "梅田KPのE1、佐野さん使って何とかならないかな",
        "佐野さんじゃなくて前田智子さんだったら？",
    )
    assert said(turns[-1])[0] == "plan"

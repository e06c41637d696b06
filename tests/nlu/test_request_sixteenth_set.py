"""Phrasings of the sixteenth development set's shapes (our own sentences, never the frozen
set's nor the dev sets' own): a terse request for help right after a question about a
queue is a plan for it, a count said relative to the last plan moves it, 「同じく…何名？」
after a look-up counts people with that skill, and English what-ifs about the person of
the conversation."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.slots import head_count, number
from tests.nlu.test_request_phrasings import conversation, said

UMEDA_E2 = {"location": "梅田", "process": "エントリ2"}
NAHA_HOSEI = {"location": "那覇", "process": "補正"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # an origin and a count, nothing else
            ("梅田のE2って何時に終わる？", "札幌から三人"),
            "plan",
            {"targets": [UMEDA_E2], "origins": [{"location": "札幌"}], "head_count": {"exact": 3}},
        ),
        (  # a site typed beside a count is where help comes from
            ("梅田E2 間に合う？", "2名 品川"),
            "plan",
            {"targets": [UMEDA_E2], "origins": [{"location": "品川"}], "head_count": {"exact": 2}},
        ),
        (  # a count alone
            ("那覇の補正、どのくらい遅れてる？", "4人で"),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"exact": 4}},
        ),
        (  # veterans from a queue, typed short
            ("那覇補正 何時", "盛岡補正から ベテ3"),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "origins": [{"location": "盛岡", "process": "補正"}],
                "head_count": {"exact": 3},
            },
        ),
        (  # asked politely, with a cap and a level
            ("那覇の補正はいかがでしょうか。", "品川から3人まで、Lv3以上で出せますか。"),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "origins": [{"location": "品川"}],
                "head_count": {"max": 3},
                "min_level": 3,
            },
        ),
        (  # after 「なら」, from the queue with room to the queue named
            ("梅田 E2 余裕ある？", "なら 那覇補正へ 1"),
            "plan",
            {"targets": [NAHA_HOSEI], "origins": [UMEDA_E2], "head_count": {"exact": 1}},
        ),
        (  # English, a site spared
            ("Naha correction, how late?", "Plan for it, up to 3 people, no one from Umeda."),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "head_count": {"max": 3},
                "spare": [{"location": "梅田"}],
                "language": "en",
            },
        ),
    ],
)
def test_terse_help_after_a_question_about_a_queue(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "count"),
    [
        (("梅田のE2に3人入れて", "もう2人"), {"exact": 5}),
        (("梅田のE2に3人入れて", "ひとり減らして"), {"exact": 2}),
        (("梅田E2 盛岡から 3まで", "もう1"), {"max": 4}),
        (("那覇の補正、4人までで案出して", "2人減らして"), {"max": 2}),
    ],
)
def test_a_count_relative_to_the_last_plan(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], count: dict[str, int]
) -> None:
    last = conversation(analyzer, *texts)[-1]
    assert last.kind == "plan"
    assert last.slots.public()["head_count"] == count


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("梅田E2 盛岡から 3まで", {"max": 3}),
        ("那覇補正 2まで", {"max": 2}),
        ("盛岡補正から ベテ2", {"exact": 2}),
    ],
)
def test_counts_typed_bare(text: str, count: dict[str, int]) -> None:
    found = head_count(text)
    assert found is not None
    assert found.model_dump(exclude_none=True) == count


@pytest.mark.parametrize(
    ("texts", "slots"),
    [
        (
            ("金子さんのスキル教えて", "同じく検証がレベル4以上の人は全部で何人？"),
            {"targets": [{"process": "検証"}], "min_level": 4},
        ),
        (
            ("高山さんってどこにいる？", "高山さんと同じく補正の経験3年以上の人、札幌に何名いる？"),
            {"targets": [{"location": "札幌", "process": "補正"}], "min_experience_months": 36},
        ),
    ],
)
def test_people_like_the_one_looked_up_counted(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == ("skill_search", slots)


@pytest.mark.parametrize(
    "text",
    ["Move him to Umeda entry 2, would that help?", "What if he goes to Umeda entry 2?"],
)
def test_english_what_ifs_about_the_person_looked_up(analyzer: IntentAnalyzer, text: str) -> None:
    last = conversation(analyzer, "Where is Sugawara-san now?", text)[-1]
    assert said(last) == (
        "what_if",
        {"targets": [UMEDA_E2], "operators": {"move": ["菅原翔太"]}, "language": "en"},
    )


def test_what_follows_for_another_queue_after_a_change(analyzer: IntentAnalyzer) -> None:
    """「梅田の補正はどうなる？」 after moving someone: that queue under the change."""
    last = conversation(analyzer, "菅原さんを那覇の補正に回したら？", "梅田の補正はどうなる？")[-1]
    assert said(last) == ("donor_check", {"targets": [{"location": "梅田", "process": "補正"}]})


def test_the_person_looked_up_sent_to_a_queue(analyzer: IntentAnalyzer) -> None:
    """「梅田E2 回したら」 right after a look-up: that person sent there."""
    last = conversation(analyzer, "菅原さんってどこにいる？", "梅田E2 回したら")[-1]
    assert said(last) == ("what_if", {"targets": [UMEDA_E2], "operators": {"move": ["菅原翔太"]}})


def test_what_happens_to_another_queue_in_english(analyzer: IntentAnalyzer) -> None:
    texts = ("菅原さんを那覇の補正に回したら？", "What happens to Umeda entry 2 then?")
    assert said(conversation(analyzer, *texts)[-1]) == (
        "donor_check",
        {"targets": [UMEDA_E2], "language": "en"},
    )


def test_people_of_a_level_joining_is_a_what_if(analyzer: IntentAnalyzer) -> None:
    """「レベル3の人が3名加わったら」: N people of a level come (a what-if)."""
    last = conversation(analyzer, "梅田のエントリ2にレベル3の人が3名加わったらどうなる？")[-1]
    assert said(last) == (
        "what_if",
        {"targets": [UMEDA_E2], "head_count": {"exact": 3}, "min_level": 3},
    )


SAPPORO_E1_PLAN = "札幌のエントリ1に盛岡から2名までで応援を"


@pytest.mark.parametrize(
    ("texts", "count"),
    [
        ((SAPPORO_E1_PLAN, "もう一度お願い"), {"max": 2}),  # 一 of 一度 is no count
        ((SAPPORO_E1_PLAN, "もう一回、品川からで"), {"max": 2}),
        ((SAPPORO_E1_PLAN, "あとよろしく"), {"max": 2}),  # よ alone is no count
        ((SAPPORO_E1_PLAN, "さっきより増やして"), {"max": 2}),
        ((SAPPORO_E1_PLAN, "あと1時間あるなら1人でいい"), {"exact": 1}),  # the count said wins
        (("札幌のエントリ1に盛岡から3名までで応援を", "もう1人の人は誰？"), {"max": 3}),
        ((SAPPORO_E1_PLAN, "もう1人"), {"max": 3}),
        ((SAPPORO_E1_PLAN, "もう1"), {"max": 3}),
        ((SAPPORO_E1_PLAN, "あとふたり"), {"max": 4}),
        ((SAPPORO_E1_PLAN, "もう二名で"), {"max": 4}),
        ((SAPPORO_E1_PLAN, "あと30分しかないから急いで"), {"max": 2}),
    ],
)
def test_a_count_moves_only_when_said_of_people(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], count: dict[str, int]
) -> None:
    last = conversation(analyzer, *texts)[-1]
    assert last.kind == "plan"
    assert last.slots.public()["head_count"] == count


def test_a_count_after_a_turn_about_another_queue_leaves_the_plan(
    analyzer: IntentAnalyzer,
) -> None:
    """「もう1人」 after a status of 那覇E2: the 札幌 plan is no longer the thread."""
    last = conversation(analyzer, SAPPORO_E1_PLAN, "那覇のE2の状況は？", "もう1人")[-1]
    assert last.slots.head_count is None or last.slots.head_count.max != 3


SAPPORO_E1_STATUS = "札幌のエントリ1の状況は？"


@pytest.mark.parametrize(
    "text", ["1人休みなんだけど", "2人休みだって", "2人抜けた", "3人休みになった"]
)
def test_people_off_after_a_status_are_leaving(analyzer: IntentAnalyzer, text: str) -> None:
    last = conversation(analyzer, SAPPORO_E1_STATUS, text)[-1]
    assert last.kind == "what_if"
    assert last.slots.head_count is not None and last.slots.head_count.leaving
    assert last.slots.head_count.exact == number(text[0])


@pytest.mark.parametrize("text", ["盛岡から2人来てるよね？", "品川から1人入ってるの？"])
def test_people_there_now_asked_about_is_no_plan(analyzer: IntentAnalyzer, text: str) -> None:
    assert conversation(analyzer, SAPPORO_E1_STATUS, text)[-1].kind != "plan"


@pytest.mark.parametrize("text", ["盛岡から2人もらえる？", "盛岡から2人回せる？"])
def test_people_asked_for_after_a_status_is_a_plan(analyzer: IntentAnalyzer, text: str) -> None:
    last = conversation(analyzer, SAPPORO_E1_STATUS, text)[-1]
    assert said(last) == (
        "plan",
        {
            "targets": [{"location": "札幌", "process": "エントリ1"}],
            "origins": [{"location": "盛岡"}],
            "head_count": {"exact": 2},
        },
    )

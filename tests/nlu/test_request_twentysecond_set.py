"""Shapes the twenty-second development sets found (our own sentences, never the frozen
set's nor the dev sets' own): first-time users, numbers that constrain a change, and people
as constraints and results."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.person_roles import that_person
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}
UMEDA_KP_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        # first-time users: a greeting, then the question itself
        (
            "はじめて使います。今日、締切に遅れそうな工程は何件ありますか",
            "delay_risk",
            {"date": "today"},
        ),
        ("初めて使います。このチャットではどんな質問ができますか", "help", {}),
        ("こちらのサービスではどのようなご依頼が可能ですか", "help", {}),
        ("今日から使い始めました。那覇のE1ってどんな感じ？", "status", {"targets": [NAHA_E1]}),
        (
            "17時までに締めが来る工程で、遅れそうなものはありますか",
            "delay_risk",
            {"by_time": "17:00"},
        ),
        ("盛岡 間に合わんとこ", "delay_risk", {"targets": [{"location": "盛岡"}]}),
        (
            "なはの補正から1人ぬけてもへいき",
            "what_if",
            {"targets": [{"location": "那覇", "process": "補正"}], "head_count": {"exact": 1}},
        ),
        (
            "梅田KPのE1、長谷川陽子さんは動かさんといて、案出して",
            "plan",
            {"targets": [UMEDA_KP_E1], "operators": {"remove": ["長谷川陽子"]}},
        ),
        (
            "補正のtop speedの人はだれ？",
            "skill_search",
            {"targets": [{"process": "補正"}], "sort": "fastest"},
        ),
        ("那覇のエントリ1まにあう", "finish_time", {"targets": [NAHA_E1]}),
        ("至急 那覇 E2 遅延", "plan", {"targets": [NAHA_E2]}),
        (
            "SSの業務で納期が危ういものはある？",
            "delay_risk",
            {"targets": [{"business_id": "523201"}]},
        ),
        ("本日、締切に間に合わない見込みの工程はありますか", "delay_risk", {"date": "today"}),
        (  # which of the queues named is at risk (as dev_v9)
            "那覇のE1とE2、どっちが危ない？",
            "delay_risk",
            {"targets": [NAHA_E1, NAHA_E2]},
        ),
        # numbers
        (
            "那覇E2、長谷川陽子さんとあと1人で",
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 2},
                "operators": {"add": ["長谷川陽子"]},
            },
        ),
        (
            "那覇の補正、1人だけ入れるなら誰がいい？",
            "plan",
            {"targets": [{"location": "那覇", "process": "補正"}], "head_count": {"exact": 1}},
        ),
        (
            "那覇の補正、最大2名、3以上のレベルで",
            "plan",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "head_count": {"max": 2},
                "min_level": 3,
            },
        ),
        (  # when two leave is no time to make
            "札幌SSの補正、17時で2人上がるけど大丈夫？",
            "what_if",
            {
                "targets": [{"location": "札幌", "business_id": "523201", "process": "補正"}],
                "head_count": {"exact": 2},
            },
        ),
        (  # the staff now and then: the difference leaves
            "那覇のE2、今6人で回してるけど4人にしたらどうなる？",
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}},
        ),
        (
            "梅田KPのE1、今4人で回してるけど17時までに片付く？",
            "finish_time",
            {"targets": [UMEDA_KP_E1], "by_time": "17:00"},
        ),
        (
            "那覇の補正、16時半までに終わらせるにはあと何人いる？",
            "plan",
            {"targets": [{"location": "那覇", "process": "補正"}], "by_time": "16:30"},
        ),
        # people and orders
        (
            "那覇で補正が速い人、上から順に",
            "skill_search",
            {"targets": [{"location": "那覇", "process": "補正"}], "sort": "fastest"},
        ),
        (
            "梅田でエントリ2の経験がいちばんある人は？",
            "skill_search",
            {"targets": [{"location": "梅田", "process": "エントリ2"}], "sort": "most_experienced"},
        ),
        (
            "那覇E1、上野さん指名で",
            "plan",
            {"targets": [NAHA_E1], "operators": {"add": ["上野由香利"]}},
        ),
    ],
)
def test_twentysecond_set_shapes(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # terms relaxed for the plan on the table
            ("那覇E1、Lv4以上、経験1年以上で2名", "2名で足りないなら3名まで増やしていいよ"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"max": 3},
                "min_level": 4,
                "min_experience_months": 12,
            },
        ),
        (
            ("那覇E1に札幌から3人まで", "やっぱりどこからでもいい"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"max": 3}},
        ),
        (
            ("那覇のE1、札幌から2人", "盛岡からもOK。全体で3人まで"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"max": 3},
                "origins": [{"location": "札幌"}, {"location": "盛岡"}],
            },
        ),
        (  # people leaving the queue just talked about: no origin
            ("那覇のE2どう？", "そこから2人抜いたら？"),
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}},
        ),
        (  # the what-if's change, planned with origins
            ("那覇のE1にLv4以上を2名入れたら？", "それでいこう、盛岡と札幌から"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "origins": [{"location": "盛岡"}, {"location": "札幌"}],
                "min_level": 4,
            },
        ),
        (
            ("那覇E1に応援。盛岡はNG", "あと高山さんもNG"),
            "plan",
            {
                "targets": [NAHA_E1],
                "spare": [{"location": "盛岡"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        (  # donor checks in other words
            ("那覇E1、応援案を", "その案だと、梅田からは何人出る？"),
            "donor_check",
            {"targets": [{"location": "梅田"}]},
        ),
        (  # a look-up of the plan's own person in between: still its thread
            ("那覇E1、竹下さんを使って", "竹下さんのスキルは？", "札幌の検証は大丈夫？"),
            "donor_check",
            {"targets": [{"location": "札幌", "process": "検証"}]},
        ),
        (
            ("検証Lv4以上で空いてる人は？", "じゃあ空きは関係なく、検証Lv4以上で一番速い人は？"),
            "skill_search",
            {"targets": [{"process": "検証"}], "min_level": 4, "sort": "fastest"},
        ),
        (  # "one of them" is no count
            ("Naha entry 1, up to 3 from Sapporo.", "Make sure Takeshita is one of them."),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"max": 3},
                "origins": [{"location": "札幌"}],
                "operators": {"add": ["竹下朱美"]},
                "language": "en",
            },
        ),
    ],
)
def test_twentysecond_set_threads(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("上から2人で那覇の検証に案を", ("坂本隆", "小野真由美")),
        ("札幌のLv4以上から1人だけ出して", None),  # a level, not the top of a list
        ("上から3人だけでいい", None),  # a list narrowed, nobody sent (dev_v13b)
    ],
)
def test_the_top_of_a_list(text: str, meant: tuple[str, ...] | None) -> None:
    people = that_person(text, ("坂本隆", "小野真由美", "竹下朱美"))
    assert (people.add + people.move if people is not None else None) == meant

"""Shapes the sixteenth and seventeenth development sets found (our own sentences, never
the frozen set's nor the dev sets' own): a process said after the thread's site is that
site's even when help comes from another site; processes typed after one site are all
there; a correction keeps the part and the constraints; a name several people share is
the one the conversation named; 「+2人なら」「それ案にして」「同じ条件で」; and the long
vowel that normalisation drops (「フリーの人」)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.carry import carry_over
from aimee.nlu.request import QueueRef, Request, Slots
from aimee.nlu.slots import experience_months, head_count, min_level
from tests.nlu.test_request_phrasings import conversation, said

NAHA_KENSHO = {"location": "那覇", "process": "検証"}
SAPPORO_HOSEI = {"location": "札幌", "process": "補正"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # processes typed after one site are all at it
            ("梅田 E1 E2",),
            "status",
            {
                "targets": [
                    {"location": "梅田", "process": "エントリ1"},
                    {"location": "梅田", "process": "エントリ2"},
                ]
            },
        ),
        (  # the thread's site, help from another site
            ("那覇の状況どう？", "検証のほうに、品川から2名まで"),
            "plan",
            {"targets": [NAHA_KENSHO], "origins": [{"location": "品川"}], "head_count": {"max": 2}},
        ),
        (  # two queues of one site talked about: a process alone is that site's
            ("札幌 エントリ1と補正 何時に終わる？", "補正へ梅田から1人"),
            "plan",
            {
                "targets": [SAPPORO_HOSEI],
                "origins": [{"location": "梅田"}],
                "head_count": {"exact": 1},
            },
        ),
        (  # from one process to another of the queue's business
            ("品川KPのE1とE2 どう？", "E2へ、E1から2人"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523202", "process": "エントリ2"}],
                "origins": [{"location": "品川", "business_id": "523202", "process": "エントリ1"}],
                "head_count": {"exact": 2},
            },
        ),
        (  # no thread: a process alone is at the site help comes from
            ("札幌から補正に2人",),
            "plan",
            {
                "targets": [SAPPORO_HOSEI],
                "origins": [{"location": "札幌"}],
                "head_count": {"exact": 2},
            },
        ),
        (("那覇 検証", "あと何分"), "finish_time", {"targets": [NAHA_KENSHO]}),
        (
            ("梅田SSのE2の進み具合は？", "何時ごろ完了しそう？"),
            "finish_time",
            {"targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ2"}]},
        ),
        (  # a site the data does not have, corrected: the same process at the right one
            ("長崎 補正", "ちがう 那覇"),
            "status",
            {"targets": [{"location": "那覇", "process": "補正"}]},
        ),
        (
            ("那覇 E2 何時？", "E1の方"),
            "finish_time",
            {"targets": [{"location": "那覇", "process": "エントリ1"}]},
        ),
        (
            ("那覇E2ってギリ？", "品川KPのE2も同じ？"),
            "finish_time",
            {"targets": [{"location": "品川", "business_id": "523202", "process": "エントリ2"}]},
        ),
        (("盛岡、遅れてんのどこ？",), "delay_risk", {"targets": [{"location": "盛岡"}]}),
        (  # a bare 「3以上」 is a level
            ("梅田E1 那覇から 3以上 2人まで",),
            "plan",
            {
                "targets": [{"location": "梅田", "process": "エントリ1"}],
                "origins": [{"location": "那覇"}],
                "head_count": {"max": 2},
                "min_level": 3,
            },
        ),
        (  # 「もう1人」 is the person named
            ("那覇の検証に工藤舞さんを入れたら？", "もう1人、石井さくらさんも入れたら"),
            "what_if",
            {"targets": [NAHA_KENSHO], "operators": {"add": ["工藤舞", "石井さくら"]}},
        ),
        (  # a queue and a person, typed: the plan with that person
            ("那覇E2 鈴木直美さんで",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "operators": {"add": ["鈴木直美"]},
            },
        ),
        (  # one more queue, on the same terms (SCHEMA: 「Xにも」 adds X to the plan's)
            ("札幌の補正に梅田から2名まで", "E2にも同じ条件で"),
            "plan",
            {
                "targets": [
                    {"location": "札幌", "process": "補正"},
                    {"location": "札幌", "process": "エントリ2"},
                ],
                "origins": [{"location": "梅田"}],
                "head_count": {"max": 2},
            },
        ),
        (  # a site the data does not have, corrected right after the plan
            ("福井のE2に3人回して", "ごめん、梅田だった"),
            "plan",
            {"targets": [{"location": "梅田", "process": "エントリ2"}], "head_count": {"exact": 3}},
        ),
        (
            ("那覇E1 +3人なら間に合う？",),
            "what_if",
            {"targets": [{"location": "那覇", "process": "エントリ1"}], "head_count": {"exact": 3}},
        ),
        (  # the what-if made a plan
            ("梅田の補正にLv4を2人足したら間に合う？", "それ案にして"),
            "plan",
            {
                "targets": [{"location": "梅田", "process": "補正"}],
                "head_count": {"exact": 2},
                "min_level": 4,
            },
        ),
        (
            ("Plan cover for Umeda entry 2, at most 3 people.",),
            "plan",
            {
                "targets": [{"location": "梅田", "process": "エントリ2"}],
                "head_count": {"max": 3},
                "language": "en",
            },
        ),
        (
            ("盛岡でフリーの人いる？",),
            "skill_search",
            {"targets": [{"location": "盛岡"}], "available_only": True},
        ),
        (("応援を頼むのって締めの何分前までに言うのが一般的？",), "knowhow", {}),
        (  # taken back halfway
            ("品川のE1に応援…いや違う、品川の補正だった",),
            "plan",
            {"targets": [{"location": "品川", "process": "補正"}]},
        ),
        (
            ("Sapporo correction: up to 2 people with at least three months of experience.",),
            "plan",
            {
                "targets": [SAPPORO_HOSEI],
                "head_count": {"max": 2},
                "min_experience_months": 3,
                "language": "en",
            },
        ),
        (  # 「put her in」 adds her
            ("How is Naha verification?", "What if we put Ishii Sakura in there?"),
            "what_if",
            {"targets": [NAHA_KENSHO], "operators": {"add": ["石井さくら"]}, "language": "en"},
        ),
    ],
)
def test_seventeenth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("first", "then", "meant"),
    [
        (
            "小野久美子さんと上野由香利さんを那覇の補正に回したら？",
            "小野さんだけなら？",
            "小野久美子",
        ),
        ("加藤拓也さんって今どこ？", "拓也さんのスキルは？", "加藤拓也"),
    ],
)
def test_a_shared_name_is_the_one_the_conversation_named(
    analyzer: IntentAnalyzer, first: str, then: str, meant: str
) -> None:
    request = conversation(analyzer, first, then)[-1]
    assert request.slots.people == (meant,)


def test_a_shared_name_nobody_named_stays_open(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "小野さんどこ？")
    assert len(request.slots.people) == 4


def test_a_person_kept_out_by_a_shared_name(analyzer: IntentAnalyzer) -> None:
    *_, request = conversation(
        analyzer, "那覇の補正に小野美咲さんを回したら？", "小野さんは動かさずに2名まで案ちょうだい"
    )
    assert said(request) == (
        "plan",
        {
            "targets": [{"location": "那覇", "process": "補正"}],
            "head_count": {"max": 2},
            "operators": {"remove": ["小野美咲"]},
        },
    )


def test_after_a_list_with_one_late_queue_a_question_about_a_queue_is_about_it() -> None:
    late = QueueRef(location="盛岡", business_id="523202", process="エントリ2")
    listed = Request(
        kind="delay_risk",
        slots=Slots(targets=(QueueRef(location="盛岡", business_id="523202"),)),
        answered_queues=(late,),
    )
    finish = carry_over("finish_time", Slots(), "いつ終わる", previous=listed, last_plan=None)
    assert finish.targets == (late,)
    origin = Slots(origins=(QueueRef(location="盛岡", business_id="523201"),))
    plan = carry_over("plan", origin, "盛岡SSから1人回して", previous=listed, last_plan=None)
    assert plan.targets == (late,)
    two = listed.model_copy(
        update={"answered_queues": (late, late.model_copy(update={"process": "補正"}))}
    )
    assert carry_over(
        "finish_time", Slots(), "いつ終わる", previous=two, last_plan=None
    ).targets != (late,)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("4以上", 4),
        ("Lv3以上", 3),
        ("2人以上", None),
        ("3年以上", None),
        ("16時以上", None),
        ("1.5以上", None),
    ],
)
def test_a_bare_number_or_more_is_a_level(text: str, level: int | None) -> None:
    assert min_level(text) == level


@pytest.mark.parametrize(
    ("text", "months"),
    [("at least six months of experience", 6), ("9 months experience", 9), ("2 years", 24)],
)
def test_english_experience_in_months(text: str, months: int) -> None:
    assert experience_months(text) == months


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (("那覇E1の案",), "plan", {"targets": [{"location": "那覇", "process": "エントリ1"}]}),
        (("前回の案は？",), "knowhow", {}),
        (  # kept where she is
            ("那覇E1に応援、高山さんはそのままで",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        (
            ("那覇E1の応援案", "高山さんはダメ"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        (  # a name without a verb in a plan is put in
            ("那覇E1の応援案", "竹下さんでも可"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "operators": {"add": ["竹下朱美"]},
            },
        ),
        (  # two names typed side by side share the verb
            ("那覇E1 高山さん竹下さん 回して",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "operators": {"move": ["高山麻由子", "竹下朱美"]},
            },
        ),
        (
            ("Don't use Takayama for Naha entry 1",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "operators": {"remove": ["高山麻由子"]},
                "language": "en",
            },
        ),
        (  # businesses joined before a process
            ("梅田のKPとSSのE1どう？",),
            "status",
            {
                "targets": [
                    {"location": "梅田", "business_id": "523202", "process": "エントリ1"},
                    {"location": "梅田", "business_id": "523201", "process": "エントリ1"},
                ]
            },
        ),
        (
            ("検証の処理が早い人は？",),
            "skill_search",
            {"targets": [{"process": "検証"}], "sort": "fastest"},
        ),
    ],
)
def test_own_probes_of_the_same_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("2人ぐらいまで", {"max": 2}),
        ("two or three people", {"max": 3}),
        ("a couple of people", {"exact": 2}),
        ("2 ppl", {"exact": 2}),
    ],
)
def test_more_head_counts(text: str, count: dict[str, int]) -> None:
    found = head_count(text)
    assert found is not None and found.model_dump(exclude_none=True) == count


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("4レベ以上", 4),
        ("skill 4 or above", 4),
        ("level-4", 4),
        ("lv≥4", 4),
        ("level four", 4),
        ("4以上の人", 4),
    ],
)
def test_more_levels(text: str, level: int) -> None:
    assert min_level(text) == level


def test_a_year_in_english() -> None:
    assert experience_months("more than a year of experience") == 12

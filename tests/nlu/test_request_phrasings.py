"""Phrasings of the fifth and sixth voices: mixed English and Japanese, veterans'
fragments (「札E1」「盛岡→品川検証 1」「5年↑」), long polite sentences with context.
Our own sentences, written like the development sets' (never the frozen set's)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.request import Request
from aimee.nlu.schema import IntentResult
from aimee.nlu.slots import day, experience_months, head_count, is_english

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
SHINAGAWA_E1 = {"location": "品川", "process": "エントリ1"}


def conversation(analyzer: IntentAnalyzer, *texts: str) -> list[Request]:
    """The requests of a conversation's turns, each with the one before and the last plan."""
    requests: list[Request] = []
    previous: IntentResult | None = None
    last_plan: Request | None = None
    for text in texts:
        previous = analyzer.analyze(text, previous, last_plan)
        assert previous.request is not None
        requests.append(previous.request)
        if previous.request.kind in ("plan", "what_if"):
            last_plan = previous.request
    return requests


def said(request: Request) -> tuple[str, dict[str, Any]]:
    return request.kind, request.slots.public()


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        # mixed English and Japanese: roles after a Latin name, not answered in English
        (
            "Umeda の entry2、Morioka から 2 人まで help して",
            "plan",
            {
                "targets": [{"location": "梅田", "process": "エントリ2"}],
                "origins": [{"location": "盛岡"}],
                "head_count": {"max": 2},
            },
        ),
        (
            "Naha entry1 に応援、Shinagawa は touch しないで",
            "plan",
            {"targets": [NAHA_E1], "spare": [{"location": "品川"}]},
        ),
        # fragments: one-kanji sites, arrows, a bare count, ↑
        ("札E1 ヘルプ", "plan", {"targets": [{"location": "札幌", "process": "エントリ1"}]}),
        (
            "札幌→那覇E1 2",
            "plan",
            {"targets": [NAHA_E1], "origins": [{"location": "札幌"}], "head_count": {"exact": 2}},
        ),
        (
            "竹下朱美→那覇E1",
            "what_if",
            {"targets": [NAHA_E1], "operators": {"move": ["竹下朱美"]}},
        ),
        (
            "補正 3年↑ 盛岡",
            "skill_search",
            {"targets": [{"location": "盛岡", "process": "補正"}], "min_experience_months": 36},
        ),
        (  # a filter and nothing else searches people, whatever the nearest examples say
            "検証 Lv4↑ 札幌",
            "skill_search",
            {"targets": [{"location": "札幌", "process": "検証"}], "min_level": 4},
        ),
        (  # the same filter with a request for help is a plan
            "那覇の検証、Lv4以上の人だけで応援お願い",
            "plan",
            {"targets": [{"location": "那覇", "process": "検証"}], "min_level": 4},
        ),
        ("全体で2人まで", "plan", {"head_count": {"max": 2}}),
        # how many people a site has now, the risk of a queue, support put in
        ("那覇は今何人で回してますか", "status", {"targets": [{"location": "那覇"}]}),
        (
            "盛岡の補正の遅延リスクを評価してもらえますか",
            "delay_risk",
            {"targets": [{"location": "盛岡", "process": "補正"}]},
        ),
        ("検証はどの拠点が遅れそう？", "delay_risk", {"targets": [{"process": "検証"}]}),
        ("17時40分締めの工程、全部大丈夫？", "delay_risk", {"by_time": "17:40"}),
        ("竹下さんって検証使える？", "operator_lookup", {"operators": {"about": ["竹下朱美"]}}),
        ("雨が降ってるけど品川のE1は間に合う？", "finish_time", {"targets": [SHINAGAWA_E1]}),
        # a queue's figures by their names
        (
            "那覇の補正のスループットは？",
            "status",
            {"targets": [{"location": "那覇", "process": "補正"}]},
        ),
        (
            "品川SSのE2、滞留何件？",
            "status",
            {"targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}]},
        ),
        (
            "那覇のエントリ1って納期守れそう？",
            "finish_time",
            {"targets": [{"location": "那覇", "process": "エントリ1"}]},
        ),
        (
            "梅田の検証、終わりそうにないのでサポートを入れてほしい",
            "plan",
            {"targets": [{"location": "梅田", "process": "検証"}]},
        ),
        # the site of a person is where they are, not a queue asked about
        (
            "盛岡の高山さんを那覇のエントリ1に回したら、那覇は間に合う？",
            "what_if",
            {"targets": [NAHA_E1], "operators": {"move": ["高山麻由子"]}},
        ),
        # long polite sentences
        (
            "那覇のエントリ1ですが、今のままですと何時ごろ終わる見込みでしょうか。",
            "finish_time",
            {"targets": [NAHA_E1]},
        ),
        (
            "全体で3名だけ動かすとしたら、誰をどこに動かすのが一番よいでしょうか。",
            "plan",
            {"head_count": {"exact": 3}},
        ),
        (
            "盛岡でエントリ1をLv4以上でこなせる方は何名いらっしゃいますか、品川への応援を考えていまして",
            "skill_search",
            {"targets": [{"location": "盛岡", "process": "エントリ1"}], "min_level": 4},
        ),
        # kind vocabulary
        ("品川E2 たすけて", "plan", {"targets": [{"location": "品川", "process": "エントリ2"}]}),
        ("那覇E1、何分オーバーしそう？", "finish_time", {"targets": [NAHA_E1]}),
        ("このボットって何を頼めるの？", "help", {}),
        ("夜勤手当の計算ってどうなってる？", "out_of_scope", {}),
        ("補正に入れる人って最低Lvいくつからだっけ？", "knowhow", {}),
    ],
)
def test_new_phrasings(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == (kind, slots)


def test_mixed_english_is_not_english() -> None:
    assert not is_english("Naha の verification、何時に done？")
    assert is_english("How is Naha verification doing?")


def test_fragment_counts_and_experience() -> None:
    assert head_count("那覇補正 盛岡から2") is not None
    assert head_count("札幌のエントリ 1") is None  # a process written with a space
    assert head_count("keep it to two people") is not None
    assert experience_months("検証 5年↑") == 60
    assert experience_months("5年以上") is None  # not said to be experience


def test_romaji_full_names(analyzer: IntentAnalyzer) -> None:
    [where] = conversation(analyzer, "Where is Takeshita Akemi now?")
    assert where.slots.operators is not None and where.slots.operators.about == ("竹下朱美",)


def test_a_site_spared_or_said_again_is_not_a_target(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(
        analyzer, "那覇のエントリ1、札幌以外から1名まででお願いします。札幌は余裕がないので"
    )
    assert request.slots.public() == {
        "targets": [NAHA_E1],
        "head_count": {"max": 1},
        "spare": [{"location": "札幌"}],
    }


def test_follow_ups_of_the_new_voices(analyzer: IntentAnalyzer) -> None:
    _, origin = conversation(analyzer, "那覇E1 高山麻由子以外で", "品川から出すなら")
    assert said(origin) == (
        "plan",
        {
            "targets": [NAHA_E1],
            "origins": [{"location": "品川"}],
            "operators": {"remove": ["高山麻由子"]},
        },
    )
    moved, after = conversation(
        analyzer, "竹内舞さんを那覇のエントリ1に回したら？", "抜けた後の検証は？"
    )
    assert after.slots.operators == moved.slots.operators
    _, instead = conversation(
        analyzer, "那覇E1、岡本さくらさん抜けたら？", "代わりに竹下朱美さんを入れたら？"
    )
    assert said(instead)[1]["operators"] == {"remove": ["岡本さくら"], "add": ["竹下朱美"]}
    _, skills = conversation(analyzer, "岡田さん今どこ？", "何ができる人？")
    assert skills.kind == "operator_lookup"
    _, narrowed = conversation(analyzer, "補正Lv5の人何人？", "空いてる人は？")
    assert said(narrowed) == (
        "skill_search",
        {"targets": [{"process": "補正"}], "min_level": 5, "available_only": True},
    )


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        ("校正できる人いる？", "skill_search", {"unknown": ["校正"]}),
        ("応援対応できる人いる？", "skill_search", {}),  # work in general, not a process
        (
            "梅田の検証はどなたが担当されていますか",
            "skill_search",
            {"targets": [{"location": "梅田", "process": "検証"}]},
        ),
        (
            "那覇の補正、梅田から2名以内で。札幌からは出さんといて",
            "plan",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "origins": [{"location": "梅田"}],
                "head_count": {"max": 2},
                "spare": [{"location": "札幌"}],
            },
        ),
        (
            "那覇SS検証、梅田SSの補正の人は出さないで組んで",
            "plan",
            {
                "targets": [{"location": "那覇", "business_id": "523201", "process": "検証"}],
                "spare": [{"location": "梅田", "business_id": "523201", "process": "補正"}],
            },
        ),
        (
            "竹下朱美さんをE1から那覇の補正に移したら？",
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "operators": {"move": ["竹下朱美"]},
            },
        ),
    ],
)
def test_more_new_phrasings(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == (kind, slots)


def test_last_weeks_day() -> None:
    assert day("先週木曜の梅田は？", date(2025, 10, 23)) == "2025-10-16"
    assert day("今週月曜", date(2025, 10, 23)) == "2025-10-20"


def test_follow_ups_that_correct_or_narrow(analyzer: IntentAnalyzer) -> None:
    _, corrected = conversation(
        analyzer, "仙台から1人回して札幌E1埋めて", "あ、仙台ないのか。じゃあ盛岡からで"
    )
    assert corrected.slots.unknown == ()
    assert [o.location for o in corrected.slots.origins] == ["盛岡"]
    _, only = conversation(analyzer, "札幌のエントリ1、応援出して", "梅田だけ")
    assert said(only) == (
        "plan",
        {
            "targets": [{"location": "札幌", "process": "エントリ1"}],
            "origins": [{"location": "梅田"}],
        },
    )
    _, risky = conversation(analyzer, "盛岡全体、ざっと状況", "その中で危ないのは？")
    assert said(risky) == ("delay_risk", {"targets": [{"location": "盛岡"}]})
    _, site = conversation(analyzer, "検証Lv5", "那覇だけ")
    assert said(site) == (
        "skill_search",
        {"targets": [{"location": "那覇", "process": "検証"}], "min_level": 5},
    )


def test_corrections_and_reasons_in_a_re_plan(analyzer: IntentAnalyzer) -> None:
    _, origin = conversation(analyzer, "梅田E2 仙台から1", "じゃ札幌")
    assert said(origin) == (
        "plan",
        {
            "targets": [{"location": "梅田", "process": "エントリ2"}],
            "head_count": {"exact": 1},
            "origins": [{"location": "札幌"}],
        },
    )
    _, spared = conversation(
        analyzer,
        "梅田のエントリ2に応援の案をお願いします",
        "盛岡は夕方に検証が詰まりそうなので、盛岡からは出さない形でお願いします",
    )
    assert said(spared)[1]["targets"] == [{"location": "梅田", "process": "エントリ2"}]
    assert said(spared)[1]["spare"] == [{"location": "盛岡"}]


def test_a_look_up_follow_up_keeps_the_person_and_the_day(analyzer: IntentAnalyzer) -> None:
    _, skills = conversation(analyzer, "竹下さん今日どこ？", "スキルも教えて")
    assert said(skills) == (
        "operator_lookup",
        {"operators": {"about": ["竹下朱美"]}, "date": "today"},
    )


def test_risks_and_details_keep_the_site_and_the_day(analyzer: IntentAnalyzer) -> None:
    _, risks = conversation(analyzer, "今日の梅田、どんな感じ？", "遅れそうなのはどこ？")
    assert said(risks) == ("delay_risk", {"targets": [{"location": "梅田"}], "date": "today"})
    _, detail = conversation(analyzer, "今日の盛岡どう？", "検証だけ詳しく")
    assert said(detail) == (
        "status",
        {"targets": [{"location": "盛岡", "process": "検証"}], "date": "today"},
    )
    _, other = conversation(analyzer, "竹下さん今日どこ？", "上野さんのスキル一覧出して")
    assert other.slots.date is None  # another person: the day was about the first


def test_a_business_right_after_a_process_and_a_bare_count(analyzer: IntentAnalyzer) -> None:
    [kp] = conversation(analyzer, "品川のエントリ2KPやばいっす")
    assert kp.slots.targets[0].business_id == "523202"
    [count] = conversation(analyzer, "盛岡E1 2人")
    assert said(count) == (
        "plan",
        {"targets": [{"location": "盛岡", "process": "エントリ1"}], "head_count": {"exact": 2}},
    )

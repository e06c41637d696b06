"""Off-topic requests next to a site or a person, origins named by process, counts said
as 「1人か2人」, roles read from more verbs, and conditionals in ば. Our own sentences,
written like the development sets' (never the frozen set's)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.slots import head_count
from tests.nlu.test_request_phrasings import conversation, said

SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}


@pytest.mark.parametrize(
    "text",
    [
        "品川のパソコンが動かないんだけど",
        "那覇のエアコン壊れてるっぽい",
        "梅田の送別会の店どこにする？",
        "盛岡の派遣さんの日給っていくら？",
        "上野さんに残業頼んでもいい？",
        "札幌の今週の残業、合計何時間？",
        "札幌E1の今日の処理件数、csvでちょうだい",
    ],
)
def test_off_topic_next_to_a_site_or_a_person(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", {})


def test_someone_off_the_floor_is_still_a_what_if(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "高山さん健康診断で抜けるけど、盛岡のエントリ1大丈夫？")
    assert request.kind == "what_if"
    assert request.slots.operators is not None
    assert request.slots.operators.remove == ("高山麻由子",)


@pytest.mark.parametrize(
    ("texts", "origin"),
    [
        (("札幌のエントリ1、補正チームから1人回して",), {"location": "札幌", "process": "補正"}),
        (("札幌E1に応援お願い", "じゃあ検証の人から"), {"location": "札幌", "process": "検証"}),
        (("梅田KPのE1、SSの方から応援を",), {"location": "梅田", "business_id": "523201"}),
    ],
)
def test_an_origin_named_by_process_is_at_the_target_site(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], origin: dict[str, Any]
) -> None:
    request = conversation(analyzer, *texts)[-1]
    assert request.kind == "plan"
    assert request.slots.public()["origins"] == [origin]


def test_asking_whether_a_process_can_be_used_is_an_origin(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇の検証遅れてる。エントリ2の人使えない？")
    assert request.slots.public()["origins"] == [{"location": "那覇", "process": "エントリ2"}]
    assert not request.slots.spare


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1人か2人", 2), ("ふたりかさんにん回して", 3), ("2か3名で", 3)],
)
def test_one_or_two_is_a_cap(text: str, expected: int) -> None:
    from aimee.nlu.normalize import normalize

    found = head_count(normalize(text))
    assert found is not None and found.max == expected


@pytest.mark.parametrize(
    ("text", "kind", "role", "name"),
    [
        ("竹下さんに来てもらえれば札幌E1間に合う？", "what_if", "move", "竹下朱美"),
        ("札幌E1、品川の上野さん呼んで", "plan", "add", "上野由香利"),
        ("上野さんが札幌E1に入ったらどう？", "what_if", "add", "上野由香利"),
        ("札幌E1の応援、高山さんは盛岡に残しておいて", "plan", "remove", "高山麻由子"),
        ("那覇E1の案、岡本さくらさんは動かさずにお願い", "plan", "remove", "岡本さくら"),
        ("石川さんがいなくなっても札幌の検証いける？", "what_if", "remove", "石川幸子"),
        ("高橋さんを那覇のE2に移すのはどう？", "what_if", "move", "高橋智子"),
    ],
)
def test_roles_read_from_more_verbs(
    analyzer: IntentAnalyzer, text: str, kind: str, role: str, name: str
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == kind
    assert request.slots.operators is not None
    assert getattr(request.slots.operators, role) == (name,)


def test_a_site_kept_for_someone_is_not_a_target(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌E1の応援、高山さんは盛岡に残しておいて")
    assert request.slots.public()["targets"] == [SAPPORO_E1]


def test_keigo_requests_are_plans(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌のエントリ1ですが、金子さんは外していただけますか")
    assert said(request) == (
        "plan",
        {"targets": [SAPPORO_E1], "operators": {"remove": ["金子和子"]}},
    )


def test_a_sites_people_in_a_search_are_the_place_searched(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇の人で補正が一番速いのは誰？")
    assert said(request) == (
        "skill_search",
        {"targets": [{"location": "那覇", "process": "補正"}], "sort": "fastest"},
    )


def test_another_queue_asked_for_after_a_plan_is_a_plan(analyzer: IntentAnalyzer) -> None:
    requests = conversation(analyzer, "札幌E1なんとかして", "あと梅田KPのE1もお願い")
    assert said(requests[-1]) == (  # one more queue to help, beside the plan's (SCHEMA)
        "plan",
        {
            "targets": [
                {"location": "札幌", "process": "エントリ1"},
                {"location": "梅田", "business_id": "523202", "process": "エントリ1"},
            ]
        },
    )


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        ("盛岡って遅れてる？", "delay_risk", {"targets": [{"location": "盛岡"}]}),
        ("仙台センター、遅れそう？", "delay_risk", {"unknown": ["仙台"]}),
        ("品川の出荷どう？", "status", {"targets": [{"location": "品川"}], "unknown": ["出荷"]}),
        ("発送の工程って誰ができる？", "skill_search", {"unknown": ["発送"]}),
        (
            "吉田真由美さんは今何の工程？",
            "operator_lookup",
            {"operators": {"about": ["吉田真由美"]}},
        ),
    ],
)
def test_sites_late_and_processes_the_data_lacks(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "level"),
    [("レベルが3以上", 3), ("熟練度4以上", 4), ("ランク5", 5), ("L4以上", 4), ("4レベル以上", 4)],
)
def test_levels_said_many_ways(text: str, level: int) -> None:
    from aimee.nlu.normalize import normalize
    from aimee.nlu.slots import min_level

    assert min_level(normalize(text)) == level


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("梅田の検証で古株って誰？", "most_experienced"),
        ("補正で勤続が一番長い人", "most_experienced"),
        ("エントリ2でスピードがいちばんある人は？", "fastest"),
    ],
)
def test_orders_said_many_ways(analyzer: IntentAnalyzer, text: str, sort: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "skill_search"
    assert request.slots.sort == sort


def test_follow_ups_naming_several_parts_of_the_queue(analyzer: IntentAnalyzer) -> None:
    both = conversation(analyzer, "品川の検証、何時に終わる？", "SSとKPは？")[-1]
    assert said(both) == (
        "finish_time",
        {
            "targets": [
                {"location": "品川", "business_id": "523201", "process": "検証"},
                {"location": "品川", "business_id": "523202", "process": "検証"},
            ]
        },
    )
    worst = conversation(analyzer, "盛岡どう？", "KPのほうは？", "一番やばいのは？")[-1]
    assert said(worst) == (
        "delay_risk",
        {"targets": [{"location": "盛岡", "business_id": "523202"}]},
    )


def test_half_a_year_of_experience() -> None:
    from aimee.nlu.normalize import normalize
    from aimee.nlu.slots import experience_months

    assert experience_months(normalize("補正の経験半年以上の人")) == 6
    assert experience_months(normalize("半年前に入った人")) is None

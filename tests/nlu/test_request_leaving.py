"""Unnamed people leaving a queue (「1人抜けたら」), and the phrasings of the tenth
development set's first run: off-topic next to the floor's words, help asked politely,
times that are the time now, the day before yesterday. Our own sentences (never the
frozen set's)."""

from __future__ import annotations

from datetime import date

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.normalize import normalize
from aimee.nlu.request import HeadCount
from aimee.nlu.slots import by_time, day, head_count
from tests.nlu.test_request_phrasings import conversation, said

SAPPORO_H = {"location": "札幌", "process": "補正"}
NAHA_V = {"location": "那覇", "process": "検証"}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("札幌の補正、2人抜けたらどうなる？", HeadCount(exact=2, leaving=True)),
        ("那覇の検証でひとり休んだら間に合わない？", HeadCount(exact=1, leaving=True)),
        ("品川の補正、3人早退しても平気？", HeadCount(exact=3, leaving=True)),
        ("梅田のE2、1名研修で外れたら？", HeadCount(exact=1, leaving=True)),
        ("盛岡のE1、2人減らしても回る？", HeadCount(exact=2, leaving=True)),
        ("What if two people go home at Naha verification?", HeadCount(exact=2, leaving=True)),
        # people coming, or an order to move people: not leaving
        ("那覇の検証、あと2人いたら間に合う？", HeadCount(exact=2)),
        ("札幌の補正から2人抜いて那覇に回して", HeadCount(exact=2)),
        ("那覇の検証に1人入れたら？", HeadCount(exact=1)),
        # people coming in, then something else going down or up (review, 2026-12-06)
        ("札幌のE1に2人増やしたら遅延は減る？", HeadCount(exact=2)),
        ("札幌のエントリ1に2人入れたら遅れは減る？", HeadCount(exact=2)),
        ("1人入れたら処理速度上がる？", HeadCount(exact=1)),
        ("那覇に1人回したら残業減る？", HeadCount(exact=1)),
    ],
)
def test_a_count_of_people_leaving_is_read_as_leaving(text: str, count: HeadCount) -> None:
    assert head_count(normalize(text)) == count


def test_unnamed_people_leaving_is_a_what_if_about_that_queue(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌の補正から2人抜けたらどうなる？")
    assert said(request) == ("what_if", {"targets": [SAPPORO_H], "head_count": {"exact": 2}})
    assert request.public()["leaving"] is True


def test_a_follow_up_count_keeps_people_leaving(analyzer: IntentAnalyzer) -> None:
    _, more = conversation(analyzer, "札幌の補正、1人休んだら間に合う？", "3人なら？")
    assert said(more) == ("what_if", {"targets": [SAPPORO_H], "head_count": {"exact": 3}})
    assert more.slots.head_count is not None and more.slots.head_count.leaving


def test_one_more_leaving_keeps_the_person_named(analyzer: IntentAnalyzer) -> None:
    _, more = conversation(analyzer, "石川さんが抜けたら札幌の検証どう？", "さらに1人抜けたら？")
    assert said(more) == (
        "what_if",
        {
            "targets": [{"location": "札幌", "process": "検証"}],
            "operators": {"remove": ["石川幸子"]},
            "head_count": {"exact": 1},
        },
    )


def test_people_leaving_after_a_status_is_about_its_queue(analyzer: IntentAnalyzer) -> None:
    _, leaving = conversation(analyzer, "那覇の検証どう？", "そこ2人早退したら？")
    assert said(leaving) == ("what_if", {"targets": [NAHA_V], "head_count": {"exact": 2}})


@pytest.mark.parametrize(
    "text",
    [
        "札幌の新年会っていつだっけ",
        "補正の手順書の資料、印刷用にまとめて",
        "品川の社員証が反応しない",
        "検証1件の単価って上がった？",
        "梅田のお客さんからクレーム来てる、返信の文面考えて",
        "那覇の補正、スタッフ募集の求人出したい",
        "盛岡の更衣室に落とし物があった",
        "検証チームのネットが繋がらない",
        "梅田の制服、追加で発注したい",
        "Could you write a short memo about correction?",
    ],
)
def test_other_business_next_to_the_floor_is_off_topic(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    kind, slots = said(request)
    assert kind == "out_of_scope" and set(slots) <= {"language"}


@pytest.mark.parametrize(
    "text", ["このチャットでどんなことが頼めますか", "What kinds of questions can I ask here?"]
)
def test_what_can_be_asked_is_help(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "help"


@pytest.mark.parametrize(
    ("text", "hhmm"),
    [
        ("今16時だけど、盛岡の検証は18時に間に合う？", "18:00"),
        ("いま15時過ぎで那覇のE1は19時いけそう？", "19:00"),
        ("梅田のE2、19時は過ぎちゃう？", "19:00"),
        ("今15時半過ぎで、那覇の補正がまずい", None),
    ],
)
def test_the_time_now_is_not_a_time_asked_about(text: str, hhmm: str | None) -> None:
    assert by_time(normalize(text)) == hhmm


def test_the_day_before_yesterday_is_a_day_without_data() -> None:
    assert day(normalize("一昨日の札幌は？"), date(2025, 10, 23)) == "2025-10-21"
    assert day(normalize("おとといの梅田"), date(2025, 10, 23)) == "2025-10-21"
    assert day(normalize("昨日の梅田"), date(2025, 10, 23)) == "yesterday"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("梅田SSのE2、19時は過ぎちゃう？", "finish_time"),
        ("品川の補正、何分くらい遅れそう？", "finish_time"),
        ("札幌の検証が間に合わないってことはないよね？", "finish_time"),
        ("那覇の補正、2人増やしたところで間に合う？", "what_if"),
        ("梅田KPのE1にだれか来てくれんかね", "plan"),
        ("那覇の補正、何とか間に合わせられないかな", "plan"),
        ("札幌のエントリ2に回すとしたら誰がいい？", "plan"),
        ("札幌のE2に木下さん入れて", "plan"),
    ],
)
def test_kinds_of_the_tenth_set_shapes(analyzer: IntentAnalyzer, text: str, kind: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == kind


@pytest.mark.parametrize(
    "text", ["Lv2の人を検証に入れていい？", "経験半年の人を応援に出してもいい？"]
)
def test_whether_something_is_allowed_is_know_how(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "knowhow"


def test_a_skill_asked_at_an_unknown_site_searches_no_queue(analyzer: IntentAnalyzer) -> None:
    [search] = conversation(analyzer, "広島で補正できる人いる？")
    assert said(search) == ("skill_search", {"unknown": ["広島"]})
    [known] = conversation(analyzer, "札幌で補正できる人いる？")
    assert said(known)[1]["targets"] == [{"location": "札幌", "process": "補正"}]

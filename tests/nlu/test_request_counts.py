"""Count words (ひとり, ふたり, 一人, 二名, 全員, 誰も…) where they are a head count and where
they are not, and the phrasings of the eighth development set's first run. Our own
sentences (never the frozen set's)."""

from __future__ import annotations

from datetime import date

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.carry import carry_over
from aimee.nlu.normalize import normalize
from aimee.nlu.request import HeadCount, QueueRef, Request, Slots
from aimee.nlu.slots import head_count
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}
UMEDA_KP_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("札幌E1にひとりだけ回して", HeadCount(exact=1)),
        ("那覇E1、ふたりまで", HeadCount(max=2)),
        ("誰か一人回せない？", HeadCount(exact=1)),
        ("二、三人回せない？", HeadCount(max=3)),
        ("二名いれば間に合う？", HeadCount(exact=2)),
        ("札幌E1、多くても2人で", HeadCount(max=2)),
        ("応援は最大で2人", HeadCount(max=2)),
        ("上限は3人で応援組んで", HeadCount(max=3)),
        ("2人に抑えて応援案ちょうだい", HeadCount(max=2)),
        ("Only one, from Sapporo.", HeadCount(exact=1)),
        ("札幌の補正は10人もいるから、そこから2人エントリ1に回して", HeadCount(exact=2)),
        ("5人体制の那覇E1に、もう1人入れたら？", HeadCount(exact=1)),
        # the people who are there, a rate, or nobody: no helpers asked for
        ("盛岡からは一人も出せないよ", None),
        ("検証Lv5って那覇にひとりもいないの？", None),
        ("エントリ2のLv3以上、ふたりいる？", None),
        ("一人当たり何件くらい残ってる？", None),
        ("盛岡SSの検証、ひとりで回してるの？", None),
        ("品川の補正、ふたりで足りてる？", None),
    ],
)
def test_a_count_word_is_a_head_count_only_when_it_limits_helpers(
    text: str, count: HeadCount | None
) -> None:
    assert head_count(normalize(text)) == count


@pytest.mark.parametrize(
    "text",
    [
        "盛岡の検証はひとりで大丈夫？",
        "品川SSの補正、ひとりで足りてる？",
        "那覇の補正、二人で回してるの？",
    ],
)
def test_how_many_a_queue_has_now_is_its_status(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "status"
    assert request.slots.head_count is None


def test_one_person_is_enough_after_a_plan_re_plans(analyzer: IntentAnalyzer) -> None:
    _, enough = conversation(analyzer, "那覇のE1に応援出して", "ひとりで大丈夫")
    assert said(enough) == ("plan", {"targets": [NAHA_E1], "head_count": {"exact": 1}})


@pytest.mark.parametrize(
    ("text", "spared"),
    [
        ("盛岡からは一人も出せないよ", "盛岡"),
        ("品川の人は全員残して", "品川"),
        ("札幌からは出せない", "札幌"),
    ],
)
def test_a_site_that_gives_nobody_is_spared(
    analyzer: IntentAnalyzer, text: str, spared: str
) -> None:
    _, refused = conversation(analyzer, "那覇E2、応援入れて間に合わせたい", text)
    assert said(refused) == ("plan", {"targets": [NAHA_E2], "spare": [{"location": spared}]})


def test_asking_whether_a_site_can_give_keeps_it_an_origin(analyzer: IntentAnalyzer) -> None:
    _, asked = conversation(analyzer, "那覇E2、応援入れて間に合わせたい", "盛岡から出せない？")
    assert said(asked)[1]["origins"] == [{"location": "盛岡"}]


def test_n_more_people_is_a_what_if(analyzer: IntentAnalyzer) -> None:
    _, more = conversation(analyzer, "那覇の検証間に合いそう？", "二名いれば間に合う？")
    target = {"location": "那覇", "process": "検証"}
    assert said(more) == ("what_if", {"targets": [target], "head_count": {"exact": 2}})


def test_a_persons_move_is_read_past_the_queues_named(analyzer: IntentAnalyzer) -> None:
    [moved] = conversation(
        analyzer, "長谷川陽子さんを札幌の補正から札幌のエントリ1へ回したら間に合う？"
    )
    assert said(moved) == (
        "what_if",
        {
            "targets": [{"location": "札幌", "process": "エントリ1"}],
            "operators": {"move": ["長谷川陽子"]},
        },
    )


@pytest.mark.parametrize("text", ["高山さんって盛岡だっけ？", "高山さんって盛岡？"])
def test_confirming_where_someone_is_looks_them_up(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("operator_lookup", {"operators": {"about": ["高山麻由子"]}})


@pytest.mark.parametrize(
    "text",
    [
        "札幌って今日雪降ってる？",
        "今日残業していい？",
        "那覇の人の残業申請ってどこで出すの？",
        "品川の会議室って空いてる？",
    ],
)
def test_weather_overtime_and_rooms_are_off_topic_next_to_a_site(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", {})


def test_a_site_that_can_spare_people_is_an_origin_in_english(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "Can Morioka spare two people for Naha entry 1?")
    assert said(request) == (
        "plan",
        {
            "targets": [NAHA_E1],
            "origins": [{"location": "盛岡"}],
            "head_count": {"exact": 2},
            "language": "en",
        },
    )


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("札幌で検品できる人いる？", ["検品"]),
        ("仕分けできる人いる？", ["仕分け"]),
        ("今日できる人いる？", []),
        ("早くできる人いる？", []),
        ("誰かできる人いる？", []),
    ],
)
def test_an_unknown_task_is_a_task_not_an_adverb(
    analyzer: IntentAnalyzer, text: str, unknown: list[str]
) -> None:
    [request] = conversation(analyzer, text)
    assert list(request.slots.unknown) == unknown


@pytest.mark.parametrize(
    "text",
    [
        "那覇って今日暑い？",
        "高山さんの誕生日いつだっけ？",
        "竹下さんの電話番号教えて",
        "品川の住所ってどこ？",
        "梅田の近くでおすすめの店ある？",
    ],
)
def test_private_details_and_small_talk_about_a_site_or_person_are_off_topic(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", {})


def test_whom_to_escalate_to_stays_know_how(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "エスカレの連絡先って誰だっけ？")
    assert request.kind == "knowhow"


def test_a_person_the_data_lacks_named_alone_is_looked_up(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "木下さんは？")
    assert said(request) == ("operator_lookup", {"unknown": ["木下"]})


def test_a_queue_then_from_there_in_one_sentence_is_the_origin(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌の補正は10人もいるから、そこから2人エントリ1に回して")
    assert said(request) == (
        "plan",
        {
            "targets": [{"location": "札幌", "process": "エントリ1"}],
            "origins": [{"location": "札幌", "process": "補正"}],
            "head_count": {"exact": 2},
        },
    )


def test_at_most_said_with_temo_is_a_cap_not_a_condition(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌E1、多くても2人で")
    assert said(request) == (
        "plan",
        {"targets": [{"location": "札幌", "process": "エントリ1"}], "head_count": {"max": 2}},
    )


def test_n_added_asked_as_a_question_is_a_what_if(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "2名追加で那覇の検証いける？")
    assert said(request) == (
        "what_if",
        {"targets": [{"location": "那覇", "process": "検証"}], "head_count": {"exact": 2}},
    )


@pytest.mark.parametrize(
    "text",
    [
        "那覇の人たちにお菓子送りたい",
        "品川の検証の人、病院どこがいい？",
        "今日の札幌の来客予定は？",
    ],
)
def test_errands_about_a_site_are_off_topic(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", {})


def test_a_skill_search_for_at_least_two_has_no_head_count(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡でエントリ2のLv3以上、ふたり以上いる？")
    assert said(request) == (
        "skill_search",
        {"targets": [{"location": "盛岡", "process": "エントリ2"}], "min_level": 3},
    )


def test_romaji_japanese_asking_for_a_persons_skills_is_not_english(
    analyzer: IntentAnalyzer,
) -> None:
    [request] = conversation(analyzer, "Takayama-san no skill oshiete")
    assert said(request) == ("operator_lookup", {"operators": {"about": ["高山麻由子"]}})


@pytest.mark.parametrize(
    "text",
    [
        "札幌から那覇に応援行く人の飛行機取って",
        "那覇の補正の人たちの勤怠見せて",
        "高山さんの有給残ってる？",
        "札幌E1の担当者にメール送っといて",
        "高山さんにチャットで連絡しといて",
    ],
)
def test_hr_travel_and_messages_are_off_topic_whoever_is_named(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", {})


def test_leave_that_takes_someone_off_is_a_what_if(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "高山さん有給で休み。盛岡E1大丈夫？")
    assert said(request) == (
        "what_if",
        {
            "targets": [{"location": "盛岡", "process": "エントリ1"}],
            "operators": {"remove": ["高山麻由子"]},
        },
    )


def test_a_family_name_several_people_share_looks_them_all_up(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "ふじいさんどこ")
    assert request.kind == "operator_lookup"
    assert request.slots.operators is not None
    assert set(request.slots.operators.about) == {"藤井大輔", "藤井直樹", "藤井沙織"}


def test_nobody_is_moved_on_a_guess_between_namesakes(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "鈴木さんを抜いたら梅田の補正どうなる？")
    assert request.slots.operators is None


def test_tomorrow_is_a_day_without_data(analyzer: IntentAnalyzer) -> None:
    [result] = analyzer.analyze_many(
        ["明日の那覇の人員配置案作って"], [None], [None], date(2025, 10, 23)
    )
    assert result.request is not None
    assert said(result.request) == (
        "plan",
        {"targets": [{"location": "那覇"}], "date": "2025-10-24"},
    )


def test_help_there_after_a_list_of_late_queues_is_for_the_first_listed() -> None:
    worst = QueueRef(location="札幌", business_id="523201", process="エントリ1")
    listed = Request(kind="delay_risk", answered_queues=(worst, QueueRef(location="那覇")))
    there = carry_over("plan", Slots(), "そこに応援出して", previous=listed, last_plan=None)
    assert there.targets == (worst,)
    elsewhere = carry_over("plan", Slots(), "応援出して", previous=listed, last_plan=None)
    assert elsewhere.targets == ()


def test_a_namesake_named_in_full_is_the_one_meant(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "あ、翔太さんの方だ。佐藤翔太さんどこ配置？")
    assert said(request) == ("operator_lookup", {"operators": {"about": ["佐藤翔太"]}})


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("残業申請承認して", {}),
        ("有給申請を承認しといて", {}),
        ("I need to approve my timesheet", {"language": "en"}),
        ("品川のリーダーに電話して", {}),
        ("那覇のみんなにお疲れ様って伝えて", {}),
        ("このデータCSVで出して", {}),
        ("How are you?", {"language": "en"}),
        ("Who won the baseball game yesterday?", {"language": "en"}),
    ],
)
def test_other_systems_approvals_calls_and_small_talk_are_off_topic(
    analyzer: IntentAnalyzer, text: str, slots: dict[str, str]
) -> None:
    [request] = conversation(analyzer, text)
    assert said(request) == ("out_of_scope", slots)


@pytest.mark.parametrize("text", ["それで承認して", "Approve it."])
def test_approving_the_suggestion_is_still_asked_of_the_chat(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "approval_request"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("那覇のエントリ2、このままだと間に合わないよね。どうする？", NAHA_E2),
        ("那覇E1どうしよう", NAHA_E1),
        ("札幌E1のフォローお願い", {"location": "札幌", "process": "エントリ1"}),
        ("What can I do about Naha entry 1?", NAHA_E1),
    ],
)
def test_what_to_do_about_a_queue_is_a_plan(
    analyzer: IntentAnalyzer, text: str, target: dict[str, str]
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "plan"
    assert request.slots.targets[0].model_dump(exclude_none=True) == target


def test_what_you_can_ask_is_still_help(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "What can I ask you?")
    assert request.kind == "help"

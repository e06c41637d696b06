"""Phrasings from the eleventh development set's voices (our own sentences, never the
frozen set's): kanji and afternoon times, counts and levels in kanji, a deadline written
before its time, a range after a word, equipment / travel / contracts off the floor,
colloquial approvals, English help, who-questions recalled with 「だっけ」, skills said
with other verbs, dialect for how a place stands, remedies as know-how, 手当て as a plan,
two businesses of one site, a follow-up keeping the business, the place a plan takes
people from, a spared site said as 「〜からの移動は避けたい」, a person put in without a
particle, romaji Japanese."""

from __future__ import annotations

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.slots import arabic, by_time, head_count, min_level
from tests.nlu.test_request_phrasings import conversation, said

SHINAGAWA_SS_HOSEI = {"location": "品川", "business_id": "523201", "process": "補正"}
SHINAGAWA_KP_HOSEI = {"location": "品川", "business_id": "523202", "process": "補正"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("那覇E2、十七時までに終わる？", "17:00"),
        ("十六時四十分締めのやつ", "16:40"),
        ("梅田の補正、5時半には終わってる？", "17:30"),  # the afternoon on this floor
        ("朝8時までに", "08:00"),
        ("品川SS検証 締め18:20 応援要", "18:20"),
        ("〆17時 E1 応援", "17:00"),
    ],
)
def test_times_in_kanji_in_the_afternoon_and_after_the_deadline_word(
    text: str, expected: str
) -> None:
    assert by_time(arabic(text)) == expected


def test_counts_and_levels_in_kanji() -> None:
    assert head_count(arabic("品川SSの検証に三人入れたい")) is not None
    assert head_count(arabic("品川SSの検証に三人入れたい")).exact == 3  # type: ignore[union-attr]
    assert min_level(arabic("補正がレベル四以上の人")) == 4
    assert min_level(arabic("高橋さんのレベル一覧")) is None  # 一覧 is no level
    assert arabic("一時的に止める") == "一時的に止める"
    assert arabic("十分間に合う") == "十分間に合う"


def test_a_range_after_a_word_is_a_cap_but_not_after_a_process() -> None:
    ranged = head_count("那覇補正にヘルプ2、3人")
    assert ranged is not None and ranged.max == 3
    process = head_count("エントリ2、3人")
    assert process is not None and process.exact == 3


@pytest.mark.parametrize(
    "text",
    [
        "梅田の補正の席のマウスが故障してるんだけど",
        "札幌の人たち、空港まで何分くらい？",
        "那覇KPのお客さんとの契約書ってどこ？",
        "盛岡の防災訓練は何時から？",
        "Could you order some coffee for the Naha team?",
    ],
)
def test_equipment_travel_contracts_and_drills_are_off_the_floor(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "out_of_scope"


def test_colloquial_approvals(analyzer: IntentAnalyzer) -> None:
    _, done = conversation(analyzer, "那覇の補正に応援", "これ反映しちゃって")
    assert done.kind == "approval_request"
    _, go = conversation(analyzer, "札幌E1応援", "じゃあこの案でGO")
    assert go.kind == "approval_request"


@pytest.mark.parametrize(
    "text", ["so what are you for?", "Can you explain what this assistant does?"]
)
def test_english_help(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "help"


def test_who_recalled_is_a_search_not_a_rule(analyzer: IntentAnalyzer) -> None:
    [fastest] = conversation(analyzer, "補正最速って誰だったっけ")
    assert said(fastest) == ("skill_search", {"targets": [{"process": "補正"}], "sort": "fastest"})


def test_a_skill_said_with_another_verb(analyzer: IntentAnalyzer) -> None:
    [search] = conversation(analyzer, "盛岡で検証打てる人何人？")
    assert said(search) == ("skill_search", {"targets": [{"location": "盛岡", "process": "検証"}]})


@pytest.mark.parametrize("text", ["梅田SSのE2、どないなっとる？", "那覇の補正、ちゃーなってる？"])
def test_how_a_queue_stands_in_dialect(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "status"


def test_a_remedy_without_a_queue_is_know_how(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "夕方の時間帯って処理が落ちるの、何か対策ある？")
    assert request.kind == "knowhow"


def test_see_to_it_is_a_plan(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇E1、このままだと落ちる。手当てして")
    assert request.kind == "plan"


def test_two_businesses_of_one_site(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "品川SSの補正とKPの補正、何時に終わる？")
    assert said(request) == (
        "finish_time",
        {"targets": [SHINAGAWA_SS_HOSEI, SHINAGAWA_KP_HOSEI]},
    )


def test_a_process_alone_after_a_queue_keeps_its_business(analyzer: IntentAnalyzer) -> None:
    _, other = conversation(analyzer, "梅田KPのE1の状況は？", "E2は？")
    assert said(other) == (
        "status",
        {"targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ2"}]},
    )


def test_the_place_people_left_after_a_plan(analyzer: IntentAnalyzer) -> None:
    _, donor = conversation(analyzer, "那覇E1に3人回して", "その3人が抜けたとこは平気？")
    assert donor.kind == "donor_check"
    _, kana = conversation(analyzer, "那覇E1に人回して", "さっぽろのほせいはへいき？")
    assert said(kana) == ("donor_check", {"targets": [{"location": "札幌", "process": "補正"}]})


def test_a_site_whose_moves_are_avoided_is_spared(analyzer: IntentAnalyzer) -> None:
    [plan] = conversation(analyzer, "那覇のE1に応援を。品川からの移動は避けたい")
    assert plan.kind == "plan"
    assert said(plan)[1].get("spare") == [{"location": "品川"}]
    assert not said(plan)[1].get("origins")


def test_a_person_put_in_without_a_particle(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "坂本聡さん盛岡SSの検証に入ってもらったら？")
    assert request.kind == "what_if"
    assert said(request)[1]["operators"] == {"add": ["坂本聡"]}


def test_romaji_japanese_is_not_english(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "takayama san doko?")
    assert said(request) == ("operator_lookup", {"operators": {"about": ["高山麻由子"]}})


def test_n_people_wanted_in_kanji_is_a_plan(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "札幌E1に四人入れたい")
    assert request.kind == "plan"
    assert said(request)[1]["head_count"] == {"exact": 4}


def test_people_one_may_ask_for_are_helpers_not_a_skill(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡SSの検証、応援をお願いできる方を提案してもらえますか")
    assert request.kind == "plan"


# --- batch 2 --------------------------------------------------------------------------


def test_plus_n_is_a_count() -> None:
    plus = head_count("那覇e2 +2で")
    assert plus is not None and plus.exact == 2
    assert head_count("e1+2") is None  # not a count after a process


def test_a_level_typed_with_hiragana_be(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡SSの検証にレべル3以上の人を回して")
    assert said(request)[1]["min_level"] == 3


def test_sent_back_is_a_move(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "藤田綾香さんを那覇の検証に戻したらどうなる？")
    assert said(request)[1]["operators"] == {"move": ["藤田綾香"]}


def test_put_in_after_a_look_up_is_an_add(analyzer: IntentAnalyzer) -> None:
    _, put_in = conversation(analyzer, "前田彩さんのスキル教えて", "じゃあ梅田SSのE1に入れたら？")
    assert said(put_in)[1]["operators"] == {"add": ["前田彩"]}
    _, sent = conversation(analyzer, "前田彩さんのスキル教えて", "じゃあ梅田SSのE1に回したら？")
    assert said(sent)[1]["operators"] == {"move": ["前田彩"]}


@pytest.mark.parametrize(
    "text",
    [
        "応援で出せるのは1チームから何人までって決まってる？",
        "エントリ1からエントリ2に切り替えるとき注意することある？",
    ],
)
def test_rules_said_as_what_is_decided_or_what_to_mind(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "knowhow"


def test_what_this_ai_can_be_asked(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "このAIって何をお願いできるの？")
    assert request.kind == "help"


@pytest.mark.parametrize(
    "text",
    [
        "梅田のみんなで打ち上げするんだけど、いい店知らない？",
        "Any news about the train delays in Osaka today?",
        "竹下さんの携帯の番号教えて",
    ],
)
def test_parties_news_and_phone_numbers_are_off_the_floor(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "out_of_scope"


# --- batch 3 --------------------------------------------------------------------------


def test_a_place_in_kana_and_a_person_in_latin_letters_unknown(analyzer: IntentAnalyzer) -> None:
    [place] = conversation(analyzer, "オオサカの補正ってどう？")
    assert said(place)[1]["unknown"] == ["オオサカ"]
    [person] = conversation(analyzer, "Where is Nakata-san now?")
    assert said(person) == ("operator_lookup", {"unknown": ["Nakata"], "language": "en"})


def test_a_task_in_katakana_unknown(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "ダブルチェックできる人って何人いる？")
    assert said(request)[1]["unknown"] == ["ダブルチェック"]
    [help_asked] = conversation(analyzer, "那覇E1、サポートできる人いる？")
    assert "unknown" not in said(help_asked)[1]


def test_figures_of_a_queue_are_a_status(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "品川KPの補正、数字だけちょうだい")
    assert request.kind == "status"


def test_whether_a_queue_is_all_right_asks_its_finish(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡SSの補正、問題ない？")
    assert said(request) == (
        "finish_time",
        {"targets": [{"location": "盛岡", "business_id": "523201", "process": "補正"}]},
    )


def test_only_n_can_be_given_after_a_plan(analyzer: IntentAnalyzer) -> None:
    _, fewer = conversation(analyzer, "那覇の検証に応援お願い", "もし2人しか出せなかったら？")
    assert said(fewer) == (
        "plan",
        {"targets": [{"location": "那覇", "process": "検証"}], "head_count": {"exact": 2}},
    )
    assert head_count("1人しかいない") is None  # the people there, not a count


def test_only_from_a_site_asked_as_a_question(analyzer: IntentAnalyzer) -> None:
    _, only = conversation(analyzer, "那覇E2に応援", "品川だけで足りる？")
    assert said(only)[1]["origins"] == [{"location": "品川"}]


def test_how_a_past_case_was_handled_is_know_how(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "以前、梅田SSの検証がパンクしたときはどう回したんでしたっけ")
    assert request.kind == "knowhow"


def test_a_shift_roster_is_off_the_floor(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "来月の盛岡のシフト作っておいて")
    assert request.kind == "out_of_scope"


def test_approved_in_english(analyzer: IntentAnalyzer) -> None:
    _, approved = conversation(analyzer, "Send help to Naha E2", "Approved, please execute it")
    assert approved.kind == "approval_request"


# --- batch 4 --------------------------------------------------------------------------


def test_a_swap_moves_both(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "竹下さんと高山さんを入れ替えたらどうなる？")
    assert said(request)[1]["operators"] == {"move": ["竹下朱美", "高山麻由子"]}


def test_when_someone_leaves_is_no_deadline() -> None:
    assert by_time("石井さくらさんが17時で退勤する場合") is None
    assert by_time("17時に上がる人いる？") is None
    assert by_time("17時に間に合う？") == "17:00"


@pytest.mark.parametrize(
    "text", ["Morioka KP entry 2 ETA?", "品川SSの検証、締めの時点で何件残る？"]
)
def test_an_eta_and_the_tasks_left_at_the_deadline_are_a_finish(
    analyzer: IntentAnalyzer, text: str
) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "finish_time"


@pytest.mark.parametrize(
    "text", ["那覇の事務所暑すぎない？", "来週梅田に見学の人が来るから案内お願い"]
)
def test_the_office_and_visitors_are_off_the_floor(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "out_of_scope"


def test_carry_it_out_as_it_is_is_an_approval(analyzer: IntentAnalyzer) -> None:
    _, done = conversation(analyzer, "那覇の補正に応援案", "問題ないのでこのまま実施してください")
    assert done.kind == "approval_request"


# --- batch 5 --------------------------------------------------------------------------


def test_a_recovery_asked_for_is_a_plan(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇の補正、リカバリ策ちょうだい")
    assert request.kind == "plan"


def test_a_places_people_sent_are_an_origin(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡SSの検証に、札幌の検証の人を1人まわせる？")
    assert said(request)[1]["origins"] == [{"location": "札幌", "process": "検証"}]
    assert said(request)[1]["targets"] == [
        {"location": "盛岡", "business_id": "523201", "process": "検証"}
    ]


def test_assigned_is_put_in_and_where_assigned_is_a_look_up(analyzer: IntentAnalyzer) -> None:
    [put_in] = conversation(analyzer, "後藤直樹さんを那覇の検証にアサインしたら？")
    assert said(put_in)[1]["operators"] == {"add": ["後藤直樹"]}
    [where] = conversation(analyzer, "菅原さんのアサイン先ってどこ？")
    assert said(where) == ("operator_lookup", {"operators": {"about": ["菅原翔太"]}})


def test_a_plan_asked_last_despite_a_condition(analyzer: IntentAnalyzer) -> None:
    _, plan = conversation(
        analyzer, "那覇E2に高橋智子さん入れたらどう？", "それで足りなければ他も含めて案出して"
    )
    assert said(plan) == (
        "plan",
        {
            "targets": [{"location": "那覇", "process": "エントリ2"}],
            "operators": {"add": ["高橋智子"]},
        },
    )


# --- batch 6 --------------------------------------------------------------------------


def test_an_order_only_in_a_skill_search(analyzer: IntentAnalyzer) -> None:
    [veteran] = conversation(analyzer, "原田さんってベテラン？")
    assert said(veteran) == ("operator_lookup", {"operators": {"about": ["原田愛"]}})
    [plan] = conversation(analyzer, "那覇E2に経験者を入れて")
    assert said(plan) == ("plan", {"targets": [{"location": "那覇", "process": "エントリ2"}]})


def test_where_to_bring_people_from_is_a_plan(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "梅田KPのE1、どこから人持ってくればいい？")
    assert request.kind == "plan"


def test_cleared_before_a_time(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "品川KPの補正、16時45分前には片付く？")
    assert said(request) == (
        "finish_time",
        {
            "targets": [{"location": "品川", "business_id": "523202", "process": "補正"}],
            "by_time": "16:45",
        },
    )


def test_queues_likely_out_are_delay_risks(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "アウトになりそうなとこ、全部教えて")
    assert request.kind == "delay_risk"


def test_snow_in_english_is_off_the_floor(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "Is it raining in Naha right now?")
    assert request.kind == "out_of_scope"

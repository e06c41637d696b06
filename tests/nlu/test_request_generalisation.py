"""Phrasings the parser was not written for, from the seventh development set's voices:
off-topic questions with no word of the floor, the referent of 「遅れは何分？」, a donor
asked about as the origin, a spared site said as 「〜からは無理」, kana sites before a
process. Our own sentences (never the frozen set's)."""

from __future__ import annotations

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

MORIOKA_V = {"location": "盛岡", "business_id": "523201", "process": "検証"}


@pytest.mark.parametrize(
    "text",
    [
        "来週の歓送迎会ってどこでやるんだっけ",
        "社員証なくしちゃったんだけど",
        "エアコンの温度って誰に言えば変えてもらえる？",
        "お疲れさまです、サンキュです",
    ],
)
def test_nothing_of_the_floor_is_out_of_scope(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "新人って最初はどの工程に入れるのが決まりだっけ",
        "応援から戻すタイミングってどう決めてたっけ",
        "前にも那覇の補正が溢れたことあった？",
    ],
)
def test_know_how_about_the_floor_stays_know_how(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "knowhow"


def test_the_delay_in_minutes_is_the_queue_just_asked_about(analyzer: IntentAnalyzer) -> None:
    _, minutes = conversation(analyzer, "盛岡SSの検証、終わりそう？", "遅れはどれくらい？")
    assert said(minutes) == ("finish_time", {"targets": [MORIOKA_V]})
    _, english = conversation(analyzer, "When will Morioka SS verification finish?", "By how much?")
    assert said(english) == ("finish_time", {"targets": [MORIOKA_V], "language": "en"})


def test_is_a_queue_late_asks_its_finish(analyzer: IntentAnalyzer) -> None:
    [late] = conversation(analyzer, "盛岡SSの検証って押してる？")
    assert said(late) == ("finish_time", {"targets": [MORIOKA_V]})


def test_the_donor_asked_about_as_an_origin_is_the_target(analyzer: IntentAnalyzer) -> None:
    _, donor = conversation(analyzer, "那覇E1に応援ちょうだい", "梅田の補正から出しても支障ない？")
    assert said(donor) == ("donor_check", {"targets": [{"location": "梅田", "process": "補正"}]})


def test_a_site_that_cannot_give_is_spared(analyzer: IntentAnalyzer) -> None:
    _, spared = conversation(analyzer, "那覇E1に応援ちょうだい", "梅田からはNG")
    assert spared.kind == "plan"
    assert said(spared)[1]["spare"] == [{"location": "梅田"}]


def test_kana_site_before_a_process(analyzer: IntentAnalyzer) -> None:
    [status] = conversation(analyzer, "なはE1 いまどう？")
    assert said(status) == ("status", {"targets": [{"location": "那覇", "process": "エントリ1"}]})


def test_free_people_and_an_unknown_task(analyzer: IntentAnalyzer) -> None:
    [free] = conversation(analyzer, "検証で今動ける人何人？")
    assert free.slots.available_only
    [unknown] = conversation(analyzer, "仕訳けできる人いる？")
    assert unknown.slots.unknown == ("仕訳け",)


def test_a_break_in_english_takes_the_person_off(analyzer: IntentAnalyzer) -> None:
    [change] = conversation(analyzer, "What if Takayama goes on break? Is Morioka entry 1 ok?")
    assert change.kind == "what_if"
    assert change.slots.operators is not None
    assert change.slots.operators.remove == ("高山麻由子",)


def test_a_constraint_typed_alone_re_plans(analyzer: IntentAnalyzer) -> None:
    *_, level = conversation(analyzer, "那覇の補正に応援ちょうだい", "梅田からだけで", "Lv4以上")
    assert said(level) == (
        "plan",
        {
            "targets": [{"location": "那覇", "process": "補正"}],
            "origins": [{"location": "梅田"}],
            "min_level": 4,
        },
    )


def test_how_many_it_takes_is_a_plan(analyzer: IntentAnalyzer) -> None:
    [plan] = conversation(analyzer, "那覇の補正、何人足せば締めに間に合う？")
    assert plan.kind == "plan"


def test_recalling_a_queue_figure_is_not_know_how(analyzer: IntentAnalyzer) -> None:
    [deadline] = conversation(analyzer, "梅田KPのE1って締めいつだっけ？")
    assert deadline.kind == "finish_time"


def test_who_is_a_person_in_english_is_a_look_up(analyzer: IntentAnalyzer) -> None:
    [who] = conversation(analyzer, "Who is Takeshita Akemi?")
    assert who.kind == "operator_lookup"


def test_romaji_japanese_is_not_english(analyzer: IntentAnalyzer) -> None:
    [plan] = conversation(analyzer, "Morioka kensho ni ouen onegai")
    assert said(plan) == ("plan", {"targets": [{"location": "盛岡", "process": "検証"}]})


def test_someone_taken_off_a_queue_is_about_that_queue(analyzer: IntentAnalyzer) -> None:
    [off] = conversation(analyzer, "竹下さんを盛岡SSのE2から外したらどうなる？")
    assert said(off) == (
        "what_if",
        {
            "targets": [{"location": "盛岡", "business_id": "523201", "process": "エントリ2"}],
            "operators": {"remove": ["竹下朱美"]},
        },
    )
    [absent] = conversation(analyzer, "竹下さんがいなかったら盛岡SSのE2は？")
    assert absent.slots.operators is not None
    assert absent.slots.operators.remove == ("竹下朱美",)


@pytest.mark.parametrize(
    "text",
    [
        "前にも似たような事例あった？",
        "検証に新人入れるのはダメなんだっけ",
        "補正は何レベルから任せられる？",
    ],
)
def test_rules_and_past_cases_are_know_how(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "knowhow"


def test_off_topic_next_to_a_site_carries_no_slots(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "盛岡のWi-Fiパスワードって何だっけ")
    assert said(request) == ("out_of_scope", {})


def test_adopting_the_plan_is_an_approval_request(analyzer: IntentAnalyzer) -> None:
    *_, adopt = conversation(analyzer, "那覇E1に応援ちょうだい", "よし、その案採用で")
    assert adopt.kind == "approval_request"


def test_head_counts_in_kana_and_at_most(analyzer: IntentAnalyzer) -> None:
    [kana] = conversation(analyzer, "梅田KPのE1、ふたりまでで")
    assert kana.slots.head_count is not None and kana.slots.head_count.max == 2
    [most] = conversation(analyzer, "那覇の検証、最大3名で")
    assert most.slots.head_count is not None and most.slots.head_count.max == 3


def test_the_giving_side_after_a_plan_is_a_donor_check(analyzer: IntentAnalyzer) -> None:
    _, donor = conversation(analyzer, "梅田KPのE1に応援ちょうだい", "応援元は問題ない？")
    assert donor.kind == "donor_check"


def test_a_plan_asked_for_after_a_what_if(analyzer: IntentAnalyzer) -> None:
    what_if = "盛岡SSの検証にLv3を1人入れたら間に合う？"
    _, plan = conversation(analyzer, what_if, "ならその条件で案ちょうだい")
    assert plan.kind == "plan"


def test_english_worst_queue_and_past_cases(analyzer: IntentAnalyzer) -> None:
    [worst] = conversation(analyzer, "Which site is in the worst shape right now?")
    assert worst.kind == "delay_risk"
    [past] = conversation(analyzer, "Did we have a precedent for this?")
    assert past.kind == "knowhow"


def test_is_a_queue_staffed_is_its_status(analyzer: IntentAnalyzer) -> None:
    [staffed] = conversation(analyzer, "梅田KPのE1、人手足りてる？")
    assert staffed.kind == "status"
    [short] = conversation(analyzer, "梅田KPのE1 人足りん")
    assert short.kind == "plan"


def test_know_how_keeps_no_filters(analyzer: IntentAnalyzer) -> None:
    [rule] = conversation(analyzer, "Lv2の人を補正の応援に出すのはアリだっけ？")
    assert said(rule) == ("knowhow", {})


def test_times_said_before_the_deadline_word_and_who_is_fastest(analyzer: IntentAnalyzer) -> None:
    [risks] = conversation(analyzer, "18時締めのやつ、全部間に合いそう？")
    assert said(risks) == ("delay_risk", {"by_time": "18:00"})
    [fastest] = conversation(analyzer, "誰が補正いちばん早いの？")
    assert fastest.slots.sort == "fastest"
    [who] = conversation(analyzer, "検証、誰が速い？")
    assert who.slots.sort == "fastest"


@pytest.mark.parametrize(
    "text", ["夜間バッチの連絡手順のノウハウを教えて", "障害時のマニュアルある？"]
)
def test_asking_for_a_note_by_name_is_know_how(analyzer: IntentAnalyzer, text: str) -> None:
    """Asking for a procedure or the know-how by name is about the operation's notes,
    whatever the note is about."""
    [request] = conversation(analyzer, text)
    assert request.kind == "knowhow"

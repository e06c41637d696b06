"""Requests with their slots: the kind of answer wanted and every constraint stated.

Examples are the issue's own and our own phrasings; the frozen evaluation set
(bench/chat_eval/requests_v1.jsonl) is never used here."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.request import KINDS, REQUEST_KINDS, OperatorSlots, QueueRef, Request, Slots
from aimee.nlu.schema import IntentResult
from aimee.nlu.slots import by_time, experience_months, head_count, is_english

SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}


def parse(analyzer: IntentAnalyzer, text: str, last_plan: Request | None = None) -> Request:
    request = analyzer.analyze(text, last_plan=last_plan).request
    assert request is not None
    return request


def plan_for(target: dict[str, str], **slots: Any) -> Request:
    return Request.model_validate({"kind": "plan", "slots": {"targets": [target], **slots}})


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        (
            "札幌のエントリ1、盛岡から2人までで何とかして",
            "plan",
            {"targets": [SAPPORO_E1], "origins": [{"location": "盛岡"}], "head_count": {"max": 2}},
        ),
        (
            "札幌のエントリ1に応援を。品川は動かさないで",
            "plan",
            {"targets": [SAPPORO_E1], "spare": [{"location": "品川"}]},
        ),
        (
            "Lv4以上を2名入れたら札幌のエントリ1は間に合う？",
            "what_if",
            {"targets": [SAPPORO_E1], "head_count": {"exact": 2}, "min_level": 4},
        ),
        (
            "高山さんを抜いても盛岡のエントリ1は回る？",
            "what_if",
            {
                "targets": [{"location": "盛岡", "process": "エントリ1"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        ("札幌のエントリ1は何時に終わりそう？", "finish_time", {"targets": [SAPPORO_E1]}),
        ("札幌のエントリ1、ギリギリ？", "finish_time", {"targets": [SAPPORO_E1]}),
        ("高山さんは今どこ？", "operator_lookup", {"operators": {"about": ["高山麻由子"]}}),
        (
            "エントリ1でいちばん速いのは誰？",
            "skill_search",
            {"targets": [{"process": "エントリ1"}], "sort": "fastest"},
        ),
        (
            "補正ができて空いてる人いる？",
            "skill_search",
            {"targets": [{"process": "補正"}], "available_only": True},
        ),
        # a name or a day without data keeps the kind asked; its slot says what is missing
        ("福岡の進捗は？", "status", {"unknown": ["福岡"]}),
        ("明日の天気は？", "out_of_scope", {}),
        (
            "昨日の札幌はどうだった？",
            "status",
            {"targets": [{"location": "札幌"}], "date": "yesterday"},
        ),
        ("何ができるの？", "help", {}),
        ("それで承認して", "approval_request", {}),
        ("応援を出すときの基準は？", "knowhow", {}),
    ],
)
def test_a_request_and_its_slots(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    request = parse(analyzer, text)
    assert (request.kind, request.slots.public()) == (kind, slots)
    assert analyzer.analyze(text).intent_type == KINDS[request.kind]  # the contract's type


def test_follow_ups_work_on_the_last_plan(analyzer: IntentAnalyzer) -> None:
    last = plan_for(SAPPORO_E1)
    again = parse(analyzer, "じゃあ1名だけなら？", last)
    assert (again.kind, again.slots.public()) == (
        "plan",
        {"targets": [SAPPORO_E1], "head_count": {"exact": 1}},
    )
    capped = parse(analyzer, "3名までで", last)
    assert capped.kind == "plan" and capped.slots.head_count is not None
    assert capped.slots.head_count.max == 3 and capped.slots.targets == last.slots.targets
    donor = parse(analyzer, "その場合、品川は平気？", last)
    assert (donor.kind, donor.slots.public()) == (
        "donor_check",
        {"targets": [{"location": "品川"}]},
    )


def test_without_a_plan_a_bare_constraint_plans_nothing_in_particular(
    analyzer: IntentAnalyzer,
) -> None:
    assert parse(analyzer, "盛岡から2人出したい").slots.public() == {
        "origins": [{"location": "盛岡"}],
        "head_count": {"exact": 2},
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3名までで", {"max": 3}), ("2人以内", {"max": 2}), ("三人だけ", {"exact": 3}),
     ("up to 4 people", {"max": 4}), ("2 operators", {"exact": 2}), ("何人？", None)],
)  # fmt: skip
def test_head_counts(text: str, expected: dict[str, int] | None) -> None:
    found = head_count(text)
    assert (found.model_dump(exclude_none=True) if found else None) == expected


def test_times_experience_and_language() -> None:
    assert by_time("16時までに終わる？") == "16:00"
    assert by_time("16時半までに") == "16:30"
    assert by_time("by 4pm") == "16:00"
    assert experience_months("経験2年以上") == 24
    assert experience_months("経験6か月以上") == 6
    assert is_english("will sapporo entry1 make its deadline?")
    assert not is_english("札幌のentry1は？")


def test_every_kind_has_a_contract_type() -> None:
    assert set(KINDS) == set(REQUEST_KINDS)
    assert Slots().public() == {}


def test_romaji_and_english_names_resolve(analyzer: IntentAnalyzer) -> None:
    from aimee.nlu.romaji import romaji

    assert [romaji(k) for k in ("さっぽろ", "もりおか", "しながわ", "なは", "きょうと")] == [
        "sapporo", "morioka", "shinagawa", "naha", "kyouto",
    ]  # fmt: skip
    assert romaji("札幌") is None
    entities = analyzer.analyze("how is naha correction going?").entities
    assert (entities["location"], entities["process"]) == ("那覇", "補正")
    request = parse(analyzer, "Which queues will be late?")
    assert (request.kind, request.slots.language) == ("delay_risk", "en")


def turn(
    analyzer: IntentAnalyzer,
    text: str,
    previous: Request | None = None,
    last_plan: Request | None = None,
) -> Request:
    """One turn of a conversation whose previous turn asked ``previous``."""
    before = (
        IntentResult(
            intent_type=previous.intent_type, confidence=1.0, source="rules", request=previous
        )
        if previous is not None
        else None
    )
    request = analyzer.analyze(text, before, last_plan).request
    assert request is not None
    return request


def test_a_re_plan_keeps_the_last_plans_constraints_unless_restated(
    analyzer: IntentAnalyzer,
) -> None:
    last = plan_for(
        SAPPORO_E1,
        origins=[{"location": "盛岡"}],
        head_count={"max": 2},
        operators={"remove": ["高山麻由子"]},
    )
    spared = turn(analyzer, "品川は動かさないで", last, last)
    assert (spared.kind, spared.slots.public()) == (
        "plan",
        {
            "targets": [SAPPORO_E1],
            "origins": [{"location": "盛岡"}],
            "spare": [{"location": "品川"}],
            "head_count": {"max": 2},
            "operators": {"remove": ["高山麻由子"]},
        },
    )
    one = turn(analyzer, "じゃあ1名だけなら？", last, last)
    assert one.slots.head_count is not None and one.slots.head_count.exact == 1
    assert one.slots.origins == last.slots.origins
    elsewhere = turn(analyzer, "品川からならどう？", last, last)
    assert [r.location for r in elsewhere.slots.origins] == ["品川"]


def test_a_question_without_a_queue_continues_the_previous_one(
    analyzer: IntentAnalyzer,
) -> None:
    status = turn(analyzer, "札幌のエントリ1の進捗は？")
    assert status.slots.targets == (QueueRef(**SAPPORO_E1),)
    finish = turn(analyzer, "何時に終わりそう？", status)
    assert (finish.kind, finish.slots.targets) == ("finish_time", status.slots.targets)
    who = turn(analyzer, "じゃあ誰を動かせばいい？", finish)
    assert (who.kind, who.slots.targets) == ("plan", status.slots.targets)
    overall = turn(analyzer, "全体の進捗は？", status)
    assert overall.slots.targets == ()


def test_a_new_site_alone_asks_about_the_same_part_there(analyzer: IntentAnalyzer) -> None:
    """SCHEMA's follow-up convention (settled with dev_v15): after a status of one queue,
    「盛岡は？」 asks the same question of that site's queue of the same process."""
    status = turn(analyzer, "札幌のエントリ1の進捗は？")
    other = turn(analyzer, "盛岡は？", status)
    assert other.slots.targets == (QueueRef(location="盛岡", process="エントリ1"),)


def test_narrowing_a_skill_search_keeps_its_filters(analyzer: IntentAnalyzer) -> None:
    search = turn(analyzer, "補正ができてLv3以上の人は？")
    narrowed = turn(analyzer, "その中でいちばん速いのは？", search)
    assert (narrowed.kind, narrowed.slots.public()) == (
        "skill_search",
        {"targets": [{"process": "補正"}], "min_level": 3, "sort": "fastest"},
    )


def test_that_person_is_the_one_just_named(analyzer: IntentAnalyzer) -> None:
    lookup = turn(analyzer, "高山さんは今どこ？")
    skills = turn(analyzer, "その人のスキルは？", lookup)
    assert (skills.kind, skills.slots.public()) == (
        "operator_lookup",
        {"operators": {"about": ["高山麻由子"]}},
    )


def test_sites_joined_by_and_share_their_role(analyzer: IntentAnalyzer) -> None:
    request = parse(analyzer, "札幌のエントリ1に応援を。盛岡と品川は動かさないで")
    assert request.slots.targets == (QueueRef(**SAPPORO_E1),)
    assert request.slots.spare == (QueueRef(location="盛岡"), QueueRef(location="品川"))


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        (
            "補正の那覇、Lv3以上で2人まで",
            "plan",
            {"targets": [{"location": "那覇", "process": "補正"}], "head_count": {"max": 2},
             "min_level": 3},
        ),
        (
            "札幌E1、盛岡の人は使わないで",
            "plan",
            {"targets": [SAPPORO_E1], "spare": [{"location": "盛岡"}]},
        ),
        (
            "札幌のエントリ1、品川と梅田には手を付けないで回して",
            "plan",
            {"targets": [SAPPORO_E1], "spare": [{"location": "品川"}, {"location": "梅田"}]},
        ),
        (
            "札幌のエントリ1、高山さん以外で誰かいない？",
            "plan",
            {"targets": [SAPPORO_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        (
            "盛岡から出せる人いる？札幌のエントリ1",
            "plan",
            {"targets": [SAPPORO_E1], "origins": [{"location": "盛岡"}]},
        ),
        ("ﾅﾊ ﾉ ﾎｾｲ ﾊ ﾄﾞｳ?", "status", {"targets": [{"location": "那覇", "process": "補正"}]}),
        ("なはの補整、どうなってる？", "status",
         {"targets": [{"location": "那覇", "process": "補正"}]}),
        ("後藤健太さんはどこにいる？", "operator_lookup", {"operators": {"about": ["後藤健太"]}}),
        ("Where is Takayama now?", "operator_lookup",
         {"operators": {"about": ["高山麻由子"]}, "language": "en"}),
        ("ありがとう、助かりました", "out_of_scope", {}),
        ("部長にメールで報告しといて", "out_of_scope", {}),
        ("工程を切り替えるときって何分見ればいいんだっけ", "knowhow", {}),
    ],
)  # fmt: skip
def test_more_requests(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    request = parse(analyzer, text)
    assert (request.kind, request.slots.public()) == (kind, slots)


def test_the_first_n_of_a_list_just_given(analyzer: IntentAnalyzer) -> None:
    found = Request(kind="skill_search", answered_about=("佐野友美", "遠藤友美", "高山麻由子"))
    pair = turn(analyzer, "じゃあその2人で組んで案出して", found)
    assert pair.slots.operators == OperatorSlots(add=("佐野友美", "遠藤友美"))
    one = turn(analyzer, "その人は今どこ？", found)
    assert (one.kind, one.slots.operators) == (
        "operator_lookup",
        OperatorSlots(about=("佐野友美",)),
    )


def test_a_name_the_data_lacks_keeps_the_question(analyzer: IntentAnalyzer) -> None:
    status = turn(analyzer, "札幌の進捗は？")
    other = turn(analyzer, "福岡は？", status)
    assert (other.kind, other.slots.unknown) == ("status", ("福岡",))

"""Phrasings of the fifteenth development sets' status, time, look-up and search shapes (our
own sentences, never the frozen set's nor the dev sets' own): a follow-up that asks the last
question again of another part, politely or with 「も」; a site alone after one part of a site
(the same part there); whether a queue is done by a time; the margin if it is late; figures
for a report and the late ones only; places typed alone; know-how recalled from a write-up or
a past case; sites joined before one part; the person of the conversation asked about without
being named; people the data does not have, named bare; a name one slip off one person's;
experience said as a time on a process."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from aimee.nlu.person_typos import name_typos
from aimee.nlu.request import Request
from aimee.nlu.schema import IntentResult
from tests.nlu.test_request_phrasings import conversation, said

SS = "523201"
KP = "523202"


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # the same question of the other business, politely
            ("札幌KPの進捗を教えていただけますか", "SSの方はいかがですか"),
            "status",
            {"targets": [{"location": "札幌", "business_id": SS}]},
        ),
        (  # a finish asked again of another process of that queue's site and business
            ("那覇SSの検証、何時に終わる？", "補正の方も確認させてください"),
            "finish_time",
            {"targets": [{"location": "那覇", "business_id": SS, "process": "補正"}]},
        ),
        (
            ("品川の補正の状況は？", "エントリ1もお願いします"),
            "status",
            {"targets": [{"location": "品川", "process": "エントリ1"}]},
        ),
        (  # a site alone after one queue: the same queue there (SCHEMA's convention)
            ("札幌SSのE2、順調？", "じゃあ梅田は？"),
            "status",
            {"targets": [{"location": "梅田", "business_id": SS, "process": "エントリ2"}]},
        ),
        (
            ("How is Umeda SS doing?", "And Naha?"),
            "status",
            {"targets": [{"location": "那覇", "business_id": SS}], "language": "en"},
        ),
        (  # done by a time named, then another queue at the same time
            ("17時に那覇の補正終わってる？", "品川KPの検証も17時で見て"),
            "finish_time",
            {
                "targets": [{"location": "品川", "business_id": KP, "process": "検証"}],
                "by_time": "17:00",
            },
        ),
        (  # the margin, if the queue talked about is late
            ("札幌の補正どう？", "遅れるとしたら何分くらい？"),
            "finish_time",
            {"targets": [{"location": "札幌", "process": "補正"}]},
        ),
        (  # the floor's figures, then only the late ones
            ("上に出すから数字ちょうだい", "間に合わないとこだけでいい"),
            "delay_risk",
            {},
        ),
        (  # places typed alone, then another business of that queue
            ("品川 補正 KP", "SS"),
            "status",
            {"targets": [{"location": "品川", "business_id": SS, "process": "補正"}]},
        ),
        (  # after a count of late tasks: which sites they are at
            ("How many tasks will be late today across the floor?", "Which sites are those at?"),
            "delay_risk",
            {"language": "en", "date": "today"},
        ),
    ],
)
def test_questions_asked_again_and_about_time(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        ("上に出すから数字ちょうだい", "status", {}),
        (
            "17時に那覇の補正終わってる？",
            "finish_time",
            {"targets": [{"location": "那覇", "process": "補正"}], "by_time": "17:00"},
        ),
        (
            "品川のE2、残りどれくらい？",
            "status",
            {"targets": [{"location": "品川", "process": "エントリ2"}]},
        ),
        ("梅田 検証", "status", {"targets": [{"location": "梅田", "process": "検証"}]}),
        (  # sites joined, then one part said after the last: each site's
            "札幌と那覇のSS、それぞれどう？",
            "status",
            {
                "targets": [
                    {"location": "札幌", "business_id": SS},
                    {"location": "那覇", "business_id": SS},
                ]
            },
        ),
        ("新人が多い日の割り振りって以前整理してましたよね？", "knowhow", {}),
        (  # a past case keeps the site people went from
            "札幌から人を出したときの過去の事例ってある？",
            "knowhow",
            {"targets": [{"location": "札幌"}]},
        ),
        (  # a rule about lending across businesses keeps both
            "補正が溜まったらKPからSSに人を回していいんだっけ",
            "knowhow",
            {"targets": [{"business_id": KP}, {"business_id": SS}]},
        ),
        ("小池 どこ", "operator_lookup", {"unknown": ["小池"]}),
        ("Where is Morita?", "operator_lookup", {"unknown": ["Morita"], "language": "en"}),
        (
            "Is Imai working today?",
            "operator_lookup",
            {"unknown": ["Imai"], "date": "today", "language": "en"},
        ),
        ("山下大介さん今どこ", "operator_lookup", {"operators": {"about": ["山下大輔"]}}),
        ("Takayma-san doko?", "operator_lookup", {"operators": {"about": ["高山麻由子"]}}),
        ("takayama doko", "operator_lookup", {"operators": {"about": ["高山麻由子"]}}),
        ("高山さんたちの連絡先まとめてもらえる？", "out_of_scope", {}),
        (
            "検証 2年以上 梅田",
            "skill_search",
            {"targets": [{"location": "梅田", "process": "検証"}], "min_experience_months": 24},
        ),
        (
            "エントリ2を半年以上やってる人は何人？",
            "skill_search",
            {"targets": [{"process": "エントリ2"}], "min_experience_months": 6},
        ),
        (
            "How many people can do 検証 in Sapporo?",
            "skill_search",
            {"targets": [{"location": "札幌", "process": "検証"}], "language": "en"},
        ),
    ],
)
def test_one_message_shapes(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


def test_who_can_go_out_now_is_the_free_ones(analyzer: IntentAnalyzer) -> None:
    asked = conversation(
        analyzer, "補正ができる人は何人いますか", "その中ですぐ応援に出られる人は何人？"
    )
    assert said(asked[-1]) == (
        "skill_search",
        {"targets": [{"process": "補正"}], "available_only": True},
    )


def _answered(analyzer: IntentAnalyzer, text: str, about: tuple[str, ...]) -> IntentResult:
    result = analyzer.analyze(text, None, None)
    assert result.request is not None
    request: Request = result.request.model_copy(update={"answered_about": about})
    return result.model_copy(update={"request": request})


@pytest.mark.parametrize("question", ["あいつ今どこ", "いまどこ？"])
def test_where_the_one_a_search_put_first_is(analyzer: IntentAnalyzer, question: str) -> None:
    first = _answered(analyzer, "検証 いちばん速いの だれ", ("高山麻由子",))
    asked = analyzer.analyze(question, first, None).request
    assert asked is not None
    assert said(asked) == ("operator_lookup", {"operators": {"about": ["高山麻由子"]}})


def test_the_person_looked_up_is_asked_about_again(analyzer: IntentAnalyzer) -> None:
    asked = conversation(analyzer, "たかやままゆこさんってどこにいる？", "今日は何時まで入ってる？")
    assert said(asked[-1])[0] == "operator_lookup"
    assert said(asked[-1])[1]["operators"] == {"about": ["高山麻由子"]}


def test_the_namesake_at_a_site_keeps_the_namesakes(analyzer: IntentAnalyzer) -> None:
    """The chat keeps the one working at the site named (``chat_requests``)."""
    asked = conversation(analyzer, "松本さんのスキル教えて", "梅田のE1にいる方")
    kind, slots = said(asked[-1])
    assert kind == "operator_lookup"
    assert sorted(slots["operators"]["about"]) == ["松本健太", "松本明美", "松本智子"]


def test_a_given_name_shared_by_nobody_of_a_common_family_stays_unknown(
    gazetteer: Gazetteer,
) -> None:
    """松本 is three people: 「松本明子」 is none of them, whatever its kanji."""
    people = list(gazetteer.operators.values())
    assert name_typos("松本明子さん", people, {}, []) == []
    assert name_typos("山下大介さん", people, {}, []) == [(0, 4, "山下大輔")]


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("Is Nishida on shift today?", ["Nishida"]),
        ("Where is Kimura?", ["Kimura"]),
        ("Where is Tamura now?", ["Tamura"]),
        ("Where is Ono-kun?", ["Ono"]),
        ("Where is data?", []),  # English words and places are not people
        ("Is Tokyo working today?", []),
        ("Is Kanji here?", []),
        ("Is Osaka working today?", []),
        ("Is Kimura?", []),  # not asked as a person
        ("Where is Ramen?", []),  # no family name ends so
    ],
)
def test_a_romaji_word_is_an_unknown_person_only_asked_as_one(
    analyzer: IntentAnalyzer, text: str, unknown: list[str]
) -> None:
    assert said(conversation(analyzer, text)[-1])[1].get("unknown", []) == unknown


def test_a_romaji_typo_with_san_is_the_person(analyzer: IntentAnalyzer) -> None:
    asked = conversation(analyzer, "Sugawra-san doko?")
    assert said(asked[-1]) == ("operator_lookup", {"operators": {"about": ["菅原翔太"]}})

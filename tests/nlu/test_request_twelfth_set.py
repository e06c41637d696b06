"""Phrasings of the twelfth development sets' shapes (our own sentences, never the frozen
set's nor the dev sets' own): a site typed with one kanji wrong, a count or a queue said
next to a process's name, 「一人二人」, 「〜勢で」 and 「〜の人を最大N人」 as origins, years
of doing a process as experience, a process said again alone, a queue given up, 「Aも
Bも」, a person taken off a queue named with から, counts of people added in a what-if,
past cases as know-how, a manual's place and rain as asides, 「やばそうなところってある？」,
a side question after the request, a person asked about with って, their queue after a
look-up, a deadline's clock time and a person who may be used on a queue named."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from aimee.nlu.normalize import normalize
from aimee.nlu.slots import arabic, experience_months, head_count
from tests.nlu.test_request_phrasings import conversation, said

NAHA_HOSEI = {"location": "那覇", "process": "補正"}
SHINAGAWA_SS_KENSHO = {"location": "品川", "business_id": "523201", "process": "検証"}


@pytest.mark.parametrize(
    ("text", "site"),
    [("那派のE2に人回して", "那覇"), ("梅出のKPの補正どう？", "梅田"), ("品側SSの検証", "品川")],
)
def test_a_site_typed_with_one_kanji_wrong_before_a_queue_word(
    gazetteer: Gazetteer, text: str, site: str
) -> None:
    places = [m.value for m in gazetteer.extract(text).mentions if m.kind == "location"]
    assert places == [site]


@pytest.mark.parametrize(
    "text",
    [
        "品質の検証ってどうやるの",
        "福岡のE1",
        "前田の補正",
        "那派って遠い",
        *("羽田のE1はどう？", "長岡の補正", "石川の検証", "梅雨の検証って遅れがち？"),
    ],
)
def test_a_word_or_another_place_is_no_typo(gazetteer: Gazetteer, text: str) -> None:
    assert not [m for m in gazetteer.extract(text).mentions if m.kind == "location"]


def test_counts_next_to_a_process_and_one_or_two() -> None:
    assert head_count(normalize("那覇KP E2 人ほしい")) is None  # E2 is no count
    pair = head_count(arabic("二人三人でいいので"))
    assert pair is not None and pair.max == 3


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("補正を3年以上やってる人", 36),
        ("エントリ1の経験二年以上ある人", 24),
        ("3年以上前の話", None),
    ],
)
def test_years_of_doing_a_process_are_experience(text: str, months: int | None) -> None:
    assert experience_months(arabic(text)) == months


def test_a_deadline_clock_time_is_written_as_the_deadline_is_read() -> None:
    assert normalize("17:10締めのとこ") == "17時10分締めのとこ"
    assert normalize("１７：４０の締め") == "17時40分の締め"
    assert normalize("17:10に終わる?") == "17:10に終わる?"


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (
            ("E2那覇、札幌勢で3",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "origins": [{"location": "札幌"}],
                "head_count": {"exact": 3},
            },
        ),
        (
            ("札幌のE2に、盛岡と品川の人を最大3人まで",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ2"}],
                "origins": [{"location": "盛岡"}, {"location": "品川"}],
                "head_count": {"max": 3},
            },
        ),
        (
            ("高山さんを品川のE2に回したらE2は間に合う？",),
            "what_if",
            {
                "targets": [{"location": "品川", "process": "エントリ2"}],
                "operators": {"move": ["高山麻由子"]},
            },
        ),
        (
            ("梅田の検証が厳しい。補正はもうしょうがないので検証だけでも応援を",),
            "plan",
            {"targets": [{"location": "梅田", "process": "検証"}]},
        ),
        (
            ("盛岡、補正も検証もやばい。品川のE1チームから出せる？",),
            "plan",
            {
                "targets": [
                    {"location": "盛岡", "process": "補正"},
                    {"location": "盛岡", "process": "検証"},
                ],
                "origins": [{"location": "品川", "process": "エントリ1"}],
            },
        ),
        (
            ("上野さんを札幌の補正から外したら補正は？",),
            "what_if",
            {
                "targets": [{"location": "札幌", "process": "補正"}],
                "operators": {"remove": ["上野由香利"]},
            },
        ),
        (
            ("上野さんを札幌E2から外すとどうなる？",),
            "what_if",
            {
                "targets": [{"location": "札幌", "process": "エントリ2"}],
                "operators": {"remove": ["上野由香利"]},
            },
        ),
        (("那覇の補正、何人ぐらい入れれば間に合う？",), "plan", {"targets": [NAHA_HOSEI]}),
        (
            ("2人増えたら品川SSの検証は間に合う？",),
            "what_if",
            {"targets": [SHINAGAWA_SS_KENSHO], "head_count": {"exact": 2}},
        ),
        (
            ("Lv4以上の人1人で梅田の補正補強したら間に合う？",),
            "what_if",
            {
                "targets": [{"location": "梅田", "process": "補正"}],
                "head_count": {"exact": 1},
                "min_level": 4,
            },
        ),
        (("月末に人を回しすぎて失敗した事例ある？",), "knowhow", {}),
        (("補正のマニュアルどこにあったっけ",), "out_of_scope", {}),
        (("札幌って今日雨？",), "out_of_scope", {}),
        (("品川でやばそうな工程ってある？",), "delay_risk", {"targets": [{"location": "品川"}]}),
        (("那覇の補正、どんだべ",), "status", {"targets": [NAHA_HOSEI]}),
        (
            ("How is Naha doing?", "Can I get an overview of the whole floor?"),
            "status",
            {"language": "en"},
        ),
        (
            ("上野さんどこ？", "品川SSの検証、上野さん使える？"),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO], "operators": {"add": ["上野由香利"]}},
        ),
        (
            (
                "上野さんどこ？",
                "品川SSの検証、上野さん使える？",
                "すみません上野さんはやっぱなしで",
            ),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO], "operators": {"remove": ["上野由香利"]}},
        ),
        (
            ("品川SSの検証に応援案出して。あと上野さんって今どこ？",),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO]},
        ),
        (
            ("品川SSの検証に応援案出して。あと2人までで",),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO], "head_count": {"max": 2}},
        ),
        (
            ("品川SSの検証に応援案出して。あと盛岡は大丈夫って話だった？",),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO]},
        ),
        (
            ("品川SSの検証に応援案出して。あと那覇からは出さないでって言われてる",),
            "plan",
            {"targets": [SHINAGAWA_SS_KENSHO], "spare": [{"location": "那覇"}]},
        ),
        (("田村さんって補正のレベルいくつだっけ",), "operator_lookup", {"unknown": ["田村"]}),
        (
            ("上野さんって札幌だったっけ",),
            "operator_lookup",
            {"operators": {"about": ["上野由香利"]}},
        ),
        (
            ("上野さんって札幌だったっけ", "その人の苦手な工程は？"),
            "operator_lookup",
            {"operators": {"about": ["上野由香利"]}},
        ),
        (("上野さんどこ？", "そっちの様子はどう？"), "status", {}),
        (
            ("上野さん、今日使える？",),
            "operator_lookup",
            {"operators": {"about": ["上野由香利"]}, "date": "today"},
        ),
        (
            ("今から札幌の補正の人を2人研修に出したら影響ある？",),
            "what_if",
            {"targets": [{"location": "札幌", "process": "補正"}], "head_count": {"exact": 2}},
        ),
    ],
)
def test_twelfth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

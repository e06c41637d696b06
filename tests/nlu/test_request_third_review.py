"""Defects a review of the nineteenth-set rules found (each read wrong before its fix):
rules that fired on sentences they should not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.normalize import normalize
from aimee.nlu.numerals import arabic
from aimee.nlu.slots import day, head_count
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # a term kept, not dropped
            ("那覇E1にLv4以上で2人", "レベル条件は外さないで、人数だけ3人に"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 3}, "min_level": 4},
        ),
        (
            ("那覇E1に2人、経験2年以上", "レベルは何でもいいわけじゃない、4以上で"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "min_level": 4,
                "min_experience_months": 24,
            },
        ),
        (
            ("那覇E1にLv3以上で2人。人数は外せない",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "min_level": 3},
        ),
        (  # a search after a plan is a search
            ("那覇E1に2人", "経験なしの人って何人いる？"),
            "skill_search",
            {"targets": [NAHA_E1]},
        ),
        (
            ("那覇E1に応援。品川は動かさないで、田中さんを入れて",),
            "plan",
            {"targets": [NAHA_E1], "spare": [{"location": "品川"}]},
        ),
        (  # a short-handed queue said with another is one to help
            ("那覇の補正が手薄なので、那覇E1と合わせて応援案お願い",),
            "plan",
            {"targets": [{"location": "那覇", "process": "補正"}, NAHA_E1]},
        ),
        (  # 「からも」: other sites besides
            ("札幌E1に2人、札幌の補正からと、他の拠点からも集めて",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "札幌", "process": "補正"}],
            },
        ),
        (  # English that asks for time or numbers, not people
            ("Do we need more time to finish Sapporo E1?",),
            "finish_time",
            {"targets": [{"location": "札幌", "process": "エントリ1"}], "language": "en"},
        ),
        (
            ("Naha E1 cover needed, 2 people",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "language": "en"},
        ),
        (  # 置いといて with を puts someone in; 気をつけて puts nobody in
            ("那覇E1が遅れてる。佐野さんを那覇E1に置いといて",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"about": ["佐野友美"]}},
        ),
        (
            ("那覇E1に2人。佐野さんは新人だから気をつけて",),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "operators": {"about": ["佐野友美"]},
            },
        ),
        (  # a question after 'if it helps' is still a what-if
            ("Send Takeshita to Naha E1 if it helps. Does Naha E1 finish on time then?",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"move": ["竹下朱美"]}, "language": "en"},
        ),
        (  # a cap asked about is a what-if; only 上限 changes the plan
            ("那覇E1に2人", "3人まで入れたら間に合う？"),
            "what_if",
            {"targets": [NAHA_E1], "head_count": {"max": 3}},
        ),
    ],
)
def test_third_review(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


def test_the_site_a_namesake_is_sent_to_does_not_tell_them_apart(
    analyzer: IntentAnalyzer,
) -> None:
    [request] = conversation(analyzer, "田中さんを品川に回したら盛岡の検証は大丈夫？")
    assert "田中愛" not in request.slots.people  # she works at 品川, where help would go


@pytest.mark.parametrize(
    "text",
    [
        "品川から3人以上は出せるから、那覇E1に応援入れて",
        "那覇E1、3人以上出せないと間に合わないよね？",
    ],
)
def test_a_number_that_can_be_given_is_no_cap(text: str) -> None:
    found = head_count(arabic(normalize(text)))
    assert found is None or found.max is None


def test_brought_forward_is_no_day_back() -> None:
    assert day("締切が2日前倒しになったけど、那覇E1は間に合う？", date(2025, 10, 23)) is None


def test_a_couple_of_minutes_is_no_count() -> None:
    assert head_count("can we get a couple of minutes more on naha e1?") is None

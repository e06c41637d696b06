"""Defects a review of the thirteenth session's rules found (reproduced, then fixed): rules
that fired on messages of another meaning."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.head_counts import head_count
from aimee.nlu.normalize import normalize
from aimee.nlu.numerals import arabic
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (("梅田のE1に2人応援出して", "この案で確定、2名で"), "approval_request", {}),
        (("承認の手続きをお願いしたいけど、どうやればいい？",), "knowhow", {}),
        (
            ("那覇E1に札幌から2人", "札幌から何人動かせる？"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "origins": [{"location": "札幌"}]},
        ),
        (
            ("札幌の検証、今どんな配置？",),
            "status",
            {"targets": [{"location": "札幌", "process": "検証"}]},
        ),
        (("至急、札幌の状況教えて",), "status", {"targets": [{"location": "札幌"}]}),
        (
            ("品川の補正に2人入れて間に合うか、無理なら応援案出して",),
            "plan",
            {"targets": [{"location": "品川", "process": "補正"}], "head_count": {"exact": 2}},
        ),
        (("那覇のE1、このままだと終わらないので何人か入れたい",), "plan", {"targets": [NAHA_E1]}),
        (
            ("E1に経験が長い順に2人入れて",),
            "plan",
            {"targets": [{"process": "エントリ1"}], "head_count": {"exact": 2}},
        ),
        (  # people leaving after a plan: weighed, not more helpers
            ("那覇E1に2人", "もう1人休んだらどうなる？"),
            "what_if",
            {"targets": [NAHA_E1], "head_count": {"exact": 1}},
        ),
        (("このチャットで何ができるの？彼の説明だとよくわからなくて",), "help", {}),
    ],
)
def test_fourth_review(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


def test_people_coming_back_leave_the_time_asked(analyzer: IntentAnalyzer) -> None:
    request = conversation(analyzer, "札幌の検証、17時に2人帰ってくるけど間に合う？")[-1]
    assert request.slots.by_time == "17:00"


def test_the_one_added_is_someone_else_than_the_person_checked_about(
    analyzer: IntentAnalyzer,
) -> None:
    text = "高山さんって盛岡だよね？じゃあ那覇E1に1人入れたら間に合う？"
    request = conversation(analyzer, text)[-1]
    assert request.kind == "what_if"
    assert request.slots.operators is not None
    assert request.slots.operators.about == ("高山麻由子",)


def test_a_staff_count_then_a_count_of_helpers_is_no_change_of_staff() -> None:
    found = head_count(arabic(normalize("那覇E1、今5人で回してるけど、2人ヘルプ頼める？")))
    assert found is not None and (found.exact, found.leaving) == (2, None)

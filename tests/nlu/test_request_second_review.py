"""Messages the second review of 2026-12-07 found misread by that day's new rules (each
failed before its fix): a shared name the manager places elsewhere, 「ダメ？」 as a
question, names beside other words, a bare 「N以上」 that is no level, 「違う」 meaning
"different", short messages that add rather than correct, 「そのまま」 about someone the
plan uses, English 'keep' and 'why not', 「〜の案」 without a queue, 「同じく」 for people."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # a site said: the namesake there, picked by the answer, not the one named before
            ("小野亮さんのスキルは？", "じゃあ那覇の小野さんは？"),
            "operator_lookup",
            {"operators": {"about": ["小野亮", "小野美咲", "小野久美子", "小野真由美"]}},
        ),
        (
            ("那覇E1の応援案", "竹下さんはダメ？"),
            "operator_lookup",
            {"operators": {"about": ["竹下朱美"]}},
        ),
        (  # someone like her is nobody to put in
            ("那覇E1に応援、竹下さんみたいな人",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"about": ["竹下朱美"]}},
        ),
        (("遅延3以上の拠点は？",), "delay_risk", {}),
        (("那覇E1に応援2以上ほしい",), "plan", {"targets": [NAHA_E1]}),
        (  # 「違う工程だけど」 adds a queue
            ("札幌E1と盛岡E2の状況、違う工程だけど那覇の補正も",),
            "status",
            {
                "targets": [
                    {"location": "札幌", "process": "エントリ1"},
                    {"location": "盛岡", "process": "エントリ2"},
                    {"location": "那覇", "process": "補正"},
                ]
            },
        ),
        (  # a status of one queue, then the whole of another site
            ("盛岡E2の状況", "ごめん、那覇全体で"),
            "status",
            {"targets": [{"location": "那覇"}]},
        ),
        (  # a business belongs to the site that was wrong
            ("梅田KPのE1に2人回して", "すみません、那覇でした"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        (  # 「そのまま」 keeps her where the plan puts her
            ("竹下朱美さんを那覇E1に回して", "竹下さんはそのままで、もう1人追加して"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 1}, "operators": {"move": ["竹下朱美"]}},
        ),
        (
            ("Naha E1 plan, keep Takeshita in it",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"about": ["竹下朱美"]}, "language": "en"},
        ),
        (("最初の案は？",), "knowhow", {}),
        (  # the constraints and the role, not the people, of the last plan
            ("竹下朱美さんを那覇E1に回して", "前田智子さんも同じく那覇E2に"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "operators": {"move": ["前田智子"]},
            },
        ),
        (  # a person and 「休みで」 is no plan with her
            ("那覇E1、竹下さん休みで",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
    ],
)
def test_second_review(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


def test_another_of_a_shared_name_is_not_the_one_named(analyzer: IntentAnalyzer) -> None:
    *_, request = conversation(analyzer, "坂本誠さんを那覇E1に回したら？", "他の坂本さんは？")
    assert "坂本誠" in request.slots.people and len(request.slots.people) > 1


def test_two_names_with_a_space_keep_their_own_verbs(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇E1に竹下朱美さん 坂本誠さんは外して")
    ops = request.slots.operators
    assert ops is not None and ops.remove == ("坂本誠",) and "竹下朱美" not in ops.remove


def test_a_site_said_with_also_is_no_correction(analyzer: IntentAnalyzer) -> None:
    *_, request = conversation(analyzer, "那覇E1に盛岡から2人回して", "あ、札幌もお願い")
    assert NAHA_E1 not in request.slots.public().get("targets", [])

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
        (  # a site said: the namesake there (小野美咲), not the one named before
            ("小野亮さんのスキルは？", "じゃあ那覇の小野さんは？"),
            "operator_lookup",
            {"operators": {"about": ["小野美咲"]}},
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
            {"targets": [NAHA_E1], "operators": {"add": ["竹下朱美"]}, "language": "en"},
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
    # every other 坂本: the one named is not assumed (nor asked about again)
    assert len(request.slots.people) == 6 and "坂本誠" not in request.slots.people


def test_two_names_with_a_space_keep_their_own_verbs(analyzer: IntentAnalyzer) -> None:
    [request] = conversation(analyzer, "那覇E1に竹下朱美さん 坂本誠さんは外して")
    ops = request.slots.operators
    assert ops is not None and ops.remove == ("坂本誠",) and "竹下朱美" not in ops.remove


def test_a_site_said_with_also_is_no_correction(analyzer: IntentAnalyzer) -> None:
    *_, request = conversation(analyzer, "那覇E1に盛岡から2人回して", "あ、札幌もお願い")
    assert NAHA_E1 not in request.slots.public().get("targets", [])


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # a refusal after a name wins over the verb it refuses
            ("那覇E1に2人回して", "竹下さんは応援に出さないで"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "operators": {"remove": ["竹下朱美"]},
            },
        ),
        (
            ("那覇E1に2人回して。竹下さんを使うのはなしで",),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "operators": {"remove": ["竹下朱美"]},
            },
        ),
        (  # corrections without an apology
            ("那覇E1に2人回して", "札幌の間違いでした"),
            "plan",
            {"targets": [{"location": "札幌", "process": "エントリ1"}], "head_count": {"exact": 2}},
        ),
        (
            ("那覇E1に2人回して", "那覇じゃなくて札幌"),
            "plan",
            {"targets": [{"location": "札幌", "process": "エントリ1"}], "head_count": {"exact": 2}},
        ),
        (
            ("札幌のE1は？", "盛岡だった"),
            "status",
            {"targets": [{"location": "盛岡", "process": "エントリ1"}]},
        ),
        (  # the namesake the thread settled, sent to a site named in the message
            ("坂本誠さんのスキルは？", "坂本さんを那覇E1に回して"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"move": ["坂本誠"]}},
        ),
        (  # 「そのまま残して」 leaves her where she is
            ("那覇E1に竹下さんを回して", "竹下さんはそのまま残して、別の人で"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        (("那覇E1に3人回して", "2番目に遅れてる工程は？"), "delay_risk", {}),
        (
            ("那覇E1の応援案", "那覇E1 竹下さんも"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"add": ["竹下朱美"]}},
        ),
        (  # 「盛岡の方、忙しい」 is no origin
            ("那覇E1に2人、盛岡の方、忙しいみたいなので",),
            "plan",
            {"targets": [NAHA_E1, {"location": "盛岡"}], "head_count": {"exact": 2}},
        ),
        (
            ("札幌E1、同じ拠点の中で、ほかに遅れてる工程ある？",),
            "delay_risk",
            {"targets": [{"location": "札幌", "process": "エントリ1"}]},
        ),
        (
            ("那覇E1、全部で3人いるけど2人追加で",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        (  # businesses of the site just asked about share the process
            ("梅田は？", "KPとSSのE1は？"),
            "status",
            {
                "targets": [
                    {"location": "梅田", "business_id": "523202", "process": "エントリ1"},
                    {"location": "梅田", "business_id": "523201", "process": "エントリ1"},
                ]
            },
        ),
        (  # 「うち」 after a search is no reference to the people found
            ("札幌でLv4以上の人は？", "那覇E1に2人回して、うちのチームからは出さないで"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        (
            ("梅田E2に2人まで", "梅田E2は同じ条件で何時に終わる？"),
            "finish_time",
            {"targets": [{"location": "梅田", "process": "エントリ2"}]},
        ),
    ],
)
def test_third_review(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


def test_someone_sent_back_is_no_donor_check(analyzer: IntentAnalyzer) -> None:
    *_, request = conversation(
        analyzer, "那覇E1に竹下さんを回して", "竹下さんは元いたところに戻して"
    )
    assert request.kind != "donor_check"

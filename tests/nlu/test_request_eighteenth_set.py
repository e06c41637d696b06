"""Shapes the eighteenth development sets found (our own sentences, never the frozen set's
nor the dev sets' own): messages that state many slots at once, and threads that refer
back and change one thing."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.slots import head_count, min_level
from tests.nlu.test_request_phrasings import conversation, said

UMEDA_E2 = {"location": "梅田", "process": "エントリ2"}
NAHA_HOSEI = {"location": "那覇", "process": "補正"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # 「+2」 amid other words
            ("梅田E2 +2 盛岡E2から Lv3↑",),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"exact": 2},
                "origins": [{"location": "盛岡", "process": "エントリ2"}],
                "min_level": 3,
            },
        ),
        (  # the people of a site, after a comma
            ("那覇の補正どうにかしたい。盛岡の人、最大3人",),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"max": 3}, "origins": [{"location": "盛岡"}]},
        ),
        (  # within the queue's own site
            ("梅田SS E2 1人 梅田内",),
            "plan",
            {
                "targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ2"}],
                "head_count": {"exact": 1},
                "origins": [{"location": "梅田"}],
            },
        ),
        (  # changed halfway: the place, then the count
            ("那覇の補正、札幌から2人…いや、品川から2人までで",),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"max": 2}, "origins": [{"location": "品川"}]},
        ),
        (
            ("那覇の補正、盛岡から1人まで…じゃなくて、2人まで",),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"max": 2}, "origins": [{"location": "盛岡"}]},
        ),
        (  # the last plan's terms for another queue
            ("梅田E2に2名まで", "さっきの条件で那覇の補正なら？"),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"max": 2}},
        ),
        (  # 「案を」 after a condition
            ("梅田E2の案", "足りないなら、盛岡と品川から最大3名で案を"),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"max": 3},
                "origins": [{"location": "盛岡"}, {"location": "品川"}],
            },
        ),
        (  # the people a search found
            ("盛岡で補正 Lv4以上の人", "その中から1人、那覇の補正に回して"),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡"}],
                "min_level": 4,
            },
        ),
        (  # two queues of one site, then another site
            ("梅田のE1とE2、何時に終わる？", "品川は？"),
            "finish_time",
            {
                "targets": [
                    {"location": "品川", "process": "エントリ1"},
                    {"location": "品川", "process": "エントリ2"},
                ]
            },
        ),
        (  # within the site, then someone kept out
            ("那覇の補正に1人。同じ拠点の中で、竹内舞さん以外",),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "head_count": {"exact": 1},
                "origins": [{"location": "那覇"}],
                "operators": {"remove": ["竹内舞"]},
            },
        ),
        (  # joined sites, then 「で」 and the process
            ("品川と梅田で検証Lv4の人、何人？",),
            "skill_search",
            {
                "targets": [
                    {"location": "品川", "process": "検証"},
                    {"location": "梅田", "process": "検証"},
                ],
                "min_level": 4,
            },
        ),
        (
            ("なはの補正の状況", "And 検証?"),
            "status",
            {"targets": [{"location": "那覇", "process": "検証"}], "language": "en"},
        ),
        (
            ("Umeda entry 2: need two people, level 4 or above, nobody from Naha.",),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"exact": 2},
                "spare": [{"location": "那覇"}],
                "min_level": 4,
                "language": "en",
            },
        ),
        (
            ("Umeda entry 2, 2 people from Sapporo", "Is Morioka fine under that plan?"),
            "donor_check",
            {"targets": [{"location": "盛岡"}], "language": "en"},
        ),
        (
            ("Umeda entry 2, up to 2 from Sapporo.", "Make sure Kudo Mai is one of them."),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"max": 2},
                "origins": [{"location": "札幌"}],
                "operators": {"add": ["工藤舞"]},
                "language": "en",
            },
        ),
        (
            ("If Kudo Mai goes to Naha correction, does it make 17:30?",),
            "what_if",
            {
                "targets": [NAHA_HOSEI],
                "operators": {"move": ["工藤舞"]},
                "by_time": "17:30",
                "language": "en",
            },
        ),
        (("梅田の者です。何ができるの？",), "help", {}),
        (
            ("那覇E2、18時までに片付けたい",),
            "plan",
            {"targets": [{"location": "那覇", "process": "エントリ2"}], "by_time": "18:00"},
        ),
        (  # told it is stuck, asking how it stands
            ("梅田のSSのE1は、今どのような状況でしょうか。少し詰まっていると聞いたもので。",),
            "status",
            {"targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ1"}]},
        ),
        (  # a level typed right before a count in kana
            ("那覇補正 Lv3ふたり入れたら？",),
            "what_if",
            {"targets": [NAHA_HOSEI], "head_count": {"exact": 2}, "min_level": 3},
        ),
        (  # being told it is late is no condition
            ("梅田のE2が遅れていると聞きましたが、何時ごろに終わりそうですか。",),
            "finish_time",
            {"targets": [UMEDA_E2]},
        ),
        (
            ("那覇の補正にLv4を2人入れたら？", "じゃあ3名で案を"),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"exact": 3}, "min_level": 4},
        ),
        (  # a donor check, then the same question of another queue
            (
                "梅田E2に2名までで案をお願いします。",
                "その場合、札幌のE2は影響ありませんか。",
                "では、札幌の検証はいかがでしょうか。",
            ),
            "donor_check",
            {"targets": [{"location": "札幌", "process": "検証"}]},
        ),
        (
            ("When does Naha correction finish?", "ok and the verification side?"),
            "finish_time",
            {"targets": [{"location": "那覇", "process": "検証"}], "language": "en"},
        ),
        (
            ("盛岡のE2", "あ、KPだった。KPのE2"),
            "status",
            {"targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}]},
        ),
        (("梅田E2の案", "元の工程は平気？"), "donor_check", {}),
    ],
)
def test_eighteenth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("計3名まで", {"max": 3}),
        ("あと1人盛岡から。計2人", {"exact": 2}),
        ("じゃあ1なら？", {"exact": 1}),
        ("Lv4以上の4名なら？", {"exact": 4}),  # 「以上の」 is no 「上の」 (the ones above)
    ],
)
def test_totals_and_bare_numbers(text: str, count: dict[str, int]) -> None:
    found = head_count(text)
    assert found is not None and found.model_dump(exclude_none=True) == count


@pytest.mark.parametrize(
    ("text", "level"),
    [("エントリ1 レベル5", 5), ("e2レベル4以上", 4), ("入力2 レベル3", 3)],
)
def test_a_process_number_before_a_level_is_not_the_level(text: str, level: int) -> None:
    assert min_level(text) == level


@pytest.mark.parametrize("text", ["上の2人はどこ？", "上の3名を回して"])
def test_people_just_listed_are_no_count(text: str) -> None:
    assert head_count(text) is None


def test_those_n_are_the_people_listed_only_when_there_are_n(analyzer: IntentAnalyzer) -> None:
    """「その2人」 after a card moving three: two of them; 「その4名」 after a what-if of four
    people whose card moved three: the four asked about, a count."""
    asked = analyzer.analyze("梅田KPのE1、4名入れたら間に合う？")
    assert asked.request is not None
    moved = ("青木由美", "工藤舞", "石井さくら")
    answered = asked.request.model_copy(update={"answered_about": moved})
    asked = asked.model_copy(update={"request": answered})
    two = analyzer.analyze("その2人のスキル教えて", asked, answered).request
    assert two is not None and said(two) == (
        "operator_lookup",
        {"operators": {"about": list(moved[:2])}},
    )
    four = analyzer.analyze("じゃあその4名で案出して", asked, answered).request
    assert four is not None and four.kind == "plan"
    assert four.slots.head_count is not None and four.slots.head_count.exact == 4
    assert four.slots.operators is None


@pytest.mark.parametrize(
    "text", ["今日の締めに対するリスクを拠点別に教えて", "那覇の補正、間に合わなくなりそう？"]
)
def test_deadline_risk_is_a_delay_question(analyzer: IntentAnalyzer, text: str) -> None:
    [request] = conversation(analyzer, text)
    assert request.kind == "delay_risk"


def test_a_place_after_a_plan_request_is_its_donor_without_the_plan_state(
    analyzer: IntentAnalyzer,
) -> None:
    """The regression set passes only the previous turn: a plan asked just before is the
    plan the place is checked against."""
    plan = analyzer.analyze("那覇の補正が遅れているので応援を出して")
    donor = analyzer.analyze("じゃあ札幌は大丈夫？", plan)
    assert donor.request is not None and donor.request.kind == "donor_check"

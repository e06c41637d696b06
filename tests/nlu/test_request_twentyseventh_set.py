"""Readings found in the sixteenth session's work: a count said right after a list of people
counts them even when a name is one several people share, and the twenty-seventh blind sets
(dev_v27a/b/c). Our own sentences, written like the development sets' (never the frozen
set's)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.slots import points_at_one_person
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}
NAHA_CHECK = {"location": "那覇", "process": "検証"}
NAHA_FIX = {"location": "那覇", "process": "補正"}
SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}
UMEDA_KP_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}
UMEDA_KP_CHECK = {"location": "梅田", "business_id": "523202", "process": "検証"}
MORIOKA_SS_CHECK = {"location": "盛岡", "business_id": "523201", "process": "検証"}
SHINAGAWA_SS_E2 = {"location": "品川", "business_id": "523201", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # 太田さん is two people (札幌, 品川): still one of the three counted, no head count;
        # the one at 品川, the only site said before her where one of them works
        (
            ("那覇E1、品川の人で。上野さん・太田さん・中島愛さんの3人は除いて",),
            "plan",
            {
                "targets": [NAHA_E1],
                "origins": [{"location": "品川"}],
                "operators": {"remove": ["上野由香利", "太田亮", "中島愛"]},
            },
        ),
        (
            ("那覇E1に太田さんと中島愛さんの2人を入れたら間に合う？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["中島愛"]}},
        ),
        # 「〜さん、あと2人」: she and two more
        (
            ("那覇E1に中島愛さん、あと2人入れたら間に合う？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["中島愛"]}, "head_count": {"exact": 3}},
        ),
        # people kept out with a reason between the names and the verb (not 「は今」: now)
        (
            ("那覇E2の応援、岡本陽子さんと石川幸子さんは今日は研修なので外して",),
            "plan",
            {
                "targets": [NAHA_E2],
                "operators": {"remove": ["岡本陽子", "石川幸子"]},
                "date": "today",
            },
        ),
        # kept where they are: 「今の持ち場に置いといて」「今のままにしといて」 (持ち場 is no 持つ)
        (
            ("品川SSのE2に2人まで。上野さんは今の持ち場に置いといて",),
            "plan",
            {
                "targets": [SHINAGAWA_SS_E2],
                "head_count": {"max": 2},
                "operators": {"remove": ["上野由香利"]},
            },
        ),
        (
            ("那覇E1の応援案ちょうだい", "長谷川陽子さんは今のままにしといて"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["長谷川陽子"]}},
        ),
        (
            ("那覇E1の応援案ちょうだい", "竹下朱美さんも使わないで"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        # the queue a person stays on is neither spared nor an origin
        (
            ("盛岡SSの検証に応援", "竹下さんは検証から動かさないでね"),
            "plan",
            {"targets": [MORIOKA_SS_CHECK], "operators": {"remove": ["竹下朱美"]}},
        ),
        # a shared family name told apart by the site and business said before it
        (
            ("那覇E2は品川SSの藤井さんで行こう",),
            "plan",
            {"targets": [NAHA_E2], "operators": {"add": ["藤井大輔"]}},
        ),
        # ... and by the queue said before the list it ends
        (
            ("品川KP補正の太田さんと藤井さんを那覇の補正に回したら？",),
            "what_if",
            {"targets": [NAHA_FIX], "operators": {"move": ["太田亮", "藤井直樹"]}},
        ),
        # 「近藤さん2人とも」: both of that name on the queue said
        (
            ("梅田KPの検証、近藤さん2人とも早退したらまずい？",),
            "what_if",
            {"targets": [UMEDA_KP_CHECK], "operators": {"remove": ["近藤真由美", "近藤陽子"]}},
        ),
        # someone let back in after a plan kept them out: allowed, not forced
        (
            (
                "那覇の検証の応援、小野真由美さんと山崎沙織さんは抜きで",
                "山崎沙織さんは使ってもいいよ",
            ),
            "plan",
            {"targets": [NAHA_CHECK], "operators": {"remove": ["小野真由美"]}},
        ),
        # 「〜さん以外の2人なら？」: the others of the change; 「3人は多いな」 reads the answer back
        (
            (
                "札幌補正の坂本京子・山崎拓也・坂本隆を那覇の補正に回したら？",
                "3人は多いな。山崎拓也さん以外の2人だと？",
            ),
            "what_if",
            {"targets": [NAHA_FIX], "operators": {"move": ["坂本京子", "坂本隆"]}},
        ),
        # someone leaving early told, then a question in slang
        (
            ("由香利さんが早退だって。品川SSのE1ヤバい？",),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "エントリ1"}],
                "operators": {"remove": ["上野由香利"]},
            },
        ),
        # 「中村さんってもう1人いたよね」: the namesake not yet named, looked up (no count)
        (
            (
                "梅田KPのE2から中村さんが抜けたらどうなる？",
                "中村さんってもう1人いたよね、その人はどこ？",
            ),
            "operator_lookup",
            {"operators": {"about": ["中村瞳"]}},
        ),
        # whether a person is on a queue, asked: a look-up
        (
            ("森さんって盛岡KPの検証にいるんだっけ？",),
            "operator_lookup",
            {"operators": {"about": ["森優子"]}},
        ),
        # 「同じことを〜で」 keeps the terms at the new queue
        (
            ("札幌E1、那覇からは出さずに2人まで", "同じことを梅田KPのE1で"),
            "plan",
            {"targets": [UMEDA_KP_E1], "head_count": {"max": 2}, "spare": [{"location": "那覇"}]},
        ),
        # the same person, to another queue instead
        (
            ("盛岡の高山さんを札幌E1に回したら間に合う？", "梅田KPのE1に回すなら？"),
            "what_if",
            {"targets": [UMEDA_KP_E1], "operators": {"move": ["高山麻由子"]}},
        ),
        (
            ("盛岡の高山さんを札幌E1に回したら間に合う？", "那覇E2なら？"),
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["高山麻由子"]}},
        ),
        # 「そのうち1人は〜さん」: one of the two asked for, the count kept
        (
            ("那覇E2、札幌から2名", "そのうち1人は長谷川陽子さんで"),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 2},
                "origins": [{"location": "札幌"}],
                "operators": {"add": ["長谷川陽子"]},
            },
        ),
        # the count let go of: 「人数はいいから」
        (
            ("那覇E1に3人まで応援", "人数はもういいや、品川からだけで"),
            "plan",
            {"targets": [NAHA_E1], "origins": [{"location": "品川"}]},
        ),
        # nobody moved: the queue as it stands
        (
            ("札幌E1、2名で回して", "ちなみに誰も動かさないと何時に終わる？"),
            "finish_time",
            {"targets": [SAPPORO_E1]},
        ),
        # 「〜からじゃなくて」: not where help comes from
        (
            ("札幌E1に那覇からじゃなくて盛岡から応援",),
            "plan",
            {"targets": [SAPPORO_E1], "origins": [{"location": "盛岡"}]},
        ),
        (
            ("那覇E1の応援、盛岡から2人", "いや盛岡からじゃなくて品川から"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "origins": [{"location": "品川"}]},
        ),
        # noisy one-liners: kana and IME slips, abbreviations, chat English
        (
            ("品川でいま開いてる人いる？補正できる人",),
            "skill_search",
            {"targets": [{"location": "品川", "process": "補正"}], "available_only": True},
        ),
        (
            ("札幌のE1でいっちゃんベテなの誰？",),
            "skill_search",
            {"targets": [SAPPORO_E1], "sort": "most_experienced"},
        ),
        (("what can u do",), "help", {"language": "en"}),
        (("那覇って今何度くらい？",), "out_of_scope", {}),
        (("今日の残り、時間帯ごとに配置くんで",), "plan", {"date": "today"}),
        (
            ("When will Sapporo E1 finish?", "and naha E2"),
            "finish_time",
            {"targets": [NAHA_E2], "language": "en"},
        ),
        (
            ("盛岡って夕方いつも詰まるけど、前はどうしてた？", "今日は？"),
            "status",
            {"targets": [{"location": "盛岡"}], "date": "today"},
        ),
    ],
)
def test_readings(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("その人のスキル全部", True),
        ("彼女は？", True),
        ("1番目の人は？", True),
        ("the first person", True),
        ("その2人のスキル", False),
        ("2番目の人は？", False),
        ("その人たちは？", False),
        ("経験5年以上で全拠点", False),
    ],
)
def test_a_message_pointing_at_one_person(text: str, points: bool) -> None:
    """What tells 「その人のスキル全部」 (her) from a search widened to every site."""
    assert points_at_one_person(text) is points

"""Readings the twenty-eighth blind sets needed: queues said only to explain the situation
(「補正は余裕あるから」「E1は後回し」「E2がダメなのは知ってる」) beside the one to help
(dev_v28a), and how good and how many said indirectly (「Lv3だと不安」「1人じゃ足りない」
「2人は欲しい、できれば3人」, dev_v28b); and the first readings of the twenty-ninth (times,
dev_v29a; managers who write in English, dev_v29b). Our own sentences, written like the
development sets' (never the frozen set's)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}
NAHA_CHECK = {"location": "那覇", "process": "検証"}
SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}
UMEDA_KP_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}
UMEDA_KP_E2 = {"location": "梅田", "business_id": "523202", "process": "エントリ2"}
SHINAGAWA_SS_CHECK = {"location": "品川", "business_id": "523201", "process": "検証"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # a queue said as the reason help can come from it: an origin, no target
        (
            ("札幌E1がやばい。検証は30分くらい余裕あるから検証から1人出して",),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "head_count": {"exact": 1},
                "origins": [{"location": "札幌", "process": "検証"}],
            },
        ),
        # queues the manager knows about, or sets aside for now
        (
            ("那覇の検証って何時に終わる？補正がダメなのは知ってる",),
            "finish_time",
            {"targets": [NAHA_CHECK]},
        ),
        (
            ("梅田KPのE2が先。E1は後回しでいい。品川から2人まで",),
            "plan",
            {"targets": [UMEDA_KP_E2], "head_count": {"max": 2}, "origins": [{"location": "品川"}]},
        ),
        (
            ("那覇E1が一番遅れてるけど、先に那覇E2を。E1は後回し",),
            "plan",
            {"targets": [NAHA_E2]},
        ),
        # the site of the queue said as context completes the one asked about
        (
            ("盛岡KPの補正はもう片付いた。同じKPのE2は何時に終わる？",),
            "finish_time",
            {"targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}]},
        ),
        # a reason between the place and the verb that spares it
        (
            ("品川SSの検証に応援、札幌の検証は締めが近いから触らないで",),
            "plan",
            {"targets": [SHINAGAWA_SS_CHECK], "spare": [{"location": "札幌", "process": "検証"}]},
        ),
        (
            ("那覇E2に人を。盛岡は自分とこも遅れてるんで除外",),
            "plan",
            {"targets": [NAHA_E2], "spare": [{"location": "盛岡"}]},
        ),
        (
            ("那覇E2に応援、札幌からは呼ばないで",),
            "plan",
            {"targets": [NAHA_E2], "spare": [{"location": "札幌"}]},
        ),
        # help already arranged from a place: not where this plan takes from
        (
            ("那覇のE1は梅田から応援決まったから、残りはE2。札幌から2人まで",),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"max": 2}, "origins": [{"location": "札幌"}]},
        ),
        # someone kept on a queue that stalls without her: a plan, the queue no target;
        # then that queue spared instead
        (
            (
                "札幌E1に、札幌E2から。E2の中でも長谷川さんは外さんといて、あの人いないとE2が回らない",
                "E2はやっぱやめとこう。補正からで",
            ),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "origins": [{"location": "札幌", "process": "補正"}],
                "spare": [{"location": "札幌", "process": "エントリ2"}],
                "operators": {"remove": ["長谷川香織"]},
            },
        ),
        # ... but asked, the queue that stalls is the one judged
        (
            ("高山さんが抜けると盛岡E1が回らない？",),
            "what_if",
            {
                "targets": [{"location": "盛岡", "process": "エントリ1"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        # a level turned down is the next one up; the highest bound said wins
        (
            ("那覇E2、Lv3だと不安だから4以上で2人",),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}, "min_level": 4},
        ),
        (
            ("札幌E1に1人、Lv2とかは勘弁",),
            "plan",
            {"targets": [SAPPORO_E1], "head_count": {"exact": 1}, "min_level": 3},
        ),
        (
            ("補正で3か4の人、盛岡に何人いる？",),
            "skill_search",
            {"targets": [{"location": "盛岡", "process": "補正"}], "min_level": 3},
        ),
        # counts turned down, ranges, and one per place
        (
            ("那覇E1、1人じゃ足りないよね、3人でお願い",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 3}},
        ),
        (
            ("那覇の検証、2人は欲しい、できれば3人",),
            "plan",
            {"targets": [NAHA_CHECK], "head_count": {"max": 3}},
        ),
        (
            ("梅田KPのE1、札幌から1人、品川から2人で回して",),
            "plan",
            {
                "targets": [UMEDA_KP_E1],
                "head_count": {"exact": 3},
                "origins": [{"location": "札幌"}, {"location": "品川"}],
            },
        ),
        (
            ("那覇E1に一人前の人を2人お願い",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        (
            ("那覇E1に3人", "3人も要らんか。2人で回して"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        # a term said more precisely after a plan; the count left to the planner
        (
            ("那覇E2の応援案ちょうだい", "つまりLv4以上ってこと"),
            "plan",
            {"targets": [NAHA_E2], "min_level": 4},
        ),
        (
            ("那覇のE1、人数は任せるけどLv3より下はやめてね",),
            "plan",
            {"targets": [NAHA_E1], "min_level": 3},
        ),
        # English plans said the way people write them (dev_v29b)
        (
            ("Naha Entry 1 is falling behind. Can you find me a couple of people for it?",),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "language": "en"},
        ),
        (
            ("Naha Entry 2 is way behind. Can you pull people from Morioka only? Two at most.",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 2},
                "origins": [{"location": "盛岡"}],
                "language": "en",
            },
        ),
        (
            ("Naha entry-1 needs help. Find help from within Naha.",),
            "plan",
            {"targets": [NAHA_E1], "origins": [{"location": "那覇"}], "language": "en"},
        ),
        (
            ("Naha Entry 1 needs help", "Actually make it 3"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 3}, "language": "en"},
        ),
        (
            ("Who has the most Correction experience in Naha?",),
            "skill_search",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "sort": "most_experienced",
                "language": "en",
            },
        ),
        (
            ("Is Naha Correction cutting it close?",),
            "finish_time",
            {"targets": [{"location": "那覇", "process": "補正"}], "language": "en"},
        ),
        # finish times asked politely or by the time it will be (dev_v29a)
        (
            ("17時までに那覇の検証終わりますか",),
            "finish_time",
            {"targets": [NAHA_CHECK], "by_time": "17:00"},
        ),
        (
            ("那覇の検証は何時になりそう？",),
            "finish_time",
            {"targets": [NAHA_CHECK]},
        ),
        # one added weighed
        (
            ("那覇の補正、1人入れたくらいじゃ足りないよね？",),
            "what_if",
            {"targets": [{"location": "那覇", "process": "補正"}], "head_count": {"exact": 1}},
        ),
    ],
)
def test_readings(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

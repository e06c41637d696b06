"""Shapes the twentieth and twenty-first development sets found (our own sentences, never
the frozen set's nor the dev sets' own): asides in a thread, namesakes told apart by their
queue, counts moved after a plan, whole sites, businesses of one queue, donor checks in few
words."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.followup import is_whole_site
from aimee.nlu.gazetteer import Gazetteer
from tests.nlu.test_request_phrasings import conversation, said

SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # know-how asked in between: the next turn continues the queue before it
            ("札幌の様子どう？", "そういえば応援の基準ってどこかにある？", "E1に盛岡から1人"),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡"}],
            },
        ),
        (  # ...but a question about the aside itself stays with it
            ("前に那覇で応援出したときどうしてた？", "その時って何人動かしたの？"),
            "knowhow",
            {"targets": [{"location": "那覇"}]},
        ),
        (  # a what-if after a look-up completes its process at the thread's site
            (
                "札幌E2から石井麻衣さん抜いたら？",
                "石井麻衣さんのスキルは？",
                "ならE1に石井麻衣さん入れたら？",
            ),
            "what_if",
            {"targets": [SAPPORO_E1], "operators": {"add": ["石井麻衣"]}},
        ),
        (  # a count moved after a plan re-plans, it is no what-if
            ("那覇E2に2人ちょうどで案を", "やっぱもう1人増やしたら？"),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 3}},
        ),
        (
            ("那覇E2、3人までで", "1人減らしたら？"),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"max": 2}},
        ),
        (  # people leaving still weigh a what-if
            ("那覇E2、3人までで", "1人早退したら？"),
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 1}},
        ),
        (  # the cap restated, the other terms kept
            ("盛岡KPのE2、上限2名、盛岡の中からのみ", "上限を1名にして、他の条件はそのまま"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}],
                "head_count": {"max": 1},
                "origins": [{"location": "盛岡"}],
            },
        ),
        (  # the queue someone is kept for is no target
            ("盛岡KPのE2、上限2名", "斉藤幸子さんは補正の要だから候補から外して"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}],
                "head_count": {"max": 2},
                "operators": {"remove": ["斉藤幸子"]},
            },
        ),
        (  # a site the plan takes from, asked about in few words
            ("札幌の検証から2人、那覇E2に回して", "札幌の検証、それでももつ？"),
            "donor_check",
            {"targets": [{"location": "札幌", "process": "検証"}]},
        ),
        (
            ("品川E1に梅田から2人", "梅田的にはOK？"),
            "donor_check",
            {"targets": [{"location": "梅田"}]},
        ),
        (
            ("品川E1に梅田から2人", "梅田、手薄にならない？"),
            "donor_check",
            {"targets": [{"location": "梅田"}]},
        ),
        (  # a site as a whole, in place of the last question's queue
            ("那覇の補正、何時に終わる？", "盛岡全体だと？"),
            "finish_time",
            {"targets": [{"location": "盛岡"}]},
        ),
        (
            ("梅田KPのE1に2名で", "その場合、札幌の検証は？", "品川全体は？"),
            "donor_check",
            {"targets": [{"location": "品川"}]},
        ),
        # people in a thread
        (  # someone in place of the person the last what-if sent
            ("上野さんを札幌E1に回したら？", "上野さんの代わりに藤井大輔さんだったら？"),
            "what_if",
            {"targets": [SAPPORO_E1], "operators": {"move": ["藤井大輔"]}},
        ),
        (  # the person just looked up, put in
            ("後藤健太さん、今日いる？", "品川の補正に入ってもらうのはどう？"),
            "what_if",
            {
                "targets": [{"location": "品川", "process": "補正"}],
                "operators": {"add": ["後藤健太"]},
            },
        ),
        (  # one of the people leaving kept where they are
            ("札幌SS補正の坂本京子さんと山崎拓也さんが抜けたら？", "山崎拓也さんだけ残したら？"),
            "what_if",
            {
                "targets": [{"location": "札幌", "business_id": "523201", "process": "補正"}],
                "operators": {"remove": ["坂本京子"]},
            },
        ),
        (  # the plan's own people, one left out: the plan again
            (
                "那覇E2、岡本陽子さん・長谷川陽子さん・鈴木直美さんの3人で",
                "鈴木さん抜きで、岡本さんと長谷川さんの2人なら？",
            ),
            "plan",
            {
                "targets": [NAHA_E2],
                "operators": {"add": ["岡本陽子", "長谷川陽子"], "remove": ["鈴木直美"]},
            },
        ),
        (
            ("那覇E2、岡本陽子さんと長谷川陽子さんの2人で", "梅田から2人も抜いて梅田は平気？"),
            "donor_check",
            {"targets": [{"location": "梅田"}]},
        ),
        (  # someone the plan chooses, in place of the person named
            ("高山さんを札幌のE1に入れたら？", "高山さんじゃなくて、盛岡から誰か1人なら？"),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡"}],
                "operators": {"remove": ["高山麻由子"]},
            },
        ),
        (  # a namesake who works on the queue the thread is about; the verb in a sentence
            # of its own
            ("品川KPの補正、余裕ある？", "太田さんってそこだよね？抜けたら間に合わない？"),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523202", "process": "補正"}],
                "operators": {"remove": ["太田亮"]},
            },
        ),
        # places in a thread
        (  # the site it already takes from, said again beside a new one
            ("梅田KPのE1、盛岡から回せる？", "盛岡だけでダメなら札幌からもOK"),
            "plan",
            {
                "targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ1"}],
                "origins": [{"location": "盛岡"}, {"location": "札幌"}],
            },
        ),
        (
            ("品川SSのE2、品川の中でやりくりして", "KPのメンバーには手をつけないで"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}],
                "origins": [{"location": "品川"}],
                "spare": [{"location": "品川", "business_id": "523202"}],
            },
        ),
        (
            ("那覇のE1とE2、今どう？", "那覇の両方に盛岡から応援"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}, NAHA_E2],
                "origins": [{"location": "盛岡"}],
            },
        ),
        (  # the queue corrected, the plan's terms kept
            ("札幌のE1、梅田から2人まで", "ごめん、札幌じゃなくて那覇のE2だった"),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"max": 2}, "origins": [{"location": "梅田"}]},
        ),
        (
            ("札幌のE2、何時に終わる？", "間に合わせるには何人要る？"),
            "plan",
            {"targets": [{"location": "札幌", "process": "エントリ2"}]},
        ),
        (
            ("遅れてるとこある？", "その中で一番遅れてるとこに応援お願い"),
            "plan",
            {},
        ),
        (  # the helpers it takes, asked under a condition
            ("遅れてるとこある？", "遅れてるとこ全部に応援出すとしたら何人要る？"),
            "plan",
            {},
        ),
    ],
)
def test_twentyfirst_set_threads(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        # namesakes told apart by the queue said right before them (the demo's 佐々木 of
        # 盛岡KP: 拓也 on エントリ1, 千尋 on 補正)
        (
            "盛岡KPの補正の佐々木さん、抜けても大丈夫？",
            "what_if",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "補正"}],
                "operators": {"remove": ["佐々木千尋"]},
            },
        ),
        (
            "盛岡KPのE1の佐々木さんを那覇E2に回したら？",
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["佐々木拓也"]}},
        ),
        (  # two people joined though the second is told by her queue: one role
            "札幌E1の工藤さんと補正の田中さんを交換したら？",
            "what_if",
            {"operators": {"move": ["工藤舞", "田中香織"]}},
        ),
        # counts and people listed in an order
        (
            "補正、経験の長い順に3人教えて",
            "skill_search",
            {"targets": [{"process": "補正"}], "sort": "most_experienced"},
        ),
        (
            "那覇E2に二名入れて、間に合うか見てみて",
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}},
        ),
        (
            "那覇E2、ヘッド3つ追加でいける？",
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 3}},
        ),
        # places
        (
            "那覇E2に1人、札幌のLv4以上から",
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 1},
                "origins": [{"location": "札幌"}],
                "min_level": 4,
            },
        ),
        (
            "梅田KPのE2に1人、SSのほうから回して",
            "plan",
            {
                "targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ2"}],
                "head_count": {"exact": 1},
                "origins": [{"location": "梅田", "business_id": "523201"}],
            },
        ),
        (
            "那覇のE1、同じ拠点の中でなんとかできない？",
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ1"}],
                "origins": [{"location": "那覇"}],
            },
        ),
        (
            "なはのE2、もりおかはさわらないで応援",
            "plan",
            {"targets": [NAHA_E2], "spare": [{"location": "盛岡"}]},
        ),
        (  # both businesses of one queue, or of one site
            "品川の検証、SSもKPも間に合う？",
            "finish_time",
            {
                "targets": [
                    {"location": "品川", "business_id": "523201", "process": "検証"},
                    {"location": "品川", "business_id": "523202", "process": "検証"},
                ]
            },
        ),
        (
            "ナハのホセイ、どんな感じ？",
            "status",
            {"targets": [{"location": "那覇", "process": "補正"}]},
        ),
        # kinds
        (
            "那覇E1は何分ほど遅れそうですか",
            "finish_time",
            {"targets": [{"location": "那覇", "process": "エントリ1"}]},
        ),
        ("那覇E2のETAを教えて", "finish_time", {"targets": [NAHA_E2]}),
        ("それでは承認の手続きをお願いします", "approval_request", {}),
        ("このチャットで承認まで済ませられる？", "help", {}),
        ("急な欠勤が出たとき、普通どうしてる？", "knowhow", {}),
        ("明日早退したいんだけど", "out_of_scope", {}),
        (
            "梅田SSのE1、今のままじゃ終わらないの？",
            "finish_time",
            {"targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ1"}]},
        ),
    ],
)
def test_twentyfirst_set_shapes(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


def test_a_namesake_follows_the_queue_they_work_on_now(gazetteer: Gazetteer) -> None:
    """The queues are kept current: once 拓也 and 千尋 have swapped queues, 「E1の佐々木さん」
    is 千尋."""

    def said(g: Gazetteer, text: str) -> list[str | None]:
        return [m.label for m in g.extract(text).mentions if m.kind == "operator"]

    assert said(gazetteer, "盛岡KPのE1の佐々木さん") == ["佐々木拓也"]
    swapped = Gazetteer(
        gazetteer.locations, gazetteer.processes, gazetteer.businesses, gazetteer.operators
    )
    ids = {name: op_id for op_id, name in gazetteer.operators.items()}
    swapped.set_queues(
        {
            ids["佐々木拓也"]: ("盛岡", "523202", "補正"),
            ids["佐々木千尋"]: ("盛岡", "523202", "エントリ1"),
        }
    )
    assert said(swapped, "盛岡KPのE1の佐々木さん") == ["佐々木千尋"]
    assert said(swapped, "盛岡KPの補正の佐々木さん") == ["佐々木拓也"]


@pytest.mark.parametrize(
    ("text", "whole"),
    [("品川全体だと？", True), ("盛岡全体は？", True), ("品川 全体", False), ("全体は？", False)],
)
def test_a_whole_site_asked(gazetteer: Gazetteer, text: str, whole: bool) -> None:
    assert is_whole_site(gazetteer.extract(text)) is whole

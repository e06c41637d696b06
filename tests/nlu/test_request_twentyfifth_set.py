"""Readings the twenty-fourth and twenty-fifth blind sets needed: reactions to the answer just
given (a count or a place read back, a queue the plan would hurt), counts and levels said
every way (dev_v25a), people named every way (dev_v25b), which queues and who first (dev_v25c).
Our own sentences, written like the development sets' (never the frozen set's)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.carry import carry_over
from aimee.nlu.request import QueueRef, Request, Slots
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}
NAHA_CHECK = {"location": "那覇", "process": "検証"}
SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}
SAPPORO_FIX = {"location": "札幌", "process": "補正"}
MORIOKA_KP_E2 = {"location": "盛岡", "business_id": "523202", "process": "エントリ2"}
SHINAGAWA_SS_E2 = {"location": "品川", "business_id": "523201", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # a count read back from the answer, then the one asked for
        (
            ("那覇E1の応援案ちょうだい", "5人？そんなに要る？2人でなんとかならない？"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}},
        ),
        # the answer's count complained of, and a site spared instead
        (
            ("那覇E2の応援案", "盛岡から3人も抜かれるのは困る。盛岡以外でお願い"),
            "plan",
            {"targets": [NAHA_E2], "spare": [{"location": "盛岡"}]},
        ),
        (
            ("品川SSのE2、4人未満で回せる？",),
            "plan",
            {"targets": [SHINAGAWA_SS_E2], "head_count": {"max": 3}},
        ),
        (
            ("那覇の検証、誰か3人足せたら間に合う？", "2人しか確保できなかったら？"),
            "what_if",
            {"targets": [NAHA_CHECK], "head_count": {"exact": 2}},
        ),
        # the place the answer took help from, read back in surprise; help from inside instead
        (
            ("盛岡KPのE2、誰か入れて", "品川からわざわざ？盛岡の中でやりくりできないの"),
            "plan",
            {"targets": [MORIOKA_KP_E2], "origins": [{"location": "盛岡"}]},
        ),
        (
            ("那覇のE1、どう回せばいい？", "二人とも他拠点の人なんだ。那覇の中から出せない？"),
            "plan",
            {"targets": [NAHA_E1], "origins": [{"location": "那覇"}]},
        ),
        # a queue the plan would hurt is the reason for the next order, not a queue to help
        (
            ("那覇E2に応援案", "札幌の検証が悪くなるならやめとこう。梅田から1人で"),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 1}, "origins": [{"location": "梅田"}]},
        ),
        (
            ("札幌E1に応援", "品川SSのE2が遅れるじゃん。品川からは出さないで"),
            "plan",
            {"targets": [SAPPORO_E1], "spare": [{"location": "品川"}]},
        ),
        (
            ("札幌E1が遅れるなら応援出して",),
            "plan",
            {"targets": [SAPPORO_E1]},
        ),
        (("盛岡KPのE2に誰入れる？",), "plan", {"targets": [MORIOKA_KP_E2]}),
        # a person left out of the plan as the first sentence says why
        (
            ("那覇の検証、誰か回して", "小野真由美さんは札幌で抜けられないから外して"),
            "plan",
            {"targets": [NAHA_CHECK], "operators": {"remove": ["小野真由美"]}},
        ),
        # people, every way
        (
            (
                "石川幸子さん早退したら札幌の検証まわる？",
                "石川さんに加えて小川健太さんも休んだら？",
            ),
            "what_if",
            {
                "targets": [{"location": "札幌", "process": "検証"}],
                "operators": {"remove": ["石川幸子", "小川健太"]},
            },
        ),
        (
            (
                "藤井大輔さんが抜けたら品川SSのエントリ1どうなる？",
                "藤井さんの穴に中島愛さん入れたら？",
            ),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "エントリ1"}],
                "operators": {"remove": ["藤井大輔"], "add": ["中島愛"]},
            },
        ),
        (
            ("高山さんと竹下さんを札幌E1に回したらどうなる？", "竹下さん抜きなら？"),
            "what_if",
            {"targets": [SAPPORO_E1], "operators": {"move": ["高山麻由子"]}},
        ),
        (
            ("盛岡SSの検証、竹下さんと森さん使って", "森さんはやめて竹下さんだけで"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523201", "process": "検証"}],
                "operators": {"add": ["竹下朱美"], "remove": ["森優子"]},
            },
        ),
        (
            ("那覇E1の応援、長谷川陽子さんは外して", "鈴木直美さんもね"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["鈴木直美", "長谷川陽子"]}},
        ),
        (
            ("那覇E2に前田理恵さん使って", "理恵さんのほかにもう1人つけて"),
            "plan",
            {"targets": [NAHA_E2], "operators": {"add": ["前田理恵"]}, "head_count": {"exact": 2}},
        ),
        (
            ("石川・小野真由美・山崎沙織の3人、今どこ？",),
            "operator_lookup",
            {"operators": {"about": ["石川幸子", "小野真由美", "山崎沙織"]}},
        ),
        (
            ("千葉浩二氏の配置を教えてください", "同氏を那覇の補正へ移した場合は？"),
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "operators": {"move": ["千葉浩二"]},
            },
        ),
        (
            ("金子さん熱っぽいから今から帰す。札幌E1どうなる",),
            "what_if",
            {"targets": [SAPPORO_E1], "operators": {"remove": ["金子和子"]}},
        ),
        (
            ("上野さん、今どこにアサインされてます？",),
            "operator_lookup",
            {"operators": {"about": ["上野由香利"]}},
        ),
        (
            ("麻衣ちゃん今どこ？", "検証もできたっけ"),
            "operator_lookup",
            {"operators": {"about": ["石井麻衣"]}},
        ),
        # which queues: one more on the same terms, the same request elsewhere
        (
            ("品川SSのE2に応援ほしい。梅田から", "あ、那覇のE1もお願い"),
            "plan",
            {"targets": [SHINAGAWA_SS_E2, NAHA_E1], "origins": [{"location": "梅田"}]},
        ),
        (
            ("那覇のE2、札幌から3人まで", "E1も同じ条件で"),
            "plan",
            {
                "targets": [NAHA_E2, NAHA_E1],
                "origins": [{"location": "札幌"}],
                "head_count": {"max": 3},
            },
        ),
        (
            ("那覇の検証に応援案", "同じことを盛岡で"),
            "plan",
            {"targets": [{"location": "盛岡", "process": "検証"}]},
        ),
        (
            ("高山さんを札幌E1に回したらどうなる？", "同じことを那覇のE1で"),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"move": ["高山麻由子"]}},
        ),
        (
            ("那覇E2 補充 札幌勢で", "人数は2まで"),
            "plan",
            {"targets": [NAHA_E2], "origins": [{"location": "札幌"}], "head_count": {"max": 2}},
        ),
        (
            ("那覇のE1、3人ほしい。品川と梅田から", "品川はやっぱなし"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 3},
                "origins": [{"location": "梅田"}],
                "spare": [{"location": "品川"}],
            },
        ),
        (
            ("札幌E1 応援案 拠点内で", "補正は減らしたくない。検証から出して"),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "origins": [{"location": "札幌", "process": "検証"}],
                "spare": [SAPPORO_FIX],
            },
        ),
        (("今どこか、2人まで動かせるなら？",), "plan", {"head_count": {"max": 2}}),
        (
            ("全体で4人まで動かすとしたら、どこに入れるのがいちばん効く？",),
            "plan",
            {"head_count": {"max": 4}},
        ),
        (
            ("品川KPのE2、バッファどれくらい？",),
            "finish_time",
            {"targets": [{"location": "品川", "business_id": "523202", "process": "エントリ2"}]},
        ),
        (("なはの E2 なんじに おわる",), "finish_time", {"targets": [NAHA_E2]}),
        (
            ("札幌の補正から1人休憩に出しても回る？",),
            "what_if",
            {"targets": [SAPPORO_FIX], "head_count": {"exact": 1}},
        ),
        (("これって何人動かすかとか指定できるの？",), "help", {}),
        # one message, several terms (dev_v26a), and the requests said otherwise (dev_v26b)
        (
            ("那覇全体、今どんな感じ？遅延は何件出そう？",),
            "status",
            {"targets": [{"location": "那覇"}]},
        ),
        (
            ("札幌のE1、竹下さんともう1人、品川から",),
            "plan",
            {
                "targets": [SAPPORO_E1],
                "head_count": {"exact": 2},
                "origins": [{"location": "品川"}],
                "operators": {"add": ["竹下朱美"]},
            },
        ),
        (
            ("品川KPの補正、17時までに終わる？", "エントリ1も同じく"),
            "finish_time",
            {
                "targets": [{"location": "品川", "business_id": "523202", "process": "エントリ1"}],
                "by_time": "17:00",
            },
        ),
        (
            ("If we put two level 4 operators on Naha Entry 1, will it make the deadline?",),
            "what_if",
            {"targets": [NAHA_E1], "head_count": {"exact": 2}, "min_level": 4, "language": "en"},
        ),
        (
            ("What's the total number of late tasks across the floor?",),
            "status",
            {"language": "en"},
        ),
        (("盛岡KPのE2に1人", "いいね、それ通しといて"), "approval_request", {}),
        (
            ("札幌E1と盛岡の検証、両方なんとかして", "盛岡からは人抜かないでね"),
            "plan",
            {
                "targets": [SAPPORO_E1, {"location": "盛岡", "process": "検証"}],
                "spare": [{"location": "盛岡"}],
            },
        ),
        (
            ("梅田、遅れそうなとこある？", "KPのE1だけ詳しく"),
            "status",
            {"targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ1"}]},
        ),
        (
            ("品川SSのE2の状況は？", "同じの那覇で"),
            "status",
            {"targets": [{"location": "那覇", "business_id": "523201", "process": "エントリ2"}]},
        ),
        (("盛岡KPのE2に1人", "ほな、それでポチっといて"), "approval_request", {}),
        # people of a kind sent to a queue, a skill that only describes them, people not used
        (("札幌E1、ベテランを2人",), "plan", {"targets": [SAPPORO_E1], "head_count": {"exact": 2}}),
        (
            ("札幌E1に補正Lv4以上の人入れたら？",),
            "what_if",
            {"targets": [SAPPORO_E1], "min_level": 4},
        ),
        (
            ("高山さんを使わずに札幌E1を間に合わせたい",),
            "plan",
            {"targets": [SAPPORO_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        (
            ("高山さん、竹下さんを札幌E1に",),
            "plan",
            {"targets": [SAPPORO_E1], "operators": {"move": ["高山麻由子", "竹下朱美"]}},
        ),
        (
            (
                "那覇のE1に3人足したら間に合う？",
                "Lv4以上の3人だったら？",
                "じゃあその条件で案出して",
            ),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 3}, "min_level": 4},
        ),
    ],
)
def test_reactions_counts_people_and_queues(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "slots"),
    [
        # who first, said every way
        (("検証で手の早い人おる？",), {"targets": [{"process": "検証"}], "sort": "fastest"}),
        (
            ("盛岡の補正、処理件数多い順に",),
            {"targets": [{"location": "盛岡", "process": "補正"}], "sort": "fastest"},
        ),
        (
            ("梅田の補正でいっちゃん経験ある人",),
            {"targets": [{"location": "梅田", "process": "補正"}], "sort": "most_experienced"},
        ),
        (
            ("那覇の検証、誰が一番できる？スピードで見て",),
            {"targets": [NAHA_CHECK], "sort": "fastest"},
        ),
        (
            ("梅田の補正で一番経験ある人", "速さで見たら？"),
            {"targets": [{"location": "梅田", "process": "補正"}], "sort": "fastest"},
        ),
        (
            ("エントリ1で一番速い人", "じゃあ札幌だけ", "2番目は？"),
            {"targets": [SAPPORO_E1], "sort": "fastest"},
        ),
        (
            ("梅田でE2の速い人", "同じこと那覇で"),
            {"targets": [NAHA_E2], "sort": "fastest"},
        ),
        (
            ("Who's the fastest on 補正 in Naha?", "And the most experienced one?"),
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "sort": "most_experienced",
                "language": "en",
            },
        ),
        # terms dropped, kept, counted
        (
            ("札幌で空いてるE1の速い人", "空いてなくてもいいから一番速いのは？"),
            {"targets": [SAPPORO_E1], "sort": "fastest"},
        ),
        (
            ("補正のLv4以上、梅田に何人？", "レベル関係なく、経験1年以上だと？"),
            {"targets": [{"location": "梅田", "process": "補正"}], "min_experience_months": 12},
        ),
        (
            ("盛岡で補正2年以上の人いる？", "半年以上なら何人？"),
            {"targets": [{"location": "盛岡", "process": "補正"}], "min_experience_months": 6},
        ),
        (
            ("E2でLv5の人、盛岡は？", "経験4年↑で全拠点"),
            {"targets": [{"process": "エントリ2"}], "min_level": 5, "min_experience_months": 48},
        ),
        (
            ("盛岡の検証でLv4以上、経験3年以上の速い人", "経験は問わんなら何人？"),
            {"targets": [{"location": "盛岡", "process": "検証"}], "min_level": 4},
        ),
        (
            (
                "How many in Morioka can do correction at level 4 or above?",
                "And with at least two years of experience?",
            ),
            {
                "targets": [{"location": "盛岡", "process": "補正"}],
                "min_level": 4,
                "min_experience_months": 24,
                "language": "en",
            },
        ),
    ],
)
def test_searches_in_an_order_and_their_terms(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == ("skill_search", slots)


def test_a_person_named_too_after_a_plan_that_put_people_in_is_put_in(
    analyzer: IntentAnalyzer,
) -> None:
    *_, request = conversation(analyzer, "那覇E1に竹下さん入れて", "高山さんも")
    assert said(request)[1]["operators"] == {"add": ["高山麻由子", "竹下朱美"]}


def test_a_plan_for_a_site_and_a_site_said_with_also_is_where_help_comes_from(
    analyzer: IntentAnalyzer,
) -> None:
    *_, request = conversation(analyzer, "那覇E1に盛岡から2人回して", "あ、札幌もお願い")
    assert NAHA_E1 not in request.slots.public().get("targets", [])


def test_a_list_of_late_queues_is_picked_from_by_place_and_by_process() -> None:
    """After 「盛岡のSSもKPも、遅れそうな工程ある？」 (two late queues listed): 「上から2つ」 are
    both, 「2つ目のほうに誰か」 the second, 「そのうち検証のほう」 the one of them on 検証."""
    check = QueueRef(location="盛岡", business_id="523201", process="検証")
    entry = QueueRef(location="盛岡", business_id="523202", process="エントリ2")
    listed = Request(
        kind="delay_risk",
        slots=Slots(
            targets=(
                QueueRef(location="盛岡", business_id="523201"),
                QueueRef(location="盛岡", business_id="523202"),
            )
        ),
        answered_queues=(check, entry),
    )
    both = carry_over("plan", Slots(), "上から2つにまとめて応援", previous=listed, last_plan=None)
    assert both.targets == (check, entry)
    second = carry_over("plan", Slots(), "2つ目のほうに誰か", previous=listed, last_plan=None)
    assert second.targets == (entry,)
    said = Slots(targets=(QueueRef(process="検証"),))
    one = carry_over(
        "what_if", said, "そのうち検証のほう、2人入れたら", previous=listed, last_plan=None
    )
    assert one.targets == (check,)

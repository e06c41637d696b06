"""Phrasings of the thirteenth development sets' shapes (our own sentences, never the frozen
set's nor the dev sets' own): a plan asked after a what-if keeps its people, a count of the
people just named, 「Xから1名で足りる？」, 寄せる, the same change asked about another queue,
a named person instead of an unnamed count, a donor check naming the plan's own person,
「の中からは出さないで」, a business alone at the site the message names, the day of a
rest-of-day plan kept, 「AさんじゃなくてBさんなら？」, a site typed as its homophone,
「以外にもう一人」, someone lent elsewhere, 「N人だけ足して」 beside a person, a plan after
unnamed people leave; a floor overview, the end of a person's day, a margin, narrowed
searches, know-how about a past case, romaji Japanese, English with one Japanese process
name, free people searched, 「やばいの？」 about a queue, a queue at an unknown site and
「それでやっといて」."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from aimee.nlu.request import OperatorSlots, QueueRef, Request, Slots
from aimee.nlu.romaji import kana, kana_message
from aimee.nlu.thread_people import people_from_thread
from tests.nlu.test_request_phrasings import conversation, said

UMEDA_HOSEI = {"location": "梅田", "process": "補正"}
SHINAGAWA_SS_KENSHO = {"location": "品川", "business_id": "523201", "process": "検証"}
UMEDA_SS_HOSEI = {"location": "梅田", "business_id": "523201", "process": "補正"}


def test_a_site_typed_as_its_homophone(gazetteer: Gazetteer) -> None:
    places = [m.value for m in gazetteer.extract("札幌の検証、森岡から回せる？").mentions]
    assert "盛岡" in places
    assert not [m for m in gazetteer.extract("森岡さんを入れて").mentions if m.kind == "location"]


@pytest.mark.parametrize(
    ("text", "people"),
    [("エントリ1は悪くなる？", ("上野由香利",)), ("今のままだとエントリ1は何時に終わる？", ())],
)
def test_the_same_change_asked_about_another_queue_unless_nothing_changes(
    text: str, people: tuple[str, ...]
) -> None:
    sent = OperatorSlots(move=("上野由香利",))
    thread = Request(kind="what_if", slots=Slots(operators=sent))
    asked = Slots(targets=(QueueRef(location="梅田", process="エントリ1"),))
    assert people_from_thread(asked, text, thread).people == people


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("owaru", "おわる"),
        ("nanpun", "なんぷん"),
        ("kyou", "きょう"),
        ("help", None),
        ("level", None),
    ],
)
def test_romaji_words(word: str, read: str | None) -> None:
    assert kana(word) == read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Sapporo KP E2 itsu owaru?", "Sapporo KP E2 いつおわる?"),
        ("nanji ni owaru?", "なんじにおわる?"),
        ("Who can do it?", None),
        ("Naha?", None),
    ],
)
def test_a_message_in_romaji_is_read_in_kana(text: str, read: str | None) -> None:
    assert kana_message(text) == read


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (
            (
                "上野さんを梅田の補正に回したらどうなる？",
                "それでもダメなら他の人も入れて案を作って",
            ),
            "plan",
            {"targets": [UMEDA_HOSEI], "operators": {"move": ["上野由香利"]}},
        ),
        (
            ("品川SSの検証に遠藤さん入れたら間に合う？", "遠藤さんと千葉さんの二人なら？"),
            "what_if",
            {"targets": [SHINAGAWA_SS_KENSHO], "operators": {"add": ["遠藤友美", "千葉浩二"]}},
        ),
        (
            ("札幌KPの補正、同じ札幌のSSから1名で足りる？",),
            "plan",
            {
                "targets": [{"location": "札幌", "business_id": "523202", "process": "補正"}],
                "head_count": {"exact": 1},
                "origins": [{"location": "札幌", "business_id": "523201"}],
            },
        ),
        (
            (
                "中村瞳さんが休憩に入ったら品川の検証どうなる？",
                "休憩の間だけ佐野さんを検証に寄せたら？",
            ),
            "what_if",
            {
                "targets": [{"location": "品川", "process": "検証"}],
                "operators": {"remove": ["中村瞳"], "move": ["佐野友美"]},
            },
        ),
        (
            (
                "もし伊藤舞さんを那覇E2に行かせたら間に合う？",
                "梅田SSの補正は彼女が抜けても大丈夫？",
            ),
            "what_if",
            {"targets": [UMEDA_SS_HOSEI], "operators": {"move": ["伊藤舞"]}},
        ),
        (
            ("梅田KPの検証、2人抜けても平気？", "山下大輔さんが抜けたら？"),
            "what_if",
            {
                "targets": [{"location": "梅田", "business_id": "523202", "process": "検証"}],
                "operators": {"remove": ["山下大輔"]},
            },
        ),
        (
            ("千葉くんを札幌の検証に回す案で作って", "千葉くん抜けて品川の補正は平気？"),
            "donor_check",
            {"targets": [{"location": "品川", "process": "補正"}]},
        ),
        (
            ("Lv4以上の人だけで盛岡の補正に応援入れたい", "あ、盛岡の中からは出さないで"),
            "plan",
            {
                "targets": [{"location": "盛岡", "process": "補正"}],
                "spare": [{"location": "盛岡"}],
                "min_level": 4,
            },
        ),
        (
            ("吉田さんを札幌の補正に回したらどう？エントリ1から", "エントリ1は悪くなる？"),
            "what_if",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "operators": {"move": ["吉田真由美"]},
            },
        ),
        (
            ("梅田から人出すとしたら誰がいい？札幌補正向けで", "梅田のSSは触らないで、KPからだけ"),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "補正"}],
                "origins": [{"location": "梅田", "business_id": "523202"}],
                "spare": [{"location": "梅田", "business_id": "523201"}],
            },
        ),
        (
            ("今日の残り、時間帯ごとの配置計画を作って", "那覇は動かさない前提で"),
            "plan",
            {"spare": [{"location": "那覇"}], "date": "today"},
        ),
        (
            ("品川SSの補正、村上さん足したら間に合う？", "村上さんじゃなくて工藤純子さんなら？"),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "補正"}],
                "operators": {"add": ["工藤純子"]},
            },
        ),
        (
            (
                "梅田のE1、上野由香利さんを使って埋められない？",
                "上野さん以外にもう一人いるなら足して",
            ),
            "plan",
            {
                "targets": [{"location": "梅田", "process": "エントリ1"}],
                "operators": {"add": ["上野由香利"]},
            },
        ),
        (
            ("遠藤友美さんを梅田の補正から品川に貸し出したら補正は悪くなる？",),
            "what_if",
            {"targets": [UMEDA_HOSEI], "operators": {"move": ["遠藤友美"]}},
        ),
        (
            ("那覇E2、検証の高山麻由子さん入れる形で1人だけ足して",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "head_count": {"exact": 1},
                "operators": {"add": ["高山麻由子"]},
            },
        ),
        (
            ("品川KPの補正、3人早退したらまずい？", "念のため応援案も。盛岡から"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523202", "process": "補正"}],
                "origins": [{"location": "盛岡"}],
            },
        ),
        (("全体の状況を、遅れそうな工程の件数も入れてまとめてください",), "status", {}),
        (
            ("金子さんって今日来てる？", "何時まで？"),
            "operator_lookup",
            {"operators": {"about": ["金子和子"]}, "date": "today"},
        ),
        (
            ("梅田SSの補正、何時に終わりそう？", "締めまでにどのくらい足りない？"),
            "finish_time",
            {"targets": [UMEDA_SS_HOSEI]},
        ),
        (
            ("検証でLv3以上の人は何人？", "そのうち品川の人は？"),
            "skill_search",
            {"targets": [{"location": "品川", "process": "検証"}], "min_level": 3},
        ),
        (
            ("補正で手の空いてる人、レベル3以上で",),
            "skill_search",
            {"targets": [{"process": "補正"}], "min_level": 3, "available_only": True},
        ),
        (
            ("補正で手の空いてる人、レベル3以上で", "梅田の人だけに絞ると？"),
            "skill_search",
            {"targets": [UMEDA_HOSEI], "min_level": 3, "available_only": True},
        ),
        (
            ("検証の人、速い順に並べて", "上から2人だけでいい"),
            "skill_search",
            {"targets": [{"process": "検証"}], "sort": "fastest"},
        ),
        (
            (
                "前に那覇で月末に遅れたとき、どうやって乗り切ったんだっけ",
                "その時って何人回したの？",
            ),
            "knowhow",
            {"targets": [{"location": "那覇"}]},
        ),
        (("応援を出すときの基準ってある？", "出す側の残件ってどう見ればいいの"), "knowhow", {}),
        (("応援を出すときの基準ってある？", "Lvの差はどう考えればいい？"), "knowhow", {}),
        (
            ("Sapporo KP E2 itsu owaru?", "nanpun okure?"),
            "finish_time",
            {"targets": [{"location": "札幌", "business_id": "523202", "process": "エントリ2"}]},
        ),
        (
            ("Takayama-san doko?", "kyou nanji made?"),
            "operator_lookup",
            {"operators": {"about": ["高山麻由子"]}, "date": "today"},
        ),
        (
            ("Who can do 検証 at level 3 or above in Naha?",),
            "skill_search",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "min_level": 3,
                "language": "en",
            },
        ),
        (
            ("品川の状況、ざっくりで", "SSのE2がやばいの？"),
            "finish_time",
            {"targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}]},
        ),
        (
            ("鹿児島の補正は？",),
            "status",
            {"targets": [{"process": "補正"}], "unknown": ["鹿児島"]},
        ),
        (
            ("那覇E1に清水さん移したらどうなる？", "いいね、それでやっといて"),
            "approval_request",
            {},
        ),
    ],
)
def test_thirteenth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

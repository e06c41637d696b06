"""Shapes the nineteenth development sets found (our own sentences, never the frozen set's
nor the dev sets' own): people in many roles and spellings, counts and levels said every
way, and places named every way."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.normalize import normalize
from aimee.nlu.numerals import arabic
from aimee.nlu.person_site import at_persons_site
from aimee.nlu.request import OperatorSlots, QueueRef, Request, Slots
from aimee.nlu.slots import day, head_count, min_level
from tests.nlu.test_request_phrasings import conversation, said

NAHA_HOSEI = {"location": "那覇", "process": "補正"}
NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # the person of the last what-if, now sent instead of taken off: one role
            ("千葉さんを札幌の検証から抜いたら？", "代わりに千葉さんを那覇の補正に回したら？"),
            "what_if",
            {"targets": [NAHA_HOSEI], "operators": {"move": ["千葉浩二"]}},
        ),
        (  # ...but the same change seen elsewhere keeps its role; the queue she leaves is
            # at her site, which the services read from her assignment (tests/api)
            ("梅田KPのE1に佐野さん回したら？", "佐野さん抜けたあとのKPのE2は？"),
            "what_if",
            {
                "targets": [{"business_id": "523202", "process": "エントリ2"}],
                "operators": {"move": ["佐野友美"]},
            },
        ),
        (  # a term let go of
            ("那覇E1に3人まで、Lv4以上で", "レベルの条件はなしでいいよ"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"max": 3}},
        ),
        (
            ("那覇E1に2人まで、経験1年以上", "経験年数は気にしないで"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"max": 2}},
        ),
        (
            ("那覇E1に2人まで、Lv3以上", "人数は何人でもいいよ"),
            "plan",
            {"targets": [NAHA_E1], "min_level": 3},
        ),
        (
            ("Plan help for Naha E1, level 4 or above", "Any level is fine"),
            "plan",
            {"targets": [NAHA_E1], "language": "en"},
        ),
        (  # a length alone, after an experience term
            ("那覇E1に2人まで、経験2年以上", "1年でいいよ"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"max": 2}, "min_experience_months": 12},
        ),
        (  # at most one fewer than the number refused
            ("品川から那覇の補正に応援できる？2名以上はきつい",),
            "plan",
            {"targets": [NAHA_HOSEI], "head_count": {"max": 1}, "origins": [{"location": "品川"}]},
        ),
        (("那覇E1 あと3ヘッド",), "plan", {"targets": [NAHA_E1], "head_count": {"exact": 3}}),
        (  # English: a request for people, a site that covers, a count changed, one kept out
            ("Could we borrow a couple from Sapporo for Naha correction?",),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "head_count": {"exact": 2},
                "origins": [{"location": "札幌"}],
                "language": "en",
            },
        ),
        (
            ("Naha E1 is behind. Can Morioka cover it?",),
            "plan",
            {"targets": [NAHA_E1], "origins": [{"location": "盛岡"}], "language": "en"},
        ),
        (
            ("Get two people into Naha E1 please", "OK, make it one"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 1}, "language": "en"},
        ),
        (
            ("Get two people into Naha E1 please", "and keep Umeda out of it"),
            "plan",
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 2},
                "spare": [{"location": "梅田"}],
                "language": "en",
            },
        ),
        (  # a family name several people share, told apart by the site said
            ("品川の田中さんを那覇の補正に回したら？",),
            "what_if",
            {"targets": [NAHA_HOSEI], "operators": {"move": ["田中愛"]}},
        ),
        (
            ("那覇の検証、池田さんが抜けたら回る？",),
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "operators": {"remove": ["池田隆"]},
            },
        ),
        (  # places: abbreviations, the people of a business, origins said the thread's way
            ("梅田SSのエン1、あと何分余裕ある？",),
            "finish_time",
            {"targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ1"}]},
        ),
        (
            ("Help for Naha ent1 please",),
            "plan",
            {"targets": [NAHA_E1], "language": "en"},
        ),
        (
            ("KPの遅れ、SSの人借りて埋めて",),
            "plan",
            {"targets": [{"business_id": "523202"}], "origins": [{"business_id": "523201"}]},
        ),
        (
            ("那覇の補正に応援。梅田は勘弁", "したら盛岡だけで頼むわ"),
            "plan",
            {
                "targets": [NAHA_HOSEI],
                "origins": [{"location": "盛岡"}],
                "spare": [{"location": "梅田"}],
            },
        ),
        (
            ("那覇の補正、他拠点から応援もらえる？",),
            "plan",
            {"targets": [NAHA_HOSEI], "spare": [{"location": "那覇"}]},
        ),
        (
            ("那覇の補正、同じ拠点の中で回せる？", "無理なら他の拠点からでいいよ"),
            "plan",
            {"targets": [NAHA_HOSEI], "spare": [{"location": "那覇"}]},
        ),
        (  # a time asked of a whole site
            ("盛岡、全部何時に片付く？",),
            "finish_time",
            {"targets": [{"location": "盛岡"}]},
        ),
        (  # people asked for the worst queue: a plan (the services find the queue)
            ("一番遅れてるとこに3人まで入れて",),
            "plan",
            {"head_count": {"max": 3}},
        ),
        (  # a donor check narrowed to one part
            ("那覇E1の案", "その場合、品川は？", "品川のKPだけで見ると？"),
            "donor_check",
            {"targets": [{"location": "品川", "business_id": "523202"}]},
        ),
        (
            ("Help for Naha E1 from Umeda", "What about Umeda KP entry 1 after that?"),
            "donor_check",
            {
                "targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ1"}],
                "language": "en",
            },
        ),
        (  # people: kept where they are, kept out, sent, put in, one more
            ("那覇のE2に応援。菅原くんは盛岡に置いといて",),
            "plan",
            {"targets": [NAHA_E2], "operators": {"remove": ["菅原翔太"]}},
        ),
        (
            ("Help for Naha E2, no Kaneko please",),
            "plan",
            {"targets": [NAHA_E2], "operators": {"remove": ["金子和子"]}, "language": "en"},
        ),
        (
            ("Would Naha E2 make it if we sent Takeshita?",),
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["竹下朱美"]}, "language": "en"},
        ),
        (
            ("Plan help for Naha E2", "And bring in Takeshita if that works."),
            "plan",
            {"targets": [NAHA_E2], "operators": {"add": ["竹下朱美"]}, "language": "en"},
        ),
        (  # a given name one kanji off, though another person has that given name
            ("竹下明美さんを那覇E2に回したら？",),
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["竹下朱美"]}},
        ),
        (
            ("那覇E2、竹下さんとあと1人つけて",),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}, "operators": {"add": ["竹下朱美"]}},
        ),
        (
            ("那覇E2、盛岡からは出さないで", "竹下さんだけはOKにして"),
            "plan",
            {
                "targets": [NAHA_E2],
                "spare": [{"location": "盛岡"}],
                "operators": {"add": ["竹下朱美"]},
            },
        ),
        (
            ("那覇E2の応援案。竹下さんは動かさないで", "竹下さん以外なら誰でも。3人まで"),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 3},
                "operators": {"remove": ["竹下朱美"]},
            },
        ),
        (
            ("那覇E2、2名まで。竹下さんは抜かないで", "金子さんもそのままで"),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 2},
                "operators": {"remove": ["金子和子", "竹下朱美"]},
            },
        ),
        (  # kana typed unconverted
            ("なはで えんとり2 れべる4いじょう なんにん？", "けいけん3ねんいじょうだと"),
            "skill_search",
            {"targets": [NAHA_E2], "min_level": 4, "min_experience_months": 36},
        ),
        (  # an approval carries no slots
            ("那覇E1に竹下さんと金子さん入れて", "OK、その2人で承認しといて"),
            "approval_request",
            {},
        ),
        (  # the plan's cap raised
            ("那覇E2、Lv4以上で2人まで", "上限3人に増やしたら？"),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"max": 3}, "min_level": 4},
        ),
        (  # 「そこから」 after a queue said in an earlier sentence of the message
            ("札幌の補正って10人もいるよね。そこから那覇E2に回せない？",),
            "plan",
            {"targets": [NAHA_E2], "origins": [{"location": "札幌", "process": "補正"}]},
        ),
        (  # a site helped from one queue: that process there
            ("盛岡のE2から那覇に1人出せる？",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡", "process": "エントリ2"}],
            },
        ),
        (  # spared where help comes from
            ("那覇E2、札幌から。札幌のE1は触らないで", "検証の人も残しといて"),
            "plan",
            {
                "targets": [NAHA_E2],
                "origins": [{"location": "札幌"}],
                "spare": [
                    {"location": "札幌", "process": "検証"},
                    {"location": "札幌", "process": "エントリ1"},
                ],
            },
        ),
        (  # a queue named as a reason, or where someone is, is not a queue to help
            ("那覇E2に人回して。KPの検証が薄いから竹下さんは動かさないで",),
            "plan",
            {"targets": [NAHA_E2], "operators": {"remove": ["竹下朱美"]}},
        ),
        (
            ("Naha E2 is behind. Can we use 竹下さん? She's on E1 now",),
            "plan",
            {"targets": [NAHA_E2], "operators": {"add": ["竹下朱美"]}, "language": "en"},
        ),
        (
            ("札幌E1が薄いから応援して",),
            "plan",
            {"targets": [{"location": "札幌", "process": "エントリ1"}]},
        ),
        (  # 「その人」 is one person: 「1名」 is still the count
            ("札幌の田中さんって何ができる人？", "じゃあその人をE1に入れて。1名だけでいい"),
            "plan",
            {
                "targets": [{"process": "エントリ1"}],
                "head_count": {"exact": 1},
                "operators": {"add": ["田中香織"]},
            },
        ),
        (  # the plan's terms kept when its queue is said more precisely, or changed
            ("盛岡の検証やばい、札幌から誰か", "あ、SSのほうね"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523201", "process": "検証"}],
                "origins": [{"location": "札幌"}],
            },
        ),
        (
            ("盛岡の検証やばい、札幌から誰か", "…やっぱそっちじゃなくて那覇の検証で"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "origins": [{"location": "札幌"}],
            },
        ),
        (  # the same count at another site
            ("那覇で検証Lv3以上っている？何人？", "盛岡だと何人？"),
            "skill_search",
            {"targets": [{"location": "盛岡", "process": "検証"}], "min_level": 3},
        ),
        (
            ("しながわ けんしょう えすえす なんじおわる",),
            "finish_time",
            {"targets": [{"location": "品川", "business_id": "523201", "process": "検証"}]},
        ),
        (  # one from each of two sites
            ("那覇E2に、盛岡と品川の2拠点から1人ずつ出して",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 2},
                "origins": [{"location": "盛岡"}, {"location": "品川"}],
            },
        ),
        (  # the plan's own queue asked about under it (the kNN, with the new sets, leaned
            # to a plan)
            ("那覇の補正が間に合わない、人を動かして", "それで那覇の補正は間に合うようになる？"),
            "donor_check",
            {"targets": [NAHA_HOSEI]},
        ),
        (
            ("How many people are working on Naha E2?",),
            "status",
            {"targets": [NAHA_E2], "language": "en"},
        ),
        (  # a level asked of a person is no filter
            ("竹下さんって検証のレベル5だっけ？",),
            "operator_lookup",
            {"operators": {"about": ["竹下朱美"]}},
        ),
        (  # hiring is another system's business, though a site is named
            ("来月から梅田に3人増員する予定なんだけど、採用の進み具合ってわかる？",),
            "out_of_scope",
            {},
        ),
        (  # threads from the twentieth sets: businesses beside a site, a form of terms
            ("盛岡全体の状況を工程ごとに教えてください。SSとKPの両方です。",),
            "status",
            {"targets": [{"location": "盛岡"}]},
        ),
        (
            (
                "盛岡SSの検証について教えてください。",
                "条件です。対象：盛岡SSの検証。応援元：盛岡の中だけ。KP側の人員は動かさない。"
                "この条件で案をください。",
            ),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523201", "process": "検証"}],
                "origins": [{"location": "盛岡"}],
                "spare": [{"location": "盛岡", "business_id": "523202"}],
            },
        ),
        (  # corrected halfway: 「、じゃない、」「2人、あ、3人」「5人じゃなくて4人」
            ("盛岡のKP、じゃない、SSの検証、いまどんな感じ？",),
            "status",
            {"targets": [{"location": "盛岡", "business_id": "523201", "process": "検証"}]},
        ),
        (
            ("那覇のE2に2人、あ、3人足したら間に合う？",),
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 3}},
        ),
        (  # a margin asked in the west; an approval withheld
            ("梅田KPのE1どないなってんの", "ほんで何時に片付くん？締めまでどんだけ足らへんの"),
            "finish_time",
            {"targets": [{"location": "梅田", "business_id": "523202", "process": "エントリ1"}]},
        ),
        (
            ("那覇E2に2人", "承認…あ、待って、まだ。先に竹下さんのスキル見せて"),
            "operator_lookup",
            {"operators": {"about": ["竹下朱美"]}},
        ),
        (("那覇E2に2人", "approveお願い"), "approval_request", {}),
        (  # one-liners: dialect particles, 〜の人2名つけといて, a form, English with terms
            ("那覇のE2、16時50分までに終わらせたいっちゃけど、梅田の人ば2人まで回せんと？",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 2},
                "origins": [{"location": "梅田"}],
                "by_time": "16:50",
            },
        ),
        (
            ("那覇の検証さ人っこ足んねぇ。札幌がら2人回してけねが",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "札幌"}],
            },
        ),
        (
            ("那覇E2、盛岡の人2名つけといて",),
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}, "origins": [{"location": "盛岡"}]},
        ),
        (
            ("【応援依頼】\n・先：那覇E2\n・元：盛岡SS\n・人数：1名",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡", "business_id": "523201"}],
            },
        ),
        (
            ("Can we get Naha E2 done by 17:40? Max 1 person, from Morioka only.",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 1},
                "origins": [{"location": "盛岡"}],
                "by_time": "17:40",
                "language": "en",
            },
        ),
        (
            ("竹下さん、那覇E2に回したら17:40間に合う？",),
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["竹下朱美"]}, "by_time": "17:40"},
        ),
        (  # 「お手すきの際に」 is politeness, not availability
            ("お手すきの際に、盛岡拠点の各工程の進捗をご報告いただけますでしょうか。",),
            "status",
            {"targets": [{"location": "盛岡"}]},
        ),
        (
            ("那覇E2、Lv3以上で", "金子さん使うのはなし。盛岡から"),
            "plan",
            {
                "targets": [NAHA_E2],
                "origins": [{"location": "盛岡"}],
                "operators": {"remove": ["金子和子"]},
                "min_level": 3,
            },
        ),
        (
            ("那覇E2な、品川から2人までやったら貸してもらえへん？竹下さんはアカンで",),
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"max": 2},
                "origins": [{"location": "品川"}],
                "operators": {"remove": ["竹下朱美"]},
            },
        ),
        (
            ("Takeshita-san wo Naha no E2 ni mawashitara dou naru?",),
            "what_if",
            {"targets": [NAHA_E2], "operators": {"move": ["竹下朱美"]}},
        ),
        (
            ("Naha de hosei dekiru hito, reberu 4 ijou, hayai jun de",),
            "skill_search",
            {"targets": [NAHA_HOSEI], "min_level": 4, "sort": "fastest"},
        ),
        (
            ("ﾅﾊ E2 2ﾆﾝ ﾌｴﾀﾗ ﾏﾆｱｳ?",),
            "what_if",
            {"targets": [NAHA_E2], "head_count": {"exact": 2}},
        ),
        (  # 固定: kept where they are
            ("那覇E1、山田さんは固定で応援を",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["山田明美"]}},
        ),
    ],
)
def test_nineteenth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("3日前の那覇ってどうだった？", "2025-10-20"),
        ("1日前の札幌", "yesterday"),
        ("2 days ago in Naha", "2025-10-21"),
        ("締めの3日前に連絡して", None),  # days before something else, not a day asked
    ],
)
def test_days_back(text: str, said: str | None) -> None:
    assert day(text, date(2025, 10, 23)) == said


def test_a_plan_for_a_process_is_at_the_site_of_the_person_put_in() -> None:
    slots = Slots(
        targets=(QueueRef(process="エントリ1"),), operators=OperatorSlots(add=("田中香織",))
    )
    placed = at_persons_site(
        Request(kind="plan", slots=slots), {"田中香織": ("札幌", "523201", "補正")}
    )
    assert placed.slots.targets == (QueueRef(location="札幌", process="エントリ1"),)
    kept_out = Slots(
        targets=(QueueRef(process="エントリ1"),), operators=OperatorSlots(remove=("田中香織",))
    )
    unplaced = at_persons_site(
        Request(kind="plan", slots=kept_out), {"田中香織": ("札幌", "523201", "補正")}
    )
    assert unplaced.slots.targets == (QueueRef(process="エントリ1"),)  # kept out: no site of hers


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Lv3より上の人で", 4),
        ("レベル3超え", 4),
        ("Lv2以下は除いて", 3),
        ("Lv3は不可", 4),
        ("lv≧4", 4),
        ("3より上のレベルの人", 4),
        ("Lv3以下", 3),  # a level said with 以下 alone is no exclusion
        ("Lv3未満はダメ", 3),
    ],
)
def test_levels_above_the_one_said(text: str, level: int) -> None:
    assert min_level(arabic(normalize(text))) == level


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("2人がmax", {"max": 2}),
        ("3人がいいところ", {"max": 3}),
        ("2人で精一杯", {"max": 2}),
        ("増員2", {"exact": 2}),
        ("増員2時間", None),
        ("応援枠2つ取ってある。誰入れる？", {"max": 2}),
        ("2席空けたから誰か埋めて", {"exact": 2}),
    ],
)
def test_more_count_words(text: str, count: dict[str, int] | None) -> None:
    found = head_count(arabic(normalize(text)))
    said = found.model_dump(exclude_none=True, exclude={"leaving"}) if found else None
    assert said == count

"""Phrasings of the fifteenth development set's what-ifs and plans (dev_v15c; our own
sentences, never the frozen set's nor the dev sets' own): people added to, swapped into or
withdrawn from a what-if, 「二人とも」, 交代, unnamed people coming, the other queue asked
after a what-if, and a plan's origins said as 「同じ拠点で」「〜の人で」「〜もOK」「〜ではなく」."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

SAPPORO_KENSHO = {"location": "札幌", "process": "検証"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # 「Xも」 after a removal: one more taken off
            ("品川E2 村上 抜けたら", "清水裕子も"),
            "what_if",
            {
                "targets": [{"location": "品川", "process": "エントリ2"}],
                "operators": {"remove": ["村上明美", "清水裕子"]},
            },
        ),
        (  # a one-kanji surname said alone, then another person
            ("森 早退したら", "高橋も"),
            "what_if",
            {"operators": {"remove": ["森優子", "高橋智子"]}},
        ),
        (  # 「AではなくB」: B in A's role, A dropped
            (
                "那覇の補正に遠藤友美さんを回したら間に合う？",
                "遠藤さんではなく千葉浩二さんでしたら？",
            ),
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "operators": {"move": ["千葉浩二"]},
            },
        ),
        (  # 「二人とも」: the two people the conversation named
            (
                "那覇の補正に遠藤友美さんを回したら間に合う？",
                "遠藤さんではなく千葉浩二さんでしたら？",
                "お二人とも回したらどうなる？",
            ),
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "operators": {"move": ["遠藤友美", "千葉浩二"]},
            },
        ),
        (  # 交代: one leaves, one comes
            ("品川SSの検証で、石川幸子さんと交代で小林直樹さんに入ってもらったらどうなる？",),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "検証"}],
                "operators": {"add": ["小林直樹"], "remove": ["石川幸子"]},
            },
        ),
        (  # the one who came replaced, the one who left still gone
            (
                "品川SSの検証で、石川幸子さんと交代で小林直樹さんに入ってもらったらどうなる？",
                "小林直樹さんじゃなくて原田愛さんなら？",
            ),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "検証"}],
                "operators": {"add": ["原田愛"], "remove": ["石川幸子"]},
            },
        ),
        (  # a change of mind inside the message: only the second person, nobody looked up
            ("梅田のE2に、上野さんを…いや、やっぱり清水さんかな。清水さんを回したら間に合う？",),
            "what_if",
            {
                "targets": [{"location": "梅田", "process": "エントリ2"}],
                "operators": {"move": ["清水裕子"]},
            },
        ),
        (
            (
                "梅田のE2に、上野さんを…いや、やっぱり清水さんかな。清水さんを回したら間に合う？",
                "じゃあ二人とも回したら？",
            ),
            "what_if",
            {
                "targets": [{"location": "梅田", "process": "エントリ2"}],
                "operators": {"move": ["上野由香利", "清水裕子"]},
            },
        ),
        (  # a family name several people share, replaced: the one of the last what-if
            ("札幌の補正に、加藤和子さんを回したらどう？", "加藤さんじゃなくて村上さんだったら？"),
            "what_if",
            {
                "targets": [{"location": "札幌", "process": "補正"}],
                "operators": {"move": ["村上明美"]},
            },
        ),
        (  # a queue said again with less of its name: the same queue
            ("品川KPの補正の遠藤友美さんに品川SSの検証へ移ってもらったら、検証は間に合う？",),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "検証"}],
                "operators": {"move": ["遠藤友美"]},
            },
        ),
        (  # a queue withdrawn: the same person sent elsewhere
            ("遠藤友美さんを札幌のE1に回したらどう？", "いや、E1じゃなくて検証に回したら？"),
            "what_if",
            {"targets": [SAPPORO_KENSHO], "operators": {"move": ["遠藤友美"]}},
        ),
    ],
)
def test_people_of_a_what_if(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (
            ("盛岡KPの検証、2人来てくれたらどうなる？",),
            "what_if",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "検証"}],
                "head_count": {"exact": 2},
            },
        ),
        (
            ("盛岡KPの検証、2人来てくれたらどうなる？", "4人来たら間に合う？"),
            "what_if",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "検証"}],
                "head_count": {"exact": 4},
            },
        ),
        (  # the same unnamed people, for the other queue
            ("札幌の補正に梅田からLv4を3人入れたら、どう変わる？", "検証の方は？"),
            "what_if",
            {
                "targets": [SAPPORO_KENSHO],
                "head_count": {"exact": 3},
                "origins": [{"location": "梅田"}],
                "min_level": 4,
            },
        ),
        (  # named people moved: the other queue under that change
            ("札幌の補正に遠藤友美さんを回した場合、間に合いますか", "検証の方はいかがでしょうか"),
            "donor_check",
            {"targets": [SAPPORO_KENSHO]},
        ),
        (  # a site after unnamed people coming: that place under the change, not N more there
            ("那覇のE2に3人来たら間に合う？", "梅田の方はどう？"),
            "donor_check",
            {"targets": [{"location": "梅田"}]},
        ),
    ],
)
def test_people_coming_and_the_other_queue(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


NAHA_E1 = {"location": "那覇", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("texts", "slots"),
    [
        (
            ("梅田SSのE2、同じ拠点で2人まで",),
            {
                "targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ2"}],
                "head_count": {"max": 2},
                "origins": [{"location": "梅田"}],
            },
        ),
        (
            ("那覇E1 応援 札幌から 1名", "梅田もOK"),
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 1},
                "origins": [{"location": "札幌"}, {"location": "梅田"}],
            },
        ),
        (
            ("那覇E1 応援 札幌から 1名", "品川も使っていい"),
            {
                "targets": [NAHA_E1],
                "head_count": {"exact": 1},
                "origins": [{"location": "札幌"}, {"location": "品川"}],
            },
        ),
        (
            ("盛岡の補正に二名お願いします。品川の人でお願いします。",),
            {
                "targets": [{"location": "盛岡", "process": "補正"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "品川"}],
            },
        ),
        (
            (
                "盛岡の補正に二名お願いします。品川の人でお願いします。",
                "品川ではなく札幌からならどう？",
            ),
            {
                "targets": [{"location": "盛岡", "process": "補正"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "札幌"}],
            },
        ),
        (
            ("札幌KP検証 2名 石川以外",),
            {
                "targets": [{"location": "札幌", "business_id": "523202", "process": "検証"}],
                "head_count": {"exact": 2},
                "operators": {"remove": ["石川幸子"]},
            },
        ),
        (("那覇E1 村上で",), {"targets": [NAHA_E1], "operators": {"add": ["村上明美"]}}),
        (  # a plan that used someone, with another person in their place
            (
                "札幌のE2、遠藤さん使って何とかならない？",
                "遠藤さんじゃなくて千葉浩二さんだったら？",
            ),
            {
                "targets": [{"location": "札幌", "process": "エントリ2"}],
                "operators": {"add": ["千葉浩二"]},
            },
        ),
    ],
)
def test_plan_origins_and_people(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == ("plan", slots)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("森 休んだら", ["森優子"]),
        ("森の中", []),  # a word, not the one-kanji surname alone
        ("菅原で", ["菅原翔太"]),
        ("菅原できる？", []),
        ("竹下以外", ["竹下朱美"]),
    ],
)
def test_bare_surnames(gazetteer: Gazetteer, text: str, people: list[str]) -> None:
    found = [m.label for m in gazetteer.extract(text).mentions if m.kind == "operator"]
    assert found == people


SAPPORO_E1 = {"location": "札幌", "process": "エントリ1"}
NAHA_E2 = {"location": "那覇", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        # 「同じ拠点」「拠点内」: an origin only in a request for help that is not negated
        ("札幌のエントリ1、拠点内で一番遅れてるのは？", "delay_risk", {"targets": [SAPPORO_E1]}),
        ("札幌のエントリ1、同じ拠点の他の工程は？", "status", {"targets": [SAPPORO_E1]}),
        (
            "札幌のエントリ1に2人回して。同じ拠点からは出さないで",
            "plan",
            {"targets": [SAPPORO_E1], "head_count": {"exact": 2}, "spare": [{"location": "札幌"}]},
        ),
        (
            "札幌のエントリ1に1人、同じ拠点以外で",
            "plan",
            {"targets": [SAPPORO_E1], "head_count": {"exact": 1}, "spare": [{"location": "札幌"}]},
        ),
        (
            "札幌のエントリ1に1人、同じ拠点はダメ",
            "plan",
            {"targets": [SAPPORO_E1], "head_count": {"exact": 1}, "spare": [{"location": "札幌"}]},
        ),
        (
            "札幌のエントリ1、同じ拠点の中で誰か回せないかな",
            "plan",
            {"targets": [SAPPORO_E1], "origins": [{"location": "札幌"}]},
        ),
        # 「〜の人を使わないで」: a site spared, not taken from
        (
            "那覇のE2に1人、盛岡の人を使わないで",
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 1}, "spare": [{"location": "盛岡"}]},
        ),
        (
            "那覇のE2に1人、盛岡の人を使わないで、品川の方で",
            "plan",
            {
                "targets": [NAHA_E2],
                "head_count": {"exact": 1},
                "origins": [{"location": "品川"}],
                "spare": [{"location": "盛岡"}],
            },
        ),
        (
            "那覇のE2に1人、盛岡の人以外で",
            "plan",
            {"targets": [NAHA_E2], "head_count": {"exact": 1}, "spare": [{"location": "盛岡"}]},
        ),
    ],
)
def test_same_site_and_site_people_negated(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        (  # 「〜のほうがいいか」 after 「いや」: the one chosen is moved
            "札幌のエントリ1に菅原さんを回したら…いや、遠藤さんのほうがいいか。",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "operators": {"move": ["遠藤友美"]},
            },
        ),
        (  # a question, then 「いや」: the first what-if is withdrawn
            "札幌のエントリ1に菅原さんを回したら？いや、遠藤さんを回したら？",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "operators": {"move": ["遠藤友美"]},
            },
        ),
        (  # the chosen one keeps the role of the one withdrawn
            "品川の検証から石川さんを抜いたら…いや、村上さんのほうがいいか。",
            {
                "targets": [{"location": "品川", "process": "検証"}],
                "operators": {"remove": ["村上明美"]},
            },
        ),
        (
            "那覇の補正に千葉さんを入れたら？いや、やっぱり高山さんを入れたら？",
            {
                "targets": [{"location": "那覇", "process": "補正"}],
                "operators": {"add": ["高山麻由子"]},
            },
        ),
        (
            "盛岡の検証に遠藤さんを回したら。いや、菅原さんと千葉さんのほうがいいかな",
            {
                "targets": [{"location": "盛岡", "process": "検証"}],
                "operators": {"move": ["菅原翔太", "千葉浩二"]},
            },
        ),
    ],
)
def test_a_change_of_mind_keeps_only_the_people_after_it(
    analyzer: IntentAnalyzer, text: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == ("what_if", slots)

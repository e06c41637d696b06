"""Readings the twenty-third blind sets (dev_v23a/b/c: the issue's trial re-done, questions
between two kinds, threads changing one thing at a time) and the last review's leftovers
needed."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
UMEDA_E2 = {"location": "梅田", "process": "エントリ2"}
UMEDA_KP_E1 = {"location": "梅田", "business_id": "523202", "process": "エントリ1"}
MORIOKA_SS_CHECK = {"location": "盛岡", "business_id": "523201", "process": "検証"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # someone leaves in another's place: the other stays
        (
            ("那覇のエントリ1、高山さんの代わりに竹下さんが休んだら？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        (
            ("那覇のエントリ1、高山さんが休んだら？", "高山さんの代わりに竹下さんが休んだら？"),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        (
            ("那覇のエントリ1、高山さんの代わりに竹下さんを入れたら？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["竹下朱美"], "remove": ["高山麻由子"]}},
        ),
        # not to be named is kept out
        (
            ("那覇E1の応援案出して。高山さんを指名しないで",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        (
            ("那覇E1の応援案出して", "高山さんは指名しないで"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        # the site taken back was where help came from: the queue named is the new origin
        (
            ("梅田のE2、札幌から2人で応援案", "札幌じゃなくて那覇のE2だった"),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"exact": 2},
                "origins": [{"location": "那覇", "process": "エントリ2"}],
            },
        ),
        (
            ("札幌のE2、盛岡から2人で応援案", "札幌じゃなくて那覇のE2だった"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "盛岡"}],
            },
        ),
        # the trial re-done (dev_v23a)
        (
            ("札E1、盛岡勢で2名 頼む", "盛岡側 もつか？", "1名に減らすと"),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "head_count": {"exact": 1},
                "origins": [{"location": "盛岡"}],
            },
        ),
        (
            ("盛岡SSの検証、何時ごろ終わりそうですか", "締めの17時40分には届かないってこと？"),
            "finish_time",
            {"targets": [MORIOKA_SS_CHECK], "by_time": "17:40"},
        ),
        (
            ("昨日の盛岡、遅れどのくらい出てた？",),
            "status",
            {"targets": [{"location": "盛岡"}], "date": "yesterday"},
        ),
        (
            (
                "品川でエントリ1を担当できる方は何名？",
                "その中で一番処理の速い方はどなたでしょうか。",
            ),
            "skill_search",
            {"targets": [{"location": "品川", "process": "エントリ1"}], "sort": "fastest"},
        ),
        (
            ("E2で一番はやい人だれ？？", "梅田の人だと？"),
            "skill_search",
            {"targets": [{"location": "梅田", "process": "エントリ2"}], "sort": "fastest"},
        ),
        (
            ("けんしょう　いちばんはやいの　だれ？なはで", "レベル４いじょうは　なんにん？"),
            "skill_search",
            {"targets": [{"location": "那覇", "process": "検証"}], "min_level": 4},
        ),
        (
            ("締めに間に合わない見込みの工程を教えて", "品川に限るとどうなりますでしょうか。"),
            "delay_risk",
            {"targets": [{"location": "品川"}]},
        ),
        (("那覇E2、札幌から2名まで", "おｋ　これできめて"), "approval_request", {}),
        (("那覇E1の応援案", "じゃそれで"), "approval_request", {}),
        (("本システムで対応可能な業務を一覧で示されたい。",), "help", {}),
        (
            ("札E1 品川には手ぇ付けずに 何とかして",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "spare": [{"location": "品川"}],
            },
        ),
        (
            ("大宮拠点の進捗も、こちらで確認することはできますでしょうか。",),
            "status",
            {"unknown": ["大宮"]},
        ),
        (
            ("遠藤友美さんの所属拠点と今の担当は？",),
            "operator_lookup",
            {"operators": {"about": ["遠藤友美"]}},
        ),
        (("これ　なにができるわけ？", "くまもとは　みれる？"), "status", {"unknown": ["くまもと"]}),
        (("きのうの　なは　どうだった？", "たいふう　こっちくるかね"), "out_of_scope", {}),
        (
            ("なはのけんしょう　いけださん　きゅうけいはいったら　やばい？",),
            "what_if",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "operators": {"remove": ["池田隆"]},
            },
        ),
        (
            ("Umeda KPのE1、finish time出せる？", "How far past the deadline is that?"),
            "finish_time",
            {"targets": [UMEDA_KP_E1], "language": "en"},
        ),
        (
            ("Sapporo entry 1 needs help. Don't pull anyone from Morioka.",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "spare": [{"location": "盛岡"}],
                "language": "en",
            },
        ),
        (
            ("梅田KPE1から藤田まゆみさん抜けたらどーなる？",),
            "what_if",
            {"targets": [UMEDA_KP_E1], "operators": {"remove": ["藤田真由美"]}},
        ),
        (
            (
                "那覇SSエントリ一の遅延につき、札幌及び品川より計四名以内にて応援を手配されたい。",
                "では札幌のみより、同じく四名以内で再算出されたい。",
            ),
            "plan",
            {
                "targets": [{"location": "那覇", "business_id": "523201", "process": "エントリ1"}],
                "head_count": {"max": 4},
                "origins": [{"location": "札幌"}],
            },
        ),
        (
            ("品川SS検証の山口健太が十六時半にて退勤した場合、同工程への影響を示されたい。",),
            "what_if",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "検証"}],
                "operators": {"remove": ["山口健太"]},
            },
        ),
        (
            ("エントリ二の技能を有する在籍者は何名か。", "うち技能水準五の者は。"),
            "skill_search",
            {"targets": [{"process": "エントリ2"}], "min_level": 5},
        ),
        (
            ("盛岡で間に合わなそうな工程、急ぎの順に教えてけさい",),
            "delay_risk",
            {"targets": [{"location": "盛岡"}]},
        ),
    ],
)
def test_twenty_third_set(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # questions between two kinds (dev_v23b)
        (
            ("盛岡いまどんな感じ？", "遅れそうなのどれ", "検証のほう何分おし？"),
            "finish_time",
            {"targets": [{"location": "盛岡", "process": "検証"}]},
        ),
        (
            ("梅田KPのE1がやばいって聞いたんだけど", "応援入れたらなんとかなる？"),
            "plan",
            {"targets": [UMEDA_KP_E1]},
        ),
        (("１６時締めのとこ、大丈夫そ？",), "finish_time", {"by_time": "16:00"}),
        (("17時40分締めの工程、全部大丈夫？",), "delay_risk", {"by_time": "17:40"}),
        (("フロア全体はどう", "一番ひどいのどこ"), "delay_risk", {}),
        (
            ("E1いちばん速いのって藤井大輔さんだっけ？",),
            "skill_search",
            {"targets": [{"process": "エントリ1"}], "sort": "fastest"},
        ),
        (
            ("岡本さくらさんのスキル一覧", "那覇E1で彼女の次に速いのは？"),
            "skill_search",
            {"targets": [{"location": "那覇", "process": "エントリ1"}], "sort": "fastest"},
        ),
        (("金子さん空いてる？",), "operator_lookup", {"operators": {"about": ["金子和子"]}}),
        (
            ("品川の田中さんって何やってる？", "品川で補正回せる人って全部で何人？"),
            "skill_search",
            {"targets": [{"location": "品川", "process": "補正"}]},
        ),
        (
            (
                "札幌E1、盛岡から1人で何とかして",
                "盛岡のほう平気？",
                "やっぱ盛岡からはナシで、品川から",
            ),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "head_count": {"exact": 1},
                "origins": [{"location": "品川"}],
                "spare": [{"location": "盛岡"}],
            },
        ),
        (("那覇全体、何時ごろ落ち着きそう？",), "finish_time", {"targets": [{"location": "那覇"}]}),
        (("18時までに片付かない工程ある？",), "delay_risk", {"by_time": "18:00"}),
        (("ついでに明日の出勤人数ってわかる？",), "out_of_scope", {}),
        (("じゃあ今なにか手を打つべき工程ある？",), "delay_risk", {}),
        (
            ("いつもこうなんだよね。午後に崩れたときの過去の対応ってある？",),
            "knowhow",
            {},
        ),
        (
            ("札幌、今日は全部間に合いそう？", "E2は？"),
            "finish_time",
            {"targets": [{"location": "札幌", "process": "エントリ2"}]},
        ),
        (
            ("品川SSのE2の応援案、品川の中から", "検証から抜くのはやめて"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}],
                "origins": [{"location": "品川"}],
                "spare": [{"location": "品川", "process": "検証"}],
            },
        ),
        (
            ("竹内舞さんを那覇のE1に回したら？", "じゃあE1はどう手当てするのがベスト？"),
            "plan",
            {"targets": [NAHA_E1]},
        ),
        (
            ("那覇のE2と検証、どっちがやばい？", "E2、3人まで入れるなら？"),
            "plan",
            {"targets": [{"location": "那覇", "process": "エントリ2"}], "head_count": {"max": 3}},
        ),
        (  # a cap with the result asked stays a what-if (test_request_third_review)
            ("那覇E1に2人", "3人まで入れたら間に合う？"),
            "what_if",
            {"targets": [NAHA_E1], "head_count": {"max": 3}},
        ),
        # threads changing one thing at a time (dev_v23c)
        (
            ("品川SSの検証に2名入れたい。案出して", "あ、ごめん検証じゃなくてエントリ2の方"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "エントリ2"}],
                "head_count": {"exact": 2},
            },
        ),
        (
            ("那覇のエントリ2に1人だけ応援ほしい", "すみません、エントリ1の間違いでした"),
            "plan",
            {"targets": [NAHA_E1], "head_count": {"exact": 1}},
        ),
        (
            ("盛岡SSのエントリ2、2人まで応援出せる？", "あ、ちゃうKPやった"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}],
                "head_count": {"max": 2},
            },
        ),
        (
            ("那覇の検証、Lv4以上で2名まで応援", "ごめん那覇じゃなくて品川"),
            "plan",
            {
                "targets": [{"location": "品川", "process": "検証"}],
                "head_count": {"max": 2},
                "min_level": 4,
            },
        ),
        (
            (
                "那覇の検証、17時半までに終わらせたい。誰か回せる？",
                "やっぱ17時15分までに",
                "Lv4以上で頼む",
            ),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "min_level": 4,
                "by_time": "17:15",
            },
        ),
        (
            ("梅田KPのエントリ1、佐野友美さんを入れて", "じゃあ佐野さんの代わりに前田智子さんで"),
            "plan",
            {"targets": [UMEDA_KP_E1], "operators": {"add": ["前田智子"]}},
        ),
        (
            ("札幌E1、札幌の補正チームから2人", "検証からでも可"),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "head_count": {"exact": 2},
                "origins": [
                    {"location": "札幌", "process": "補正"},
                    {"location": "札幌", "process": "検証"},
                ],
            },
        ),
        (
            ("那覇E2と梅田KPのE1、どっちも応援ほしいねん", "やっぱ梅田のほうだけでええわ"),
            "plan",
            {"targets": [UMEDA_KP_E1]},
        ),
        (
            ("梅田KPのエントリ1、盛岡からの応援案を", "品川SSの方々は除いていただけますか。"),
            "plan",
            {
                "targets": [UMEDA_KP_E1],
                "origins": [{"location": "盛岡"}],
                "spare": [{"location": "品川", "business_id": "523201"}],
            },
        ),
        (
            ("もりおかSSのけんしょう 2にん いれたい", "もりおか いがいから"),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523201", "process": "検証"}],
                "head_count": {"exact": 2},
                "spare": [{"location": "盛岡"}],
            },
        ),
        (
            (
                "那覇E1、長谷川陽子さんと鈴木直美さん入れる形で",
                "鈴木さんは外して、代わりに中島愛さん",
            ),
            "plan",
            {
                "targets": [NAHA_E1],
                "operators": {"add": ["中島愛", "長谷川陽子"], "remove": ["鈴木直美"]},
            },
        ),
        (
            ("那覇E1、鈴木さん抜けたら？", "代わりに中島愛さんって何ができる？"),
            "operator_lookup",
            {"operators": {"about": ["中島愛"]}},
        ),
        (
            ("ﾅﾊ E2 応援 ﾏｯｸｽ2", "ｳﾒﾀﾞ以外", "3"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "head_count": {"exact": 3},
                "spare": [{"location": "梅田"}],
            },
        ),
        (  # the one who can stay is out of the change
            (
                "盛岡KPのE2、伊藤さん抜けたらどうなる？",
                "石井大輔さんも抜けたら？",
                "やっぱ伊藤さんは残れるって。石井さんだけ抜けたら？",
            ),
            "what_if",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}],
                "operators": {"remove": ["石井大輔"]},
            },
        ),
        (
            (
                "恐れ入ります、盛岡KPのエントリ2を17時40分までに終えたいのですが、案をいただけますか。",
            ),
            "plan",
            {
                "targets": [{"location": "盛岡", "business_id": "523202", "process": "エントリ2"}],
                "by_time": "17:40",
            },
        ),
    ],
)
def test_twenty_third_set_kinds_and_threads(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # negations and conditions (dev_v24b)
        (
            ("なはのけんしょう ひとたりない もりおかのけんしょうにはてをださないで",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "検証"}],
                "spare": [{"location": "盛岡", "process": "検証"}],
            },
        ),
        (
            ("梅田KPのE1の応援、盛岡以外から", "ほんで、Lv3の子は勘弁してな。4以上で"),
            "plan",
            {"targets": [UMEDA_KP_E1], "spare": [{"location": "盛岡"}], "min_level": 4},
        ),
        (
            ("盛岡の検証、竹下さんじゃなければ誰でもいいから1人入れて",),
            "plan",
            {
                "targets": [{"location": "盛岡", "process": "検証"}],
                "head_count": {"exact": 1},
                "operators": {"remove": ["竹下朱美"]},
            },
        ),
        (
            ("札幌E1、長谷川陽子さんと藤井大輔さんはNGで、それ以外なら誰でもいいので応援案を",),
            "plan",
            {
                "targets": [{"location": "札幌", "process": "エントリ1"}],
                "operators": {"remove": ["長谷川陽子", "藤井大輔"]},
            },
        ),
        (
            ("品川SSの検証に2人", "小野真由美は無し"),
            "plan",
            {
                "targets": [{"location": "品川", "business_id": "523201", "process": "検証"}],
                "head_count": {"exact": 2},
                "operators": {"remove": ["小野真由美"]},
            },
        ),
        (
            ("検証できて、今どこにも入ってない人っていない？",),
            "skill_search",
            {"targets": [{"process": "検証"}], "available_only": True},
        ),
        (
            ("エントリ2でLv4以上、盛岡の人で。今空いてない人でもいいから何人いるか教えて",),
            "skill_search",
            {"targets": [{"location": "盛岡", "process": "エントリ2"}], "min_level": 4},
        ),
        (
            ("梅田のSSのエントリ1、16時25分締めやけど間に合わへんことないよな？",),
            "finish_time",
            {
                "targets": [{"location": "梅田", "business_id": "523201", "process": "エントリ1"}],
                "by_time": "16:25",
            },
        ),
        (
            ("Need a plan for Naha entry 2, but don't pull anyone from Sapporo or Umeda.",),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "spare": [{"location": "札幌"}, {"location": "梅田"}],
                "language": "en",
            },
        ),
        (("梅田全体の状況、細かくなくていいので",), "status", {"targets": [{"location": "梅田"}]}),
        # a count of late tasks is a figure (status); which ones stays delay_risk
        (("全体の遅延見込み、今何件？",), "status", {}),
        (("全体でどんだけ遅れそうなん？",), "status", {}),
        (("盛岡全体の遅延見込み件数を教えて",), "status", {"targets": [{"location": "盛岡"}]}),
        (
            ("What's the total projected delay across the whole floor?",),
            "status",
            {"language": "en"},
        ),
        (("全体で何件くらい遅れそう？", "いちばん多いのはどこ？"), "delay_risk", {}),
        (("いちばんヤバいのどこ？全体で何件遅れそう？",), "delay_risk", {}),
        (
            ("KPで遅れそうなとこ、件数付きで",),
            "delay_risk",
            {"targets": [{"business_id": "523202"}]},
        ),
        # reactions to the answer (dev_v24a)
        (("那覇E1、どう回せば間に合う？",), "plan", {"targets": [NAHA_E1]}),
        (
            ("品川の検証SS、60件くらい遅れるって出てるけど手ある？",),
            "plan",
            {"targets": [{"location": "品川", "business_id": "523201", "process": "検証"}]},
        ),
        (
            ("E1速い人トップ3教えて",),
            "skill_search",
            {"targets": [{"process": "エントリ1"}], "sort": "fastest"},
        ),
        (("那覇E1の応援案", "じゃ誰入れるのがいい？"), "plan", {"targets": [NAHA_E1]}),
        (
            ("札幌E1、2人まで", "なかじまさんってだれ"),
            "operator_lookup",
            {"operators": {"about": ["中島瞳", "中島愛"]}},
        ),
    ],
)
def test_twenty_fourth_set(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

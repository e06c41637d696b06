"""High-precision keyword rules over the normalised, entity-masked message.

Each rule votes for one intent with a weight; the classifier adds the votes to the kNN
probabilities, so that when two rules fire the heavier rule and the neighbours decide
together. A rule may also *suppress* other intents whose words belong to its question:
「高山さんを移したら盛岡は間に合う？」 is about a hypothetical move (the risk words are
the consequence asked about), and 「応援を出すときの基準は？」 asks for know-how (the
request words are its topic).

Vocabularies are whitespace-separated regular expressions (none contains a space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aimee.nlu.schema import IntentType


@dataclass(frozen=True)
class Rule:
    name: str
    intent: IntentType
    weight: float
    pattern: re.Pattern[str]
    suppresses: tuple[IntentType, ...] = ()


def _any(vocabulary: str) -> str:
    return "(?:" + "|".join(vocabulary.split()) + ")"


_CONSEQUENCES: tuple[IntentType, ...] = ("delay_risk_detection", "status_inquiry")
_TOPICS: tuple[IntentType, ...] = (
    "deadline_optimization",
    "delay_risk_detection",
    "skill_search",
    "status_inquiry",
)

# Verbs of changing the staffing, as they appear before a conditional ending.
_CHANGE = _any("""
    移 動か 回 出 抜 外 減ら 増や 入れ 足 送 貸 借り 増員 追加 補充 増強 異動 移動 配置換え
    配置変更 再配置 入れ替え
    変え 替え 換え 承認 適用 実行 実施 採用 反映 通 進め やっ いなくな なくな 来てもら 行ってもら
    応援に行
""")
# Conditionals (…したら / …した場合 / …すると), but neither the habitual 「…するときは」
# that asks for a rule of thumb nor the polite request 「…してもらえたら助かります」.
_CONDITIONAL = _any(r"""
    (?:たら|だら|ると|すと|くと)(?![きこ])(?![^。?!]{0,3}(?:助か|うれし|嬉し|ありがた|幸い))
    た場合 たとき た時 た後 たあと ても(?![らいよ])
""")
_IMPACT_REFERENCE = _any("""
    その場合 (?:この|その)[^、。?!]{0,6}?案
    (?:承認|実行|適用|変更|移動|異動|配置換え|応援|増員)(?:した)?後
    そうすると そうしたら そうなると それだと その案 この案 その提案で この提案で
    提案(?:どおり|通り|された|の配置|内容で) 提案の効果 この(?:配置|変更|再配置|移動)で
    その(?:配置|移動)で 移動後 配置換え後
""")
_IMPACT_WORDS = _any("影響 シミュレーション デメリット 効果は しわ寄せ")
_KNOWHOW = _any(r"""
    基準 ルール コツ 注意点 注意事項 留意点 ポイント 考え方 定義 手順 ベストプラクティス マニュアル
    ノウハウ 知見 経験則 過去の事例 どういう意味 の意味 意味は 違いは 違うの どう決め どう判断
    基本的な (?:動き|進め|考え|やり|上げ|決め|選び|使い|見|読み|付け|回し)方
    方針 一般的 どんな(?:作業|工程|仕事|業務) 誰が(?:判定|決め|評価)
    心構え してもいいの ってなに とは\? なぜ どうして 理由 決まり 目安 どうやって どうやる
    どうやれば やり方 仕方  気をつけ 権限 提案を[^。?!]{0,6}?(?:には|方法) のはあり\? ってあり\?
""")
_SYSTEM = _any("""
    何ができ なにができ できること 使い方 ^ヘルプ ヘルプを(?:見|表示) ^help このシステム このツール
    あなたは(?:誰|何|だれ|なに) aimee(?:って|とは) どんな質問 何を聞 何を手伝
""")
_SMALLTALK = _any("""
    こんにちは こんばんは おはよう(?:ございます)? お(?:疲れ|つかれ)(?:様|さま)?(?:です|でした)?
    (?:いつも|本当に|どうも)?ありがと(?:う)?(?:ございます|ございました)? 助か(?:りました|ります|る)
    はじめまして すごい(?:ね|です)?
    (?:今日も|本日も)?(?:一日)?よろしく(?:ね|です|お願いします|お願いいたします)?
    了解(?:です|しました)? わかりました わかった 承知(?:しました|いたしました) はい いいえ
    ok(?:です)?
    なるほど お世話になっております 失礼します テスト test すみません また(?:連絡します|後で)
    では(?:また)? さようなら
""")
_PEOPLE = _any(r"人 人員 要員 メンバ 誰か 何人か \d+\s?(?:人|名) [一二三]人")
_REQUEST = _any(rf"""
    応援(?:を|が)?(?:出し|出せ|出す|回|送|頼|呼|入れ|欲し|ほし|お願い|要請|ください)
    {_PEOPLE}(?:を|に)?(?:回|動か|移|送|足|追加|増や|割り当て|割り振|融通|出|貸|寄こ|よこ|寄せ)
    (?:人|人手|人員|応援|ヘルプ)(?:を|が)?(?:ください|下さい|くれ|ほしい|欲しい|必要|頂け|いただけ)
    応援を?(?:[。!]|$)
    誰を[^。?!]{{0,4}}?(?:動か|移|回|出|送|充て) 増員 再配置案 配置(?:変更)?案
    配置を(?:見直|最適化|考え|変更|提案|組み直) 配置の見直 最適な(?:人員)?配置 最適化して 手を打
    対策(?:を|して|したい) 対応策 打ち手 打開策 再配置(?:して|を|したい|お願い)
    配置(?:替え|換え)(?:して|を|の提案|案) 助けて ヘルプ(?:を)?(?:出|入れ|お願い|要請) 人手不足
    (?:人|人手|人員)が足り(?:な|ま|てな|ていな) 手配 手を貸 どうする\? どうすれば どうしたら
    どうにか なんとか
""")
_LATE_NOW = _any("""
    (?:遅延|遅れ)(?:して(?:い|お|ま|る)|てい|てま|てる|てお|中|気味|が発生|が出て)
    間に合わない(?:ので|から|。|、|!|です|よ|ぞ|$) 間に合いません パンク 詰まって 滞留して 溜まって
    追いつかな 押して(?:いる|る|ます) 回って(?:ない|いない|いません) 進んで(?:ない|いない|いません)
    終わらない(?:。|、|!|ので|から|です|$)
""")
_RISK = _any(r"""
    間に合(?:う|い)(?:\?|か|そう|ます) 間に合わなそう
    間に合わない(?:工程|キュー|拠点|ところ|もの|業務|の)
    遅延リスク 納期リスク リスクが高
    (?:遅れる|遅延する|遅延の|遅れの)(?:リスク|可能性|恐れ|おそれ|心配)
    遅れ(?:そう|る見込み|が出そう) 遅延しそう 遅延見込み 納期(?:遵守|達成)
    (?:危な|危険|やば)(?:い|そう)(?:ところ|工程|キュー|拠点|の) 危険度 終わりそう 終わる見込み
    守れそう 大丈夫そう ギリギリ 超えそう 超過しそう 遅延予測 予備軍 終わらない可能性
""")
_RISK_WEAK = _any(r"""
    (?:大丈夫|平気|問題ない)(?:\?|か|でしょう|です|そう) このまま(?:だと|では|のペース|いくと)
    アウト\? 見込み
""")
_CAN = "(?:でき|対応でき|担当でき|対応可能|担当可能|任せられ|扱え|入れ)"
_SKILL = _any(rf"""
    {_CAN}(?:る|ます)?(?:人|方|者|メンバ|オペレータ|のは|かた)
    スキル lv\s?\d レベル\s?\d レベルが 経験(?:者|年数|\d|が長|が浅|がある|あり|の長|の浅) 有スキル
    熟練 ベテラン 得意 速い人 早い人 新人
""")
_STATUS = _any("""
    進捗 残件 残り あと何件 何件 処理(?:状況|速度|件数|実績|数|済) 稼働(?:状況|人数|中) 何人(?!か)
    何名(?!か) 人数 完了率 進み具合 ペース 状況 現状 生産性 滞留件数 実績
    今(?:どこ|何を|どの|働|稼働|いる) 働いて(?:いる|る)
    どんな感じ サマリ
""")
# 「遅延している工程はある？」 asks which queues are late: detection, not a request.
_ASKS_WHICH = re.compile(
    _any(r"ある\? ありますか あれば どこ(?!か) どれ どの(?:工程|拠点|キュー|業務) 一覧 洗い出")
)

RULES: tuple[Rule, ...] = (
    # impact_analysis: the consequences of a concrete or hypothetical change
    Rule(
        "impact_conditional",
        "impact_analysis",
        1.0,
        re.compile(rf"{_CHANGE}[^。?!]{{0,6}}?{_CONDITIONAL}"),
        (*_CONSEQUENCES, "deadline_optimization"),
    ),
    Rule("impact_reference", "impact_analysis", 0.9, re.compile(_IMPACT_REFERENCE), _CONSEQUENCES),
    Rule("impact_word", "impact_analysis", 0.7, re.compile(_IMPACT_WORDS)),
    # general: know-how, rules of thumb, the assistant itself, small talk
    Rule("general_knowhow", "general", 0.9, re.compile(_KNOWHOW), _TOPICS),
    Rule("general_system", "general", 1.0, re.compile(_SYSTEM)),
    Rule(
        "general_smalltalk", "general", 1.0, re.compile(rf"^(?:{_SMALLTALK}[\s、,。.!?ー〜w笑]*)+$")
    ),
    # deadline_optimization: something is late and people should be moved
    Rule("deadline_request", "deadline_optimization", 0.85, re.compile(_REQUEST)),
    Rule("deadline_statement", "deadline_optimization", 0.75, re.compile(_LATE_NOW)),
    # delay_risk_detection: which queues will be late, will this one make it
    Rule("risk_question", "delay_risk_detection", 0.75, re.compile(_RISK)),
    Rule("risk_weak", "delay_risk_detection", 0.6, re.compile(_RISK_WEAK)),
    # skill_search: who can do what
    Rule("skill_who", "skill_search", 0.7, re.compile(_SKILL)),
    # status_inquiry: how things stand now
    Rule("status_now", "status_inquiry", 0.6, re.compile(_STATUS)),
)


def rule_votes(masked: str) -> dict[IntentType, tuple[float, str]]:
    """The heaviest firing rule per intent: intent → (weight, rule name)."""
    fired = [rule for rule in RULES if rule.pattern.search(masked)]
    suppressed = {intent for rule in fired for intent in rule.suppresses}
    votes: dict[IntentType, tuple[float, str]] = {}
    for rule in fired:
        if rule.intent not in suppressed and rule.weight > votes.get(rule.intent, (0.0, ""))[0]:
            votes[rule.intent] = (rule.weight, rule.name)
    statement = votes.get("deadline_optimization")
    if statement and statement[1] == "deadline_statement" and _ASKS_WHICH.search(masked):
        del votes["deadline_optimization"]
        risk = votes.get("delay_risk_detection", (0.0, ""))
        if risk[0] < statement[0]:
            votes["delay_risk_detection"] = (statement[0], "risk_which_late")
    return votes

"""The wording the claim check reads (``llm.claims``): the labels a sentence gives a
number and the fields of facts each may name, words of direction (later / earlier,
more / fewer), verdicts (間に合う, 影響なし, 良くなる), moves, states (このまま / 回せば),
rules, identifiers and honorifics. Japanese as managers and models write it."""

from __future__ import annotations

import re

# Labels a sentence gives a number, and the fields of facts each may name.
LABELS: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(p), frozenset(f.split()))
    for p, f in [
        (r"残タスク|残件|残り|未処理|滞留|待ち|手持ち|抱え", "waiting minutes_left"),
        (r"遅延|遅れ|間に合わ|残る|積み残|超過|はみ出|未完|オーバー", "late lateness shift"),
        (r"到着|追加|流入|入って|届", "arrivals"),
        (r"担当|人員|体制|人数|在籍|配置|名体制", "staff moves"),
        (r"納期|締め|期限|〆", "deadline"),
        (r"完了|終わ|終了|片付|完遂|仕上が", "completion done shift lateness"),
        (r"現在|今|時点", "now"),
        (r"余裕|ゆとり|マージン", "lateness"),
        (r"早ま|短縮|前倒し|遅く|延び|後ろ倒し|縮ま", "shift lateness"),
        (r"経験|キャリア", "experience"),
        (r"レベル|Lv|lv", "level"),
        (r"毎時|時速|あたり|処理速度|ペース|スピード|処理能力", "rate productivity efficiency"),
        (r"処理でき|処理し|片付け|こなせ|さばけ", "done"),
        (r"応援|戻[るりっ]|貸し出|借り", "loan_until shift_end"),
        (r"勤務|シフト", "shift_end shift_start"),
        (r"退勤|帰宅|上が[るりっ]", "shift_end"),
        (r"出勤|始業", "shift_start"),
        (r"生産性|向上|アップ|速く", "productivity"),
    ]
]
FREE_FIELDS = frozenset({"any", "count", "moves", "by_time"})
CLAUSE = re.compile(r"[、,，。()（）「」:：;；・\n]|→|から|のうち")
LATER = re.compile(r"^(?:は|も|ほど|程度|近く|だけ)?(?:遅|延び|増|悪化|超過|オーバー|後ろ|上回)")
EARLIER = re.compile(r"^(?:は|も|ほど|程度|近く|だけ)?(?:早|短縮|前倒|減|改善|縮|削減|下回|前に)")
OFFSET = re.compile(r"^(?:は|も|ほど|程度|近く|だけ)?(?:遅れ(?!る|ます)|超過|オーバー|前に|後に)")
OFFSET_FIELDS = frozenset({"lateness", "any"})
CHANGE_FIELDS = frozenset({"shift", "late", "productivity", "any"})
SLACK_BEFORE = re.compile(r"(?:余裕|ゆとり|マージン)(?:は|が|を)?(?:約)?$")

ON_TIME = re.compile(
    r"間に合(?!わ|いません)|納期内|遅延(?:は|が|も)?(?:ありません|ない|なし|出ません|ゼロ|生じません)"
    r"|on time|make it"
)
LATE = re.compile(r"間に合わ|間に合いません|遅延が(?:出|発生|生じ|残)|超過します|遅れが出|遅れます")
NO_IMPACT = re.compile(
    r"影響(?:は|が|も)?(?:ありません|ない|なし|出ません|しません|ございません)|影響を受けません"
)
BETTER = re.compile(r"良くな|よくな|改善|好転")
WORSE = re.compile(r"悪くな|悪化")
SAME = re.compile(r"変わりません|変わらない|変化(?:は)?(?:ありません|なし)")
MOVE_VERB = re.compile(
    r"回[しすせさ]|移動|移[しすせりるれ]|送[りるれら]|応援|入れ|行か|異動|充て|まわ[しすせ]|配置換"
)
AFTER_WORDS = re.compile(
    r"回せ|回す|回し|移動|移せ|配置|この案|提案|応援|入れ|加わ|抜け|外|なら|したら|すると|れば|後"
)
BEFORE_WORDS = re.compile(r"このまま|現状|今のまま|今の体制|何もしな|移動前|現在")
ALL = re.compile(r"すべて|全て|全部|どれも|いずれも|全工程|全キュー")
POLICY = re.compile(
    r"規定|規則|ルール|決まり|方針|原則|義務|必須|禁止|してはいけ|なければな|ことになって|許可|承認が必要"
)
ID = re.compile(r"業務\s*\d+|[A-Z]{3}\d{8}-[0-9A-F]+")
"""A business id (業務523201) or a suggestion id: names, not figures."""
PROCESS_DIGIT = re.compile(r"エントリ\d")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{2,}")
HONORIFIC = re.compile(r"([一-龥々ヶ]{1,6})(?:さん|氏|様|くん|ちゃん)")
NOT_PEOPLE = {
    "皆",
    "客",
    "担当者",
    "管理者",
    "責任者",
    "上長",
    "部長",
    "課長",
    "主任",
    "皆様",
    "〇〇",
}
KANA = re.compile(r"[ぁ-んァ-ヶ一-龥]")
LETTER = re.compile(r"[A-Za-zぁ-んァ-ヶ一-龥]")

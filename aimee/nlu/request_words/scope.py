"""What is not about moving people on the floor: approving, asking what AIMEE does, know-how of
the operation, and topics AIMEE does not cover."""

from __future__ import annotations

import re

from aimee.nlu.request_words.patterns import any_of

APPROVE = any_of(
    r"承認(?!者|待ち|済|履歴|フロ|権限|の|って|とは|方法|後|前|まで|する(?:には|とき|前|と)"
    r"|し(?:ても|たら|た場合|た後|たあと|ました[?？]))",
    r"(?:それ|この案|その案|これ|さっきの案|先ほどの(?:配置)?案)で(?:承認|お願い|いこう|行こう|進めて|決定|確定|決めて|きめて|ok|いい(?:よ|です)?(?:[。!]|$))",
    r"^(?:じゃ(?:あ)?|では|なら)?[、, ]*(?:それ|これ)で[。!！]?$",  # 「じゃそれで」
    r"^(?:ok|オーケ)[、, ]*(?:それで|お願い)|確定(?:で(?:お願い|いい|[。!]|$)|して|させ|お願い)",
    r"(?:実行|適用|反映|登録)(?:して|しといて|しておいて|しちゃって|しちゃお|しちゃえ|お願い|で[。!]?$)(?!も)",
    r"(?:それ|この案|その案|これ|この通り|その通り)で(?:go|ゴ[ーｰ]?)(?:で|します|[。!]|$)",
    r"^(?:ok|いいね)[、, ]*実行",
    r"承認の(?:手続き?|処理)を?(?:お願い|して|進め|頼)(?![^。]*(?:どう|方法|やり方|手順))",
    r"(?:それ|この案|その案|これ|その通り|この通り)で(?:やっといて|やっておいて|やっちゃって|進めといて|進めちゃって)",
    r"(?:それ|この案|その案|これ)(?:で|を)?(?:採用|決まり)(?!し(?:た|ても|たら)|する(?:と|場合))",
    r"採用(?:で(?![はもき])|して(?!も)|します|[。!]?$)",
    r"(?<![a-z])approved?(?![a-z])|go ahead|let's do it|make it happen",
    r"execute (?:it|the plan|this)",
    r"(?:この|その)まま(?:実施|実行|反映|適用|確定)|実施で(?:お願い|いい|ok)|実施(?:して|お願い)(?!も)",
)


APPROVAL_WITHHELD = re.compile(
    r"(?:承認|approve)[^。!?？]{0,8}?"
    r"(?:待って|まだ(?!承認)|やめ|ストップ|保留|wait|hold on|not yet)"
)
"""「承認…あ、待って、まだ。先に長谷川さんのスキル見せて」: not yet approved."""


HELP = any_of(
    r"何ができ|なにができ|できること|使い方|(?:この|本)(?:システム|ツール|チャット)",
    r"何を?聞け|何聞け|どう聞け|聞き方|どんな質問|どのような質問|何を手伝|何してくれ",
    r"aimee(?:って|は|とは|に)|何から聞|初めて使|はじめて使|頼み方|どんな聞き方",
    r"(?:こちらの|この)(?:チャット|サービス)で(?:は)?[^。?？]{0,12}(?:可能|でき|頼め)",
    r"(?:どのような|どんな)(?:ご)?依頼",
    r"(?:で|を|って)聞(?:いたら|くと|けば)\s*(?:何|なに)が(?:わか|分か)",
    r"(?:ボット|bot)(?:って|は|に|、|,)|どこまで(?:頼め|お願いでき|できる)|何を頼め",
    r"何を(?:お願い|依頼)でき|(?:この|君|あなた)(?:ai|アシスタント|ボット)(?:って|は|に|で|の)",
    r"what can (?:you|i)|what (?:kind of )?questions|how (?:do|should|can) i (?:use|ask)",
    r"what (?:kinds? of )?things can you",
    r"what (?:kinds? of )?(?:things|questions) (?:can|could|should) i",
    r"(?:どのような|どんな)(?:こと|事)(?:が|を)?(?:でき|頼|お願い|聞け|質問)",
    r"what (?:can|does) (?:this|the) (?:bot|chat|tool|system|assistant)|how does (?:this|it) work",
    r"what are you (?:for|here for|able to do)|what (?:do|can) you do\b",
    # 「これって何人動かすかとか指定できるの？」: what the chat lets one say
    r"(?:とか|など|も|って)\s*(?:指定|設定|条件(?:指定)?)\s*(?:って)?\s*(?:でき(?:る|ます)|可能)(?:の|か|ん)",
    r"what (?:this|the) (?:bot|chat|tool|system|assistant) (?:does|is for|can do)",
)


ABOUT_A_PERSON = re.compile(r"何ができる(?:人|方)|(?:その|この)(?:人|方)")
"""「何ができる人？」 after a look-up asks about that person, not about AIMEE."""


HELP_WORD = re.compile(r"^(?:help|ヘルプ)[?!.。]?$")
"""「help」 alone; 「help needed at Sapporo」 and 「札幌E1ヘルプ」 ask for helpers."""


OUT_OF_SCOPE = any_of(
    r"天気|雨|雪|台風|たいふう|気温|寒い|暑い|寒く|暑く|残業|給料|給与|有給|休暇申請|ランチ|昼ごはん|お昼|ご飯",
    r"ごはん|食べ|ニュース|株価|交通費|経費|シフト希望|シフト表|来週|来月|パスワード|ログインでき",
    r"明日の(?:出勤|シフト|勤務|人数|出社)|出勤人数|出勤予定|勤怠|保険料|料率|手当(?!て)|腹減|腹へ|お腹|会議室|予約|タクシ|ボーナス|賞与|コピ機|プリンタ|紙詰まり|メールで|メール送",
    r"teams|vpn|通知が|駐車場|新幹線|電車|社食|健康診断|有休",
    r"タバコ|煙草|トイレ|日経|株|為替|歓迎会|飲み会|送別会|店探|年末調整|書類|給与明細|vlookup",
    r"excel|エクセル|ピボット|パソコン|(?<![a-z])pc(?![a-z])|備品|疲れ|眠い|冗談|ジョーク|雑談",
    r"weather|salary|lunch|overtime pay|stock|price|taxi|book a|password|meeting room|joke",
    r"(?:マニュアル|手順書)[^。?？]{0,8}(?:どこ|場所|置い|保存|共有)|csv|pdf|エクスポ|印刷|翻訳|translat|野球|サッカ|試合|映画|ドラマ|baseball|soccer|football|game"
    r"|movie|稟議|timesheet|expense|vacation|お礼|プレゼント|how are you",
    r"おすすめの店|飲食店|差し入れ|お土産|お菓子|売上|病院|来客|誕生日|電話番号|住所|メアド|メールアドレス",
    r"printer|e-?mail|bonus|(?:休憩|トイレ|会議|昼)(?:に)?(?:行って|入って|して)?(?:くる|きます)|お先に",
    r"時給|日給|空調|冷房|暖房|エアコン|スキャナ|歓迎会|面接|弁当|レポ[ーｰ]?ト|報告書",
    r"資料|忘年会|新年会|懇親会|幹事|入館証|社員証|再発行|単価|苦情|クレ[ーｰ]?ム|お詫び|文面|募集|求人",
    r"システム(?:が)?(?:落ち|止ま|重|エラ)|画面(?:が)?(?:真っ白|固ま|動かな|フリ)|訳して|英訳|和訳",
    r"忘れ物|落とし物|wi-?fi|ネット(?:が|に)?(?:遅|繋|つな|切れ)|制服|発注|write (?:a|an|the|me)\b",
    r"研修(?:の)?(?:スケジュ|日程|予定|って?いつ)|何曜日|meeting room|parking|人件費|予算",
    r"壊れ|故障|キ[ーｰ]?ボ[ーｰ]?ド|マウス|モニタ|ディスプレイ|ヘッドセット|イヤホン|椅子|照明|電球",
    r"空港|渋滞|観光|フライト|飛行機|契約(?:更新|書|期間)|請求書|避難訓練|防災|消防",
    r"pizza|coffee|snacks?\b|order (?:some |a )?(?:food|lunch|dinner|pizza|coffee)",
    r"打ち上げ|いい店|店(?:を|が)?(?:ある|知ら|教え|探)|居酒屋|レストラン|\bnews\b|\btrains?\b|\btraffic\b",
    r"シフト(?:を)?(?:組|作|決)|寒す|暑す|見学|案内(?:どう|する|して|お願い)",
)


SMALLTALK = re.compile(
    r"^(?:ありがと|ありがとう|助かった|助かりました|助かる|お疲れ|おつかれ|こんにちは|おはよう"
    r"|こんばんは|よろしく|了解|わかった|さんきゅ|サンキュ|どうも|thanks|thank you|thx|hello|hi\b)"
    r"[^?？]{0,12}$"
    r"|^(?:hi|hello|hey)?[, ]*how are you(?: doing| today)?[?？!. ]*$|^元気[?？]?$|^調子どう[?？]?$"
)
"""Thanks and greetings: answered in a sentence, nothing computed."""


OTHER_APPROVALS = re.compile(
    r"申請|稟議|残業|有給|有休|経費|勤怠|休暇|timesheet|expense|vacation|leave request|overtime"
)
"""「残業申請承認して」「approve my timesheet」: approvals in another system, not a plan's."""


FLOOR_TOPIC = any_of(
    r"応援|締め|〆|締切|納期|工程|拠点|キュ|レベル|lv|スキル|経験|配置|人員|増員|要員|人手|人数|メンバ|欠員|欠勤",
    r"補正|検証|エントリ|入力|遅れ|遅延|間に合|進捗|残件|件数|処理|オペレ|作業|ヘルプ|承認|案|移動",
    r"動か|回す|回し|出す|出し|入れ|抜|新人|ベテラン|品質|ミス|フロア|センタ|aimee|ボット|チャット",
    r"切替|切り替|引き?継|貸|借|業務|交代|休憩|研修|教育|指導|チェック|担当|報告|エスカレ|リーダ|管理者",
    r"やば|ヤバ|危な|まず[いそ]|落ち|おち|どう[?？]?$|どう(?:なって|です|でしょ)|状況|様子|感じ|終わ|全体",
    r"タスク|残|件|変更|反映|生産|効率|稼働|人|事例|前例|ケ[ーｰ]?ス|過去の?対応|対応例",
    r"ノウハウ|ナレッジ|手順|マニュアル",  # asking for the operation's notes by name
    r"deadline|queue|site|staff|operator|people|help|move|level|skill|entry|verification",
    r"correction|rule|policy|backlog|lend|send|floor|late|behind|free|idle|available|anyone|status",
    r"progress|finish|worker|member|bot|chat",
)
"""What the operation is made of: a question with none of it (and no site, process or
person) is not know-how about the floor (「明日の朝礼って何時からだっけ」)."""


NEVER_THE_FLOOR = re.compile(
    r"天気|気温|雪|台風|たいふう|株価|日経|新幹線|電車|駐車場|ランチ|パスワード|wi-?fi|経費|精算|健康診断|飲み会"
    r"|残業|会議室|暑い|寒い|暑く|寒く|おすすめの店|飲食店|差し入れ|お土産|お菓子|売上|病院|来客|weather"
    r"|時給|日給|給料|給与|空調|冷房|暖房|エアコン|(?<![a-z])pc(?![a-z])|パソコン|スキャナ|プリンタ|コピ機"
    r"|紙詰まり|歓迎会|送別会|面接|評価シ|弁当|エクセル|excel|csv|pdf|レポ[ーｰ]?ト|報告書|シフト表"
    r"|シフト希望|交通費|ログインでき|overtime|meeting room|parking|人件費|予算|labou?r cost"
    r"|資料|忘年会|新年会|懇親会|幹事|入館証|社員証|再発行|単価|苦情|クレ[ーｰ]?ム|お詫び|文面|募集|求人"
    r"|採用(?:の進|活動|面接|予定|状況|計画|人数|枠)|中途採用|新卒"
    r"|システム(?:が)?(?:落ち|止ま|重|エラ)|画面(?:が)?(?:真っ白|固ま|動かな|フリ)|訳して|英訳|和訳"
    r"|忘れ物|落とし物|ネット(?:が|に)?(?:遅|繋|つな|切れ)|制服|発注|write (?:a|an|the|me)\b"
    r"|壊れ|故障|キ[ーｰ]?ボ[ーｰ]?ド|マウス|モニタ|ディスプレイ|ヘッドセット|イヤホン|椅子|照明|電球"
    r"|空港|渋滞|観光|フライト|飛行機|契約(?:更新|書|期間)|請求書|避難訓練|防災|消防"
    r"|pizza|coffee|snacks?\b"
    r"|打ち上げ|いい店|店(?:を|が)?(?:ある|知ら|教え|探)|居酒屋|レストラン|\bnews\b|\btrains?\b|\btraffic\b"
    r"|シフト(?:を)?(?:組|作|決)|寒す|暑す|見学|案内(?:どう|する|して|お願い)"
    r"|雨(?:は|が)?(?:降る|ふる|降りそう|降ります|やむ|止む)(?:[?？]|か|かな|の)|(?:マニュアル|手順書)[^。?？]{0,8}(?:どこ|場所|置い|保存|共有)"
)
"""Off-topic even next to a site's or a person's name (「明日の札幌の天気どう？」「那覇の人の
残業申請」「品川の会議室って空いてる？」「梅田のPCが固まった」「高山さんに残業お願いできる？」):
overtime, pay, equipment, reports and events are not planned here (unless someone is
taken off the floor for them)."""


PRIVATE = re.compile(
    r"誕生日|電話番号|携帯番号|(?:さん|様|たち|達|くん|ちゃん|全員|みんな)の?連絡先|住所|メアド|メールアドレス|年齢|有給|有休|給料|給与|勤怠|(?<!を)評価|査定|賞与|ボーナス"
    r"|飛行機|航空券|ホテル|宿泊|メール(?:送|し|で送)|連絡し(?:と|てお)いて|伝え(?:と|てお)?いて|伝えて"
    r"|電話(?:して|しと|かけ)|お礼|プレゼント|csv|pdf|翻訳|translat"
    r"|携帯(?:の)?(?:番号|電話|アドレス)|phone number|address"
)
"""Someone's private or HR details, a site's address, travel, messages to send: not the
floor's business whoever is named (unless someone is taken off for it: 「有給で休み」)."""


NOT_THAT = re.compile(r"^\s*(?:じゃ|では)なく")
"""「天気じゃなくて札幌の状況」: the word is what the manager did not mean."""


ASIDE = re.compile(
    r"[。？?!！]\s*(?:(?:あと|それと|それから)[、,\s]*)?ついでに"
    r"|[。？?!！]\s*(?:あと|それと)[、,\s]*"
    r"(?=[^。?？]*って(?!(?:言|い)われ|(?:言|い)って|頼まれ|指示|お願い)[^。?？]*[?？]?$)"
)
"""「…出して。あとついでに〜」「…出して。あと高山さんって今どこ？」: a second question
added on the side (「…出して。あと2人まで」 is not: it adds to the request, nor is
「…出して。あと札幌からは出さないでって言われてる」, an instruction passed on)."""


RECALLS = re.compile(r"(?:だ|でし)たっけ|んだっけ|っけ[?？]?$")
"""「〜だっけ？」: asking to be reminded, of a rule (know-how) or of a queue's figure
(「那覇E1、締め何時だっけ？」: the data)."""


KNOWHOW = any_of(
    r"てもいい(?:ん|の)|(?<!なくて)ていい(?:ん|の(?!で))|していいの|いいのって|て(?:も)?(?:いい|よい)[?？]",
    r"基準|ルール|目安|決まり|方針|ノウハウ|コツ|注意点|優先(?:する|順位)|相性|どれくらい要",
    r"(?:のが|のは|って)(?:普通|一般的|定石|セオリ|基本|常識)(?:なの|です|でしょう)?(?:か|かな)?[?？]",
    r"決まって(?:る|ます|いる)|注意(?:すること|する点|すべき|事項)|気を(?:つけ|付け)(?:ること|る点|た(?:方|ほう))",
    r"くらい見(?:とけ|ておけ|れば)|どう(?:見れ|判断すれ|考えれ|読め)ば|報告すれば|前に.{0,20}(?:とき|時)|過去(?:の)?事例|どうしてた",
    r"(?:こと|事)(?:が|って)?(?:あった|ありました)|その(?:時|とき)(?:は)?どう|どう(?:対応|対処)した",
    r"過去|前例|事例|似た(?:ような)?(?:ケ[ーｰ]?ス|こと|事例)|何(?:レベル|lv)から",
    r"(?:以前|前回|この前|こないだ|先月|先週|去年|昨年)[、,]?.{0,24}(?:とき|時|際)",
    r"(?:前回|以前|この前|こないだ|先週|先月)の(?:案|応援|対応|配置)(?:は|って|を|、)",
    r"どう(?:回|対応|対処|乗り切|し)(?:した|してた)(?:ん|の)?(?:だ|でし)?(?:っけ|か)",
    r"のは(?:ng|ダメ|だめ|禁止|アリ|あり(?!ます|ませ)|ok)|(?:ng|ダメ|だめ|禁止)(?:だった|なん|でしょ|だよね)",
    r"なんで[?？、]|なぜ|どうして|何を優先|優先して決め|何を基準|どう決め",
    r"(?:は|って)(?:アリ|あり)[?？]|何分くらい(?!遅れ)|ロスする|エスカレ|誰に(?:報告|連絡|相談)",
    r"\brules?\b|guideline|policy|best practice",
    r"(?:とき|時|場合|際)[、,]?\s*(?:普通|ふつう|いつも|通常|一般的に)(?:は)?\s*(?:どう|どない)(?:して|する|して(?:る|ん|ます))",
)


REMEDY = re.compile(
    r"(?:何か|なにか|いい|良い)?(?:対策|対処法|予防策)(?:は|って|が|とか)?(?:ある|あります|ない|ありません|何)"
    r"|防ぐ(?:には|方法|手)"
)
"""「昼休みに処理が落ちるの、何か対策ある？」 with no queue: a remedy the notes may hold."""


ADVICE = re.compile(r"のがいい(?:の|か)|べき|どうすれば(?:いい)?の")
"""Advice without a queue (「Lv2の人ってどこに回すのがいいの？」) is know-how."""

"""The words the request rules read (``nlu.request_parser``): what approving, asking for
help, a conditional, a plan request, a finish-time question… look like in a manager's
message, normalised (``nlu.normalize``: a word-final long vowel is dropped, so 「カバー」 is
matched as 「カバ」). One vocabulary per pattern; the rules decide what they mean together.
"""

from __future__ import annotations

import re

from aimee.nlu.request import RequestKind


def _any(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


APPROVE = _any(
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
HELP = _any(
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
    r"what (?:this|the) (?:bot|chat|tool|system|assistant) (?:does|is for|can do)",
)
ABOUT_A_PERSON = re.compile(r"何ができる(?:人|方)|(?:その|この)(?:人|方)")
"""「何ができる人？」 after a look-up asks about that person, not about AIMEE."""
HELP_WORD = re.compile(r"^(?:help|ヘルプ)[?!.。]?$")
"""「help」 alone; 「help needed at Sapporo」 and 「札幌E1ヘルプ」 ask for helpers."""
OUT_OF_SCOPE = _any(
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
FLOOR_TOPIC = _any(
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
CONDITIONAL = _any(
    r"(?<=[えけせてねべめれげ])ば(?![かっ])|"
    r"(?:たら|だら|ると(?!\s*(?:伺|うかが|聞|思|言|報告|連絡|のこと))|(?<!で)すと|くと)(?![きこ])|たところで|たとき|た時|た場合|た後|たあと|(?<!多く)(?<!遅く)(?<!早く)(?<!少なく)ても(?![らいよ])|なら(?![んな])",
    r"\bif\b|what if|would|ほうがいい[?？]|方がいい[?？]",
)
CHANGE_WORDS = re.compile(
    r"提案|案|承認|配置|変更|実行|実施|反映|適用|採用|移|回|出|抜|外|減|増|入れ|足|送|貸|後|影響"
    r"|それで|そしたら|そうなると|では"
)
"""Anything that speaks of a change: an impact question about it is not a status."""
ADDING = re.compile(
    r"入れ|入っ|入る|追加|加え|加わ|足し|増や|増え|補強|強化|回し|移し|出し|抜い|抜け|外し|\badd"
)
IMPERATIVE = _any(
    r"て(?!も|る|い)(?:ください|下さい|ほしい|欲しい|もらえ|くれ|お願い|[、。!]|$)?|たい|ましょう",
    r"んで(?:ください|くれ|ほしい|[、。!]|$)|ていただ(?:け|き)|てもらえ(?:ます|ません)?か",
    r"お願い|\b(?:use|include|exclude|send|move)\b",
)
CONTEXT = _any(
    r"^(?:その場合|そうすると|そうしたら|それだと|この案|その案|それで|じゃあ|では|and\b)",
    r"その場合|この案で|その案で|それで|そしたら|\bthen\b|in that case|with (?:that|this)\b",
    r"\bstill\b",
)
WEIGHS_A_CHANGE = re.compile(
    r"の(?:は|って)\s*(?:あり|アリ|どう|いい|良い|ok|まずい|だめ|ダメ)|(?:の|ん)じゃ(?:だめ|ダメ)[?？]"
    r"|\b(?:does|would|will|could) (?:that|it|this) help\b|\bwhat (?:happens|would happen)\b"
)
"""「高橋さんをE2に動かすのはあり？」「遠藤さんに入ってもらうのはどう？」「Move her there, does
that help?」: a change weighed."""
ARROW = re.compile(r"→|->|⇒")
"""「竹内舞→那覇E1」: someone (or a site's people) sent to a queue, in a fragment."""
ASKS_TO_DO = re.compile(r"お願い|頼む|頼みます|よろしく")
"""「那覇の検証もお願い」 right after a plan asks for another plan, not about that one."""
DONOR_SIDE = re.compile(
    r"出す(?:側|方|ほう)|出し(?:た|てる)(?:側|方|ほう)|抜かれる(?:側|方|ほう)|応援元|送り出す(?:側|方)"
    r"|元の(?:拠点|工程|キュ)|元いた(?:拠点|工程)(?!に)|\bdonors?\b"
    r"|(?:sites?|teams?) (?:giving|lending)"
    r"|抜(?:け|かれ)た(?:所|とこ|ところ|側|方|ほう|拠点|工程|後の(?:拠点|工程))"
)
"""「出す側は平気？」: the places a plan takes its helpers from, whichever they are."""
HYPOTHETICAL = re.compile(
    r"その場合|そうすると|そうしたら|それだと|その案|この案|その提案|この提案"
)
DONOR_WORDS = _any(
    r"大丈夫|平気|影響|問題|困[らるりっ]|回[るりら]|足り|しわ寄せ|きつ|無理|間に合|持ち|持つ|守れ|遅れ|まずい",
    r"支障|差し?支え|響[くか]|厳し|しんど|痛[くい]|持た|耐え|へいき(?!ん)|だいじょ[うぶ]|手薄に(?:なら|なる|なっ)",
    r"\bok\b|(?<![a-z])ok(?:[?？]|\s*(?:か|なの|です(?:か|よね)|そう))|okay|fine|affected|still",
    r"\bsafe\b|\bhurt",
    r"もつ(?:[?？]|かな|か[?？]|$)|もちそう|もたな|もたへん|もたん",
    r"(?:何名|何人)(?:が|も)?(?:移動(?:する|になる)|動く|動いて|抜ける|出る|出て(?:いく|く)|減る)",
)
PLAN_STRONG = _any(
    r"応援案|案(?:を|が)?(?:出|だし|作って(?!る)|作れ|作成(?:し|いただ|お願い|願)|ちょうだい|お願い|くれ|ほしい|欲しい|考え|いただ|頂)",
    r"応援を?組|組んで|回して(?!ま|い|る|も|た)|回せる(?!(?:人|方)(?:って|は)?\s*(?:全部で|合計|何人|何名))|回せない|間に合わせ(?:たい|て|る)",
    r"(?:片付け|片づけ|終わらせ|さばき|捌き)たい",
    r"(?:人|応援|人員|人手|名|誰か|何人か)(?:を|に)?(?:出して|出せる|出せない)(?!も)",
    r"から\S{0,6}?(?:出して|出せる|出せない)(?!も)",
    r"埋め(?:られ|て|たい)|借りて|借りたい|(?:人|応援)(?:を)?もら(?:え|い)|もらえない",
    r"何とか(?:して|でき|なら)|なんとか(?:して|でき|なら)|カバ(?:でき|して)|手配して|助けて|たすけて",
    r"面倒(?:見|み)て|(?:誰か|だれか|人|応援)を?入れられ|\bhelp\s*(?:して|でき|お願い|頼)",
    r"フォロ(?:を)?(?:お願い|して|頼)|ヘルプ(?!を見|の使い方)|まわして|まわせ|(?:誰か|人|応援|だれか|サポート|助っ人|人員)を?入れて(?!も)|(?:誰|だれ)か[ーおおね、]",
    r"(?:誰|だれ)か[?？!！。]?$|(?:誰|だれ)か(?:来|き)て|間に合わせられ",
    r"(?:回|出|まわ|貸)して(?:もらえ|いただけ|くれ|ほし|欲し)",
    r"(?:配置|人員|体制|アサイン)の?(?:見直し|組み直し|再配置|再調整)(?:を)?(?:お願い|して|頼|ください)",
    r"(?:\d|[一二三四五])\s*(?:人|名)\s*(?:で|ほど|くらい|ぐらい)?\s*(?:入って|入れて|行って|来て)(?!も)",
    r"(?:\d|[一二三四五]|誰か|だれか|人|応援)\s*(?:人|名)?\s*(?:を)?(?:入れ|回し|足し|増やし|送り)たい",
    r"(?:リカバリ|挽回)|策(?:を)?(?:出し|だし|考え|練っ|ちょうだい|お願い|ほしい|欲しい)",
    r"どこから(?:人|応援|誰か|だれか)?(?:を)?(?:持って|連れて|回せ|回し|出せ|借り|引っ張)",
    r"(?:ベテラン|経験者|熟練者|上級者|要員)(?:を)?入れて(?!も)",
    r"手当て(?:して|を|お願い|頼)|手を打って|(?:誰|だれ)か(?:を)?(?:行か|行が|寄越|よこし|送っ|送れ)",
    r"前提で|help needed|need(?:s)? help|send (?:someone|people|help)",
    r"動かし方|回し方|配置案|追加(?:でき|して|お願い|頼)|(?:まとめて|両方)見て|back on track",
    r"\bsuggest\b|\bplan\b|\bcover\b|make (?:it|its|the) deadline|\bouen\b",
    # 「5人だけ動かすとしたらどうする？」「3人ならどこに入れる？」: which moves, asked
    r"(?:どこ|どの工程)に(?:入れ|回|まわ|送|置)(?:す|る|せば|せる|れば|けば)?[?？]|(?:とし|だっ)たら(?:どう|どこ|誰)(?:する|を)",
)
PLAN_ASK = re.compile(
    r"(?:応援|配置)?案(?:を|が)?(?:出して|だして|作って(?!る)|作れ|ちょうだい|お願い|くれ|ほしい|欲しい)"
    r"|(?:応援|配置|実際の|本当の|正式な|正式の)?(?:案|プラン)に(?:して|しちゃって|しよう|起こして|落として)"
    r"|(?:エントリ\s*[12]|e\s*[12]|補正|検証|ss|kp)\s*(?:の|へ|への)?(?:応援|配置|移動)?(?:案|プラン)"
    r"\s*(?:を|は)?\s*[?？。!！]?$"
    r"|(?:で|る|す|む)(?:応援)?案\s*(?:を|で)?\s*[。!！]?$"
    r"|(?:make|give me|draft) (?:a |the )?plan"
    r"|(?:make|turn) (?:it|that|this) (?:into )?a (?:real )?plan"
)
"""「案出して」「それ実際の案にしてみて」: a plan asked for outright, whatever was asked before."""
LEADING_THEN = re.compile(r"^(?:じゃあ|じゃ|なら|それなら|だったら|では)[、, ]*")
STAFFED = re.compile(
    r"(?:人|ひと|人手|人員|手|人数)(?:は|が|って)?(?:足りて|回って|間に合って)(?:る|ます)?(?:か|かな)?[?？]"
    r"|enough (?:people|staff)"
)
"""「人足りてる？」: is the queue staffed (a question, not 「人足りない」)."""
STAFFED_BY = re.compile(
    r"(?:\d|[一二三四五])\s*(?:人|名)\s*で\s*(?:は|も)?\s*(?:回して(?:る|ん)|まわして(?:る|ん)|回って"
    r"|やって(?:る|ん|ます)|こなして(?:る|ん)|足りて|対応して(?:る|ます))"
    r"|(?<!\d)1\s*(?:人|名)\s*で\s*(?:は|も)?\s*(?:大丈夫|平気|足りる|いける|回る|持つ)"
    r"|何\s*(?:人|名)\s*で\s*(?:回して|まわして|回って|やって|こなして|対応して)"
)
"""「ひとりで回してるの？」「盛岡の検証はひとりで大丈夫？」: the people a queue has now (no
plan on the table), not a head count."""
WHICH_MOVES = re.compile(
    r"(?:回す|動かす|出す|入れる|送る)(?:と|の)?(?:したら|すれば|なら)[^。?？]{0,4}(?:誰|だれ|どなた)|どこからどこ|(?:誰|だれ|どなた)を(?:動か|回|出|入れ|送)|(?:誰|だれ|どなた)が適任"
    r"|(?:動かす|回す)のが(?:一番|いちばん|いい|よい|良い)"
    r"|(?:どういう|どんな|どのような|どういった)(?:配置|回し方)(?:に(?:なり|なる)|が(?:いい|良い|ベスト))"
)
"""「どこからどこへ動かすのが一番？」「誰を回すとしたら誰が適任？」: which moves to make,
however hypothetically asked, is a plan."""
WHAT_TO_DO = re.compile(
    r"どうする[?？]|どうしよ|どうすれば|どうしたら(?:いい|良い)|いい手|打つ手|手はある|何か手"
    r"|どう(?:手当て|手当|対処|対応|カバー)(?:する|すれば|したら)"
    r"|what (?:should|can|do) (?:i|we) do|any ideas"
)
"""「那覇E1どうしよう」「札幌E1、なんかいい手ある？」 about a queue: what to do, a plan."""
SEND_WHO = re.compile(
    r"(?:出せる|(?<!補正)(?<!検証)(?<!補正を)(?<!検証を)(?<!エントリ\d)(?<!エントリ\dを)回せる"
    r"|貸せる|行ける|来れる|借りられる|応援に入れる)(?:人|方)"
)
"""「盛岡から出せる人いる？」 asks for helpers to send: a plan, though it asks who
(「補正回せる人」 are people who can do 補正)."""
HOW_MANY_NEEDED = re.compile(
    r"何(?:人|名)(?:くらい|ぐらい|ほど)?(?:いれば|居れば|入れれば|足せば|足りれば|必要|要る)"
    r"|(?:間に合わせる|終わらせる|片付ける|守る)(?:に|ため)(?:は|に)?\s*(?:あと)?\s*何(?:人|名)\s*(?:いる|要る)"
    r"|(?:応援|ヘルプ|人)を?(?:出す|入れる|回す)(?:と|と)?したら\s*(?:あと)?\s*何(?:人|名)\s*(?:いる|要る|必要)"
    r"|how many (?:people|more|extra)(?: people)? (?:do|would|does)"
)
"""「あと何人いれば間に合う？」: the helpers it takes, a plan."""
WITH_N = re.compile(
    r"(?:\d|[一二三四五])\s*(?:人|名)\s*(?:が|も)?\s*(?:いれば|居れば|いたら|居たら|入れば|足せば|入れれば|増やせば|回せば"
    r"|追加すれば|あれば|来れば|増えれば)"
    r"|(?:\d|[一二三四五])\s*(?:人|名|つ)\s*(?:追加|増員)(?:で|したら|すれば)[^。?？]{0,16}[?？]"
    r"|[+＋]\s*(?:\d|[一二三四五])\s*(?:人|名)?\s*(?:なら|だと|で|あれば|いれば)[^。]{0,12}[?？]"
)
"""「二名いれば間に合う？」「+2人なら間に合う？」: the effect of N more people (「何人いれば」
asks for a plan)."""
TRIED_COUNT = re.compile(
    r"(?:\d|[一二三四五])\s*(?:人|名|つ)\s*(?:入れ|足し|追加し?|増やし|回し)(?:て|で)(?:みて)?[、,]?\s*"
    r"(?:間に合う|いける|足りる|回る|終わる)か"
)
"""「三名入れて間に合うか見て」: N more people tried, an order to weigh them, not to plan."""
ABOUT_WHERE = re.compile(
    r"(?:さん|くん|ちゃん|様|君)?(?:って|は)\s*[^、。?？]{1,8}"
    r"(?:だ(?:った)?っけ|でしたっけ|だよね|ですよね|の人|[?？])"
)
"""「高山さんって盛岡だっけ？」「村上さんは梅田？」: where a person is, asked to be confirmed."""
CAN_USE = re.compile(r"(?:さん|くん|ちゃん)?(?:は|って|を)?\s*使え(?:る|ます)[?？]")
"""「竹下さん使える？」: whether a person may be used."""
ASKS_SOMEONE = re.compile(
    r"誰か|いない[?？]|お願いできる|頼める|入れられる|入れる[?？]|使える[?？]|使えます[?？]|ない[?？]$"
)
LATE_NOW = re.compile(
    r"終わらない|間に合わない(?!工程|拠点|とこ|ところ|キュ|の[はって])|間に合わなそう|遅れてる|遅れている"
    r"|遅延してる|詰まって|パンク"
)
URGENT = re.compile(r"至急|緊急|\burgent\b|\basap\b")
"""「【至急】品川 補正 遅延」: help wanted now for the queue named."""
COUNT_END = re.compile(r"(?:\d|[一二三四五])\s*(?:人|名)(?:だけ|のみ)?[。!]?$")
"""「札幌E1 2人」: a queue and a count, typed as a request."""
CONSTRAINT_END = re.compile(r"で[。!]?$|入れないで|入れるな|にして[。!]?$")
QUESTION = re.compile(r"(?<![ーお])[?？]|か$|かな|ですか|ますか|は$")
WHO = re.compile(
    r"誰が(?:でき|いる|速|早)|誰ができ|できる人|できる方|できるのは|誰[?？]?$|何人(?!か)|何名(?!か)"
    r"|(?:いる|おる|おります|居る)(?:か|かな)?[?？]|いますか|探"
    r"|\bwho can\b|how many"
)
WHAT_TIME = re.compile(r"何時|\bwhat time\b|\bwhen will\b")
"""「札幌、全部何時に片付く？」: a time asked, not which queues are late."""
FINISH = _any(
    r"何時(?:頃|ごろ)?(?:に|まで)?(?:終わ|片付|片づ|かたづ|落ち着|落ちつ|はけ|捌け)|いつ(?:頃|ごろ)?(?:に)?(?:終わ|片付|片づ)",
    r"終わりそう|終わる[?？]|終わるか|終わらな(?:い|そう)(?:って(?:本当|ほんと|マジ)|の[?？]|か|[?？]|です(?:か|よね))",
    r"(?:完了|終了)(?:は|が)?\s*何時|何時(?:頃|ごろ)?の見込み|done in time|finish in time",
    r"完了見込み|完了予定|終了予定|終わる見込み|終わり見込み|(?:終わり|終了|完了)の見込み|(?:完了|終了)(?:する|します)見込み",
    r"何時(?:頃|ごろ)?(?:に)?(?:完了|終了)|(?:あと|残り)\s*何分|ギリギリ|ぎりぎり|余裕|何分前|何分遅れ",
    r"(?:\d|時|分|半)(?:まで)?(?:に|には)(?:終わ|片付|片づ|かたづ|終え)|終了見込み|何時上がり|上がり[?？]",
    r"何時まで(?:かか|やる)",
    r"何時あがり|あがり[?？]|終わり何時|何時見込み|何時頃|ギリ(?:ギリ)?[?？]?$|何時になる|何時[?？]?$",
    r"ギリ(?:ギリ)?\s*(?:いけ|行け|間に合|セ[ーイ]フ|アウト)|何分(?:ほど|くらい|ぐらい)?(?:オ[ーｰ]?バ|超過|押し|おし|足りな|遅れ)",
    r"(?:何分|どんだけ|どれだけ|どのくらい|どれくらい)\s*(?:足りん|足らん|足らへん|足りひん|足りない|足らない)",
    r"遅れ(?:は|って)?(?:何分|どのくらい|どれくらい|どんくらい)|(?:どのくらい|どれくらい|何分くらい)遅れ",
    r"何件(?:くらい|ぐらい|ほど)?残(?:る|ります|りそう|っちゃう)",
    r"締め(?:切り?)?(?:は|って)?(?:何時|いつ)|何時(?:締め|〆|締切)",
    r"(?:締め|〆|締切|納期|デッドライン)(?:まで)?(?:に|で|には)?\s*(?:あと)?\s*(?:どれ|どの|何件|何分)\s*(?:くらい|ぐらい)?\s*(?:足りな|遅れ|オ[ーｰ]?バ|はみ出|超え)",
    r"(?:\d時|\d:\d\d|時半)(?:を|は)?(?:過ぎ|すぎ|超え|こえ|回)(?:る|ちゃう|そう)|何件(?:くらい|ぐらい)?残りそう",
    r"finish|done by|how much time|margin|how many minutes|how late|by how much",
    r"(?<![a-z])eta(?![a-z])",
)
ASKS_FOR_HELP = re.compile(
    r"お願い|ください|下さい|ほしい|欲しい|入れて|対策|応援|サポート|見直|選定"
)
WILL_IT_MAKE = _any(
    r"間に合(?:う|い)(?:[?？]|か|の|そう|ます|ん(?:か|や|の))|間に合う$",
    r"make it|on time|納期(?:を|は)?守れ",
    r"間に合う見込み(?:です|でしょう|か|[?？])",
    r"(?:遅れ|押し)(?:て(?:る|ます|い(?:る|ます))|そう)(?:の|です)?(?:か|かな)?[?？]|遅れる[?？]",
    r"(?:is|are) (?:it |they )?(?:late|behind)",
    r"終え(?:る|られ)|(?:done|終わ[るれ])\s*できそう|(?:いけ|行け)そう|(?:いけ|行け)る[?？]",
    r"(?:片付|片づ)(?:く|きそう|けられ|ける)",
    r"間に合わない(?:って)?(?:こと|事)(?:は|って)?(?:ない|無い)",
    r"(?:届か|とどか)(?:ない|なそう|ん|へん)(?:って|の|か|[?？])|(?:届|とど)(?:く|きそう)(?:か|の|[?？])",
)
LOOKUP = _any(
    r"どこ|スキル|何ができ|レベル|担当|在籍|配置|経験|今何|いま何|何して|プロフィール|詳しく|について",
    r"使える|いける|できる|得意|苦手|何の工程|やって|出てる|来てる|出勤|lv|だよね|よね[?？]|where|skills?|level",
    r"tell me about|いる[?？]|いますか|active|\bdoko\b|\bnani\b|空いて(?:る|ます)(?:か|[?？])",
    r"何時まで(?:いる|居る|勤務|シフト|出勤)?[?？]?$",
    r"どの(?:拠点|工程|業務|キュ|チ[ーｰ]?ム)|所属|どっち|どちら|経歴|何年目|出社|work(?:s|ing)?\b",
)
WHO_IS_ON = re.compile(r"(?:誰|だれ|どなた)が(?:担当|入って|やって|ついて)")
"""「品川の審査工程はどなたが担当されていますか」: who works a process (a skill search)."""
SKILL_WORDS = _any(
    r"できる人|できるの|できる[?？]|できる方|誰ができ|誰が(?:でき|いる)|いける人|入れる人|人材",
    r"空いて|速い|早い|ベテラン|経験者|上級者|\bwho can\b|anyone (?:who|with)|fastest|available",
    r"(?:打て|やれ|こなせ|さばけ)る(?:人|方)",
)
COUNT = re.compile(r"何人|何名|how many")
ALL_OF_THEM = re.compile(r"全部|すべて|全て|みんな|どれも|いずれも")
"""「…の工程、全部大丈夫？」: several queues asked about at once."""
WHICH_PLACE_LATE = re.compile(
    r"(?:どこ|どの)(?:の)?(?:拠点|工程|キュー?|サイト)?(?:が|は)(?:やば|ヤバ|危な|まず|遅れ|遅延)"
)
"""「エントリ2はどこの拠点が危ない？」: which of the queues named will be late."""
DELAY_WHICH = _any(
    r"(?:やば|ヤバ|危な|まず|ひど|酷)(?:い|そうな)(?:とこ|ところ|工程|キュ|の(?:は|って)?(?:どこ|どれ))",
    r"(?:締め|〆|締切|納期)(?:が|に)?(?:危うい|危ない|やばい|怪しい)(?:もの|の|とこ|ところ|工程)",
    r"(?:遅れ|遅延し|落ち|おち)(?:そう|る|て(?:る|ん))な?(?:の|とこ|ところ|工程|もの)",
    r"アウト(?:に)?(?:なり)?そうな(?:の|とこ|ところ|工程)",
    r"間に合わ(?:ない|ん|へん)(?:とこ|ところ|工程|の)",
    r"(?:片付か|片づか|終わら|はけ)(?:ない|なさそうな|なそうな|ん)(?:工程|とこ|ところ|キュ)(?:って|は|が)?\s*(?:ある|あり|ない|どこ|どれ)",
    r"手を?(?:打つ|打た)(?:べき|ない(?:と|とまずい))(?:工程|とこ|ところ|キュ)",
    r"遅延(?:ある|あり|出て|は出|が出)|(?:一番|いちばん|最も)(?:ヤバ|やば|危な|遅れ|まず)",
    r"(?:どこ|どれ)(?:が|か)(?:やば|ヤバ|危な|まず|遅れ|間に合わな)",
)
ANY_THERE = re.compile(r"(?:って|は|が)?\s*(?:ある|あります|ない)(?:かな|か|の)?[?？]?$")
"""「やばそうなところってあるかな」: whether there are any (not a request for help)."""
ASIDE = re.compile(
    r"[。？?!！]\s*(?:(?:あと|それと|それから)[、,\s]*)?ついでに"
    r"|[。？?!！]\s*(?:あと|それと)[、,\s]*"
    r"(?=[^。?？]*って(?!(?:言|い)われ|(?:言|い)って|頼まれ|指示|お願い)[^。?？]*[?？]?$)"
)
"""「…出して。あとついでに〜」「…出して。あと高山さんって今どこ？」: a second question
added on the side (「…出して。あと2人まで」 is not: it adds to the request, nor is
「…出して。あと札幌からは出さないでって言われてる」, an instruction passed on)."""
WORST = re.compile(
    r"(?:一番|いちばん|最も)(?:ヤバ|やば|危な|遅れ|まず|ひど|酷)|(?:どこ|どれ)(?:が|か)(?:やば|ヤバ|危な|まず|遅れ|間に合わな)"
)
"""「那覇で一番遅れてるのは？」: which queue is worst, whatever the classifier's family."""
RECALLS = re.compile(r"(?:だ|でし)たっけ|んだっけ|っけ[?？]?$")
"""「〜だっけ？」: asking to be reminded, of a rule (know-how) or of a queue's figure
(「那覇E1、締め何時だっけ？」: the data)."""
KNOWHOW = _any(
    r"てもいい(?:ん|の)|ていい(?:ん|の)|していいの|いいのって|て(?:も)?(?:いい|よい)[?？]",
    r"基準|ルール|目安|決まり|方針|ノウハウ|コツ|注意点|優先(?:する|順位)|相性|どれくらい要",
    r"(?:のが|のは|って)(?:普通|一般的|定石|セオリ|基本|常識)(?:なの|です|でしょう)?(?:か|かな)?[?？]",
    r"決まって(?:る|ます|いる)|注意(?:すること|する点|すべき|事項)|気を(?:つけ|付け)(?:ること|る点|た(?:方|ほう))",
    r"くらい見(?:とけ|ておけ|れば)|どう(?:見れ|判断すれ|考えれ|読め)ば|報告すれば|前に.{0,20}(?:とき|時)|過去(?:の)?事例|どうしてた",
    r"(?:こと|事)(?:が|って)?(?:あった|ありました)|その(?:時|とき)(?:は)?どう|どう(?:対応|対処)した",
    r"過去|前例|事例|似た(?:ような)?(?:ケ[ーｰ]?ス|こと|事例)|何(?:レベル|lv)から",
    r"(?:以前|前回|この前|こないだ|先月|先週|去年|昨年)[、,]?.{0,24}(?:とき|時|際)",
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
ASKS_WHO = re.compile(r"誰|だれ|どなた|何人|何名|\bwho\b")
"""「E1最速って誰だっけ」: a person recalled from the data, not a rule."""
CAN_DO = re.compile(
    r"(?<!お願い)(?<!依頼)(?<!頼)(?:でき|打て|やれ|こなせ|さばけ)る(?:人|方|メンバ|オペレ|子)"
    r"|(?:補正|検証|エントリ\d)を?回せる(?:人|方)"  # 「補正回せる人」: who can do 補正
)
"""「エントリ1打てる人何人？」: who can do a process, asked whatever the classifier says."""
FIGURES = re.compile(
    r"(?:数字|数値|状況|進捗|現状|残件|件数|状態)(?:だけ|を|も|は)?\s*"
    r"(?:ちょうだい|頂戴|教えて|見せて|ください|下さい|ほしい|欲しい|くれ|共有)"
    r"|(?:スループット|処理量|処理件数|処理ペース|滞留|残件|残り件数|待ち件数|残り(?!時間|\d))"
    r"(?:は|って|を|、)?\s*"
    r"(?:どれ|どの|いくつ|何件|教えて|[?？]|$)"
)
"""「梅田KPのE2、数字だけちょうだい」「札幌の検証のスループット教えて」「滞留どれくらい？」: a
queue's figures asked for, a status."""
QUEUE_BY_DEADLINE = re.compile(
    r"(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|(半))?\s*(?:の)?(?:締め|〆|締切|納期)の?\s*"
    r"(?:やつ|とこ|ところ|工程|キュ|分|仕事|案件|もの|\d+\s*(?:本|つ|個))"
)
"""「16時締めのやつ」「17時締めの4本」: the queues whose deadline is that time (the chat
service finds them in the data)."""
ALL_RIGHT = re.compile(
    r"(?:大丈夫|問題(?:ない|なし|なさそう)|平気|心配(?:ない|なし))(?:そう)?(?:[?？]|か|かな|ですか|でしょうか)"
    r"|(?<!どっちが)(?<!どちらが)(?<!どれが)(?<!どこが)(?<!どっち)"  # not 「どっちが危ない？」
    r"(?:やば|ヤバ|危な|まず)(?:い|そう)(?:の|ん)?(?:か|かな|です(?:か)?|でしょうか)?[?？]"
)
"""「札幌の補正、問題ない？」「KPのE1がやばいの？」 about a queue, nothing changed: whether
it makes its deadline."""
STANDS = re.compile(
    r"どんだべ|どんだ[?？]?$"
    r"|(?:どう|ちゃ[ーあ]|どげん|どがい|どない|どんな(?:ふう|風)?に?)\s*(?:なって(?:る|ます|ん|い)|なっ[とちょ]+[るん])"
    r"|塩梅|具合|按配"
)
"""「那覇のE1、ちゃーなってる？」「どげんなっとる」: how a place stands, in any dialect."""
ADVICE = re.compile(r"のがいい(?:の|か)|べき|どうすれば(?:いい)?の")
"""Advice without a queue (「Lv2の人ってどこに回すのがいいの？」) is know-how."""
REPLAN = _any(
    r"なら|だけ|までで|以内で|で[?？]|でお願い|にして|に変えて|から(?:で|出して|は|なら|だと|では)",
    r"は(?:出さ|動かさ)|でも(?:構[わい]|いい|大丈夫|ok)|でいい|で構[わい]|に絞|のみで|で$|で。",
    r"限定|だけに|のみに|ないで|でも同じ|であれば|ならば|だったら|お願いしたい|にお願い",
    r"\b(?:only|just|instead|at most|up to|max|please|limit)\b",
    r"\bmake it (?:one|two|three|four|five|\d)\b(?!\s*(?:o'clock|pm|am|:))",
)
ONLY_FROM = re.compile(
    r"(?:だけ|のみ)(?:で|から|に(?:して|限定))?(?:お願い|頼む|頼みます|たのむ)?(?:わ|よ|ね)?[?？。!]?$"
    r"|に限定"
    r"|(?:だけ|のみ)(?:で|から)(?:まかな|賄|足り|回せ|回る|いけ|行け|なんとか|何とか|でき)"
)
"""「盛岡だけで」「札幌だけでまかなえる？」 after a plan: the sites help may come from."""
CORRECTION = _any(
    r"^(?:ごめん|すみません|失礼|いや|あ、|あっ|違う|ちがう|ちゃう)",
    r"じゃなくて|ではなくて|のことね|のこと[。!]?$|(?:だった|やった)[。!]?$|の間違い",
    r"\bsorry\b|\bi mean",
)
_ALSO_OR_ALL = re.compile(r"も|全体|全部|全て|すべて")


def site_corrected(text: str) -> bool:
    """「すみません、盛岡でした」「札幌の間違い」「那覇じゃなくて札幌」: a short message that
    corrects the last one (not 「あ、札幌もお願い」 nor 「ごめん、那覇全体で」)."""
    short = len(text) <= _CORRECTION_MAX
    return short and CORRECTION.search(text) is not None and _ALSO_OR_ALL.search(text) is None


_CORRECTION_MAX = 16
AT_RISK = re.compile(
    r"(?:締め|〆|納期|締切|デッドライン)に対する(?:リスク|危険)|遅延リスク|リスクを(?:拠点|工程)(?:別|ごと)"
    r"|間に合わ(?:なく)?なりそう|間に合わなさそう"
)
"""Whether queues risk missing their deadline: a delay-risk question."""
SAME_TERMS = re.compile(
    r"同じ条件|同条件|同じ(?:内容|やり方|感じ)で|同様に|同じく|(?:さっき|先ほど|前|その|上)の条件"
    r"|同じ(?:やつ|の)で|same (?:terms|conditions|constraints|way)"
)
"""「エントリ2にも、同じ条件で」「さっきの条件で那覇のE2なら？」: another queue, with the last
plan's constraints."""
EN_DONOR = re.compile(
    r"\b(?:under|with|after) (?:that|this|the) (?:plan|move|change)\b"
    r"|\bafter (?:that|this)\s*\?$"
)
"""「And Sapporo — is it still fine under that plan?」: a place checked against the plan."""
CONSEQUENCE = re.compile(r"どうなる|どうなり|影響|\bwhat (?:happens|would happen) to\b")
"""「岡本さん早上がりするって。那覇E1どうなる？」: what follows from someone leaving."""
HOW_IS = re.compile(r"どう|状況|進捗|様子|順調|how is|how's")
THERE = re.compile(r"(?:そこ|そっち|そちら|あそこ)(?:の)?|その(?:工程|拠点|キュ)")
"""「そこの工程」: the place just talked about (a person's queue, after a look-up)."""
AT_A_GLANCE = re.compile(r"ざっくり|サマリ|概況|全体(?:は|の状況)?[?？]?$|フロア全体")
DATE_ONLY = re.compile(
    r"^(?:じゃあ|では|で、)?[、 ]*(?:今日|本日|きょう|昨日|きのう)(?:は|の分は|だと)?[?？]?$"
)

BARE_REST = re.compile(
    r"^(?:how about|what about|and|じゃあ|では|で、)?[\s、]*"
    r"(?:は|も|の方は|のほうは|だと|なら)?[\s]*[?？。]?$"
)

EN_ASKS_WHO = re.compile(r"^(?:who|which|how many)\b|\b(?:who|how many)\b[^.]*\?")
"""An English question for people (not a request for N of them)."""
EN_RULES: tuple[tuple[RequestKind, re.Pattern[str]], ...] = (
    (
        "help",
        re.compile(
            r"what can (?:you|i)|what (?:kind of )?questions|how (?:do|can) i"
            r"|what (?:kinds? of )?(?:things|questions) (?:can|could|should) i"
            r"|what (?:can|does) (?:this|the) (?:bot|chat|tool|system|assistant)"
        ),
    ),
    (
        "out_of_scope",
        re.compile(
            r"weather|salary|lunch|stock|price|taxi|\bbook\b|password|overtime|meeting room"
            r"|\bnews\b|\btrains?\b|\btraffic\b|pizza|coffee|\bsnow|\brain(?:ing|y)?\b|typhoon"
            r"|parking|expense|vacation|birthday|\bwrite (?:a|an|the|me)\b|wi-?fi|uniform"
        ),
    ),
    (
        "what_if",
        re.compile(
            r"\bwhat if\b|\bif (?:we|i|you)\b.*\b(?:move|remove|add|take|send)"
            r"|what (?:would )?happens?\b"
        ),
    ),
    (
        "knowhow",
        re.compile(r"\brules?\b|guideline|policy|best practice|past cases?|precedent|last time"),
    ),
    (
        "plan",
        re.compile(
            r"\bsuggest\b|reallocat|what (?:should|can|do) (?:i|we) do about"
            r"|\bneeds? (?:help|support|backup|more (?:people|hands|staff))\b"
            r"|what should (?:i|we) do\b|^(?:please |can you |could you )?plan\b"
            r"|\bplan (?:help|support|cover|backup|extra people)\b"
            r"|who (?:to|should (?:i|we)|can (?:we|i)|could (?:we|i)) "
            r"(?:move|send|spare|lend)|who should go|\bspare (?:one|two|three|\d)"
            r"|\b(?:get|borrow|bring|need)\s+(?:in\s+)?(?:a couple(?: of)?|one|two|three|four|\d"
            r"|some|more|extra)\s+(?:more\s+|extra\s+)?(?:people|persons|operators|staff|hands"
            r"|helpers|(?:from|into|onto)\b)"
        ),
    ),
    (
        "finish_time",
        re.compile(
            r"\bwhen will\b|\bfinish|\bdone by\b|how much time|margin|what time|minutes late"
            r"|\betas?\b"
            r"|how many minutes|by how much|how late|how far (?:past|over|behind)|past the deadline"
        ),
    ),
    (
        "operator_lookup",
        re.compile(r"\bwhere is\b|\bwhere's\b|\bskills?\b.*\b(?:of|does|have)\b|\btell me about\b"),
    ),
    (  # "How many people are working on Naha correction?": the queue's staff, as it stands
        "status",
        re.compile(r"how many (?:people|operators|staff|workers) (?:are )?(?:working|assigned)\b"),
    ),
    (
        "skill_search",
        re.compile(
            r"\bwho\b|\banyone\b|fastest|available|\bwhich operators?\b|\bfree\b|\bidle\b"
            r"|how many (?:people|operators|staff|workers|of them) (?:can|could|are able|know)"
            r"|\bno ?one\b|\bnobody\b"
        ),
    ),
    (
        "plan",
        re.compile(
            r"\bsend\b|\bhelp\b|move people|reallocat|\bplan\b|\bfix\b|\bsave\b|suggest|\bcover\b"
        ),
    ),
    (
        "delay_risk",
        re.compile(
            r"\blate\b|\bmiss|\bbehind\b|at risk|deadline|on time|\btotal\b|\bworst\b"
            r"|most urgent|in trouble"
        ),
    ),
    ("status", re.compile(r"status|progress|how is|how's|how are|overview|summary|rundown")),
    ("knowhow", re.compile(r"\brules?\b|guideline|policy|best practice")),
)
"""Kinds of an English request, first match wins (the classifier is trained on Japanese)."""

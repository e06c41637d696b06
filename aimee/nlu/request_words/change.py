"""Changes to the floor: plans asked for, what-ifs weighed, donors checked, and the terms a
follow-up corrects or keeps."""

from __future__ import annotations

import re

from aimee.nlu.request_words.patterns import any_of

CONDITIONAL = any_of(
    r"(?<=[えけせてねべめれげ])ば(?![かっ])|"
    r"(?:たら|だら|ると(?!\s*(?:伺|うかが|聞|思|言|報告|連絡|のこと))|(?<!で)すと|くと)(?![きこ])|たところで|たとき|た時|た場合|た後|たあと|(?<!多く)(?<!遅く)(?<!早く)(?<!少なく)ても(?![らいよ]|う\s*(?:\d|一|ひと))|なら(?![んな])",
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


IMPERATIVE = any_of(
    r"て(?!も|る|い)(?:ください|下さい|ほしい|欲しい|もらえ|くれ|お願い|[、。!]|$)?|たい|ましょう",
    r"んで(?:ください|くれ|ほしい|[、。!]|$)|ていただ(?:け|き)|てもらえ(?:ます|ません)?か",
    r"お願い|\b(?:use|include|exclude|send|move)\b",
)


CONTEXT = any_of(
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


DONOR_WORDS = any_of(
    r"大丈夫|平気|影響|問題|困[らるりっ]|回[るりら]|足り|しわ寄せ|きつ|無理|間に合|持ち(?!場)|持つ|守れ|遅れ|まずい|(?:やば|ヤバ)(?:い|そう|くない|くなる|くならない)?\s*[?？]",
    r"支障|差し?支え|響[くか]|厳し|しんど|痛[くい]|持た|耐え|へいき(?!ん)|だいじょ[うぶ]|手薄に(?:なら|なる|なっ)",
    r"\bok\b|(?<![a-z])ok(?:[?？]|\s*(?:か|なの|です(?:か|よね)|そう))|okay|fine|affected|still",
    r"\bsafe\b|\bhurt",
    r"もつ(?:[?？]|かな|か[?？]|$)|もちそう|もたな|もたへん|もたん",
    r"(?:何名|何人)(?:が|も)?(?:移動(?:する|になる)|動く|動いて|抜ける|出る|出て(?:いく|く)|減る)",
)


PLAN_STRONG = any_of(
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


WHICH_MOVES = re.compile(
    r"(?:回す|動かす|出す|入れる|送る)(?:と|の)?(?:したら|すれば|なら)[^。?？]{0,4}(?:誰|だれ|どなた)|どこからどこ|(?:誰|だれ|どなた)を?(?:動か|回|出|入れ|送)|(?:誰|だれ|どなた)が適任"
    r"|(?:動かす|回す)のが(?:一番|いちばん|いい|よい|良い)"
    r"|どこに(?:入れる|回す|送る|足す)のが(?:一番|いちばん)?\s*(?:効|いい|良い|よい|ベスト)"
    r"|(?:どういう|どんな|どのような|どういった)(?:配置|回し方)(?:に(?:なり|なる)|が(?:いい|良い|ベスト))"
)
"""「どこからどこへ動かすのが一番？」「誰を回すとしたら誰が適任？」「誰入れる？」: which moves to
make, however hypothetically asked, is a plan."""


WHAT_TO_DO = re.compile(
    r"どうする[?？]|どうしよ|どうすれば|どうしたら(?:いい|良い)|いい手|打つ手|手はある|何か手"
    r"|どう(?:手当て|手当|対処|対応|カバー)(?:する|すれば|したら)|どう回(?:せば|したら|すれば)"
    r"|手(?:って|は)?\s*ある[?？]|誰(?:を)?(?:入れる|回す|出す)のが(?:いい|良い|ベスト)"
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


LATE_NOW = re.compile(
    r"終わらない|間に合わない(?!工程|拠点|とこ|ところ|キュ|の[はって])|間に合わなそう|遅れてる|遅れている"
    r"|遅延してる|詰まって|パンク"
)


URGENT = re.compile(r"至急|緊急|\burgent\b|\basap\b")
"""「【至急】品川 補正 遅延」: help wanted now for the queue named."""


COUNT_END = re.compile(r"(?:\d|[一二三四五])\s*(?:人|名)(?:だけ|のみ)?[。!]?$")
"""「札幌E1 2人」: a queue and a count, typed as a request."""


CONSTRAINT_END = re.compile(r"で[。!]?$|入れないで|入れるな|にして[。!]?$")


REPLAN = any_of(
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


CORRECTION = any_of(
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


SAME_TERMS = re.compile(
    r"同じ条件|同条件|同じ(?:内容|やり方|感じ)で|同様に|同じく|(?:さっき|先ほど|前|その|上)の条件"
    r"|(?:その|この|あの)条件"
    r"|同じ(?:やつ|の)で|same (?:terms|conditions|constraints|way)"
)
"""「エントリ2にも、同じ条件で」「さっきの条件で那覇のE2なら？」: another queue, with the last
plan's constraints."""
SAME_AGAIN = re.compile(r"同じ(?:こと|事|の|質問|内容)(?:を)?(?![^。?？]{0,3}(?:条件|人))")
"""「同じことを盛岡で」「同じの那覇で」: the last request again, somewhere else."""
ALSO_QUEUE = re.compile(
    r"(?<!から)(?<!より)(?<!さん)(?<!様)(?<!くん)(?<!ちゃん)(?<!氏)(?<!人)"
    r"(?:に)?も(?=[、,\s。!！?？]|$|お願い|おねがい|頼|同じ|入れ|追加|見て|やって)"
    r"|(?:も|を)(?:加えて|追加して|足して|入れて)"
)
"""「あ、盛岡KPのE2もお願い」「E1も同じ条件で」「那覇の検証も加えて」 after a plan: one more
queue to help, beside the plan's (not 「品川からも」, more places to take from)."""


CONSEQUENCE = re.compile(r"どうなる|どうなり|影響|\bwhat (?:happens|would happen) to\b")
"""「岡本さん早上がりするって。那覇E1どうなる？」: what follows from someone leaving."""

"""A message (with its conversation) as a :class:`~aimee.nlu.request.Request`.

The kind comes from ordered rules over the normalised message (``RULES``: the first
that matches wins; narrow questions come before broad ones), then from the intent
classifier's label. The slots are read from the message (``nlu.slots``) and completed
from the conversation (``nlu.carry``): 「じゃあ1名だけなら？」 re-plans the last plan's
target with the new head count, 「その場合、品川は平気？」 checks 品川 against that plan.

A name the data does not have (福岡, 木村さん) or a day without data (昨日) does not
change the kind: the request keeps what was asked, its ``unknown`` / ``date`` slots
say what cannot be answered, and the handler says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from aimee.nlu.carry import carry_over, person_referred
from aimee.nlu.followup import is_bare
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.intent_types import IntentType
from aimee.nlu.request import NEAREST_KIND, Request, RequestKind, Slots
from aimee.nlu.slots import read_slots, said_as_person


def _words(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


_APPROVE = _words(
    r"承認(?!者|待ち|済|履歴|フロ|権限|の|って|とは|方法|後|前|する(?:には|とき|前|と)"
    r"|し(?:ても|たら|た場合|た後|たあと|ました[?？]))",
    r"(?:それ|この案|その案|これ|さっきの案|先ほどの(?:配置)?案)で(?:承認|お願い|いこう|行こう|進めて|決定|確定|ok|いい(?:よ|です)?(?:[。!]|$))",
    r"^(?:ok|オーケ)[、, ]*(?:それで|お願い)|確定(?:で(?:お願い|いい|[。!]|$)|して|させ|お願い)",
    r"(?:実行|適用|反映|登録)(?:して|しといて|しておいて|お願い|で[。!]?$)(?!も)",
    r"^(?:ok|いいね)[、, ]*実行",
    r"\bapprove\b|go ahead|let's do it",
)
_HELP = _words(
    r"何ができ|なにができ|できること|使い方|このシステム|このツール|このチャット",
    r"何を?聞け|何聞け|どう聞け|聞き方|どんな質問|どのような質問|何を手伝|何してくれ",
    r"aimee(?:って|は|とは|に)|何から聞|初めて使|はじめて使|頼み方|どんな聞き方",
    r"what can (?:you|i)|what (?:kind of )?questions|how (?:do|should|can) i (?:use|ask)",
)
_HELP_WORD = re.compile(r"^(?:help|ヘルプ)[?!.。]?$")
"""「help」 alone; 「help needed at Sapporo」 and 「札幌E1ヘルプ」 ask for helpers."""
_OUT_OF_SCOPE = _words(
    r"天気|雨|気温|寒い|暑い|寒く|暑く|残業代|給料|給与|有給|休暇申請|ランチ|昼ごはん|お昼|ご飯",
    r"ごはん|食べ|ニュース|株価|交通費|経費|シフト希望|シフト表|来週|来月|パスワード|ログインでき",
    r"勤怠|保険料|料率|会議室|予約|タクシ|ボーナス|賞与|コピ機|プリンタ|紙詰まり|メールで|メール送",
    r"teams|vpn|通知が|駐車場|新幹線|電車|社食|健康診断|有休",
    r"タバコ|煙草|トイレ|日経|株|為替|歓迎会|飲み会|送別会|店探|年末調整|書類|給与明細|vlookup",
    r"excel|エクセル|ピボット|パソコン|(?<![a-z])pc(?![a-z])|備品|疲れ|眠い|冗談|ジョーク|雑談",
    r"weather|salary|lunch|overtime pay|stock|price|taxi|book a|password|meeting room|joke",
    r"printer|e-?mail|bonus",
)
_SMALLTALK = re.compile(
    r"^(?:ありがと|ありがとう|助かった|助かりました|お疲れ|おつかれ|こんにちは|おはよう|こんばんは"
    r"|よろしく|了解|わかった|thanks|thank you|hello|hi\b)[^?？]{0,12}$"
)
"""Thanks and greetings: answered in a sentence, nothing computed."""
_NEVER_THE_FLOOR = re.compile(r"天気|気温|株価|日経|新幹線|電車|駐車場|ランチ|weather")
"""Off-topic even next to a site's name (「明日の札幌の天気どう？」)."""
_NOT_THAT = re.compile(r"^\s*(?:じゃ|では)なく")
"""「天気じゃなくて札幌の状況」: the word is what the manager did not mean."""
_CONDITIONAL = _words(
    r"(?:たら|だら|ると|すと|くと)(?![きこ])|たとき|た時|た場合|た後|たあと|ても(?![らいよ])|なら(?![んな])",
    r"\bif\b|what if|would|ほうがいい[?？]|方がいい[?？]",
)
_CHANGE_WORDS = re.compile(
    r"提案|案|承認|配置|変更|実行|実施|反映|適用|採用|移|回|出|抜|外|減|増|入れ|足|送|貸|後|影響"
    r"|それで|そしたら|そうなると|では"
)
"""Anything that speaks of a change: an impact question about it is not a status."""
_ADDING = re.compile(r"入れ|入っ|入る|追加|加え|足し|増や|回し|移し|出し|抜い|抜け|外し|\badd")
_IMPERATIVE = _words(
    r"て(?!も|る|い)(?:ください|下さい|ほしい|欲しい|もらえ|くれ|お願い|[、。!]|$)?|たい|ましょう",
    r"んで(?:ください|くれ|ほしい|[、。!]|$)",
    r"お願い|\b(?:use|include|exclude|send|move)\b",
)
_CONTEXT = _words(
    r"^(?:その場合|そうすると|そうしたら|それだと|この案|その案|それで|じゃあ|では|and\b)",
    r"その場合|この案で|その案で|それで|そしたら|\bthen\b|in that case|with (?:that|this)\b",
    r"\bstill\b",
)
_HYPOTHETICAL = re.compile(
    r"その場合|そうすると|そうしたら|それだと|その案|この案|その提案|この提案"
)
_DONOR_WORDS = _words(
    r"大丈夫|平気|影響|問題|困ら|回[るりら]|足り|しわ寄せ|きつ|無理|間に合|持ち|持つ|守れ|遅れ|まずい",
    r"\bok\b|okay|fine|affected|still",
)
_PLAN_STRONG = _words(
    r"応援案|案(?:を|が)?(?:出|だし|作って(?!る)|作れ|ちょうだい|お願い|くれ|ほしい|欲しい|考え)",
    r"応援を?組|組んで|回して(?!ま|い|る|も|た)|回せる|回せない|間に合わせ(?:たい|て|る)",
    r"(?:人|応援|人員|人手|名|誰か|何人か)(?:を|に)?(?:出して|出せる|出せない)(?!も)",
    r"から\S{0,6}?(?:出して|出せる|出せない)(?!も)",
    r"埋め(?:られ|て|たい)|借りて|借りたい|(?:人|応援)(?:を)?もら(?:え|い)|もらえない",
    r"何とか(?:して|でき|なら)|なんとか(?:して|でき|なら)|カバ(?:でき|して)|手配して|助けて",
    r"ヘルプ(?!を見|の使い方)|まわして|まわせ|(?:誰か|人|応援|だれか)を?入れて(?!も)|(?:誰|だれ)か[ーおおね、]",
    r"前提で|help needed|need(?:s)? help|send (?:someone|people|help)",
    r"動かし方|回し方|配置案|追加(?:でき|して|お願い|頼)|(?:まとめて|両方)見て|back on track",
    r"\bsuggest\b|\bplan\b|\bcover\b|make (?:it|its|the) deadline",
)
_SEND_WHO = re.compile(r"(?:出せる|回せる|貸せる|行ける|来れる|借りられる|応援に入れる)(?:人|方)")
"""「盛岡から出せる人いる？」 asks for helpers to send: a plan, though it asks who."""
_ASKS_SOMEONE = re.compile(
    r"誰か|いない[?？]|お願いできる|頼める|入れられる|入れる[?？]|ない[?？]$"
)
_LATE_NOW = re.compile(
    r"終わらない|間に合わない(?!工程|拠点|とこ|ところ|キュ|の[はって])|間に合わなそう|遅れてる|遅れている"
    r"|遅延してる|詰まって|パンク"
)
_CONSTRAINT_END = re.compile(r"で[。!]?$|入れないで|入れるな|にして[。!]?$")
_QUESTION = re.compile(r"(?<![ーお])[?？]|か$|かな|ですか|ますか|は$")
_WHO = re.compile(
    r"誰が(?:でき|いる|速|早)|誰ができ|できる人|できる方|できるのは|誰[?？]?$|何人(?!か)|何名(?!か)"
    r"|いる[?？]|いますか|探"
    r"|\bwho can\b|how many"
)
_FINISH = _words(
    r"何時(?:頃|ごろ)?(?:に|まで)?終わ|いつ(?:頃|ごろ)?(?:に)?終わ|終わりそう|終わる[?？]|終わるか",
    r"完了見込み|完了予定|終了予定|終わる見込み|終わり見込み|ギリギリ|ぎりぎり|余裕|何分前|何分遅れ",
    r"(?:\d|時|分|半)(?:まで)?(?:に|には)終わ|終了見込み|何時上がり|上がり[?？]|何時まで(?:かか|やる)",
    r"何時あがり|あがり[?？]|終わり何時|何時見込み|何時頃|ギリ(?:ギリ)?[?？]?$",
    r"finish|done by|how much time|margin|how many minutes|how late",
)
_ASKS_FOR_HELP = re.compile(
    r"お願い|ください|下さい|ほしい|欲しい|入れて|対策|応援|サポート|見直|選定"
)
_WILL_IT_MAKE = re.compile(r"間に合(?:う|い)(?:[?？]|か|の|そう|ます)|make it|on time")
_LOOKUP = _words(
    r"どこ|スキル|何ができ|レベル|担当|在籍|配置|経験|今何|いま何|何して|プロフィール|詳しく|について",
    r"使える|いける|できる|何の工程|やって|出てる|来てる|出勤|lv|だよね|よね[?？]|where|skills?|level",
    r"tell me about",
)
_SKILL_WORDS = _words(
    r"できる人|できるの|できる[?？]|できる方|誰ができ|誰が(?:でき|いる)|いける人|入れる人|人材",
    r"空いて|速い|早い|ベテラン|経験者|上級者|\bwho can\b|anyone (?:who|with)|fastest|available",
)
_COUNT = re.compile(r"何人|何名|how many")
_DELAY_WHICH = _words(
    r"(?:やば|ヤバ|危な|まず)い(?:とこ|ところ|工程|キュ|の(?:は|って)?(?:どこ|どれ))",
    r"(?:遅れ|遅延し|落ち|おち)(?:そう|る)な?(?:の|とこ|ところ|工程)",
    r"間に合わない(?:とこ|ところ|工程|の)",
    r"遅延(?:ある|あり|出て|は出|が出)|(?:一番|いちばん|最も)(?:ヤバ|やば|危な|遅れ|まず)",
)
_KNOWHOW = _words(
    r"(?:だ|でし)たっけ|んだっけ|っけ[?？]?$|てもいい(?:ん|の)|ていい(?:ん|の)|していいの|いいのって",
    r"基準|ルール|目安|決まり|方針|ノウハウ|コツ|注意点|優先(?:する|順位)|相性|どれくらい要",
    r"くらい見(?:とけ|ておけ|れば)|報告すれば|前に.{0,20}(?:とき|時)|過去(?:の)?事例|どうしてた",
    r"なんで[?？、]|なぜ|どうして|何を優先|優先して決め|何を基準|どう決め",
    r"(?:は|って)(?:アリ|あり)[?？]|何分くらい|ロスする|エスカレ|誰に(?:報告|連絡|相談)",
    r"\brules?\b|guideline|policy|best practice",
)
_ADVICE = re.compile(r"のがいい(?:の|か)|べき|どうすれば(?:いい)?の")
"""Advice without a queue (「Lv2の人ってどこに回すのがいいの？」) is know-how."""
_REPLAN = _words(
    r"なら|だけ|までで|以内で|で[?？]|でお願い|にして|に変えて|から(?:で|出して|は|なら|だと|では)",
    r"は(?:出さ|動かさ)|でも(?:構[わい]|いい|大丈夫|ok)|でいい|で構[わい]|に絞|のみで|で$|で。",
    r"限定|だけに|のみに|ないで",
    r"\b(?:only|just|instead|at most|up to|max|please|limit)\b",
)
_CORRECTION = _words(
    r"^(?:ごめん|すみません|失礼|いや|あ、|あっ|違う|ちがう)",
    r"じゃなくて|ではなくて|のことね|のこと[。!]?$|だった[。!]?$|の間違い|\bsorry\b|\bi mean",
)
_HOW_IS = re.compile(r"どう|状況|進捗|様子|how is|how's")
_AT_A_GLANCE = re.compile(r"ざっくり|サマリ|概況|全体(?:は|の状況)?[?？]?$|フロア全体")
_DATE_ONLY = re.compile(
    r"^(?:じゃあ|では|で、)?[、 ]*(?:今日|本日|きょう|昨日|きのう)(?:は|の分は|だと)?[?？]?$"
)
_DATA_KINDS: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "status", "finish_time", "delay_risk", "skill_search", "operator_lookup"}
)
_THREAD_KINDS: frozenset[RequestKind] = frozenset({"plan", "what_if", "donor_check"})


@dataclass(frozen=True)
class _Message:
    text: str
    intent: IntentType
    """The classifier's family: the broad rules below do not overrule it where it is
    specific (an impact question stays one)."""
    slots: Slots
    extraction: Extraction
    last_plan: Request | None
    previous: Request | None

    @property
    def people(self) -> tuple[str, ...]:
        return self.slots.people

    @property
    def changes_people(self) -> bool:
        ops = self.slots.operators
        return ops is not None and bool(ops.add or ops.remove or ops.move)

    @property
    def looks_up(self) -> bool:
        ops = self.slots.operators
        return ops is not None and bool(ops.about) and not self.changes_people

    @property
    def places(self) -> bool:
        return any(
            m.kind in ("location", "business_id", "process") for m in self.extraction.mentions
        )

    @property
    def queue_named(self) -> bool:
        return any(t.process is not None for t in self.slots.targets)


def parse_request(
    extraction: Extraction,
    intent: IntentType,
    *,
    known_places: Collection[str],
    last_plan: Request | None = None,
    previous: Request | None = None,
    today: date | None = None,
) -> Request:
    """The request a message makes; ``last_plan``: the conversation's last plan or what-if,
    ``previous``: the previous turn's request (what a follow-up continues: ``nlu.carry``),
    ``today``: the business day (「10月20日」 is read against it)."""
    slots = read_slots(extraction, known_places, today)
    slots = person_referred(slots, extraction.text, previous)
    msg = _Message(extraction.text, intent, slots, extraction, last_plan, previous)
    kind = next((k for _, rule in RULES if (k := rule(msg)) is not None), None)
    kind = kind or _within(intent, msg)
    if kind == "approval_request":
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    if kind not in _DATA_KINDS:
        slots = slots.model_copy(update={"date": None})  # 「今日寒くない？」
    if kind == "operator_lookup" and msg.looks_up:  # 「村上さんってエントリ1もできる？」
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    slots = carry_over(
        kind,
        slots,
        extraction.text,
        previous=previous,
        last_plan=last_plan,
        bare=is_bare(extraction) or _CORRECTION.search(extraction.text) is not None,
    )
    return Request(kind=kind, slots=slots)


# --- the rules, in order ---------------------------------------------------------


def _approval(m: _Message) -> RequestKind | None:
    return "approval_request" if _APPROVE.search(m.text) else None


def _help(m: _Message) -> RequestKind | None:
    if m.people or _OUT_OF_SCOPE.search(m.text):
        return None
    return "help" if _HELP.search(m.text) or _HELP_WORD.match(m.text) else None


def _off_topic(m: _Message) -> RequestKind | None:
    found = [x for x in _OUT_OF_SCOPE.finditer(m.text) if not _NOT_THAT.match(m.text[x.end() :])]
    if _SMALLTALK.match(m.text):
        return "out_of_scope"
    if found and _NEVER_THE_FLOOR.search(m.text) and not m.people:
        return "out_of_scope"
    return "out_of_scope" if found and not m.places and not m.people else None


def _what_if(m: _Message) -> RequestKind | None:
    ops = m.slots.operators
    leaving = ops is not None and ops.remove and not (ops.add or ops.move)
    if leaving and _DONOR_WORDS.search(m.text) and m.last_plan is None:
        return "what_if"  # 「遠藤さん早退するって。梅田のエントリ2、大丈夫かな」
    if not _CONDITIONAL.search(m.text):
        return None
    if m.changes_people:
        return "what_if"  # 「高山さんを抜いても回る？」
    if (
        _ADDING.search(m.text)
        and (m.slots.head_count or m.slots.min_level)
        and not _PLAN_STRONG.search(m.text)
    ):
        return "what_if"  # 「Lv4以上を2名入れたら間に合う？」「補正に1人足したらいつ終わる？」
    return None


def _donor(m: _Message) -> RequestKind | None:
    """「その場合、品川は平気？」 right after a plan: that place under that plan."""
    thread = m.last_plan
    if thread is None or not m.places or m.slots.head_count:
        return None
    if m.changes_people and not set(m.people) <= set(thread.slots.people):
        return None  # 「高山さんが抜けた後、盛岡は平気？」 names the plan's own people
    new_place = any(t not in thread.slots.targets for t in m.slots.targets) or bool(m.slots.origins)
    just_planned = m.previous is not None and m.previous.kind in _THREAD_KINDS
    context = _CONTEXT.search(m.text) is not None
    asks = _DONOR_WORDS.search(m.text) is not None or is_bare(m.extraction)
    if new_place and asks and (context or just_planned) and not _PLAN_STRONG.search(m.text):
        return "donor_check"
    return None


def _replan(m: _Message) -> RequestKind | None:
    """New constraints, or other people, for the plan or what-if on the table."""
    thread = m.last_plan
    if thread is None or m.slots.targets:
        return None
    constrained = bool(
        m.slots.head_count
        or m.slots.origins
        or m.slots.spare
        or m.slots.min_level is not None
        or m.slots.min_experience_months is not None
        or m.changes_people
    )
    others = bool(m.people) and _CONDITIONAL.search(m.text) is not None  # 「じゃあ竹下さんなら？」
    places_only = bool(m.slots.spare or m.slots.origins) and not _WHO.search(m.text)
    asks_plan = _PLAN_STRONG.search(m.text) is not None  # 「じゃあ３人で案出して」
    if (constrained and (_REPLAN.search(m.text) or places_only or asks_plan)) or others:
        asks_plan = asks_plan or _IMPERATIVE.search(m.text) is not None
        return "what_if" if thread.kind == "what_if" and not asks_plan else "plan"
    return None


def _named_help(m: _Message) -> RequestKind | None:
    """「札幌のエントリ1に高山さんを入れて」「高山さんは外して」: a plan with those people."""
    asks = _IMPERATIVE.search(m.text) or _ASKS_SOMEONE.search(m.text)
    if m.changes_people and asks and (m.slots.targets or m.last_plan):
        return "plan"
    return None


def _same_question(m: _Message) -> RequestKind | None:
    """「盛岡は？」「KPのほうは？」「ごめん札幌だった」「じゃあ今日は？」: the previous
    question about another place (or day)."""
    prev = m.previous
    if prev is None or prev.kind not in _DATA_KINDS or m.changes_people:
        return None
    if prev.kind in ("plan", "what_if"):  # a place after a plan: its donors (「その場合…」)
        return "donor_check" if _HYPOTHETICAL.search(m.text) and m.places else None
    bare = is_bare(m.extraction) or _DATE_ONLY.match(m.text) is not None or _only_unknown(m)
    if bare or (_CORRECTION.search(m.text) and m.places):
        return prev.kind
    return None


_BARE_REST = re.compile(
    r"^(?:how about|what about|and|じゃあ|では|で、)?[\s、]*"
    r"(?:は|も|の方は|のほうは|だと|なら)?[\s]*[?？。]?$"
)


def _only_unknown(m: _Message) -> bool:
    """「福岡は？」「How about Fukuoka?」: only a name the data does not have."""
    if not m.slots.unknown or m.places:
        return False
    rest = m.text
    for name in m.slots.unknown:
        rest = re.sub(re.escape(name), "", rest, flags=re.IGNORECASE)
    return _BARE_REST.match(rest.strip()) is not None


def _english(m: _Message) -> RequestKind | None:
    if m.slots.language != "en":
        return None
    kind = next((kind for kind, pattern in _EN_RULES if pattern.search(m.text)), None)
    if kind == "delay_risk" and m.queue_named:
        return "finish_time"  # 「Will Sapporo Entry1 make its deadline?」: that queue's finish
    return kind


def _lookup(m: _Message) -> RequestKind | None:
    """A person named, nothing done with them: about that person (also someone the
    data does not know: 「山田太郎さんは今どこ？」)."""
    prev = m.previous
    same_person = prev is not None and prev.kind == "operator_lookup" and not m.people
    sites = any(mention.kind == "location" for mention in m.extraction.mentions)
    if same_person and not sites and _LOOKUP.search(m.text):
        return "operator_lookup"  # 「スキルは？」 about the person just looked up
    if m.intent in ("impact_analysis", "deadline_optimization") and not _LOOKUP.search(m.text):
        return None
    if m.looks_up and not _PLAN_STRONG.search(m.text) and not _CONDITIONAL.search(m.text):
        return "operator_lookup"
    unknown_person = any(said_as_person(name, m.text) for name in m.slots.unknown)
    if unknown_person and not m.places and not m.changes_people and _LOOKUP.search(m.text):
        return "operator_lookup"
    return None


def _knowhow(m: _Message) -> RequestKind | None:
    if _KNOWHOW.search(m.text):
        return "knowhow"
    advice = _ADVICE.search(m.text) and not m.slots.targets
    if advice and m.intent in ("general", "skill_search", "status_inquiry"):
        return "knowhow"
    return None


def _plan(m: _Message) -> RequestKind | None:
    hypothetical = _CONDITIONAL.search(m.text) or _HYPOTHETICAL.search(m.text)
    if m.intent == "impact_analysis" and (hypothetical or _CONTEXT.search(m.text)):
        return None
    if _SEND_WHO.search(m.text) or (_PLAN_STRONG.search(m.text) and not _WHO.search(m.text)):
        return "plan"
    return "plan" if _terse_request(m) else None


def _terse_request(m: _Message) -> bool:
    """A queue with constraints and no question, as managers type when busy:
    「盛岡の検証やばいっす。Lv3以上で2人まで」「札幌E1 盛岡から」「那覇検証 Lv4のひと 1人」
    「品川のSS検証、Lv4以上、3年以上で」「札幌のエントリ1、あと20分なのに終わんない」."""
    s = m.slots
    if not s.targets or _WHO.search(m.text) or _CONDITIONAL.search(m.text):
        return False
    head_max = s.head_count is not None and s.head_count.max is not None
    exact = s.head_count is not None and s.head_count.exact is not None
    levelled = s.min_level is not None or s.min_experience_months is not None
    asks = _QUESTION.search(m.text) is not None
    return bool(
        head_max
        or s.origins
        or s.spare
        or (levelled and exact and not asks)
        or (exact and _CONSTRAINT_END.search(m.text))
        or (levelled and _CONSTRAINT_END.search(m.text))
        or (_LATE_NOW.search(m.text) and not asks)
    )


def _finish(m: _Message) -> RequestKind | None:
    """When a queue finishes, or whether it makes a time (「16時に間に合う？」)."""
    if m.intent == "impact_analysis" or _HYPOTHETICAL.search(m.text) or _CONDITIONAL.search(m.text):
        return None
    if m.intent == "deadline_optimization" and _ASKS_FOR_HELP.search(m.text):
        return None  # 「間に合いそうにない。応援お願いできますか」
    if _FINISH.search(m.text):
        return "finish_time"
    continues_queue = (
        not m.slots.targets
        and m.previous is not None
        and any(t.process is not None for t in m.previous.slots.targets)
    )
    if _WILL_IT_MAKE.search(m.text) and (m.queue_named or m.slots.by_time or continues_queue):
        return "finish_time"
    return None


def _at_a_glance(m: _Message) -> RequestKind | None:
    """「フロア全体ざっくり」「全体の状況は？」: how things stand, floor first."""
    return "status" if _AT_A_GLANCE.search(m.text) and not m.people else None


def _which_late(m: _Message) -> RequestKind | None:
    if m.intent == "deadline_optimization" or _PLAN_STRONG.search(m.text):
        return None
    about_a_change = _CHANGE_WORDS.search(m.text) or _CONDITIONAL.search(m.text)
    if m.intent == "impact_analysis" and (about_a_change or _CONTEXT.search(m.text)):
        return None
    return "delay_risk" if _DELAY_WHICH.search(m.text) and not m.queue_named else None


def _skills(m: _Message) -> RequestKind | None:
    if m.slots.sort is not None and m.intent != "general" and not _CONDITIONAL.search(m.text):
        return "skill_search"  # 「補正いちばん速いのだれ？」
    if m.intent in ("deadline_optimization", "impact_analysis", "status_inquiry"):
        return None
    filtered = m.slots.min_level is not None or m.slots.min_experience_months is not None
    if m.slots.targets and (_SKILL_WORDS.search(m.text) or (_COUNT.search(m.text) and filtered)):
        return "skill_search"
    return None


RULES: tuple[tuple[str, Callable[[_Message], RequestKind | None]], ...] = (
    ("approval", _approval),
    ("help", _help),
    ("off_topic", _off_topic),
    ("donor", _donor),
    ("what_if", _what_if),
    ("replan", _replan),
    ("named_help", _named_help),
    ("same_question", _same_question),
    ("english", _english),
    ("lookup", _lookup),
    ("knowhow", _knowhow),
    ("plan", _plan),
    ("finish", _finish),
    ("which_late", _which_late),
    ("at_a_glance", _at_a_glance),
    ("skills", _skills),
)
"""The rules that decide a kind outright, first match wins; otherwise the classifier's
intent type decides the family (``_within``)."""


_EN_RULES: tuple[tuple[RequestKind, re.Pattern[str]], ...] = (
    ("help", re.compile(r"what can (?:you|i)|what (?:kind of )?questions|how (?:do|can) i")),
    ("out_of_scope", re.compile(r"weather|salary|lunch|stock|price|taxi|\bbook\b|password")),
    ("what_if", re.compile(r"\bwhat if\b|\bif (?:we|i|you)\b.*\b(?:move|remove|add|take|send)")),
    ("knowhow", re.compile(r"\brules?\b|guideline|policy|best practice")),
    ("plan", re.compile(r"\bsuggest\b|reallocat|who (?:to|should (?:i|we)) (?:move|send)")),
    (
        "finish_time",
        re.compile(
            r"\bwhen will\b|\bfinish|\bdone by\b|how much time|margin|what time|minutes late"
        ),
    ),
    (
        "operator_lookup",
        re.compile(r"\bwhere is\b|\bwhere's\b|\bskills?\b.*\b(?:of|does|have)\b|\btell me about\b"),
    ),
    ("skill_search", re.compile(r"\bwho\b|\banyone\b|fastest|available|\bwhich operators?\b")),
    (
        "plan",
        re.compile(
            r"\bsend\b|\bhelp\b|move people|reallocat|\bplan\b|\bfix\b|\bsave\b|suggest|\bcover\b"
        ),
    ),
    ("delay_risk", re.compile(r"\blate\b|\bmiss|\bbehind\b|at risk|deadline|on time|\btotal\b")),
    ("status", re.compile(r"status|progress|how is|how's|how are")),
    ("knowhow", re.compile(r"\brules?\b|guideline|policy|best practice")),
)
"""Kinds of an English request, first match wins (the classifier is trained on Japanese)."""


def _impact_kind(m: _Message) -> RequestKind:
    if m.last_plan is not None and m.slots.targets and _DONOR_WORDS.search(m.text):
        return "donor_check"
    nothing_to_change = (
        m.last_plan is None
        and not m.changes_people
        and not m.slots.head_count
        and not _CHANGE_WORDS.search(m.text)
        and not _CONDITIONAL.search(m.text)
        and not _CONTEXT.search(m.text)
    )
    if nothing_to_change:  # 「札幌の補正どうなってる？」 is how it stands
        return "finish_time" if _FINISH.search(m.text) else "status"
    return "what_if"


def _within(intent: IntentType, m: _Message) -> RequestKind:
    """The kind within the classifier's intent family."""
    if intent == "impact_analysis":
        return _impact_kind(m)
    if intent == "status_inquiry":
        return "finish_time" if _FINISH.search(m.text) else "status"
    if intent == "skill_search":
        return "operator_lookup" if m.looks_up else "skill_search"
    if intent == "general":
        if _OUT_OF_SCOPE.search(m.text):
            return "out_of_scope"
        unknown_place = any(not said_as_person(n, m.text) for n in m.slots.unknown)
        return "status" if unknown_place and _HOW_IS.search(m.text) else "knowhow"
    return NEAREST_KIND[intent]

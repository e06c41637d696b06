"""The slots of a request, read from the normalised message and its entity mentions.

Pure functions over an :class:`~aimee.nlu.gazetteer.Extraction`: which queues the
message is about and in what role (target, origin, spared), head counts, levels,
experience, availability, sort order, dates and times, the people it names and
what it would do with them, and names the data does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.language import in_english, is_english  # noqa: F401 - is_english: the module's API
from aimee.nlu.request import HeadCount, OperatorSlots, QueueRef, Slots
from aimee.nlu.schema import Mention

_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUM = r"(\d{1,3}|[一二三四五六七八九十]|\b(?:one|two|three|four|five|six)\b)"
_PEOPLE = r"\s*(?:名|人|people|persons?|operators?|staff)"
_NOT_A_PROCESS = r"(?<![a-z\d])(?<!エントリ)(?<!エントリ\s)"
"""Before 「2、3人」: not a process's number (「エントリ2、3人」 is E2 and three people);
after another word it is a range (「ヘルプ２、３人」)."""
_HEAD_MAX = re.compile(
    rf"{_NUM}{_PEOPLE}\s*(?:まで|以内|以下|が上限|を上限|が限度|が限界)"
    rf"|{_NOT_A_PROCESS}(?:\d\s*[、,~〜-]|[一二三四五]\s*[、,~〜-]?)\s*{_NUM}{_PEOPLE}"
    rf"|{_NOT_A_PROCESS}(?:\d|[一二三四五])\s*(?:(?:人|名)?\s*(?:か|or)|人|名)\s*{_NUM}{_PEOPLE}"
    rf"|{_NUM}{_PEOPLE}\s*(?:max|at most|maximum)\b"
    rf"|(?:up to|at most|no more than|max(?:imum)?|keep (?:it )?to)\s*{_NUM}"
    rf"|(?:最大|最高|多くて|多くとも|上限|せいぜい)\s*(?:で|でも|は|も)?\s*{_NUM}"
    rf"|{_NUM}{_PEOPLE}\s*(?:に抑え|におさえ|に留め|にとどめ|を超えない|を越えない)"
    # 「盛岡から 3まで」: a cap typed bare
    r"|(?:^|(?<=\s)|から|より)([1-9])\s*(?:まで|以内)(?![0-9時分])"
)
_HEAD_EXACT = re.compile(rf"(?<!level )(?<!lv )(?<!lv)(?<![a-z]){_NUM}{_PEOPLE}(?!\s*とも)")
"""Not after a letter: 「KP E1 人ほしい」 names エントリ1, no count."""
_HEAD_EN = re.compile(
    rf"{_NUM}\s+(?:(?:level|lv)\s*\d\s+|more\s+|extra\s+|additional\s+)(?:people|persons?|operators?|staff)"
)
_HEAD_ONLY = re.compile(
    r"\b(?:only|just)\s+(one|two|three|four|five|\d)\b(?!\s*(?:hour|min|more|of))"
)
"""「Only one, from Sapporo.」: a count with no word for people."""
_HEAD_BARE = re.compile(
    r"(?<![a-zァ-ヶ])(?:\s+|から|より|(?:勢|組|班|チ[ーｰ]ム)で|ベテ(?:ラン)?|熟練者?)\+?([1-9])[?？]?$"
    r"|(?<![a-z\d])\+\s*([1-9])\s*(?:人|名)?\s*(?=で|お願い|ほしい|欲しい|[。!?？]|$)"
)
"""「盛岡→品川検証 1」「那覇補正 広島から2」「盛岡勢で2」: a count typed alone at the end;
「札幌E1 +1で」."""
_LEVEL = re.compile(
    r"(?:lv|レベル|level|スキル|熟練度|ランク)\s*(?:が|は)?\s*\.?\s*([1-5])"
    r"|(?<![a-z\d])l([1-5])(?!\d)|(?<!\d)([1-5])\s*レベル"
    r"|(?<![\d.:])([1-5])\s*以上(?!\s*の?\s*(?:人|名|件|分|時|年|か月|ヶ月|カ月|月|週|日|%|％))"
)
"""「Lv4以上」「レベルが4以上」「熟練度4」「L4」「4レベル以上」, and a bare 「4以上」 (a level:
counts, years and times have their units: 「2人以上」「3年以上」)."""
_EXPERIENCE = re.compile(
    r"(?:経験|歴)\s*(?:が)?\s*(\d{1,3})\s*(年半|年|か月)|(\d{1,3})\s*(年半|年|か月)\s*以上の?経験"
    r"|(\d{1,2})\+?\s*years?|(\d{1,2}|three|six|nine|twelve)\+?\s*months?\b"
)
_A_SKILL = re.compile(r"エントリ|補正|検証|入力|e[12]\b", re.IGNORECASE)
"""「補正 3年以上 那覇」: a time on a process is how long people have done it."""
_YEARS_OR_MORE = re.compile(
    r"(\d{1,2})\s*(年半|年|か月)\s*(以上|↑)(\s*(?:やって|担当して|携わ|続けて|従事))?"
)
"""「3年以上」 in a message that speaks of experience; 「5年↑」 alone; 「検証を2年以上
やってる人」."""
_AVAILABLE = re.compile(
    r"空いて|空き|手が空|手の空|手すき|手すい|手隙|暇な|待機中|フリー?(?:の|な)|動ける|余って|available|free\b|idle"
    r"|(?:応援に|すぐ(?:に)?)出(?:られ|れ)る"
)
_FASTEST = re.compile(
    r"(?:一番|いちばん|最も|もっとも)(?:[一-龥]{1,2}が)?(?:速|早)|最速|速い順|fastest|quickest"
    r"|(?:誰|だれ)が\S{0,8}?(?:速|早)い|(?:速|早)い(?:人|の)(?:は|って)?(?:誰|だれ)"
    r"|速い人から|スピ[ーｰ]?ド(?:が)?(?:一番|いちばん|トップ|no\.?\s*1)|処理(?:速度|件数)(?:が)?(?:一番|いちばん|トップ|最多|no\.?\s*1)"
    r"|(?:一番|いちばん)(?:処理)?件数(?:が|の)?多い"
)
_MOST_EXPERIENCED = re.compile(
    r"(?:一番|いちばん|最も)(?:経験|長く)|経験が(?:一番|いちばん)?長|経験の?長い|ベテラン|経験豊富"
    r"|most experienced|most senior|古株|経験年数順"
    r"|(?:キャリア|勤続(?:年数)?|経験年数)(?:が)?(?:一番|いちばん)?長"
)
_YESTERDAY = re.compile(r"(?<!一)昨日|きのう|yesterday")
_DAY_BEFORE = re.compile(r"一昨日|おととい|おとつい|day before yesterday")
_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{1,2})/(\d{1,2})(?!\d|:)")
_WEEKDAY = re.compile(r"(先々週|先週|今週)の?([月火水木金土日])曜")
_WEEKS_BACK = {"今週": 0, "先週": 1, "先々週": 2}
_TODAY = re.compile(r"今日|本日|(?<![いうんゃゅょ])きょう(?![かくけこしせ])|today")
"""きょう only as a word: not inside じょうきょう (状況), えいきょう (影響), べんきょう."""
_TOMORROW = re.compile(r"明日|あした|tomorrow")
_BY_TIME = re.compile(
    r"(\d{1,2})\s*(?::\s*(\d{2})|時\s*(?:(\d{1,2})\s*分|(半))?)\s*"
    r"(?:の納期|の?締め|の?締切|の?〆|まで|に間に合|には?終わ|までに|なんだけど|前(?:に|には)?|に|で|$"
    r"|(?:は|を)(?:過ぎ|すぎ|超え|こえ)|(?:過ぎ|すぎ|超え|こえ)(?:る|ちゃ|そう)|(?:は|には)?(?:いけ|行け))"
    r"|by\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"
)
# A queue reference's role from the words right after it.
_PEOPLE_OF = r"(?:\s*の)?\s*(?:人|メンバ|方|オペレータ|people|staff|members?)(?:たち|達)?"
"""「札幌の人」「札幌の検証の people」: the people of a place."""
_SPARED_AFTER = re.compile(
    rf"(?:{_PEOPLE_OF}|の中|内)?\s*(?:から)?\s*(?:の\s*(?:移動|異動|応援|人|人員|引き抜き))?\s*(?:は|も)?\s*"
    r"(?:(?:1|一)\s*(?:人|名)\s*も|誰も|だれも|全員|みんな|皆)?\s*"  # 「からは一人も出せない」
    r"(?:残して|残しと|残す|残そ|動かさ|出さ|使わ|取ら|外し|抜か(?!れ)|除い|除外|だめ|ダメ|不可|なしで|やめ|触ら|触るな"
    r"|出すな(?!ら)|動かすな(?!ら)|使うな(?!ら)|取るな(?!ら)|勘弁|避け|無しで|引っ張ら|引っぱら"
    r"|引き抜か|持ってこ|touch\s*(?:しない|せず|禁止)|無理|むり|ng(?![a-z])|(?:出|動かし|使え)ない(?![?？か]))"
    r"|以外|を除|抜きで|に(?:は|も)?(?:手を?(?:付け|つけ|出さ)|触ら|触れ)|alone\b"
)
_ORIGIN_AFTER = re.compile(
    r"(?:の)?\s*(?:チ[ーｰ]?ム|班|メンバ|人(?:たち|達)?|方(?:々|たち)?)?\s*(?:から|より)"
    r"|勢\s*(?:で|から|を)"  # 「盛岡勢で2」: the people of a place
    r"|の(?:中の)?(?:人|メンバ|オペレータ)(?:だけ|のみ)?で|の中(?:だけ|のみ)?で|の中から"
    r"|の(?:人|メンバ)(?:も|を)?使[っえ]"
    r"|の(?:人|メンバ|オペレータ)(?:を|から)\s*(?:\d\s*(?:人|名)\s*)?(?:まわ|回|出|貸|送|動か)"
    # 「品川の人を最大5人」: the people help comes from
    r"|の(?:人|メンバ|オペレータ)(?:たち|達)?を\s*(?=最大|多くて|上限|\d\s*(?:人|名)\s*(?:まで|以内))"
    r"|内で|内から|(?:→|->|⇒)|(?:people|staff)\s*only|(?:can |could )?spare\b"
)
# English roles come before the name: 「don't touch Shinagawa」「from Morioka」.
_SPARED_BEFORE = re.compile(
    r"(?:don't|do not|never|not)\s+(?:touch|use|take (?:from|anyone from)|move (?:anyone )?from)"
    r"\s*$|(?:except|without|not from|but not|excluding|nobody from|no one from)\s*$"
)
_ORIGIN_BEFORE = re.compile(r"\bfrom\s*$")
_JOIN = re.compile(r"^(?:の|で|・|/| |)$")
# What a message would do with a named person, from the words after the name.
_REMOVE = re.compile(
    r"抜|外[しすせされ]|休|いなくな|欠勤|離脱|早退|帰[っるりら宅]|離席|(?:は|を)?(?:やっぱ(?:り)?)?(?:なし|無し)で|の代わり"
    r"|^以外(?!に(?:も|もう|あと|ほか|他))|じゃなく|ではなく|は除|を除|除外|上が[るりっ]|あが[るりっ]|退勤"
    r"|は使わ|いな(?:かった|いと|ければ|い場合|い(?:時|とき)|く)|不在|居な"
    r"|残[しす]|(?:動か|回|出)さ(?:ず|ない)"
    r"|remove|without|takes? off|^\s*off\b|leaves?|goes home|takes? a break|on (?:a )?break"
    r"|is (?:off|out|absent|sick)|calls? in sick"
)
_ADD = re.compile(
    r"入[れり]|追加|加え|足し|増や|使[っうい]|使えな|使えん|^\s?で(?![はもす])|でお願い|^に(?:して|する)"
    r"|^に[^、。?？]{0,6}?(?:やって|手伝って|入って|応援して|ヘルプして)(?:もら|いただ|くれ)"
    r"|呼[んぶべ]|引っ張|ひっぱ|連れて|借り|入った|入る(?:と|なら)|戻[っるれら]|アサイン|assign"
    r"|^に(?:も)?(?:お願い|頼|任せ|入って|入っ|行って)|add|use"
)
_MOVE = re.compile(
    r"回|移|寄せ|動か|異動|行か|行って|応援に|出し|出す|出せ|貸し|送|戻[しすせ]|send|move|^\s*(?:→|->|⇒)"
    r"|\bgo(?:es|ing)? (?:over )?to\b"
    r"|来て(?:もら|いただ|くれ)|来させ"
    r"|^を[^、。?？]{1,12}へ"
)
_HONORIFIC = re.compile(r"([一-龥々ァ-ヶ]{1,6})(?:さん|様|さま|氏|くん(?![だでじ])|君|ちゃん)")
_COMMON_WORDS = frozenset(
    {"皆", "みな", "みんな", "誰", "だれ", "どなた", "お客", "客", "担当", "その人", "この人"}
)
_VERB_STEMS = frozenset("出 回 動 使 渡 貸 返 任 足 外".split())  # noqa: SIM905 - to read
# Places a manager may name that are not sites here (checked against the data's sites).
KNOWN_PLACE_NAMES = frozenset(
    """
    東京 大阪 名古屋 福岡 仙台 広島 京都 神戸 横浜 新潟 金沢 静岡 熊本 鹿児島 千葉 埼玉 岡山 長野
    岐阜 高松 松山 青森 秋田 山形 福島 宇都宮 前橋 甲府 富山 福井 大津 奈良 和歌山 鳥取 松江 山口
    徳島 高知 佐賀 長崎 大分 宮崎 沖縄 函館 旭川 釧路 渋谷 新宿 池袋 天神 博多 難波 心斎橋
    """.split()  # noqa: SIM905 - a list to read, not to diff
)


LATIN_PLACE_NAMES = frozenset(
    """
    tokyo osaka nagoya fukuoka sendai hiroshima kyoto kobe yokohama niigata kanazawa
    shizuoka kumamoto kagoshima chiba saitama okayama nagano okinawa hakata shibuya shinjuku
    """.split()  # noqa: SIM905 - a list to read, not to diff
)
KANA_PLACE_NAMES = frozenset(
    """
    フクオカ オオサカ トウキョウ ナゴヤ センダイ ヒロシマ キョウト コウベ ヨコハマ ニイガタ カナザワ
    シズオカ クマモト カゴシマ オキナワ ハカタ サイタマ オカヤマ ナガノ
    """.split()  # noqa: SIM905 - a list to read, not to diff
)
"""The same places in katakana (hiragana is read as the same word): 「フクオカのE1」."""
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_LATIN_PERSON = re.compile(r"\b([a-z]{3,})(?:-|\s)?san\b")
"""「Tamura-san」: a person's name in Latin letters, said with -san."""
_LATIN_WORD = re.compile(r"[a-z]+")
_PROCESS_WORD = re.compile(r"([一-龥ァ-ヶ]{2,6}|[一-龥]{1,2}[けりしみきち][一-龥]{0,2})(?:の)?工程")
_SKILL_WORD = re.compile(
    r"(?:(?<![一-龥ぁ-ん])|(?<=[でのにはもが]))([一-龥]{2,3}|[一-龥]{1,2}[けりしみきち][一-龥]{0,2})(?:が|を)?(?:できる|出来る)(?:人|方)"
)
"""「審査できる人」「仕分けできる人」: a task asked for, okurigana and all; not a lone
kanji (「今できる人」) nor an adverb (「早くできる人」「誰かできる人」)."""
_KATAKANA_SKILL_WORD = re.compile(
    r"(?<![ァ-ヶー])([ァ-ヶー]{4,10})(?:が|を)?(?:できる|出来る)(?:人|方)"
)
"""「データチェックできる人」: a task in katakana (not help itself: 「サポートできる人」)."""
_NOT_KATAKANA_TASKS = frozenset({"サポート", "チェック", "ベテラン", "フォロ", "リーダ", "メンバ"})


def _generic(word: str) -> bool:
    """「応援対応できる人」「残業できる人」: work in general, not a process's name."""
    return any(part in word for part in ("応援", "対応", "作業", "業務", "担当", "仕事", "残業"))


KNOWN_PROCESS_WORDS = frozenset(
    {"梱包", "検品", "審査", "仕分け", "発送", "出荷", "入荷", "ピッキング", "照合", "督促"}
    | {"封入", "開封", "スキャン", "架電"}
)
"""Work a manager may name that is no process here (「札幌の梱包どう？」)."""
_NOT_PROCESSES = frozenset(
    """
    全 各 他 後 前 次 別 同じ 全部 どの この その あの 移動元 移動先 担当 応援先 遅延 対象 当該
    午後 午前 夕方 今週 先週 拠点 全拠点 各拠点 センタ 遅れ 残り 他拠点 同じ拠点
    作業 業務 現在 今の 残り 最終 次の 仕事 対応 応援 全部 両方 入力 処理 何
    今日 明日 本日 今すぐ 一番 唯一 全員 自分 一人 二人 同時 一緒 確実 十分
    """.split()  # noqa: SIM905 - a list to read, not to diff
)


@dataclass(frozen=True)
class _Ref:
    ref: QueueRef
    start: int
    end: int


def number(token: str) -> int:
    found = _KANJI_NUMBERS.get(token) or _ENGLISH_NUMBERS.get(token)
    return found or (10 if token == "十" else int(token))


def read_slots(
    extraction: Extraction, known_places: Collection[str], today: date | None = None
) -> Slots:
    """Every slot the message states (roles of people are read from its verbs);
    ``today`` dates 「10月20日」 (without it such a day is not read)."""
    text = extraction.text
    numeric = arabic(text)
    targets, origins, spare = _queue_roles(extraction)
    people = operator_roles(extraction)
    return Slots(
        targets=tuple(_within_origin(targets, origins)),
        origins=tuple(origins),
        spare=tuple(spare),
        head_count=_not_restating(head_count(numeric), people, extraction),
        operators=people,
        min_level=min_level(numeric),
        min_experience_months=experience_months(numeric),
        available_only=_AVAILABLE.search(text) is not None,
        sort="fastest"
        if _FASTEST.search(text)
        else ("most_experienced" if _MOST_EXPERIENCED.search(text) else None),
        date=day(text, today),
        by_time=by_time(numeric),
        language="en" if in_english(extraction) else None,
        unknown=tuple(unknown_names(extraction, known_places)),
    )


def at_an_unknown_site(slots: Slots, text: str) -> bool:
    """「福岡でエントリ1できる人いる？」: the process is asked about at a site the data does
    not have (and no known site is named)."""
    places = [n for n in slots.unknown if not said_as_person(n, text)]
    if not places or any(t.location for t in slots.targets):
        return False
    at_place = re.compile("(?:" + "|".join(re.escape(p) for p in places) + r")\s*(?:の|で|に)")
    return at_place.search(text) is not None


def _at_only_site(targets: list[QueueRef], places: list[QueueRef]) -> list[QueueRef]:
    """A target that names a process alone is at the one site ``places`` name (none
    changes when they name several)."""
    sites = {p.location for p in places if p.location}
    if len(sites) != 1:
        return targets
    site = sites.pop()
    return [
        t.model_copy(update={"location": site}) if t.location is None and t.process else t
        for t in targets
    ]


def _within_origin(targets: list[QueueRef], origins: list[QueueRef]) -> list[QueueRef]:
    """「札幌の補正から2人エントリ1に」: a lone process is at the site of the queue help
    comes from. Help from a site alone (「補正のほうに、梅田から2名」) leaves the process
    to the thread's site (``kind_slots.at_origins_site`` when there is none)."""
    return _at_only_site(targets, [o for o in origins if o.process or o.business_id])


def _not_restating(
    count: HeadCount | None, people: OperatorSlots | None, extraction: Extraction
) -> HeadCount | None:
    """「清水さん・吉田さんの2人を」「AさんとBさん二人なら」: a number said right after the
    people named only counts them (「Aさん入れる形で1人だけ足して」 is a count)."""
    if count is None or count.exact is None or people is None:
        return count
    named = len(people.add) + len(people.move) + len(people.about)
    starts = [m.start for m in extraction.mentions if m.kind == "operator"]
    last = max((m.end for m in extraction.mentions if m.kind == "operator"), default=None)
    if last is None or count.exact != named:
        return count
    said = _COUNT_OF_NAMED.match(arabic(extraction.text[last : last + 12]))
    before = arabic(extraction.text[max(0, min(starts) - 8) : min(starts)])
    return None if said is not None or _COUNT_BEFORE_NAMED.search(before) else count


_COUNT_OF_NAMED = re.compile(
    rf"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:の|、|,|・)?\s*(?:計|合計)?\s*{_NUM}{_PEOPLE}"
)
_COUNT_BEFORE_NAMED = re.compile(rf"もう\s*{_NUM}{_PEOPLE}\s*[、,：:]?\s*$")
"""「もう1人、山崎さんも足したら」: the one more is the person named."""


def day(text: str, today: date | None) -> str | None:
    """「昨日」 → yesterday, 「今日」 → today, 「10月20日」 → that day of ``today``'s year,
    「明日」 → the day after ``today``."""
    back = _days_back(text, today)
    if back is not None:
        return back
    found = _DAY.search(text)
    if found is not None and today is not None:
        month, dom = (int(g) for g in (found.group(1, 2) if found.group(1) else found.group(3, 4)))
        try:
            said = date(today.year, month, dom)
        except ValueError:
            return None
        return "today" if said == today else said.isoformat()
    weekday = _WEEKDAY.search(text)
    if weekday is not None and today is not None:
        said = _weekday_of(today, weekday.group(1), weekday.group(2))
        return "today" if said == today else said.isoformat()
    if _TOMORROW.search(text) and today is not None:  # 「明日の那覇」: a day without data
        return (today + timedelta(days=1)).isoformat()
    return "today" if _TODAY.search(text) else None


def _days_back(text: str, today: date | None) -> str | None:
    """「一昨日」「おととい」 → that day (when ``today`` is known), 「昨日」 → yesterday."""
    if _DAY_BEFORE.search(text):
        return (today - timedelta(days=2)).isoformat() if today is not None else None
    return "yesterday" if _YESTERDAY.search(text) else None


def _weekday_of(today: date, week: str, day_name: str) -> date:
    """「先週木曜」: that day of the week before ``today``'s (weeks start on Monday)."""
    monday = today - timedelta(days=today.weekday() + 7 * _WEEKS_BACK[week])
    return monday + timedelta(days="月火水木金土日".index(day_name))


_NOT_A_LIMIT = re.compile(
    r"\s*(?:当たり|あたり|につき|ずつ|ごと|目|体制|態勢|のうち|中|しか(?!出|回|貸|割|動か|送|入れ))"
    r"|\s*(?:も|が|は)?\s*(?:いる|います|いて|いるから|おる|在籍)"
    r"|\s*で\s*(?:は|も)?\s*(?:回して|まわして|回って|まわって|やって|こなして|さばいて|対応して"
    r"|足りて|担当して|見て)(?:る|い|ます|ん)"
)
"""「10人もいるから」「5人体制」「1人当たり何件」「1人で回してるの？」: a count that describes
the people who are there (or a rate), not how many to send (「1人しか出せない」 is)."""
_NOBODY = re.compile(r"(?:1|一)\s*(?:人|名)\s*も")
"""「盛岡からは一人も出せない」「Lv5がひとりもいない」: nobody, no count."""


_LEAVING = re.compile(
    r"(?:が|も|は|ほど|くらい|ぐらい|程度)?"
    r"(?:(?!たら|れば|なら|ても|入れ|増|足|回|送|追加|行か|来)[^、。,?？!]){0,10}?"
    r"(?:抜け(?!て(?:も?ら|くれ|ほし|欲し|いただ))|抜い(?:た|ても)|休ん|休ま|休み"
    r"|休憩(?:に|で)?入[っるら]|休憩(?:を)?取"
    r"|減っ|減ら(?:し(?:た|ても)|す(?:と|なら))|減る|早退|早上が|帰っ|帰[らるれ]|外し(?:た|ても)"
    r"|外れ|いなくな|居なくな|欠け|欠勤|離れ|上が[っるら]"
    r"|leaves?\b|left\b|(?:is|are|goes|go) (?:off|out|home)|calls? in sick|drops? out"
    r"|takes? a break)"
)
"""「1人抜けたら」「2人減ったら」「ひとり早退したら」「2人研修で抜けるけど」「one person
leaves」: the count is of people leaving the queue, not of people to send there
(「2人抜いて那覇に回して」, an order, is a plan's count). The words between the count and
the leaving never end the count's clause (たら, れば…) nor bring people in (入れ, 増…):
in 「2人増やしたら遅延は減る？」 what goes down is the delay."""


def head_count(text: str) -> HeadCount | None:
    """How many helpers the message wants (「3名まで」 at most, 「2人で」 exactly), or how
    many of a queue's people leave it (「1人抜けたら」: ``leaving``); counts of the people
    who are there (「ふたり以上いる？」「ひとりで回してる？」「一人当たり」) and 「一人も」
    are none."""
    found = _HEAD_MAX.search(text)
    if found:
        return HeadCount(max=number(next(g for g in found.groups() if g)))
    for pattern in (_HEAD_EXACT, _HEAD_EN, _HEAD_ONLY, _HEAD_BARE):
        for found in pattern.finditer(text):
            said = text[found.start() : found.end() + 2]
            if _NOT_A_LIMIT.match(text, found.end()) or _NOBODY.match(said.lstrip()):
                continue
            leaving = _LEAVING.match(text, found.end()) is not None
            said_count = next(g for g in found.groups() if g)
            return HeadCount(exact=number(said_count), leaving=leaving or None)
    return None


def min_level(text: str) -> int | None:
    found = _LEVEL.search(text)
    return int(next(g for g in found.groups() if g)) if found else None


_HALF_A_YEAR = re.compile(r"(?:経験|歴)\s*(?:が)?\s*半年|半年以上(?!前|ぶり|経)")


def experience_months(text: str) -> int | None:
    if _HALF_A_YEAR.search(text):  # 「経験半年以上」
        return 6
    found = _EXPERIENCE.search(text)
    if found is None:
        alone = _YEARS_OR_MORE.search(text)
        said = alone is not None and (
            "経験" in text or alone.group(3) == "↑" or alone.group(4) or _A_SKILL.search(text)
        )
        return _months(alone.group(1), alone.group(2)) if alone and said else None
    if found.group(5):
        return int(found.group(5)) * 12
    if found.group(6):  # 「at least six months of experience」
        said = found.group(6)
        return int(said) if said.isdigit() else _EN_MONTHS[said]
    value, unit = (found.group(1), found.group(2)) if found.group(1) else found.group(3, 4)
    return _months(value, unit)


_EN_MONTHS = {"three": 3, "six": 6, "nine": 9, "twelve": 12}


def _months(value: str, unit: str) -> int:
    return int(value) * 12 + 6 if unit == "年半" else int(value) * (12 if unit == "年" else 1)


_BY_TIME_AFTER = re.compile(
    r"(?:締め|〆|締切|納期|deadline)\s*(?:は|が|:)?\s*"
    r"(\d{1,2})\s*(?::\s*(\d{2})|時\s*(?:(\d{1,2})\s*分|(半))?)"
)
"""「締め18:20」「〆17時」: the time after the word for the deadline."""
_MORNING = re.compile(r"午前|朝|\bam\b")
_AFTERNOON_HOURS = range(1, 8)
"""「4時半」 on a floor open in the afternoon: 16:30 (the morning is said: 「朝8時」)."""
_KANJI_DIGITS = "一二三四五六七八九"
_KANJI_NUMBER = re.compile(
    r"([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
    r"(?=時(?!的|停止|保留|中断|間)|人|名|年(?:半|以上))|(?<=時)([一二三四五]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=分)"
    r"|(?<=レベル|ランク)([一二三四五])(?!覧|緒|番|度|部|気|旦|応|切|通|斉|律)|(?<=lv)([一二三四五])"
)


def _kanji_value(word: str) -> int:
    if "十" not in word:
        return _KANJI_DIGITS.index(word) + 1
    tens, _, ones = word.partition("十")
    return (_KANJI_DIGITS.index(tens) + 1 if tens else 1) * 10 + (
        _KANJI_DIGITS.index(ones) + 1 if ones else 0
    )


def arabic(text: str) -> str:
    """Kanji numbers of times, counts and levels in digits: 「十八時」 → 「18時」, 「四人」 →
    「4人」, 「レベル五」 → 「レベル5」 (「一時的」「十分」「レベル一覧」 stay words)."""
    return _KANJI_NUMBER.sub(lambda m: str(_kanji_value(next(g for g in m.groups() if g))), text)


_NOW_BEFORE = re.compile(r"(?:今|いま|現在|時刻は|now|it's)\s*(?:は|で|、)?\s*$")
"""「今15時半だけど」: the time it is, not a time asked about."""


_LEAVES_AT = re.compile(r"\s*(?:で|に)?\s*(?:上が|あが|退勤|帰|早退|抜け|退社|終業|お?休み)")
"""「16時で退勤」「17時に上がる」: when someone leaves, not a time the work must make."""


def by_time(text: str) -> str | None:
    found = next(
        (
            f
            for f in _BY_TIME.finditer(text)
            if not _NOW_BEFORE.search(text[: f.start()]) and not _LEAVES_AT.match(text, f.end())
        ),
        None,
    )
    if found is None:
        after = _BY_TIME_AFTER.search(text)
        if after is None:
            return None
        hour_j, minute_colon, minute_j, half = after.groups()
        hour_e = minute_e = meridiem = None
    else:
        hour_j, minute_colon, minute_j, half, hour_e, minute_e, meridiem = found.groups()
    if hour_j:
        minute = int(minute_colon or minute_j or (30 if half else 0))
        hour = int(hour_j)
    else:
        hour, minute = int(hour_e or 0), int(minute_e or 0)
        if meridiem == "pm" and hour < 12:
            hour += 12
    if hour in _AFTERNOON_HOURS and meridiem is None and not _MORNING.search(text):
        hour += 12
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _refs(mentions: Iterable[Mention], text: str) -> list[_Ref]:
    """Adjacent location / business / process mentions (「札幌の補正」) as one reference each."""
    refs: list[_Ref] = []
    for m in mentions:
        if m.kind == "operator" or m.value is None:
            continue
        field = {"location": "location", "business_id": "business_id", "process": "process"}[m.kind]
        last = refs[-1] if refs else None
        joined = (
            last is not None
            and _JOIN.match(text[last.end : m.start]) is not None
            and getattr(last.ref, field) is None
        )
        if last is not None and joined:
            refs[-1] = _Ref(last.ref.model_copy(update={field: str(m.value)}), last.start, m.end)
        else:
            refs.append(_Ref(QueueRef(**{field: str(m.value)}), m.start, m.end))
    return refs


def _queue_roles(
    extraction: Extraction,
) -> tuple[list[QueueRef], list[QueueRef], list[QueueRef]]:
    text = extraction.text
    buckets: dict[str, list[QueueRef]] = {
        "target": [],
        "origin": [],
        "spare": [],
        "qualifier": [],
        "person_site": [],
        "given_up": [],
    }
    people_at = {m.start for m in extraction.mentions if m.kind == "operator"}
    roled = [
        (_role_of(group, text, people_at), _same_site(group))
        for group in _coordinated(_refs(extraction.mentions, text), text)
    ]
    for role, refs in _completed(roled):
        for ref in refs:
            if ref not in buckets[role]:
                buckets[role].append(ref)
    targets = _at_persons_site(buckets["target"], buckets["person_site"])
    for qualifier in buckets["qualifier"]:  # 「補正ができる人は？」: the skill asked about
        if not any(t.process == qualifier.process for t in targets):
            targets.append(qualifier)
    targets = _not_restated(targets, buckets["origin"] + buckets["spare"])
    return _not_repeated(targets), buckets["origin"], buckets["spare"]


def _not_repeated(targets: list[QueueRef]) -> list[QueueRef]:
    """「那覇のE1に回したらE1どのくらい良くなる？」「補正だけでも」: a process said again
    alone, after a queue of that process at a site, is that queue."""
    placed = {t.process for t in targets if t.location or t.business_id}
    return [t for t in targets if t.location or t.business_id or t.process not in placed]


def _at_persons_site(targets: list[QueueRef], sites: list[QueueRef]) -> list[QueueRef]:
    """「Morioka の山口さん、早めに上がる予定。correction 大丈夫？」: a process alone is
    at the site of the person named (when one site is named that way)."""
    return _at_only_site(targets, sites)


def _not_restated(targets: list[QueueRef], roled: list[QueueRef]) -> list[QueueRef]:
    """「梅田のKPのエントリ1に回したら、梅田は間に合う？」「札幌以外から…札幌は余力がない」:
    a site named again, already a target's site or an origin / spared site, adds nothing."""
    more = [t for t in targets if t.process or t.business_id] + roled
    return [
        t
        for t in targets
        if t.process or t.business_id or not any(o.location == t.location for o in more)
    ]


_QUALIFIER_AFTER = re.compile(r"(?:の)?\s*(?:lv|レベル|スキル|経験)|が?できる(?:人|方)")


def _same_site(group: list[_Ref]) -> list[_Ref]:
    """「那覇のE1とE2」: processes joined under one site are both at that site (and in its
    business, unless they name their own: 「盛岡SSの補正とKPの補正」)."""
    first = group[0].ref
    if first.location is None:
        return group
    return [
        r
        if r.ref.location is not None or r.ref.process is None
        else _Ref(
            r.ref.model_copy(
                update={
                    "location": first.location,
                    "business_id": r.ref.business_id or first.business_id,
                }
            ),
            r.start,
            r.end,
        )
        for r in group
    ]


_OF_PERSON = re.compile(r"\s*の\s*")
_KEPT_AT = re.compile(r"\s*(?:に|で)\s*(?:残[しす]|置いて|置いと|いて(?:もら|ほし))")
_FROM_THERE = re.compile(r"[^。?？]{0,20}?(?:そこ|そっち|そちら)から")
"""A queue named, then 「そこから」 in the same sentence: help comes from it."""
_REFUSED_FROM = re.compile(
    r"(?:から|より)\s*(?:は\s*(?:出さ|動かさ|取ら|(?:出せ|回せ|貸せ|割け)(?:ない|ん))"
    r"|(?:は\s*)?(?:(?:1|一)\s*(?:人|名)|誰|だれ)\s*も\s*(?:出|回|貸|割|動か|取))"
)
"""「盛岡からは出さない」「盛岡からは出せない」「盛岡からは一人も出せないよ」: a site refused
(「盛岡から出せない？」 asks for helpers from there)."""


_GIVEN_UP = re.compile(
    r"(?:は|も)?\s*(?:もう)?\s*(?:仕方(?:ない|な|が(?:ない|無い))|しょうがな|しゃあな|しゃーな|諦め|あきらめ"
    r"|捨て|見捨て)"
)
"""「E1はもう仕方ないとして補正だけでも」: a queue given up is not one to help."""


def _role_of(group: list[_Ref], text: str, people_at: Collection[int] = ()) -> str:
    """Target, origin or spared, from the words after the group (or, in English, before);
    a lone process that qualifies people (「補正Lv5の人を」) is no queue at all, nor is the
    site of a person named (「盛岡の高山さん」)."""
    of_person = _OF_PERSON.match(text, group[-1].end)
    if of_person is not None and of_person.end() in people_at:
        return "person_site"
    if _KEPT_AT.match(text, group[-1].end):  # 「高山さんは盛岡に残して」: where they stay
        return "person_site"
    after = text[group[-1].end : group[-1].end + 16].lstrip()
    lone_process = all(r.ref.location is None and r.ref.business_id is None for r in group)
    if lone_process and _QUALIFIER_AFTER.match(after):
        return "qualifier"
    if _GIVEN_UP.match(after):
        return "given_up"
    return _role_by_words(group, text, after)


def _role_by_words(group: list[_Ref], text: str, after: str) -> str:
    before = text[max(0, group[0].start - 30) : group[0].start]
    if _SPARED_AFTER.match(after) or _REFUSED_FROM.match(after) or _SPARED_BEFORE.search(before):
        return "spare"
    named_again = _FROM_THERE.match(text, group[-1].end)  # 「札幌の補正は10人いるから、そこから」
    if _ORIGIN_AFTER.match(after) or _ORIGIN_BEFORE.search(before) or named_again:
        return "origin"
    return "target"


def _completed(roled: list[tuple[str, list[_Ref]]]) -> list[tuple[str, list[QueueRef]]]:
    """「品川の検証、SSのほうです」「エントリ1経験2年以上、品川に何人いる？」: a lone
    reference that fills in what the one before it lacks (same role, no field in
    common) completes it into one queue reference. Completed at a site the message
    spares (「札幌は夕方に補正の山が来るので、札幌からは出さないで」), it is the reason
    for sparing it, not a queue to help."""
    spared = {r.ref.location for role, g in roled if role == "spare" for r in g if r.ref.location}
    out: list[tuple[str, list[QueueRef]]] = []
    for role, group in roled:
        refs = [r.ref for r in group]
        if out and len(refs) > 1 and _sites_processes(out[-1], role, refs):
            site = out[-1][1][0]  # 「札幌、エントリ1と補正の状況」: both at that site
            out[-1] = (role, [_at_site(r, site) for r in refs])
            continue
        if out and len(refs) == 1 and len(out[-1][1]) == 1 and out[-1][0] == role:
            last = out[-1][1][0]
            if not any(a and b for a, b in zip(_shape(last), _shape(refs[0]), strict=True)):
                merged = {k: v for k, v in refs[0].model_dump().items() if v is not None}
                whole = last.model_copy(update=merged)
                if role == "target" and whole.location in spared:
                    out.pop()
                else:
                    out[-1] = (role, [whole])
                continue
        if out and out[-1][0] == role and _process_alone(refs) and out[-1][1][-1].location:
            site = out[-1][1][-1]  # 「那覇 E1 E2」: the second process at the same site
            out[-1] = (role, [*out[-1][1], *(_at_site(r, site) for r in refs)])
            continue
        out.append((role, refs))
    return out


def _process_alone(refs: list[QueueRef]) -> bool:
    return len(refs) == 1 and refs[0].process is not None and refs[0].location is None


def _sites_processes(last: tuple[str, list[QueueRef]], role: str, refs: list[QueueRef]) -> bool:
    """A site alone (``last``), then processes joined in one group, in the same role."""
    last_role, last_refs = last
    if last_role != role or len(last_refs) != 1:
        return False
    site = last_refs[0]
    lone_site = site.location is not None and site.process is None
    return lone_site and all(r.location is None and r.process is not None for r in refs)


def _at_site(ref: QueueRef, site: QueueRef) -> QueueRef:
    business = ref.business_id or site.business_id
    return ref.model_copy(update={"location": site.location, "business_id": business})


_AND = re.compile(r"^\s*(?:と|や|・|か|も|and|or)\s*$")
"""「E1とE2」「E1もE2も」「高山さんと竹下さん」: one group, one role."""
_LIST_COMMA = re.compile(r"^\s*[、,]\s*$")


def _coordinated(refs: list[_Ref], text: str) -> list[list[_Ref]]:
    """「盛岡と品川は動かさないで」: references joined by と／や (or a comma between
    references of the same shape: 「盛岡、品川は」 but not 「札幌のエントリ1、盛岡から」)
    share the role the words after the last one give (a comma joins sites, not queues)."""
    groups: list[list[_Ref]] = []
    for r in refs:
        last = groups[-1][-1] if groups else None
        between = text[last.end : r.start] if last is not None else ""
        same_shape = (
            last is not None and _shape(last.ref) == _shape(r.ref) and last.ref.process is None
        )  # 「盛岡、品川は」, but 「盛岡SS検証、品川SSの検証の人は出さないで」 is two roles
        if last is not None and (
            _AND.match(between) or (same_shape and _LIST_COMMA.match(between))
        ):
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _shape(ref: QueueRef) -> tuple[bool, bool, bool]:
    return (ref.location is not None, ref.business_id is not None, ref.process is not None)


def operator_roles(extraction: Extraction) -> OperatorSlots | None:
    """The named people and what the message would do with each."""
    text = extraction.text
    roles: dict[str, list[str]] = {"add": [], "remove": [], "move": [], "about": []}
    named = {m.label for m in extraction.mentions if m.kind == "operator" and m.label}
    people = [  # 「翔太さんの方だ。佐藤翔太さん」: the namesake named in full is the one meant
        m
        for m in extraction.mentions
        if m.kind == "operator" and (m.label or (m.candidates and not named & set(m.candidates)))
    ]
    groups: list[list[Mention]] = []
    for m in people:  # 「高山さんと竹下さん、二人とも回したら」: one role for both
        between = _HONORIFIC_START.sub("", text[groups[-1][-1].end : m.start]) if groups else ""
        if groups and (_AND.match(between) or _LIST_COMMA.match(between)):
            groups[-1].append(m)
        else:
            groups.append([m])
    for n, group in enumerate(groups):
        end = groups[n + 1][0].start if n + 1 < len(groups) else len(text)
        after = _HONORIFIC_START.sub("", _without_places(extraction, group[-1].end, end))
        role = _role(after[:16])
        if role == "about":  # English puts the verb first: 「move Takayama to …」
            role = _role_before(text[max(0, group[0].start - 20) : group[0].start])
        for m in group:
            # 「鈴木さんどこ？」: a family name several people share is asked about them all
            # (nobody is moved or kept out on a guess)
            labels = [str(m.label)] if m.label else list(m.candidates) if role == "about" else []
            roles[role].extend(label for label in labels if label not in roles[role])
    if not any(roles.values()):
        return None
    return OperatorSlots(**{k: tuple(v) for k, v in roles.items()})


def _without_places(extraction: Extraction, start: int, end: int) -> str:
    """The text between ``start`` and ``end`` without the places it names: the verb of
    「長谷川さんを札幌の補正から札幌のエントリ1へ回したら」 is read past the queues."""
    kept, at = [], start
    for m in extraction.mentions:
        if m.kind != "operator" and start <= m.start and m.end <= end:
            between = extraction.text[at : m.start]
            joins = at > start and _JOIN.match(between) is not None  # 「盛岡SSの検証」
            kept.append("" if joins else between)
            at = m.end
    kept.append(extraction.text[at:end])
    return "".join(kept)


_EN_ROLE_BEFORE = (
    ("remove", re.compile(r"\b(?:remove|take off|pull|without|lose|loses)\s+$")),
    ("add", re.compile(r"\b(?:add|use|include|bring in|put)\s+$")),
    ("move", re.compile(r"\b(?:move|send|transfer|lend)\s+$")),
)
"""「put her in」 is 「入れる」 (add), as SCHEMA reads it; 「send」「move」 is 「回す」."""


def _role_before(before: str) -> str:
    return next((role for role, pattern in _EN_ROLE_BEFORE if pattern.search(before)), "about")


_ABOUT_AFTER = re.compile(
    r"の(?:スキル|レベル|経験|担当|配置|今|工程|予定|情報|プロフィール|アサイン先|所属|配属|得意)"
)
_HONORIFIC_START = re.compile(r"^(?:さん|様|さま|氏|くん|君|ちゃん|-san)")


_SWAP = re.compile(r"入れ替|入替|交代させ|交換し|\bswap")
"""「上野さんと藤井さんを入れ替えたら」: each sent to the other's queue (moved)."""


def _role(after: str) -> str:
    """What the words after a name would do with the person (「〇〇さんって…？」 asks
    about them)."""
    if after.startswith(("って", "は今", "はいま", "はどこ")) or _ABOUT_AFTER.match(after):
        return "about"
    if _SWAP.search(after):
        return "move"
    for name, pattern in (("remove", _REMOVE), ("add", _ADD), ("move", _MOVE)):
        if pattern.search(after):
            return name
    return "about"


_THOSE_N = re.compile(r"(?:その|この|上の|上位)\s*(\d|[一二三四五])\s*(?:人|名)")
_THAT_PERSON = re.compile(
    r"(?:その|この|あの)(?:人|方)(?!たち|達|々)|彼女|彼(?!ら)|\b(?:he|she|him|her)\b"
    r"|そいつ|あいつ|こいつ"
)


def that_person(text: str, people: tuple[str, ...]) -> OperatorSlots | None:
    """「その人を抜いたら？」「その2人で組んで」: the first of ``people`` (the person just
    talked about, or the first N of a list just given), in the role the words give."""
    those = _THOSE_N.search(text)
    if those is not None and people:
        named = people[: number(those.group(1))]
        return OperatorSlots(**{_role(text[those.end() : those.end() + 16]): named})
    found = _THAT_PERSON.search(text)
    if found is None or not people:
        return None
    role = _role(text[found.end() : found.end() + 16])
    if role == "about":  # 「If we add her to …」
        role = _role_before(text[max(0, found.start() - 20) : found.start()])
    return OperatorSlots(**{role: people[:1]})


def said_as_person(name: str, text: str) -> bool:
    """A name said with an honorific (「木村さん」) is a person's, known or not."""
    honorific = r"(?:さん|様|さま|氏|くん|君|ちゃん|-?\s?san\b)"
    return re.search(re.escape(name) + honorific, text, flags=re.IGNORECASE) is not None


def unknown_names(extraction: Extraction, known_places: Collection[str]) -> list[str]:
    """「福岡は？」「鈴木一郎さん」: names that look like a site or a person but are not data."""
    text = extraction.text
    covered = [(m.start, m.end) for m in extraction.mentions]

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in covered)

    found: list[str] = []
    for match in _HONORIFIC.finditer(text):
        name, start, end = match.group(1), match.start(1), match.end(1)
        if name in _VERB_STEMS:  # 「出さんといて」: 出さない in the west, nobody's name
            continue
        # 「後藤健太さん」 where only 「健太さん」 is somebody's name: the full name is unknown
        whole = any(m.start <= start and end <= m.end for m in extraction.mentions)
        if name not in _COMMON_WORDS and not whole and name not in found:
            found.append(name)
    words = [*_PROCESS_WORD.finditer(text), *_SKILL_WORD.finditer(text)]
    for match in [*words, *_KATAKANA_SKILL_WORD.finditer(text)]:
        # 「札幌の審査工程」「審査できる人いる？」: a process not in the data
        name, start, end = match.group(1), match.start(1), match.end(1)
        known_word = name in _NOT_PROCESSES or _generic(name) or "何" in name  # 「今何の工程」
        known_word = known_word or name in _NOT_KATAKANA_TASKS
        if not known_word and free(start, end) and name not in found:
            found.append(name)
    for latin in _LATIN_WORD.finditer(text):  # 「How about Fukuoka?」
        word = latin.group()
        known = not free(latin.start(), latin.end())
        if word in LATIN_PLACE_NAMES and not known and word.capitalize() not in found:
            found.append(word.capitalize())
    for word in KNOWN_PROCESS_WORDS:  # 「札幌の梱包どう？」
        at = text.find(word)
        if at >= 0 and free(at, at + len(word)) and not any(word in f for f in found):
            found.append(word)
    found += [n for n in _kana_places_latin_people(text, free) if n not in found]
    for word in KNOWN_PLACE_NAMES:
        at = text.find(word)
        if at >= 0 and word not in known_places and free(at, at + len(word)) and word not in found:
            found.append(word)
    return [name for name in found if not _ACKNOWLEDGED.match(text, _end_of(name, text))]


def _kana_places_latin_people(text: str, free: Callable[[int, int], bool]) -> list[str]:
    """「フクオカのE1」「ふくおか」 (a place in kana) and 「Tamura-san」 (a person in Latin
    letters) the data does not have, as the message writes them."""
    found: list[str] = []
    katakana = text.translate(_TO_KATAKANA)
    for word in KANA_PLACE_NAMES:
        at = katakana.find(word)
        if at >= 0 and free(at, at + len(word)):
            found.append(text[at : at + len(word)])
    for latin in _LATIN_PERSON.finditer(text):
        if free(latin.start(1), latin.end(1)):
            found.append(latin.group(1).capitalize())
    return found


_ACKNOWLEDGED = re.compile(r"(?:さん)?(?:は|って|が)?(?:ない|無い|いない)(?:か|の|んだ|よね|って)")


def _end_of(name: str, text: str) -> int:
    at = text.lower().find(name.lower())
    return len(text) if at < 0 else at + len(name)

"""Names in a message that look like a site, a process or a person but are not in the data,
and whether a process is asked about at such a site."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.person_roles import said_as_person
from aimee.nlu.request import Slots

_HONORIFIC = re.compile(r"([一-龥々ァ-ヶ]{1,6})(?:さん|様|さま|氏|くん(?![だでじ])|君|ちゃん)")
_COMMON_WORDS = frozenset(
    {"皆", "みな", "みんな", "誰", "だれ", "どなた", "お客", "客", "担当", "その人", "この人", "同"}
    | {"ベテラン", "新人", "派遣", "パート", "リーダー", "リーダ", "社員", "バイト", "先輩", "後輩"}
)
"""Words before an honorific that name nobody new (「同氏」: the person just named;
「ベテランさん」「新人さん」: people of a kind)."""
_VERB_STEMS = frozenset("出 回 動 使 渡 貸 返 任 足 外 片付 近付 気付 行 聞 書 置".split())  # noqa: SIM905
"""「出さんといて」「何時に片付くん？」: a verb in the west, nobody's name."""
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


_SITE_WORD = re.compile(r"(?<![一-龥])([一-龥]{2,4})\s*(?:拠点|センタ[ーｰ]?|事業所|支店|営業所)")
"""「大宮拠点の進捗」: a site by its name and the word for a site."""
_NOT_SITES = frozenset(
    """
    近隣 複数 全国 国内 地方 他社 自社 各地 主要 一部 両方 本社 本部 新規 既存 地域 周辺 最寄
    所属 配属 勤務 在籍 自分 各自 同一
    """.split()  # noqa: SIM905 - a list to read, not to diff
)


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
    見込み 予定 予想 想定 納期 締切 締め 期限 時間 時間内
    """.split()  # noqa: SIM905 - a list to read, not to diff
)


def at_an_unknown_site(slots: Slots, text: str) -> bool:
    """「福岡でエントリ1できる人いる？」: the process is asked about at a site the data does
    not have (and no known site is named)."""
    places = [n for n in slots.unknown if not said_as_person(n, text)]
    if not places or any(t.location for t in slots.targets):
        return False
    at_place = re.compile("(?:" + "|".join(re.escape(p) for p in places) + r")\s*(?:の|で|に)")
    return at_place.search(text) is not None


def unknown_names(extraction: Extraction, known_places: Collection[str]) -> list[str]:
    """「福岡は？」「鈴木一郎さん」: names that look like a site or a person but are not data."""
    text = extraction.text
    covered = [(m.start, m.end) for m in extraction.mentions]

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in covered)

    found: list[str] = []
    for match in _HONORIFIC.finditer(text):
        name, start, end = match.group(1), match.start(1), match.end(1)
        if name in _VERB_STEMS:
            continue
        # 「後藤健太さん」 where only 「健太さん」 is somebody's name: the full name is unknown
        whole = any(m.start <= start and end <= m.end for m in extraction.mentions)
        if name not in _COMMON_WORDS and not whole and name not in found:
            found.append(name)
    words = [*_PROCESS_WORD.finditer(text), *_SKILL_WORD.finditer(text)]
    for match in [*words, *_KATAKANA_SKILL_WORD.finditer(text), *_SITE_WORD.finditer(text)]:
        # 「札幌の審査工程」「審査できる人いる？」「大宮拠点」: a process or site not in the data
        name, start, end = match.group(1), match.start(1), match.end(1)
        known_word = name in _NOT_PROCESSES or _generic(name) or "何" in name  # 「今何の工程」
        known_word = known_word or name in _NOT_KATAKANA_TASKS or name in _NOT_SITES
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

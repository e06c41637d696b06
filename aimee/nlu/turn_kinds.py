"""Kinds of a few request shapes the ordered rules of ``nlu.request_parser`` would read
as another kind, each a rule of their ``RULES``:

- 「フロア全体の状況、上に報告するのでまとめて」: how the floor stands (a status), though
  it speaks of delays;
- 「検証で手の空いてる人、Lv3以上で」: people searched for, not a plan with a level;
- 「梅田の人だけにすると？」 after a skill search: the same search, at that site;
- 「その時は何人回したの？」 after know-how about a past case: the same case;
- 「福井のE2は？」: a queue at a site the data does not have, asked as a status.
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.followup_terms import dropped_terms
from aimee.nlu.gazetteer import PLACEHOLDERS
from aimee.nlu.request import Request, RequestKind, Slots
from aimee.nlu.said import Said
from aimee.nlu.slots import said_as_person

_OVERVIEW = re.compile(
    r"(?:全体|フロア|全拠点|拠点全体)(?:の)?(?:状況|様子|進捗|概況|状態)"
    r"[^。?？]{0,40}?(?:まとめ|報告|教えて|ちょうだい|ください|下さい|見せて|知りたい)"
)


def overview(m: Said) -> RequestKind | None:
    """「全体の状況を、遅延見込みの件数も入れてまとめて」: the floor's status, with its
    figures (the delays are part of it, not the question)."""
    named = any(t.process for t in m.slots.targets) or m.slots.people
    return "status" if _OVERVIEW.search(m.text) and not named else None


_FREE_PEOPLE = re.compile(
    r"(?:空いて(?:い)?る|空きの?|手(?:の|が)?空いて(?:い)?る|手すきの?|待機中の?)\s*"
    r"(?:人|方|メンバ|オペレ)"
)


def searched_people(m: Said) -> RequestKind | None:
    """「エントリ1で手の空いてる人、Lv3以上で」: the free people of a process (with a
    level), named as a noun: a search, unless help is asked for or a count given."""
    s = m.slots
    if not s.available_only or s.people or s.head_count or s.origins or s.spare:
        return None
    if words.ASKS_FOR_HELP.search(m.text) or words.PLAN_STRONG.search(m.text):
        return None
    return "skill_search" if _FREE_PEOPLE.search(m.text) else None


NARROWS = re.compile(
    r"その中|そのうち|中で|うち|絞|だけ(?:に|で|だと|なら)|限[るっ]|among them"
    r"|の(?:人|方)(?:だと|なら|では)\s*[?？]?$"  # 「梅田の人だと？」
)


def narrowed_search(m: Said) -> RequestKind | None:
    """「盛岡の人だけに絞ると？」 right after a skill search: the same search at that site."""
    prev = m.previous
    if prev is None or prev.kind != "skill_search" or m.slots.people:
        return None
    sites_only = bool(m.slots.targets) and all(
        t.location and not (t.process or t.business_id) for t in m.slots.targets
    )
    elsewhere = COUNT_THERE.search(m.text)  # 「盛岡だと何人？」: the same count at another site
    if sites_only and (NARROWS.search(m.text) or elsewhere):
        return "skill_search"
    # 「ほんで速さやったら？」「経験で見たら？」「全部で何人おるん？」: the same people, ordered
    # another way or counted
    short = len(m.text) <= _SHORT_FOLLOW_UP and (not m.slots.targets or sites_only)
    filtered = m.slots.min_level or m.slots.min_experience_months or m.slots.available_only
    filtered = filtered or bool(dropped_terms(m.text))  # 「経験は問わんなら何人？」
    counted = words.COUNT.search(m.text) is not None and bool(filtered)  # 「半年以上なら何人？」
    reordered = m.slots.sort is not None or _COUNT_ALL.search(m.text) is not None or counted
    return "skill_search" if short and reordered else None


_SHORT_FOLLOW_UP = 16
_COUNT_ALL = re.compile(
    r"(?:全部|全員|合計|全体)で?\s*(?:何人|何名|なんにん)|^\s*(?:何人|何名)(?:おる|いる)"
)


COUNT_THERE = re.compile(r"(?:だと|では|なら|は)\s*(?:何人|何名|なんにん)|\bhow many (?:in|at)\b")


THAT_CASE = re.compile(r"その(?:とき|時|際|ケース|件)|あの(?:とき|時)|前回|その頃")


def past_case(m: Said) -> RequestKind | None:
    """「その時って何人動かしたの？」 right after know-how about a past case: that case."""
    prev = m.previous
    if prev is None or prev.kind != "knowhow" or m.slots.people:
        return None
    return "knowhow" if THAT_CASE.search(m.text) else None


def case_site(kind: RequestKind, slots: Slots, text: str, previous: Request | None) -> Slots:
    """The site of the past case the last know-how question was about, kept."""
    if kind != "knowhow" or previous is None or previous.kind != "knowhow" or slots.targets:
        return slots
    if THAT_CASE.search(text) is None:
        return slots
    return slots.model_copy(update={"targets": previous.slots.targets})


_BARE_END = re.compile(r"^[\s、,]*(?:の|で)?[\s、,]*(?:は|って|の方は|のほうは|どう)?[\s]*[?？]?$")


def unknown_site_queue(m: Said) -> RequestKind | None:
    """「福井のE2は？」: a queue at a site the data does not have, nothing else said: how
    it stands (the answer says the site is unknown)."""
    unknown = [n for n in m.slots.unknown if not said_as_person(n, m.text)]
    mentions = m.extraction.mentions
    if (
        not unknown
        or not mentions
        or any(x.kind not in ("process", "business_id") for x in mentions)
    ):
        return None
    rest = m.extraction.masked()
    for word in (*unknown, PLACEHOLDERS["process"], PLACEHOLDERS["business_id"]):
        rest = rest.replace(word, "")
    return "status" if _BARE_END.match(rest) and m.previous is None else None


_ORDER_END = re.compile(
    r"(?:足し|入れ|回し|出し|加え|追加し|使っ|呼ん|貸し|外し|除い|抜い|組み直し)(?:て|といて|ておいて)"
    r"(?:ください|下さい|ほしい|欲しい|もらえ(?:る|へん|ん|ない|ませんか)?|くれ(?:へん|ん|ない)?)?"
    r"\s*(?:[。!！?？]|$)"
)


_EN_ORDER_FIRST = re.compile(
    r"^(?:and|ok|okay|also|then)?[,\s]*(?:please\s+)?(?:bring in|add|put|use|include|send|move)\b"
    r"[^?]*\bif (?:that|it) (?:works|helps|is ok|is possible)\b\s*[.!]?\s*$"
)
"""「And bring in Hasegawa Yoko if that works.」: an order, the condition only polite."""


def orders_after_condition(text: str) -> bool:
    """「もう一人いるなら足して」: a condition, then an order to act (a plan), not a what-if."""
    if _EN_ORDER_FIRST.search(text):
        return True
    found = list(words.CONDITIONAL.finditer(text))
    return bool(found) and _ORDER_END.search(text, found[-1].end()) is not None


AS_IT_IS = re.compile(
    r"今のまま|いまのまま|このまま|現状(?:の体制|のまま)?(?:だと|では|で)|何もしな(?:い|けれ)"
    r"|誰も(?:動か|回さ|出さ|入れ)(?:さ)?(?:なかったら|ないと|ない場合|ないなら|なければ)"
)
"""「今のままだと」「誰も動かさなかったら」: things as they stand, no change asked about."""

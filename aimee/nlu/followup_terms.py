"""A follow-up that drops or restates one of the last plan's terms: 「レベル条件は外して
いいよ」「経験は問わないから2人にして」「人数は何人でもいい」 "any level is fine" drop one;
「1年でいいや」 after 「経験1年半以上」 restates the experience. A re-plan keeps the last
plan's terms unless the message restates them (``nlu.carry``)."""

from __future__ import annotations

import re

from aimee.nlu.head_counts import head_count
from aimee.nlu.levels import experience_months, min_level, span_months
from aimee.nlu.numerals import arabic
from aimee.nlu.request import Request, RequestKind, Slots

_LET_GO = (
    r"(?:条件|の条件|制限|の制限|縛り|しばり|指定)?\s*(?:は|も)?\s*"
    r"(?:外(?!さな|さず|せな|せん|れな)|はず(?!さな|せな)|なし(?!では|じゃ)|無し(?!では|じゃ)|不問"
    r"|問わ(?!ないと)|問いません|気にしな|気にせ|関係な|いらな|要らな|いりません|撤廃|解除"
    r"|取っ払|とっぱら|緩め|ゆるめ|(?:何|なん|どう)でも(?:いい|良い|ok|構わ)(?!わけ|訳))"
)
_DROPPED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "min_level",
        re.compile(
            rf"(?:レベル|れべる|lv\.?|スキル|熟練度){_LET_GO}"
            r"|\b(?:any|whatever) (?:skill )?level\b(?!\s*\d)|\blevel (?:doesn't|does not) matter"
            r"|\b(?:drop|forget|ignore|remove) the (?:skill )?level"
        ),
    ),
    (
        "min_experience_months",
        re.compile(
            rf"経験(?:年数|月数)?{_LET_GO}|経験(?:は)?何年でも"
            r"|\bexperience (?:doesn't|does not) matter|\b(?:drop|forget|ignore) the experience"
        ),
    ),
    (
        "head_count",
        re.compile(
            rf"人数{_LET_GO}|何人でも(?:いい|ok|大丈夫|構わ)"
            r"|人数(?:は|の方は|のほうは)\s*(?:もう)?\s*(?:いい|ええ|良い)(?:から|や|よ|わ|です|ので|[、,。])"
        ),
    ),
)


_ANY_ORIGIN = re.compile(
    r"どこから(?:で)?も(?:いい|ok|可|構わ|かまわ|[。!！]|$)|どこからでも|(?:拠点|応援元|出し元)(?:は|も)?"
    r"(?:問わ|どこでも|なんでも|何でも)|from anywhere|any site"
)
"""「五名以内ならどこからでも」: the places help comes from let go of."""
_BARE_SPAN = re.compile(r"^\s*(?:じゃあ|では|なら|やっぱ(?:り)?)?\s*(\d+)\s*(年半|年|か月)(?!目)")
"""「1年でいいや」「2年以上で」: a length said alone, after a plan with an experience term."""


def terms_changed(kind: RequestKind, slots: Slots, text: str, last_plan: Request | None) -> Slots:
    """``slots`` of a plan or what-if without the terms the message lets go of, and with
    the experience it restates."""
    if kind not in ("plan", "what_if") or last_plan is None:
        return slots
    numeric = arabic(text)
    stated = {  # 「レベルは何でもいいわけじゃない、4以上で」: a term the message states stays
        "min_level": min_level(numeric),
        "min_experience_months": experience_months(numeric),
        "head_count": head_count(numeric),
    }
    update: dict[str, object] = {
        name: None for name, said in _DROPPED if said.search(text) and stated[name] is None
    }
    any_origin = _ANY_ORIGIN.search(text)
    if any_origin and "から" not in text.replace("どこから", ""):  # 「五名以内ならどこからでも」
        update["origins"] = ()
    span = _BARE_SPAN.search(text)
    had = last_plan.slots.min_experience_months is not None
    if span is not None and had and "min_experience_months" not in update:
        update["min_experience_months"] = span_months(span.group(1), span.group(2))
    return slots.model_copy(update=update) if update else slots


_ASKS_WHO = re.compile(r"何人|何名|誰|だれ|いる[?？]|\b(?:who|how many|is (?:there )?any)\b")


AVAILABILITY_DROPPED = re.compile(
    r"空いて(?:い)?(?:なくて|へんくて)\s*も|空いて(?:い)?(?:へん|ない|ん)\s*でも"
    r"|空き(?:とか|は|の有無は?)?\s*(?:関係な|問わ|気にしな|どうでも)"
)
"""「空いてなくてもいいから」「空きとか関係なく」: a search's availability let go of."""


def dropped_terms(text: str) -> frozenset[str]:
    """The terms (slot names) the message lets go of."""
    return frozenset(name for name, said in _DROPPED if said.search(text))


def drops_a_term(text: str) -> bool:
    """The message lets go of a plan's term (a level, the experience, the count), and asks
    for no people (not 「経験なしの人って何人いる？」)."""
    return any(said.search(text) for _, said in _DROPPED) and not _ASKS_WHO.search(text)

"""The parser's rules for how the floor stands: a queue's finish, figures and staffing, which
queues are late, a site at a glance, and who can do a process."""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.carry import WIDENS_SCOPE
from aimee.nlu.message import _THREAD_KINDS, _Message
from aimee.nlu.request import RequestKind
from aimee.nlu.slots import said_as_person


def _how_it_is(m: _Message) -> RequestKind | None:
    """「梅田KPのE2、数字だけちょうだい」: a queue's figures (a status); 「札幌の補正、問題
    ない？」: whether it makes its deadline (as 「納期大丈夫？」), with nothing changed and no
    plan on the table."""
    # 「16時締めのとこ、大丈夫そ？」 (not 「17時40分締めの工程、全部大丈夫？」: which of them)
    described = words.QUEUE_BY_DEADLINE.search(m.text) and not words.ALL_OF_THEM.search(m.text)
    if not (m.queue_named or described) or m.people or m.slots.head_count:
        return None
    if m.last_plan is not None:
        return None
    changes = (
        _conditional(m) or words.HYPOTHETICAL.search(m.text) or words.CHANGE_WORDS.search(m.text)
    )
    if changes or words.WHICH_PLACE_LATE.search(m.text):  # 「E2はどこの拠点が危ない？」: which
        return None
    if words.FIGURES.search(m.text):
        return "status"
    all_right = words.ALL_RIGHT.search(m.text) or _ALL_RIGHT_SHORT.search(m.text)
    return "finish_time" if all_right else None


_ALL_RIGHT_SHORT = re.compile(r"(?:大丈夫|平気|問題なさ)そ[?？]?$")
"""「１６時締めのとこ、大丈夫そ？」: 大丈夫そう, typed short."""


def _staffed(m: _Message) -> RequestKind | None:
    """「那覇E2 人足りてる？」「盛岡の検証はひとりで大丈夫？」: whether a queue is staffed
    is how it stands (「人足りん」, a complaint, asks for help; 「1人で大丈夫？」 about a plan
    on the table re-plans it)."""
    if not m.slots.targets or m.slots.origins:  # 「盛岡のSSから1名で足りる？」: a plan
        return None
    staffed_by = m.last_plan is None and words.STAFFED_BY.search(m.text) is not None
    if staffed_by and words.FINISH.search(m.text):  # 「今4人で回してるけど17時までに片付く？」
        return None
    if staffed_by and words.WILL_IT_MAKE.search(m.text):  # 「3人で回してるけど間に合う？」
        return "finish_time"
    return "status" if words.STAFFED.search(m.text) or staffed_by else None


def _finish(m: _Message) -> RequestKind | None:
    """When a queue finishes, or whether it makes a time (「16時に間に合う？」)."""
    if (
        m.intent == "impact_analysis"
        or words.HYPOTHETICAL.search(m.text)
        or words.CONDITIONAL.search(m.text)
    ):
        return None
    if m.intent == "deadline_optimization" and words.ASKS_FOR_HELP.search(m.text):
        return None  # 「間に合いそうにない。応援お願いできますか」
    if words.DELAY_WHICH.search(m.text) and not m.queue_named:
        return None  # 「18時までに片付かない工程ある？」 asks which
    floor_wide = WIDENS_SCOPE.search(m.text) is not None and not (m.queue_named or m.places)
    past_day = m.slots.date not in (None, "today") and not words.WHAT_TIME.search(m.text)
    if words.FINISH.search(m.text) and not floor_wide:  # not 「全体で遅れはどのくらい？」
        return "status" if past_day else "finish_time"  # 「昨日の盛岡、遅れどのくらい出てた？」
    continues_queue = (
        not m.slots.targets
        and m.previous is not None
        and any(t.process is not None for t in m.previous.slots.targets)
    )
    by_a_time = m.slots.by_time is not None and WIDENS_SCOPE.search(m.text) is None  # not 「全部」
    unknown_work = _unknown_place(m) and m.places  # 「札幌のスキャン工程は間に合う？」
    which = words.WHICH_PLACE_LATE.search(m.text)  # 「検証はどの拠点が遅れそう？」 asks which
    if (
        words.WILL_IT_MAKE.search(m.text)
        and not which
        and (m.queue_named or by_a_time or continues_queue or unknown_work)
    ):
        return "finish_time"
    return None


def _site_late(m: _Message) -> bool:
    """Whether a site (or a place the data does not have) is late, asked as a question."""
    sites = bool(m.slots.targets) and all(not t.process for t in m.slots.targets)
    places = sites or _unknown_place(m)
    asked = words.WILL_IT_MAKE.search(m.text) is not None and m.slots.by_time is None
    after_plan = m.previous is not None and m.previous.kind in _THREAD_KINDS
    about_a_plan = after_plan or words.CONTEXT.search(m.text) or words.CONDITIONAL.search(m.text)
    return places and asked and not about_a_plan  # 「それで盛岡は間に合う？」: a donor check


def _at_a_glance(m: _Message) -> RequestKind | None:
    """「フロア全体ざっくり」「全体の状況は？」: how things stand, floor first; so is
    「仕分け工程どう？」 about a place or process the data does not have."""
    unknown_place = _unknown_place(m) and not m.places and not m.people
    asked = words.HOW_IS.search(m.text) or _CAN_SEE.search(m.text)  # 「くまもとは　みれる？」
    if unknown_place and asked and not words.WHO.search(m.text):
        return "status"
    return "status" if words.AT_A_GLANCE.search(m.text) and not m.people else None


_CAN_SEE = re.compile(r"(?:見|み)(?:れ|られ|え)る|確認でき|(?:わか|分か)る[?？か]")


def _unknown_place(m: _Message) -> bool:
    return any(not said_as_person(n, m.text) for n in m.slots.unknown)


def _all_of_them(m: _Message) -> bool:
    """「17時40分締めの工程、全部大丈夫？」: several queues at once, asked which are not."""
    all_right = words.ALL_RIGHT.search(m.text) or words.WILL_IT_MAKE.search(m.text)
    return bool(words.ALL_OF_THEM.search(m.text) and all_right and not m.people)


_LATE_ONES = re.compile(
    r"(?:間に合わ(?:ない|ん|へん)|遅れて(?:る|いる)|遅れそうな)(?:とこ|ところ|工程)(?:ろ)?"
    r"\s*(?:は|って|どこ|一覧|全部)?\s*[?？]?$"
)
"""「札幌 間に合わんとこ」: the late queues of a place, typed as a noun."""
_WHICH_OF_THEM = re.compile(
    r"(?:どっち|どちら)(?:が|の方が|のほうが)\s*(?:やば|ヤバ|危な|まず|遅れ|きつ)"
)
"""「エントリ1とエントリ2どっちが危ない？」: which of the queues named is at risk (dev_v9)."""
_WITHIN_SITE = re.compile(r"拠点内|拠点の中|同じ拠点|サイト内")
_HELP_THERE = re.compile(r"(?:とこ|ところ|工程|キュ)(?:に|へ)\s*(?:応援|ヘルプ|人)")
"""「一番遅れてるとこに応援お願い」: help sent to the queue described."""


def _which_late(m: _Message) -> RequestKind | None:
    # 「…に5人入れて」「一番やばいとこに2人まで入れるなら？」「そこに応援お願い」
    sends = words.IMPERATIVE.search(m.text) or words.ADDING.search(m.text)
    people_asked = (m.slots.head_count and sends) or _HELP_THERE.search(m.text)
    time_asked = words.WHAT_TIME.search(m.text)  # 「札幌、全部何時に片付く？」
    if words.PLAN_STRONG.search(m.text) or m.changes_people or people_asked or time_asked:
        return None
    # 「締めに対するリスクを拠点別に」「盛岡の検証、間に合わなくなりそう？」: at risk
    at_risk = words.AT_RISK.search(m.text) and not (m.slots.head_count or _conditional(m))
    at_risk = at_risk or (_LATE_ONES.search(m.text) is not None and not m.queue_named)
    if _site_late(m) or words.WHICH_PLACE_LATE.search(m.text) or _all_of_them(m) or at_risk:
        return "delay_risk"  # 「札幌って遅れてる？」「E2はどこの拠点が危ない？」: which are
    # 「締め切りやばそうなところってあるかな」; 「札幌のエントリ1、拠点内で一番遅れてるのは？」
    asks_which = words.DELAY_WHICH.search(m.text) and words.ANY_THERE.search(m.text)
    worst_there = bool(words.WORST.search(m.text) and _WITHIN_SITE.search(m.text))
    worst_there = worst_there or (len(m.slots.targets) > 1 and bool(_WHICH_OF_THEM.search(m.text)))
    if (asks_which and not m.queue_named) or (worst_there and words.QUESTION.search(m.text)):
        return "delay_risk"
    if m.intent == "deadline_optimization" and not words.WORST.search(m.text):
        return None
    about_a_change = words.CHANGE_WORDS.search(m.text) or words.CONDITIONAL.search(m.text)
    if m.intent == "impact_analysis" and (about_a_change or words.CONTEXT.search(m.text)):
        return None
    return "delay_risk" if words.DELAY_WHICH.search(m.text) and not m.queue_named else None


def _stands(m: _Message) -> RequestKind | None:
    """「那覇のE1、ちゃーなってる？」「梅田どげんなっとる」: how a place stands."""
    if not m.slots.targets or m.people or not words.STANDS.search(m.text):
        return None
    changes = words.CONDITIONAL.search(m.text) or words.HYPOTHETICAL.search(m.text)
    return None if changes or words.PLAN_STRONG.search(m.text) else "status"


def _can_do(m: _Message) -> bool:
    """「札幌でエントリ1打てる人何人？」: who can do a process at a place, asked."""
    asks = words.WHO.search(m.text) or words.QUESTION.search(m.text)
    can_do = words.CAN_DO.search(m.text) is not None and asks is not None
    return can_do and bool(m.slots.targets) and not m.people and not _conditional(m)


def _conditional(m: _Message) -> bool:
    return words.CONDITIONAL.search(m.text) is not None


def _filter_only(m: _Message) -> bool:
    """A level or experience and nothing else (no count, place to take from or spare,
    person, condition or request: 「…の人だけで応援お願い」 is a plan): people searched."""
    s = m.slots
    filtered = s.min_level is not None or s.min_experience_months is not None
    asks = words.IMPERATIVE.search(m.text) or words.ASKS_FOR_HELP.search(m.text)
    more = s.head_count or s.origins or s.spare or m.people or _conditional(m) or asks
    return filtered and not more


_PEOPLE_SENT = re.compile(
    r"(?:を|、|,)\s*(?:\d|[一二三四五])\s*(?:人|名)\s*(?:ほど|くらい|ぐらい)?\s*"
    r"(?:で|回して|入れて|送って|出して|ほしい|欲しい|頼む|頼みます"
    r"|お願い(?:します|したい|したいです|できますか|できる[?？]?)?)?\s*[。!！]?$"
)
"""「札幌E1、ベテランを2人」「那覇の検証に速い人を1人入れて」: people of a kind sent to a queue
(a plan), not a ranking asked for."""


def _skills(m: _Message) -> RequestKind | None:
    if (words.WHO_IS_ON.search(m.text) and not m.people) or _can_do(m) or _filter_only(m):
        return "skill_search"  # 「どなたが担当」「札幌でエントリ1打てる人何人？」「補正 3年↑ 盛岡」
    if m.slots.available_only and words.WHO.search(m.text) and not m.people:
        return "skill_search"  # 「空いてる人いる？」
    sent = m.queue_named and _PEOPLE_SENT.search(m.text) is not None  # 「札幌E1、ベテランを2人」
    if m.slots.sort is not None and m.intent != "general" and not words.CONDITIONAL.search(m.text):
        return None if sent else "skill_search"  # 「補正いちばん速いのだれ？」
    filtered = m.slots.min_level is not None or m.slots.min_experience_months is not None
    if m.intent in ("deadline_optimization", "impact_analysis", "status_inquiry"):
        return None
    if (m.slots.targets or _unknown_place(m)) and (
        words.SKILL_WORDS.search(m.text) or (words.COUNT.search(m.text) and filtered)
    ):
        return "skill_search"
    return None

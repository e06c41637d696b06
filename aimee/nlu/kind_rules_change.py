"""The parser's rules for a change to the floor: a plan asked for, a what-if weighed, a
donor checked after a plan, new constraints for the plan on the table, people named to help."""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.carry import WIDENS_SCOPE
from aimee.nlu.followup import is_bare, is_whole_site
from aimee.nlu.followup_terms import drops_a_term
from aimee.nlu.message import _THREAD_KINDS, _Message
from aimee.nlu.queue_help import recounts_plan
from aimee.nlu.request import RequestKind
from aimee.nlu.slots import said_as_person
from aimee.nlu.turn_kinds import orders_after_condition


def help_of_no_one(m: _Message) -> RequestKind | None:
    """「応援入れたらなんとかなる？」「人入れたら間に合う？」: help weighed with no one, no count
    and no level said: what it takes, a plan (there is no change to weigh); so is
    「E2、3人まで入れるなら？」, a cap that asks nothing of the result."""
    s = m.slots
    said = m.changes_people or s.head_count or s.min_level or s.min_experience_months
    when = words.FINISH.search(m.text) or words.WHAT_TIME.search(m.text)  # 「…いつ終わる？」
    if _HELP_OF_NO_ONE.search(m.text) and not (said or when):
        return "plan"
    capped = s.head_count is not None and s.head_count.max is not None
    terms = capped and not m.changes_people and _NO_OUTCOME_ASKED.search(m.text) is not None
    if terms and _CAP_OF_MOVES.search(m.text):  # 「2人まで動かせるなら？」
        return "plan"
    return "plan" if terms and words.ADDING.search(m.text) else None


_CAP_OF_MOVES = re.compile(r"(?:動かせる|出せる|回せる|使える)(?:なら|とすると|としたら)")


_HELP_OF_NO_ONE = re.compile(
    r"(?:^|[、,\s]|とこ)(?:応援|人|ヘルプ|人手|増員)(?:を|が)?\s*(?:入れ|足し|回し|増や|入っ)(?:たら|れば)"
)


def _what_if(m: _Message) -> RequestKind | None:
    """A change weighed; not 「実際に1人出すなら誰になる？」, which moves to make (a plan)."""
    which_moves = words.WHICH_MOVES.search(m.text) is not None and not m.changes_people
    return None if which_moves else _change_weighed(m)


def _change_weighed(m: _Message) -> RequestKind | None:
    ops = m.slots.operators
    kept_there = _KEPT_THERE.search(m.text) is not None  # 「長谷川さんは外さんといて」
    leaving = ops is not None and ops.remove and not (ops.add or ops.move) and not kept_there
    asks_effect = words.DONOR_WORDS.search(m.text) or words.CONSEQUENCE.search(m.text)
    told_absent = _ABSENT.search(m.text) and not words.PLAN_STRONG.search(m.text)
    # not 「高山さんを使わずに札幌E1を間に合わせたい」: help asked for, without her
    wanted = words.PLAN_STRONG.search(m.text) and words.IMPERATIVE.search(m.text)
    if leaving and (asks_effect or told_absent) and m.last_plan is None and not wanted:
        return "what_if"  # 「遠藤さん早退するって。梅田のエントリ2、大丈夫かな」「竹下さん休みで」
    sent = m.changes_people and words.ARROW.search(m.text) and not words.IMPERATIVE.search(m.text)
    more = (
        m.slots.head_count and words.WITH_N.search(m.text) and not words.PLAN_STRONG.search(m.text)
    ) or (
        m.slots.head_count
        and words.TRIED_COUNT.search(m.text)
        and not words.PLAN_ASK.search(m.text)  # not 「…か、無理なら応援案出して」
    )
    weighed = m.changes_people and words.WEIGHS_A_CHANGE.search(m.text)
    count = m.slots.head_count
    leave = count is not None and count.leaving and not words.PLAN_STRONG.search(m.text)
    leave = leave and not recounts_plan(m)  # 「1人減らしたら？」 after a plan: fewer helpers
    # 「竹内舞→那覇E1」「二名いれば間に合う？」「高橋さんを…動かすのはあり？」「ひとり早退したら？」
    if sent or more or weighed or leave:
        return "what_if"
    if not words.CONDITIONAL.search(m.text):
        return None
    anyone_but = _ANYONE_BUT.search(m.text)  # 「長谷川さん以外なら誰でも」: a plan's terms
    someone = m.slots.head_count is not None and _SOMEONE.search(m.text) is not None
    if m.changes_people and not (
        orders_after_condition(m.text) or anyone_but or _its_people(m) or someone
    ):
        return "what_if"  # 「高山さんを抜いても回る？」, not 「…じゃなくて、盛岡から誰か1人なら？」
    capped = m.slots.head_count is not None and m.slots.head_count.max is not None
    cap_said = re.search(r"上限|最大|\bmax|\bcap\b", m.text) is not None
    recapped = capped and cap_said and m.last_plan is not None  # 「上限3人に増やしたら？」
    if (
        words.ADDING.search(m.text)
        and (m.slots.head_count or m.slots.min_level)
        and not (words.PLAN_STRONG.search(m.text) or recapped or recounts_plan(m))
        and not (m.last_plan is not None and _PERMITS.search(m.text))  # 「3名まで増やしていい」
        and not words.WHICH_MOVES.search(m.text)  # 「1人だけ応援入れるなら誰？」
    ):
        return "what_if"  # 「Lv4以上を2名入れたら間に合う？」「補正に1人足したらいつ終わる？」
    return None


_NO_OUTCOME_ASKED = re.compile(
    r"(?:入れる|足す|回す|増やす|動かせる|出せる|回せる|使える)(?:なら|とすると|としたら)\s*[?？]?$"
)
"""「3人まで入れるなら？」 names a cap and asks nothing of the result: help on those terms,
a plan (「3人まで入れたら間に合う？」 asks whether it makes it: a what-if)."""


def _its_people(m: _Message) -> bool:
    """「じゃあ鈴木さん抜きで、岡本さんと長谷川さんの2人なら？」 after a plan with those three:
    the plan's own people, some left out: the plan again, not a what-if."""
    plan, ops = m.last_plan, m.slots.operators
    if plan is None or plan.kind != "plan" or not plan.slots.people or ops is None:
        return False
    left_out = bool(ops.remove) and not (ops.add or ops.move)
    return left_out and set(m.people) <= set(plan.slots.people) and not m.slots.targets


_PERMITS = re.compile(
    r"(?:増やし|足し|入れ|出し|回し|使っ)て(?:も)?(?:いい|ok|おk|構わ|かまわ|大丈夫|よい|良い)"
)
"""「2名じゃ足りないなら3名まで増やしていい」: a term relaxed for the plan, no what-if."""
_SOMEONE = re.compile(r"(?:誰|だれ|どなた)か\s*(?:\d|[一二三四五]|ひと|ふた)")
"""「誰か1人」: people the plan is to choose, not the ones named."""


_ABSENT = re.compile(
    r"(?:さん|くん|ちゃん|様)\s*(?:が|は)?\s*(?:お?休み|早退|欠勤|不在)(?:で|だ|です|なので|だから)?\s*[。!！]?$"
)
"""「那覇E1、竹下さん休みで」: someone absent is told, nothing asked: what it does to the queue."""
_KEPT_THERE = re.compile(
    r"(?:外|動か|出|抜か|回)さ(?:ないで|んといて|んとって|ずに|んでおいて)|(?:に|で)残して|置いといて"
)
"""「長谷川さんは外さんといて」「竹下さんは動かさないで」: someone kept where they are (out of a
plan), not someone leaving their queue."""
_UNDER_IT = re.compile(r"^(?:じゃあ|で、?)?\s*(?:それで|その案で|この案で|その場合|それなら)")
_ANYONE_BUT = re.compile(r"以外(?:なら|だったら|であれば|でしたら)\s*(?:誰|だれ|どなた)でも")


def sent_elsewhere(m: _Message) -> RequestKind | None:
    """「盛岡SSの検証に回すなら？」「梅田KPのE1なら？」 right after a what-if that sends or puts
    people in: the same people to that queue instead (no donor check of it)."""
    thread, previous = m.last_plan, m.previous
    ops = thread.slots.operators if thread is not None else None
    if ops is None or thread is None or thread.kind != "what_if" or not (ops.move or ops.add):
        return None
    right_after = previous is not None and previous.kind == "what_if"
    queues = bool(m.slots.targets) and all(t.process for t in m.slots.targets)
    if not right_after or not queues or m.people or words.DONOR_WORDS.search(m.text):
        return None
    return "what_if" if _THERE_INSTEAD.search(m.text) else None


_THERE_INSTEAD = re.compile(
    r"(?:なら|だったら|やったら|だと)\s*(?:どう|どうなる)?\s*[?？]?\s*$"
    r"|(?:に|へ)\s*(?:回|移|入れ|送|行か|まわ)[^。?？]{0,6}?(?:なら|たら|ば)"
)


def _donor(m: _Message) -> RequestKind | None:
    """「その場合、品川は平気？」 right after a plan: that place under that plan."""
    just_asked = m.previous if m.previous is not None and m.previous.kind in _THREAD_KINDS else None
    thread = m.last_plan or just_asked
    just_planned = m.previous is not None and m.previous.kind in _THREAD_KINDS
    if thread is not None and just_planned and _under_the_plan(m):
        return "donor_check"
    counted = m.slots.head_count and not _SO_MANY_TAKEN.search(m.text)  # not 「2人も抜いて」
    if thread is None or not m.places or counted:
        return None
    if m.changes_people and not set(m.people) <= set(thread.slots.people):
        return None  # 「高山さんが抜けた後、盛岡は平気？」 names the plan's own people
    if m.changes_people and thread.kind == "what_if":
        return None  # 「石川さんが抜けた後の札幌の検証は？」: the same change, elsewhere
    new_place = any(t not in thread.slots.targets for t in m.slots.targets) or bool(m.slots.origins)
    context = words.CONTEXT.search(m.text) is not None
    bare = is_bare(m.extraction) or is_whole_site(m.extraction)  # 「盛岡は？」「盛岡全体は？」
    bare_place = bare and bool(m.slots.targets)  # not 「盛岡だけ」: an origin
    asks = words.DONOR_WORDS.search(m.text) is not None or bare_place
    # 「那覇の検証はどうなる？」 after a change: what follows for that place
    asks = asks or bool(words.CONSEQUENCE.search(m.text) and not words.CONDITIONAL.search(m.text))
    after_donor = m.previous is not None and m.previous.kind == "donor_check"
    # 「品川のKPだけで見ると？」 after a donor check: that part of the place, under the plan
    asks = asks or bool(after_donor and _NARROWED_VIEW.search(m.text))
    asks_plan = words.PLAN_STRONG.search(m.text) or words.ASKS_TO_DO.search(m.text)
    only_from = words.ONLY_FROM.search(m.text)  # 「品川だけで足りる？」: the helpers' sites
    checked = context or just_planned or after_donor or _asked_of_its_people(m)
    if new_place and asks and checked and not (asks_plan or only_from):
        return "donor_check"
    return None


def _asked_of_its_people(m: _Message) -> bool:
    """The turn before looked up someone the plan on the table moves: still its thread
    (「山本さんのレベル一覧は？」 then 「盛岡SSのE2は大丈夫？」)."""
    prev, plan = m.previous, m.last_plan
    if prev is None or plan is None or prev.kind != "operator_lookup":
        return False
    about = prev.slots.operators.about if prev.slots.operators is not None else ()
    return bool(set(about) & set(plan.slots.people))


def _under_the_plan(m: _Message) -> bool:
    """Right after a plan, 「出す側は平気？」 (its donors) or 「それで札幌の補正は間に合うように
    なる？」 (a place, its own target too, under it)."""
    if words.DONOR_SIDE.search(m.text) and not m.places:
        return True
    under_it = _UNDER_IT.search(m.text) and words.DONOR_WORDS.search(m.text) and m.places
    return bool(under_it) and not m.changes_people


_SO_MANY_TAKEN = re.compile(
    r"(?:\d|[一二三四五])\s*(?:人|名)\s*も\s*(?:抜|取|出|持って|引っ張|回)[^。?？]{0,12}?"
    r"(?:大丈夫|平気|もつ|困|回る|いける|きつ|無理|問題)"
)
"""「梅田から2人も抜いて梅田大丈夫？」: the plan's people, counted to ask about the place."""
_NARROWED_VIEW = re.compile(
    r"(?:だけ|のみ)(?:で)?\s*(?:見る|見た|みる|みた)(?:と|ら)|に絞(?:る|った)と"
)


def _replan(m: _Message) -> RequestKind | None:
    """New constraints, or other people, for the plan or what-if on the table; 「さっきの
    条件で那覇のE2なら？」 is that plan (or what-if) for another queue."""
    thread = m.last_plan
    same_terms = words.SAME_TERMS.search(m.text) and not words.FINISH.search(m.text)
    if thread is not None and m.slots.targets and same_terms:
        plan_asked = words.PLAN_ASK.search(m.text) or words.PLAN_STRONG.search(m.text)
        if plan_asked:  # 「じゃあその条件で案出して」 after a what-if
            return "plan"
        return thread.kind if thread.kind in ("plan", "what_if") else None
    if thread is None or m.slots.targets:
        return None
    if drops_a_term(m.text):  # 「レベル条件は外していいよ」
        return thread.kind if thread.kind in ("plan", "what_if") else None
    constrained = bool(
        m.slots.head_count
        or m.slots.origins
        or m.slots.spare
        or m.slots.min_level is not None
        or m.slots.min_experience_months is not None
        or m.changes_people
        or _time_set(m)
    )
    others = (
        bool(m.people) and words.CONDITIONAL.search(m.text) is not None
    )  # 「じゃあ竹下さんなら？」
    places_only = bool(m.slots.spare or m.slots.origins) and not words.WHO.search(m.text)
    fragment = len(m.text.strip()) <= _FRAGMENT_MAX and not words.WHO.search(m.text)
    asks_plan = bool(words.PLAN_STRONG.search(m.text) or words.PLAN_ASK.search(m.text))
    restated = words.REPLAN.search(m.text) or places_only or asks_plan or fragment  # 「Lv3以上」
    if (constrained and restated) or others:
        # 「それでいこう、梅田と札幌から」 after a what-if: its change, planned
        asks_plan = asks_plan or bool(
            words.IMPERATIVE.search(m.text) or words.APPROVE.search(m.text)
        )
        return "what_if" if thread.kind == "what_if" and not asks_plan else "plan"
    return None


def _time_set(m: _Message) -> bool:
    """「やっぱ17時15分までに」「17時45分でいいです」: the time the plan must make, moved
    (not 「17時までに終わる？」, a question about it)."""
    if m.slots.by_time is None or words.QUESTION.search(m.text):
        return False
    return not (words.FINISH.search(m.text) or words.WILL_IT_MAKE.search(m.text))


_FRAGMENT_MAX = 14
"""A constraint typed alone after a plan (「Lv3以上」「2人まで」) is short."""


def _named_help(m: _Message) -> RequestKind | None:
    """「札幌のエントリ1に高山さんを入れて」「高山さんは外して」: a plan with those people."""
    asks = words.IMPERATIVE.search(m.text) or words.ASKS_SOMEONE.search(m.text)
    if m.changes_people and asks and (m.slots.targets or m.last_plan):
        return "plan"
    if m.queue_named and m.changes_people and _with_them(m):
        return "plan"  # 「盛岡KP E2 菅原で」: that queue's plan, with that person
    unknown_person = any(said_as_person(n, m.text) for n in m.slots.unknown)
    put_in = words.ADDING.search(m.text) is not None and words.CONDITIONAL.search(m.text) is None
    asked_in = _ASKED_IN.search(m.text) is not None  # 「木村さんに入ってもらえる？」
    if unknown_person and ((put_in and asks) or asked_in) and m.queue_named:
        return "plan"  # 「札幌のE1に田村さん入れて」: planned, and the answer says who is unknown
    return None


_ASKED_IN = re.compile(
    r"(?:さん|くん|ちゃん)に(?:入って|来て|手伝って|応援に入って)(?:もらえ|いただけ|くれ)"
)


_WITH_THEM = re.compile(r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*で\s*[。!！]?$")


def _with_them(m: _Message) -> bool:
    """The message ends with a person and 「で」 (not 「竹下さん休みで」)."""
    end = max((x.end for x in m.extraction.mentions if x.kind == "operator"), default=None)
    return end is not None and _WITH_THEM.match(m.text, end) is not None


def _plan(m: _Message) -> RequestKind | None:
    # 「遅れているようなのですが、何時ごろに終わる見込みでしょうか」; 「検証、経験が長い順に
    # 5人出して」: a list of people, not helpers
    if _finish_asked(m) or _listed_in_order(m):
        return None
    which_moves = words.WHICH_MOVES.search(m.text) is not None
    what_to_do = m.queue_named and words.WHAT_TO_DO.search(m.text) is not None
    if (which_moves or what_to_do) and not m.changes_people:
        return "plan"  # 「どこからどこへ動かすのが一番？」「那覇E1どうしよう」
    asked = words.LEADING_THEN.sub("", m.text)  # 「なら」 first is "then", not "if"
    ask = words.PLAN_ASK.search(asked)
    last_words = ask is not None and not asked[ask.end() :].strip(" 。.!！")
    if ask and (last_words or not words.CONDITIONAL.search(asked)):
        return "plan"  # 「じゃあそれで案出して」「足りなければ他も含めて案出して」
    hypothetical = words.CONDITIONAL.search(m.text) or words.HYPOTHETICAL.search(m.text)
    weighed = hypothetical or words.CONTEXT.search(m.text)
    # 「…としたら何人いる？」: the helpers it takes
    needed = words.HOW_MANY_NEEDED.search(m.text) and not m.changes_people
    if m.intent == "impact_analysis" and weighed and not (orders_after_condition(m.text) or needed):
        return None  # not 「品川から2人までやったら貸してもらえへん？」: an order after a condition
    if (
        words.SEND_WHO.search(m.text)
        or words.HOW_MANY_NEEDED.search(m.text)
        or (words.PLAN_STRONG.search(m.text) and not words.WHO.search(m.text))
    ):
        return "plan"
    return "plan" if _terse_request(m) else None


_LATE_SAID = re.compile(r"遅延|遅れ|やば|ヤバ|間に合わ|ヘルプ|応援")
"""「【至急】品川 補正 遅延」: urgent and late (not 「至急、札幌の状況教えて」)."""
_SENT_THERE = re.compile(r"入れ|回し|回す|回して|送|足し|追加")
_IN_ORDER = re.compile(r"順(?:に|で|番に|番で)|の順")


def _listed_in_order(m: _Message) -> bool:
    """People asked for in an order (「経験が長い順に5人」) with no queue to send them to."""
    at_a_site = any(t.location for t in m.slots.targets)
    ordered = m.slots.sort is not None and _IN_ORDER.search(m.text) is not None
    sent = _SENT_THERE.search(m.text) is not None  # 「E1に経験が長い順に2人入れて」
    return ordered and not (at_a_site or sent) and m.last_plan is None


def _finish_asked(m: _Message) -> bool:
    """When a queue finishes is asked, and no help: the finish rule answers it."""
    if not words.FINISH.search(m.text) or m.changes_people or m.slots.head_count:
        return False
    asks_plan = words.PLAN_STRONG.search(m.text) or words.PLAN_ASK.search(m.text)
    return not (
        asks_plan or words.HOW_MANY_NEEDED.search(m.text)
    )  # 「…までに終わらせるには何人？」


def _terse_request(m: _Message) -> bool:
    """A queue with constraints and no question, as managers type when busy:
    「盛岡の検証やばいっす。Lv3以上で2人まで」「札幌E1 盛岡から」「那覇検証 Lv4のひと 1人」
    「品川のSS検証、Lv4以上、3年以上で」「札幌のエントリ1、あと20分なのに終わんない」."""
    s = m.slots
    floor_wide = WIDENS_SCOPE.search(m.text) is not None and s.head_count is not None
    if not (s.targets or floor_wide):  # 「全体 3人まで」
        return False
    if words.WHO.search(m.text) or words.CONDITIONAL.search(m.text) or s.sort is not None:
        return False  # 「梅田の人で検証いちばん速いのは？」 asks who
    head_max = s.head_count is not None and s.head_count.max is not None
    exact = s.head_count is not None and s.head_count.exact is not None
    levelled = s.min_level is not None or s.min_experience_months is not None
    asks = words.QUESTION.search(m.text) is not None
    at_a_site = any(t.location for t in s.targets)  # not 「検証のスキルが高い順に5人」
    return bool(
        head_max
        or s.origins
        or s.spare
        or (levelled and exact and not asks)
        or (exact and words.CONSTRAINT_END.search(m.text))
        or (exact and words.COUNT_END.search(m.text) and not asks and at_a_site)
        or (levelled and words.CONSTRAINT_END.search(m.text))
        or (words.LATE_NOW.search(m.text) and not asks and not words.HOW_IS.search(m.text))
        or (words.URGENT.search(m.text) and not asks and at_a_site and _LATE_SAID.search(m.text))
    )

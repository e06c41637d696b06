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
from typing import Literal

from aimee.nlu import request_words as words
from aimee.nlu.asked_again import asks_again, bare_place, same_part
from aimee.nlu.asked_kinds import action_plan, as_it_stands, asks_the_data, fragment
from aimee.nlu.carry import WIDENS_SCOPE, carry_over, person_referred
from aimee.nlu.floor_asked import figures, late_ones, names_only, which_sites
from aimee.nlu.followup import is_bare
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.horizon import asks_rest_of_day
from aimee.nlu.in_their_place import another_in_their_place, their_queue_kept
from aimee.nlu.instead import (
    corrected_midway,
    instead_of_person,
    person_in_plan,
    withdrawn_places,
)
from aimee.nlu.intent_types import IntentType
from aimee.nlu.kind_slots import at_origins_site, at_targets_site, for_kind
from aimee.nlu.knowhow_asked import topic_places, written_up
from aimee.nlu.like_them import people_like_them, without_them
from aimee.nlu.people_coming import other_side, people_coming, same_people_there
from aimee.nlu.person_asked import asked_of_them, people_of_thread
from aimee.nlu.plan_origins import plan_origins
from aimee.nlu.queue_help import count_changed, help_for_queue, queue_helped
from aimee.nlu.request import (
    NEAREST_KIND,
    OperatorSlots,
    Request,
    RequestKind,
    Slots,
)
from aimee.nlu.second_thoughts import second_thoughts
from aimee.nlu.sent_after_lookup import sent_after_lookup
from aimee.nlu.shared_part import parts_shared
from aimee.nlu.slots import read_slots, said_as_person
from aimee.nlu.time_asked import done_by, late_by
from aimee.nlu.turn_kinds import (
    case_site,
    narrowed_search,
    orders_after_condition,
    overview,
    past_case,
    searched_people,
    unknown_site_queue,
)
from aimee.nlu.turn_slots import at_said_site
from aimee.nlu.unknown_person import asked_of_unknown, unknown_people

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

    @property
    def about_the_floor(self) -> bool:
        """It names a site, process, person or anything the operation is made of: know-how
        is about the floor, 「明日の朝礼って何時からだっけ」 is not."""
        named = self.places or self.people or self.slots.unknown
        return bool(named) or words.FLOOR_TOPIC.search(self.text) is not None


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
    slots = at_said_site(read_slots(_main_part(extraction), known_places, today))
    slots = parts_shared(slots, _main_part(extraction))
    slots = unknown_people(slots, _main_part(extraction))
    slots = _put_in(slots, extraction.text)
    slots = person_referred(slots, extraction.text, previous)
    slots = people_of_thread(slots, extraction, previous)
    slots = _only_from(slots, extraction, previous)
    said = [m.label for m in extraction.mentions if m.kind == "operator" and m.label]
    named = tuple(dict.fromkeys((*(previous.named if previous else ()), *said, *slots.people)))
    slots = withdrawn_places(second_thoughts(slots, extraction), extraction)
    slots = corrected_midway(slots, extraction)
    slots = plan_origins(slots, extraction.text, previous)
    msg = _Message(extraction.text, intent, slots, extraction, last_plan, previous)
    kind = next((k for _, rule in RULES if (k := rule(msg)) is not None), None)
    kind = kind or _off_the_floor(msg) or _within(intent, msg)
    horizon: Literal["day"] | None = None
    of_today = slots.date in (None, "today")
    if kind in _DAY_PLAN_FROM and of_today and asks_rest_of_day(extraction.text):
        kind, horizon = "plan", "day"
    if kind == "approval_request":
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    if kind == "out_of_scope":  # 「明日の札幌の天気どう？」: nothing of the floor is asked
        slots = Slots(language=slots.language)
    if kind == "knowhow":  # 「Lv1の人を応援に出すのはアリ？」: a rule's topic, not a filter
        slots = Slots(targets=topic_places(slots), language=slots.language)
    if kind not in _DATA_KINDS:
        slots = slots.model_copy(update={"date": None})  # 「今日寒くない？」
    if kind == "operator_lookup" and msg.looks_up:  # 「村上さんってエントリ1もできる？」
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    if kind not in ("plan", "what_if"):  # 「盛岡の検証はひとりで大丈夫？」: no helpers asked for
        slots = slots.model_copy(update={"head_count": None})
    slots = queue_helped(kind, slots, extraction.text, previous if last_plan is None else None)
    slots = for_kind(kind, slots, extraction.text, last_plan)
    slots = carry_over(
        kind,
        slots,
        extraction.text,
        previous=previous,
        last_plan=last_plan,
        bare=is_bare(extraction) or words.CORRECTION.search(extraction.text) is not None,
    )
    slots = their_queue_kept(kind, slots, extraction.text, last_plan)
    slots = person_in_plan(kind, slots, extraction.text, last_plan)
    slots = same_people_there(kind, slots, extraction.text, last_plan)
    slots = count_changed(kind, slots, extraction.text, last_plan, previous)
    slots = without_them(kind, slots, previous)
    slots = case_site(kind, slots, extraction.text, previous)
    corrects = words.CORRECTION.search(extraction.text) is not None and len(extraction.text) <= 12
    bare = bare_place(extraction, is_bare(extraction)) or corrects  # 「違う 札幌」
    slots = same_part(kind, slots, previous, bare)
    slots = at_targets_site(at_origins_site(slots))
    return Request(kind=kind, slots=slots, horizon=horizon, named=named)


_DAY_PLAN_FROM: frozenset[RequestKind] = frozenset({"plan", "status", "delay_risk", "finish_time"})
"""Kinds a request for the rest of the day may be read as before its span is seen (「今日の
残りどう回す？」 reads as a status): not a what-if, a look-up or a search, which say what they
are about, nor know-how or an aside (「夕方までの配置で気をつけることは？」)."""


def _put_in(slots: Slots, text: str) -> Slots:
    """「那覇の検証、竹下さん使える？」: a person asked about for a queue named is put in
    (「後藤さん、今日使える？」 alone asks about the person, and 「竹下さんって検証使える？」,
    a process without a site, about their skill)."""
    ops = slots.operators
    if ops is None or not ops.about or ops.add or ops.remove or ops.move:
        return slots
    queue = any(t.process and (t.location or t.business_id) for t in slots.targets)
    if not queue or words.CAN_USE.search(text) is None:
        return slots
    return slots.model_copy(update={"operators": OperatorSlots(add=ops.about)})


def _main_part(extraction: Extraction) -> Extraction:
    """「那覇E2の応援案出して。あとついでに高山さんって今どこ？」「盛岡KPのE2何時に終わる？
    ついでに補正の様子も」: a question added on the side (after a first sentence that names
    a queue or site) adds nothing to the request's slots; the first sentence is the request."""
    aside = words.ASIDE.search(extraction.text)
    if aside is None:
        return extraction
    cut = aside.start() + 1
    first = [m for m in extraction.mentions if m.end <= cut]
    if not any(m.kind != "operator" for m in first):
        return extraction
    return Extraction(extraction.text[:cut], first)


def _only_from(slots: Slots, extraction: Extraction, previous: Request | None) -> Slots:
    """「盛岡だけで」 right after a plan: its helpers only from there; so is 「じゃ盛岡」
    after a plan whose origin the data did not have (「那覇補正 広島から2」)."""
    if previous is None or previous.kind != "plan" or not slots.targets or slots.origins:
        return slots
    sites_only = all(t.location and not (t.process or t.business_id) for t in slots.targets)
    text = extraction.text
    unknown_place = any(not said_as_person(n, text) for n in previous.slots.unknown)
    replaces = unknown_place and bool(previous.slots.targets) and is_bare(extraction)
    if not sites_only or (words.ONLY_FROM.search(text) is None and not replaces):
        return slots
    return slots.model_copy(update={"origins": slots.targets, "targets": ()})


# --- the rules, in order ---------------------------------------------------------


def _approval(m: _Message) -> RequestKind | None:
    approves = words.APPROVE.search(m.text) and not words.OTHER_APPROVALS.search(m.text)
    return "approval_request" if approves else None


def _help(m: _Message) -> RequestKind | None:
    if m.people or m.queue_named or words.OUT_OF_SCOPE.search(m.text):
        return None  # 「What can I do about Naha entry 1?」 asks about that queue
    after_lookup = m.previous is not None and m.previous.kind == "operator_lookup"
    if after_lookup and words.ABOUT_A_PERSON.search(m.text):
        return None  # 「何ができる人？」 about the person just looked up
    return "help" if words.HELP.search(m.text) or words.HELP_WORD.match(m.text) else None


def _off_topic(m: _Message) -> RequestKind | None:
    found = [
        x
        for x in words.OUT_OF_SCOPE.finditer(m.text)
        if not words.NOT_THAT.match(m.text[x.end() :])
    ]
    private = words.PRIVATE.search(m.text) is not None and not m.changes_people
    if words.SMALLTALK.match(m.text) or private:
        return "out_of_scope"  # thanks; 「竹下さんの電話番号教えて」
    if found and words.NEVER_THE_FLOOR.search(m.text) and not m.changes_people:
        return "out_of_scope"  # 「梅田のPCが固まった」「高山さんに残業お願いできる？」
    return "out_of_scope" if found and not m.places and not m.people else None


def _what_if(m: _Message) -> RequestKind | None:
    ops = m.slots.operators
    leaving = ops is not None and ops.remove and not (ops.add or ops.move)
    asks_effect = words.DONOR_WORDS.search(m.text) or words.CONSEQUENCE.search(m.text)
    if leaving and asks_effect and m.last_plan is None:
        return "what_if"  # 「遠藤さん早退するって。梅田のエントリ2、大丈夫かな」
    sent = m.changes_people and words.ARROW.search(m.text) and not words.IMPERATIVE.search(m.text)
    more = (
        m.slots.head_count and words.WITH_N.search(m.text) and not words.PLAN_STRONG.search(m.text)
    )
    weighed = m.changes_people and words.WEIGHS_A_CHANGE.search(m.text)
    count = m.slots.head_count
    leave = count is not None and count.leaving and not words.PLAN_STRONG.search(m.text)
    # 「竹内舞→那覇E1」「二名いれば間に合う？」「高橋さんを…動かすのはあり？」「ひとり早退したら？」
    if sent or more or weighed or leave:
        return "what_if"
    if not words.CONDITIONAL.search(m.text):
        return None
    if m.changes_people and not orders_after_condition(m.text):
        return "what_if"  # 「高山さんを抜いても回る？」
    if (
        words.ADDING.search(m.text)
        and (m.slots.head_count or m.slots.min_level)
        and not words.PLAN_STRONG.search(m.text)
    ):
        return "what_if"  # 「Lv4以上を2名入れたら間に合う？」「補正に1人足したらいつ終わる？」
    return None


def _donor(m: _Message) -> RequestKind | None:
    """「その場合、品川は平気？」 right after a plan: that place under that plan."""
    thread = m.last_plan
    just_planned = m.previous is not None and m.previous.kind in _THREAD_KINDS
    if thread is not None and just_planned and words.DONOR_SIDE.search(m.text) and not m.places:
        return "donor_check"  # 「出す側は平気？」
    if thread is None or not m.places or m.slots.head_count:
        return None
    if m.changes_people and not set(m.people) <= set(thread.slots.people):
        return None  # 「高山さんが抜けた後、盛岡は平気？」 names the plan's own people
    if m.changes_people and thread.kind == "what_if":
        return None  # 「石川さんが抜けた後の札幌の検証は？」: the same change, elsewhere
    new_place = any(t not in thread.slots.targets for t in m.slots.targets) or bool(m.slots.origins)
    context = words.CONTEXT.search(m.text) is not None
    bare_place = is_bare(m.extraction) and bool(m.slots.targets)  # not 「盛岡だけ」: an origin
    asks = words.DONOR_WORDS.search(m.text) is not None or bare_place
    # 「那覇の検証はどうなる？」 after a change: what follows for that place
    asks = asks or bool(words.CONSEQUENCE.search(m.text) and not words.CONDITIONAL.search(m.text))
    asks_plan = words.PLAN_STRONG.search(m.text) or words.ASKS_TO_DO.search(m.text)
    only_from = words.ONLY_FROM.search(m.text)  # 「品川だけで足りる？」: the helpers' sites
    if new_place and asks and (context or just_planned) and not (asks_plan or only_from):
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
    others = (
        bool(m.people) and words.CONDITIONAL.search(m.text) is not None
    )  # 「じゃあ竹下さんなら？」
    places_only = bool(m.slots.spare or m.slots.origins) and not words.WHO.search(m.text)
    fragment = len(m.text.strip()) <= _FRAGMENT_MAX and not words.WHO.search(m.text)
    asks_plan = words.PLAN_STRONG.search(m.text) is not None  # 「じゃあ３人で案出して」
    restated = words.REPLAN.search(m.text) or places_only or asks_plan or fragment  # 「Lv3以上」
    if (constrained and restated) or others:
        asks_plan = asks_plan or words.IMPERATIVE.search(m.text) is not None
        return "what_if" if thread.kind == "what_if" and not asks_plan else "plan"
    return None


_FRAGMENT_MAX = 14
"""A constraint typed alone after a plan (「Lv3以上」「2人まで」) is short."""


def _named_help(m: _Message) -> RequestKind | None:
    """「札幌のエントリ1に高山さんを入れて」「高山さんは外して」: a plan with those people."""
    asks = words.IMPERATIVE.search(m.text) or words.ASKS_SOMEONE.search(m.text)
    if m.changes_people and asks and (m.slots.targets or m.last_plan):
        return "plan"
    if m.queue_named and m.changes_people and _WITH_THEM.search(m.text):
        return "plan"  # 「盛岡KP E2 菅原で」: that queue's plan, with that person
    unknown_person = any(said_as_person(n, m.text) for n in m.slots.unknown)
    put_in = words.ADDING.search(m.text) is not None and words.CONDITIONAL.search(m.text) is None
    if unknown_person and put_in and asks and m.queue_named:
        return "plan"  # 「札幌のE1に田村さん入れて」: planned, and the answer says who is unknown
    return None


_WITH_THEM = re.compile(r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*で\s*[。!！]?$")


def _same_question(m: _Message) -> RequestKind | None:
    """「盛岡は？」「KPのほうは？」「ごめん札幌だった」「じゃあ今日は？」: the previous
    question about another place (or day)."""
    prev = m.previous
    if prev is None or prev.kind not in _DATA_KINDS or m.changes_people:
        return None
    if prev.kind in ("plan", "what_if"):  # a place after a plan: its donors (「その場合…」)
        return "donor_check" if words.HYPOTHETICAL.search(m.text) and m.places else None
    bare = is_bare(m.extraction) or words.DATE_ONLY.match(m.text) is not None or _only_unknown(m)
    if bare or (words.CORRECTION.search(m.text) and m.places):
        return prev.kind
    return None


def _only_unknown(m: _Message) -> bool:
    """「福岡は？」「How about Fukuoka?」: only a name the data does not have."""
    if not m.slots.unknown or m.places:
        return False
    rest = m.text
    for name in m.slots.unknown:
        rest = re.sub(re.escape(name) + _HONORIFIC, "", rest, flags=re.IGNORECASE)
    return words.BARE_REST.match(rest.strip()) is not None


_HONORIFIC = r"(?:さん|様|さま|氏|くん|君|ちゃん|-san)?"


def _topic_person(name: str, text: str) -> bool:
    """「木村さんって…」: the message is about the person named first, with って."""
    said = re.match(r"\s*" + re.escape(name) + _HONORIFIC + r"\s*って", text, flags=re.IGNORECASE)
    return said is not None


def _english(m: _Message) -> RequestKind | None:
    if m.slots.language != "en":
        return None
    kind = next((kind for kind, pattern in words.EN_RULES if pattern.search(m.text)), None)
    if kind == "help" and m.queue_named:  # 「What can I do about Naha entry 1?」
        kind = "plan" if words.WHAT_TO_DO.search(m.text) else None
    if kind == "delay_risk" and m.queue_named:
        return "finish_time"  # 「Will Sapporo Entry1 make its deadline?」: that queue's finish
    if kind == "skill_search" and m.looks_up:
        return "operator_lookup"  # 「Who is Shimizu Yuko?」
    return kind


def _lookup(m: _Message) -> RequestKind | None:
    """A person named, nothing done with them: about that person (also someone the
    data does not know: 「山田太郎さんは今どこ？」)."""
    prev = m.previous
    same_person = prev is not None and prev.kind == "operator_lookup" and not m.people
    sites = any(mention.kind == "location" for mention in m.extraction.mentions)
    if same_person and not sites and words.LOOKUP.search(m.text):
        return "operator_lookup"  # 「スキルは？」 about the person just looked up
    if m.looks_up and not m.queue_named and words.ABOUT_WHERE.search(m.text):
        return "operator_lookup"  # 「高山さんって盛岡だっけ？」
    if m.intent in ("impact_analysis", "deadline_optimization") and not words.LOOKUP.search(m.text):
        return None
    if m.looks_up and not words.PLAN_STRONG.search(m.text) and not words.CONDITIONAL.search(m.text):
        return "operator_lookup"
    unknown_person = any(said_as_person(name, m.text) for name in m.slots.unknown)
    asks = words.LOOKUP.search(m.text) or _only_unknown(m)  # 「木下さんは？」
    # 「木村さんって検証のレベルいくつ？」: the person is the topic, the process their skill
    topic = any(_topic_person(name, m.text) for name in m.slots.unknown)
    if unknown_person and (topic or not m.places) and not m.changes_people and asks:
        return "operator_lookup"
    return None


def _their_queue(m: _Message) -> RequestKind | None:
    """「そこの工程って順調？」 right after a look-up: how the person's queue stands."""
    prev = m.previous
    if prev is None or prev.kind != "operator_lookup" or m.places or m.people:
        return None
    asks_how = words.HOW_IS.search(m.text) or words.STANDS.search(m.text)
    return "status" if words.THERE.search(m.text) and asks_how else None


def _knowhow(m: _Message) -> RequestKind | None:
    recalls_a_figure = any(t.location and t.process for t in m.slots.targets)
    filtered = m.slots.sort or m.slots.min_level or m.queue_named
    # 「E1最速って誰だっけ」: a person recalled from the data, not a rule
    recalls_people = filtered and words.ASKS_WHO.search(m.text) is not None
    if m.changes_people and m.queue_named:  # 「高橋さんを那覇のE2に動かすのはあり？」
        return None
    if asks_the_data(m):  # 「…方針ですので、案を作っていただけますか」「余裕も教えて」
        return None
    recalls = words.RECALLS.search(m.text) and not (recalls_a_figure or recalls_people)
    if words.KNOWHOW.search(m.text) or recalls:
        return "knowhow" if m.about_the_floor else "out_of_scope"
    if words.REMEDY.search(m.text) and not (m.queue_named or m.people):
        return "knowhow"  # 「昼休みの時間帯って処理落ちるの、何か対策ある？」
    advice = words.ADVICE.search(m.text) and not m.slots.targets
    if advice and m.intent in ("general", "skill_search", "status_inquiry"):
        return "knowhow"
    return None


def _how_it_is(m: _Message) -> RequestKind | None:
    """「梅田KPのE2、数字だけちょうだい」: a queue's figures (a status); 「札幌の補正、問題
    ない？」: whether it makes its deadline (as 「納期大丈夫？」), with nothing changed and no
    plan on the table; 「盛岡のKP大丈夫？」 (a site or business) is how it stands."""
    if not m.slots.targets or m.people or m.slots.head_count or m.last_plan is not None:
        return None
    changes = (
        _conditional(m) or words.HYPOTHETICAL.search(m.text) or words.CHANGE_WORDS.search(m.text)
    )
    if changes or words.WHICH_PLACE_LATE.search(m.text):  # 「E2はどこの拠点が危ない？」: which
        return None
    if not m.queue_named:
        return "status" if words.ALL_RIGHT.search(m.text) and m.previous is None else None
    if words.FIGURES.search(m.text):
        return "status"
    return "finish_time" if words.ALL_RIGHT.search(m.text) else None


def _staffed(m: _Message) -> RequestKind | None:
    """「那覇E2 人足りてる？」「盛岡の検証はひとりで大丈夫？」: whether a queue is staffed
    is how it stands (「人足りん」, a complaint, asks for help; 「1人で大丈夫？」 about a plan
    on the table re-plans it)."""
    if not m.slots.targets or m.slots.origins:  # 「盛岡のSSから1名で足りる？」: a plan
        return None
    staffed_by = m.last_plan is None and words.STAFFED_BY.search(m.text) is not None
    return "status" if words.STAFFED.search(m.text) or staffed_by else None


def _plan(m: _Message) -> RequestKind | None:
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
    if m.intent == "impact_analysis" and (hypothetical or words.CONTEXT.search(m.text)):
        return None
    if (
        words.SEND_WHO.search(m.text)
        or words.HOW_MANY_NEEDED.search(m.text)
        or (words.PLAN_STRONG.search(m.text) and not words.WHO.search(m.text))
    ):
        return "plan"
    return "plan" if _terse_request(m) else None


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
        or (words.LATE_NOW.search(m.text) and not asks)
    )


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
    floor_wide = WIDENS_SCOPE.search(m.text) is not None and not m.queue_named
    if words.FINISH.search(m.text) and not floor_wide:  # not 「全体で遅れはどのくらい？」
        return "finish_time"
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
    if unknown_place and words.HOW_IS.search(m.text) and not words.WHO.search(m.text):
        return "status"
    return "status" if words.AT_A_GLANCE.search(m.text) and not m.people else None


def _unknown_place(m: _Message) -> bool:
    return any(not said_as_person(n, m.text) for n in m.slots.unknown)


def _all_of_them(m: _Message) -> bool:
    """「17時40分締めの工程、全部大丈夫？」: several queues at once, asked which are not."""
    all_right = words.ALL_RIGHT.search(m.text) or words.WILL_IT_MAKE.search(m.text)
    return bool(words.ALL_OF_THEM.search(m.text) and all_right and not m.people)


def _which_late(m: _Message) -> RequestKind | None:
    if words.PLAN_STRONG.search(m.text) or m.changes_people:
        return None
    if _site_late(m) or words.WHICH_PLACE_LATE.search(m.text) or _all_of_them(m):
        return "delay_risk"  # 「札幌って遅れてる？」「E2はどこの拠点が危ない？」: which are
    asks_which = words.DELAY_WHICH.search(m.text) and words.ANY_THERE.search(m.text)
    if asks_which and not m.queue_named:  # 「締め切りやばそうなところってあるかな」
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


def _skills(m: _Message) -> RequestKind | None:
    if (words.WHO_IS_ON.search(m.text) and not m.people) or _can_do(m) or _filter_only(m):
        return "skill_search"  # 「どなたが担当」「札幌でエントリ1打てる人何人？」「補正 3年↑ 盛岡」
    if m.slots.available_only and words.WHO.search(m.text) and not m.people:
        return "skill_search"  # 「空いてる人いる？」
    if m.slots.sort is not None and m.intent != "general" and not words.CONDITIONAL.search(m.text):
        return "skill_search"  # 「補正いちばん速いのだれ？」
    filtered = m.slots.min_level is not None or m.slots.min_experience_months is not None
    if m.intent in ("deadline_optimization", "impact_analysis", "status_inquiry"):
        return None
    if (m.slots.targets or _unknown_place(m)) and (
        words.SKILL_WORDS.search(m.text) or (words.COUNT.search(m.text) and filtered)
    ):
        return "skill_search"
    return None


RULES: tuple[tuple[str, Callable[[_Message], RequestKind | None]], ...] = (
    ("approval", _approval),
    ("help", _help),
    ("off_topic", _off_topic),
    ("past_case", past_case),
    ("fragment", fragment),
    ("as_it_stands", as_it_stands),
    ("action_plan", action_plan),
    ("other_side", other_side),
    ("people_coming", people_coming),
    ("help_for_queue", help_for_queue),
    ("people_like_them", people_like_them),
    ("sent_after_lookup", sent_after_lookup),
    ("another_in_their_place", another_in_their_place),
    ("donor", _donor),
    ("instead_of_person", instead_of_person),
    ("what_if", _what_if),
    ("replan", _replan),
    ("named_help", _named_help),
    ("same_question", _same_question),
    ("asks_again", asks_again),
    ("asked_of_them", asked_of_them),
    ("asked_of_unknown", asked_of_unknown),
    ("done_by", done_by),
    ("late_by", late_by),
    ("which_sites", which_sites),
    ("english", _english),
    ("lookup", _lookup),
    ("their_queue", _their_queue),
    ("knowhow", _knowhow),
    ("written_up", written_up),
    ("narrowed_search", narrowed_search),
    ("searched_people", searched_people),
    ("overview", overview),
    ("unknown_site_queue", unknown_site_queue),
    ("names_only", names_only),
    ("figures", figures),
    ("late_ones", late_ones),
    ("staffed", _staffed),
    ("how_it_is", _how_it_is),
    ("plan", _plan),
    ("finish", _finish),
    ("which_late", _which_late),
    ("at_a_glance", _at_a_glance),
    ("skills", _skills),
    ("stands", _stands),
)
"""The rules that decide a kind outright, first match wins; otherwise the classifier's
intent type decides the family (``_within``)."""


def _stated(slots: Slots) -> bool:
    """Anything beyond the language and the day."""
    return bool(slots.model_copy(update={"language": None, "date": None}).public())


def _impact_kind(m: _Message) -> RequestKind:
    if m.last_plan is not None and m.slots.targets and words.DONOR_WORDS.search(m.text):
        return "donor_check"
    nothing_to_change = (
        m.last_plan is None
        and not m.changes_people
        and not m.slots.head_count
        and not words.CHANGE_WORDS.search(m.text)
        and not words.CONDITIONAL.search(m.text)
        and not words.CONTEXT.search(m.text)
    )
    if nothing_to_change:  # 「札幌の補正どうなってる？」 is how it stands
        return "finish_time" if words.FINISH.search(m.text) else "status"
    return "what_if"


def _off_the_floor(m: _Message) -> RequestKind | None:
    """A first message no rule read that says nothing of the floor (「社員証なくしたんだけど」)
    is off-topic, whatever its nearest examples."""
    if m.previous is None and not m.about_the_floor and not _stated(m.slots):
        return "out_of_scope"
    return None


def _within(intent: IntentType, m: _Message) -> RequestKind:
    """The kind within the classifier's intent family."""
    if intent == "impact_analysis":
        return _impact_kind(m)
    if intent == "status_inquiry":
        return "finish_time" if words.FINISH.search(m.text) else "status"
    if intent == "skill_search":
        return "operator_lookup" if m.looks_up else "skill_search"
    if intent == "general":
        return _general_kind(m)
    if intent == "delay_risk_detection" and _one_queue_asked(m):
        return "finish_time"  # 「品川KPの補正は締めに間に合う見込みでしょうか」: its finish
    return NEAREST_KIND[intent]


def _one_queue_asked(m: _Message) -> bool:
    """One queue named (a process at a site: both businesses' when no business is said),
    asked whether it will make it, not which of several will not: its finish and margin
    answer it."""
    targets = m.slots.targets
    one = len(targets) == 1 and None not in (targets[0].location, targets[0].process)
    asks = words.WILL_IT_MAKE.search(m.text) or words.ALL_RIGHT.search(m.text)
    return one and bool(asks) and not m.people and words.DELAY_WHICH.search(m.text) is None


def _general_kind(m: _Message) -> RequestKind:
    """Neither data nor a rule: how a site is (「梅田 どう」), know-how about the floor, or
    something else."""
    if words.OUT_OF_SCOPE.search(m.text):
        return "out_of_scope"
    unknown_place = any(not said_as_person(n, m.text) for n in m.slots.unknown)
    site = any(mention.kind == "location" for mention in m.extraction.mentions)
    place = unknown_place or (site and not m.people)  # 「梅田 どう」
    if place and words.HOW_IS.search(m.text):
        return "status"
    return "knowhow" if m.about_the_floor else "out_of_scope"

"""A message (with its conversation) as a :class:`~aimee.nlu.request.Request`.

The kind comes from ordered rules over the normalised message (``RULES``: the first
that matches wins; narrow questions come before broad ones), then from the intent
classifier's label. The slots are read from the message (``nlu.slots``) and completed
from the conversation (``nlu.carry``): 「じゃあ1名だけなら？」 re-plans the last plan's
target with the new head count, 「その場合、品川は平気？」 checks 品川 against that plan.

A name the data does not have (福岡, 木村さん) or a day without data (昨日) does not
change the kind: the request keeps what was asked, its ``unknown`` / ``date`` slots
say what cannot be answered, and the handler says so.

The rules live by family in ``nlu.kind_rules_change`` (plans, what-ifs, donors),
``nlu.kind_rules_state`` (finish, figures, late queues, skills) and ``nlu.kind_rules_general``
(approval, help, off-topic, look-ups, know-how); they read a message as ``nlu.message._Message``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Literal

from aimee.nlu import request_words as words
from aimee.nlu.asked_again import asks_again, bare_place, same_part
from aimee.nlu.asked_kinds import action_plan, as_it_stands, fragment
from aimee.nlu.carry import carry_over
from aimee.nlu.floor_asked import figures, late_ones, late_total, names_only, which_sites
from aimee.nlu.followup import is_bare
from aimee.nlu.followup_terms import terms_changed
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
from aimee.nlu.kind_rules_change import (
    _donor,
    _named_help,
    _plan,
    _replan,
    _what_if,
    help_of_no_one,
    sent_elsewhere,
)
from aimee.nlu.kind_rules_general import (
    _approval,
    _english,
    _help,
    _knowhow,
    _lookup,
    _off_topic,
    _same_question,
    _their_queue,
    ranked_beside_them,
)
from aimee.nlu.kind_rules_state import (
    _at_a_glance,
    _finish,
    _how_it_is,
    _skills,
    _staffed,
    _stands,
    _which_late,
)
from aimee.nlu.kind_slots import at_origins_process, at_origins_site, at_targets_site, for_kind
from aimee.nlu.knowhow_asked import topic_places, written_up
from aimee.nlu.like_them import people_like_them, without_them
from aimee.nlu.message import _DATA_KINDS, _Message
from aimee.nlu.people_coming import other_side, people_coming, same_people_there
from aimee.nlu.person_asked import asked_of_them, people_of_thread, their_skill
from aimee.nlu.person_site import queue_left
from aimee.nlu.plan_origins import plan_origins, thread_site
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
from aimee.nlu.thread_roles import person_referred
from aimee.nlu.time_asked import done_by, late_by
from aimee.nlu.turn_kinds import (
    THAT_CASE,
    case_site,
    narrowed_search,
    overview,
    past_case,
    searched_people,
    unknown_site_queue,
)
from aimee.nlu.turn_slots import at_said_site
from aimee.nlu.unknown_person import asked_of_unknown, unknown_people


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
    aside, previous = previous, _thread_of(previous, extraction.text)
    slots = at_said_site(read_slots(_main_part(extraction), known_places, today))
    slots = parts_shared(slots, _main_part(extraction))
    slots = unknown_people(slots, _main_part(extraction))
    slots = _put_in(slots, extraction.text)
    slots = person_referred(slots, extraction.text, previous)
    slots = people_of_thread(slots, extraction, previous)
    slots = _only_from(slots, extraction, previous)
    said = [m.label for m in extraction.mentions if m.kind == "operator" and m.label]
    named = tuple(dict.fromkeys((*(aside.named if aside else ()), *said, *slots.people)))
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
    if kind in ("out_of_scope", "help", "approval_request"):
        # 「明日の札幌の天気どう？」「品川の者です。何ができるの？」「その2人で承認しといて」
        slots = Slots(language=slots.language)
    if kind == "knowhow":  # 「Lv1の人を応援に出すのはアリ？」: a rule's topic, not a filter
        slots = Slots(targets=topic_places(slots), language=slots.language)
    if kind not in _DATA_KINDS:
        slots = slots.model_copy(update={"date": None})  # 「今日寒くない？」
    if kind == "operator_lookup" and msg.looks_up:  # 「村上さんってエントリ1もできる？」
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    if kind == "operator_lookup":  # 「竹下さんって検証のレベル5だっけ？」: asked, not a filter
        slots = slots.model_copy(update={"min_level": None, "min_experience_months": None})
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
        bare=is_bare(extraction)
        or words.CORRECTION.search(extraction.text) is not None
        or words.SAME_AGAIN.search(extraction.text) is not None,
    )
    slots = their_queue_kept(kind, slots, extraction.text, last_plan)
    slots = person_in_plan(kind, slots, extraction.text, last_plan)
    slots = same_people_there(kind, slots, extraction.text, last_plan)
    slots = count_changed(kind, slots, extraction.text, last_plan, previous)
    slots = terms_changed(kind, slots, extraction.text, last_plan)
    slots = queue_left(kind, thread_site(kind, slots, extraction.text), extraction)
    slots = without_them(kind, slots, previous)
    slots = case_site(kind, slots, extraction.text, previous)
    # 「違う 札幌」「同じの那覇で」
    bare = (
        bare_place(extraction, is_bare(extraction))
        or words.site_corrected(extraction.text)
        or words.SAME_AGAIN.search(extraction.text) is not None
    )
    slots = same_part(kind, slots, previous, bare)
    slots = at_targets_site(at_origins_site(slots))
    slots = at_origins_process(slots) if kind == "plan" else slots
    slots = slots.model_copy(update={"targets": tuple(dict.fromkeys(slots.targets))})
    aside_from = _thread_before(kind, slots, previous)
    return Request(kind=kind, slots=slots, horizon=horizon, named=named, aside_from=aside_from)


def _thread_of(previous: Request | None, text: str) -> Request | None:
    """The turn a message continues: the one before an aside, unless it asks about the
    aside itself (「その時って何人動かしたの？」 after know-how about a past case)."""
    if previous is None or previous.aside_from is None or THAT_CASE.search(text):
        return previous
    return previous.aside_from


def _thread_before(kind: RequestKind, slots: Slots, previous: Request | None) -> Request | None:
    """The request the thread was on, when this turn is an aside from it."""
    aside = kind in ("help", "out_of_scope") or (kind == "knowhow" and not slots.targets)
    if not aside or previous is None:
        return None
    return previous.aside_from or previous


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
    ("sent_elsewhere", sent_elsewhere),
    ("donor", _donor),
    ("instead_of_person", instead_of_person),
    ("help_of_no_one", help_of_no_one),
    ("what_if", _what_if),
    ("replan", _replan),
    ("named_help", _named_help),
    ("same_question", _same_question),
    ("asks_again", asks_again),
    ("asked_of_them", asked_of_them),
    ("their_skill", their_skill),
    ("asked_of_unknown", asked_of_unknown),
    ("done_by", done_by),
    ("late_by", late_by),
    ("which_sites", which_sites),
    ("late_total", late_total),
    ("english", _english),
    ("ranked_beside_them", ranked_beside_them),
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

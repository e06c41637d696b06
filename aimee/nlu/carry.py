"""What a follow-up takes from the conversation: the thread a manager is on.

A conversation keeps two things apart: the last plan or what-if (its target and
constraints), which 「じゃあ1名だけなら？」 re-plans and 「その場合、品川は？」 checks
against, and the previous turn (what was just talked about), which 「何時に終わる？」
or 「その人のスキルは？」 continue.

- A plan or what-if that names no queue is about the last plan's target (or the
  previous turn's queue: 「じゃあ誰を動かせばいい？」 after 「札幌のエントリ1は間に合う？」).
  A re-plan of the last plan keeps its constraints unless the message restates them
  (「品川は動かさないで」 after 「盛岡から2名まで」: still 2 from 盛岡, and not 品川); people
  named without a verb take the role the last plan gave people (「じゃあ竹下さんなら？」
  after 「高山さんを回したら？」), 「〇〇さんも」 adds to them.
- A status, finish-time or skill question that names no queue and does not widen the
  scope (「全体は？」) is about the previous turn's queue; 「その中で」 (or a bare
  「梅田は？」) keeps a skill search's process and filters (``nlu.search_carry``).
- A message that names a site starts afresh: a new site does not inherit the old
  process. A business alone (「KPのほうは？」) means that business of the queue just
  talked about; a process alone in a bare follow-up (「補正は？」) keeps the site.
- 「そこから」 is the queue just talked about, as an origin. Who the people of a request
  are, when the thread settles it, is ``nlu.thread_roles``.
"""

from __future__ import annotations

import re

from aimee.nlu.followup_terms import dropped_terms
from aimee.nlu.listed_queues import late_meant
from aimee.nlu.request import HeadCount, QueueRef, Request, RequestKind, Slots
from aimee.nlu.request_words import (
    ALSO_QUEUE,
    CORRECTION,
    DATE_ONLY,
    SAME_AGAIN,
    SAME_TERMS,
    site_corrected,
)
from aimee.nlu.search_carry import (
    NARROWED,
    THOSE_FOUND,
    from_skill_search,
    narrowed_to_sites,
    only_filters,
    search_continued,
    search_widened,
)
from aimee.nlu.slots import at_an_unknown_site
from aimee.nlu.thread_people import released
from aimee.nlu.thread_roles import in_the_same_role, kept_people, roles_from_thread, same_person

WIDENS_SCOPE = re.compile(
    r"全体|全拠点|各拠点|拠点別|拠点ごと|全部|すべて|全て|全工程|各工程|全キュ"
    # 「ほかに」, not 「Aさんのほかにもう1人」
    r"|(?<!の)(?:他に|ほかに)(?!\s*(?:もう|あと|\d|[一二三]|ひと|ふた))"
    r"|他の(?!人|方|メンバ|拠点から|条件|制約)|ほかの(?!人|方|メンバ|拠点から|条件|制約)"
    r"|overall|all sites|everything|other|whole floor|entire floor|(?:the|all the) floor\b"
)
"""Words that widen a question back to the whole floor (「全体の進捗は？」)."""

_THERE = re.compile(r"そこから|そっちから|そちらから|あそこから|そこの人")
_ALSO_FROM = re.compile(r"からも|もok|もいい|も使|からでも(?:可|いい|ok|構わ|かまわ)")
_QUEUE_KINDS: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "donor_check", "status", "finish_time", "delay_risk", "skill_search"}
)
"""Kinds whose targets are queues a later turn may continue with."""
_CONTINUES_QUEUE: frozenset[RequestKind] = frozenset({"status", "finish_time", "skill_search"})


def carry_over(
    kind: RequestKind,
    slots: Slots,
    text: str,
    *,
    previous: Request | None,
    last_plan: Request | None,
    bare: bool = False,
) -> Slots:
    """``slots`` completed from the conversation for a message of ``kind``; ``bare``:
    the message only names places (「盛岡は？」) or corrects the last one."""
    widens = WIDENS_SCOPE.search(text) is not None
    if widens and kind == "plan" and previous is not None and previous.kind == "plan":
        widens = _IN_ALL.search(text) is None  # 「梅田からもOK。全体で4人まで」: the plan's total
    if kind == "skill_search" and at_an_unknown_site(slots, text):  # nobody there to search
        slots = slots.model_copy(update={"targets": ()})
        previous = None
    slots = _both_there(_there(slots, text, previous), text, previous)
    if not (widens or _placed_by_people(kind, slots)):
        queue_before = previous
        if kind in ("plan", "what_if") and (previous is None or previous.kind not in _QUEUE_KINDS):
            queue_before = last_plan  # 「じゃE1に石井麻衣で いける？」 after a look-up
        slots = _partial_targets(slots, queue_before, bare or kind != "skill_search")
    names_queue = bool(slots.targets or slots.origins or slots.spare)
    if kind in ("plan", "what_if"):
        said = slots.operators
        slots = roles_from_thread(kind, slots, text, previous, last_plan)
        planned = _planned(kind, slots, text, previous, last_plan, widens)
        return _removal_target(kind, released(planned, said, text, last_plan))
    if widens and kind == "skill_search":
        slots = search_widened(slots, text, previous)
    if not widens:
        slots = _same_time(_same_day(kind, slots, previous, bare), text, previous)
    if kind == "delay_risk" and not (widens or names_queue):
        return _risks_there(slots, previous)
    if kind in _CONTINUES_QUEUE and not widens:
        if not names_queue:
            # 「経験は問わんなら何人？」: the last search without one of its terms
            narrows = NARROWED.search(text) is not None or only_filters(slots)
            narrows = narrows or bool(dropped_terms(text))
            return _continued(kind, slots, text, previous, narrows=narrows)
        if kind == "skill_search" and (bare or narrowed_to_sites(slots, text)):
            return _continued(kind, slots, text, previous, narrows=True)
    if kind == "operator_lookup" and previous is not None and previous.kind == kind:
        return same_person(slots, previous)
    return slots


def _planned(
    kind: RequestKind,
    slots: Slots,
    text: str,
    previous: Request | None,
    last_plan: Request | None,
    widens: bool,
) -> Slots:
    if kind == "plan" and THOSE_FOUND.search(text):  # 「その中から2人…」, not 「うちの」
        slots = from_skill_search(slots, text, previous, from_there=True)
    if kind == "what_if":
        slots = from_skill_search(slots, text, previous)
    elsewhere = _plan_elsewhere(kind, slots, text, last_plan)
    if elsewhere is not None:
        return elsewhere
    if slots.targets or widens:
        return slots
    listed = _listed_first(text, previous)
    if listed is not None:  # 「一番やばいのは？」 then 「そこに応援出して」
        return slots.model_copy(update={"targets": listed})
    if last_plan is not None and (kind == "plan" or last_plan.kind == "what_if"):
        return _replan(slots, last_plan.slots, kind, also=_ALSO_FROM.search(text) is not None)
    thread = last_plan if last_plan is not None else previous
    if thread is not None and thread.kind in _QUEUE_KINDS and thread.slots.targets:
        return slots.model_copy(update={"targets": thread.slots.targets})
    return slots


def _plan_elsewhere(
    kind: RequestKind, slots: Slots, text: str, last_plan: Request | None
) -> Slots | None:
    """The last plan's constraints for another queue: 「すみません、盛岡でした」 (a site
    corrected: the same part there) or 「エントリ2にも、同じ条件で」."""
    if last_plan is None or not slots.targets:
        return None
    narrowed = _origin_or_one_target(kind, slots, text, last_plan) or _one_more_queue(
        kind, slots, text, last_plan
    )
    if narrowed is not None:
        return narrowed
    said = slots.targets[0]
    site_only = len(slots.targets) == 1 and not (said.process or said.business_id)
    again = SAME_AGAIN.search(text) is not None  # 「同じことを盛岡で」
    if again or (site_only and said.location and site_corrected(text)):
        # a site: the same part there (a business belongs to the site that was wrong);
        # 「同じことを那覇の検証で」: the same request, its terms, for that queue
        there = {"location": said.location, "business_id": None}
        moved = (t.model_copy(update=there) for t in last_plan.slots.targets)
        targets = tuple(dict.fromkeys(moved)) if site_only and said.location else slots.targets
        return _replan(slots, last_plan.slots, kind).model_copy(update={"targets": targets})
    if SAME_TERMS.search(text):  # the constraints, not the people: 「前田さんも同じく那覇E2に」
        kept = _replan(slots, last_plan.slots, kind)
        people = in_the_same_role(slots.operators, last_plan.slots.operators)
        return kept.model_copy(update={"targets": slots.targets, "operators": people})
    refined = all(any(_refines(t, last) for last in last_plan.slots.targets) for t in slots.targets)
    corrected = _OTHER_QUEUE.search(text) or CORRECTION.search(text)
    changed = kind == "plan" and last_plan.kind == "plan" and corrected
    if kind == last_plan.kind and (
        refined or changed
    ):  # 「あ、SSのほうね」「そっちじゃなくて那覇の検証で」
        return _replan(slots, last_plan.slots, kind).model_copy(update={"targets": slots.targets})
    return None


def _origin_or_one_target(
    kind: RequestKind, slots: Slots, text: str, last_plan: Request
) -> Slots | None:
    """「札幌じゃなくて那覇のE2だった」 after a plan from 札幌: where help comes from instead;
    「やっぱ梅田のほうだけでええわ」 after a plan for 那覇E2 and 梅田KPのE1: that one."""
    if _origin_withdrawn(text, last_plan):
        from_there = slots.model_copy(update={"origins": slots.targets, "targets": ()})
        return _replan(from_there, last_plan.slots, kind)
    said = slots.targets[0]
    site_only = len(slots.targets) == 1 and not (said.process or said.business_id)
    at_site = tuple(t for t in last_plan.slots.targets if t.location == said.location)
    if site_only and at_site and len(last_plan.slots.targets) > 1 and _ONLY.search(text):
        return _replan(slots, last_plan.slots, kind).model_copy(update={"targets": at_site})
    return None


def _one_more_queue(kind: RequestKind, slots: Slots, text: str, last_plan: Request) -> Slots | None:
    """「あ、盛岡KPのE2もお願い」「E1も同じ条件で」 after a plan: one more queue to help, on
    the same terms (「札幌もお願い」, a site alone, is where help may come from)."""
    queues = all(t.process or t.business_id for t in slots.targets)
    if kind != "plan" or last_plan.kind != "plan" or not queues or not ALSO_QUEUE.search(text):
        return None
    helped = tuple(dict.fromkeys((*last_plan.slots.targets, *slots.targets)))
    return _replan(slots, last_plan.slots, kind).model_copy(update={"targets": helped})


def _origin_withdrawn(text: str, last_plan: Request) -> bool:
    """The message opens by taking back a site the last plan took help from (and not its
    target's): what it names is where help comes from instead."""
    targets = {t.location for t in last_plan.slots.targets}
    origins = {o.location for o in last_plan.slots.origins if o.location not in targets}
    opening = _SORRY.sub("", text)
    return any(
        site and opening.startswith(site) and _NOT_THIS.match(opening, len(site))
        for site in origins
    )


_SORRY = re.compile(r"^(?:あ[、,っ]?|いや[、,]?|ごめん[、,]?|すみません[、,]?|失礼[、,]?)\s*")
_NOT_THIS = re.compile(r"\s*(?:じゃなく|ではなく|でなく)")
_ONLY = re.compile(r"だけ|のみ")
_OTHER_QUEUE = re.compile(
    r"(?:じゃなく|ではなく|でなく)て?\s*\S{0,12}?(?:で|に|だった|でした)\s*[。!！]?$"
    r"|^(?:あ、|いや、)?やっぱ"
)
"""「…やっぱそっちじゃなくて那覇の検証で」「ごめん、那覇じゃなくて品川SSのE2だった」: the
plan, for another queue, on the same terms."""


def _refines(ref: QueueRef, last: QueueRef) -> bool:
    """「SSのほう」 after 「盛岡の検証」: the same queue, said more precisely."""
    said = {k: v for k, v in ref.model_dump().items() if v is not None}
    before = {k: v for k, v in last.model_dump().items() if v is not None}
    shared = said.keys() & before.keys()
    return (
        said != before and all(said[k] == before[k] for k in shared) and said.keys() > before.keys()
    )


def _listed_first(text: str, previous: Request | None) -> tuple[QueueRef, ...] | None:
    """The queue the last answer listed first, when 「そこ」「それ」 points at it and the
    last question named no queue (a list of late queues, not a plan)."""
    if previous is None or previous.kind in ("plan", "what_if", "donor_check"):
        return None
    listed = previous.answered_queues
    if not listed or any(t.process for t in previous.slots.targets):
        return None
    return late_meant(listed, text, of_late_list=previous.kind == "delay_risk")


def _same_day(kind: RequestKind, slots: Slots, previous: Request | None, bare: bool) -> Slots:
    """「今日 late になりそうな queue ある？」 then 「品川だけだと？」, 「今日の那覇どう？」
    then 「エントリ1だけ詳しく」: the same question, the same day."""
    if previous is None or previous.kind != kind or slots.date is not None:
        return slots
    if kind not in _QUEUE_KINDS:  # 「佐野さんのスキル一覧」 after a look-up: another person
        return slots
    sites = {t.location for t in previous.slots.targets}
    within = all(t.location in sites for t in slots.targets)
    return slots.model_copy(update={"date": previous.slots.date}) if bare or within else slots


def _same_time(slots: Slots, text: str, previous: Request | None) -> Slots:
    """「エントリ2も同じく」 after 「…十七時までに終わる？」: the same time asked."""
    if previous is None or slots.by_time or not SAME_TERMS.search(text):
        return slots
    return slots.model_copy(update={"by_time": previous.slots.by_time})


def _risks_there(slots: Slots, previous: Request | None) -> Slots:
    """「品川どんな感じ？」 then 「遅れそうなのはどれ？」: that site's risks, that day."""
    if previous is None or previous.kind not in ("status", "delay_risk"):
        return slots
    sites = tuple(t for t in previous.slots.targets if not t.process)  # 「梅田のKP」 too
    return slots.model_copy(update={"targets": sites, "date": slots.date or previous.slots.date})


_IN_ALL = re.compile(r"(?:全体|全部)\s*で\s*(?:\d|[一二三四五六七八九十])+\s*(?:人|名)")
_BOTH_QUEUES = re.compile(r"両方|どっちも|どちらも|(?:2|二|ふた)つとも")


def _both_there(slots: Slots, text: str, previous: Request | None) -> Slots:
    """「那覇の両方、札幌から応援出して」 after 「那覇の検証と補正、今どう？」: both queues just
    talked about at that site."""
    if previous is None or len(previous.slots.targets) < 2 or len(slots.targets) != 1:
        return slots
    site = slots.targets[0]
    if site.process or site.business_id or not _BOTH_QUEUES.search(text):
        return slots
    if any(t.location != site.location for t in previous.slots.targets):
        return slots
    return slots.model_copy(update={"targets": previous.slots.targets})


def _there(slots: Slots, text: str, previous: Request | None) -> Slots:
    """「そこから1人出しても平気？」: the queue just talked about, as an origin (not
    「そこから1人抜いたら？」: people leaving it, the queue judged)."""
    if previous is None or not previous.slots.targets or not _THERE.search(text):
        return slots
    if slots.head_count is not None and slots.head_count.leaving:
        return slots
    return slots.model_copy(update={"origins": slots.origins + previous.slots.targets[:1]})


def _placed_by_people(kind: RequestKind, slots: Slots) -> bool:
    """「中島さんが早退したら補正はどの程度遅れる？」: the process where the people who leave
    work, at their site (the services place it), not at the site just talked about; people
    sent somewhere may be sent to that site."""
    ops = slots.operators
    if kind != "what_if" or ops is None or not ops.remove or ops.move or ops.add:
        return False
    return bool(slots.targets) and all(t.location is None for t in slots.targets)


def _partial_targets(slots: Slots, previous: Request | None, same_site: bool) -> Slots:
    """A business alone, or a process alone (``same_site``: not a skill search, whose
    process is a skill, unless the message only names it), completed from the queue
    just talked about: 「KPのほうは？」「エントリ1だけ詳しく」."""
    if previous is None or not slots.targets or previous.kind not in _QUEUE_KINDS:
        return slots
    last = _one_place(previous.slots.targets)
    if last is None:  # 「そのうち検証のほう」 after a list of late queues: the one listed
        return _among_listed(slots, previous.answered_queues)
    merged = [_completed_by(ref, last, same_site) for ref in slots.targets]
    if any(ref is None for ref in merged):  # 「SSとKP両方？」: each business of that queue
        return slots
    return slots.model_copy(update={"targets": tuple(r for r in merged if r is not None)})


def _among_listed(slots: Slots, listed: tuple[QueueRef, ...]) -> Slots:
    """Each partial reference completed by the one queue of the last answer's list it fits
    (unchanged when one fits none or several)."""
    merged = []
    for ref in slots.targets:
        said = {k: v for k, v in ref.model_dump().items() if v is not None}
        fits = [q for q in listed if all(getattr(q, k) == v for k, v in said.items())]
        merged.append(fits[0] if len(fits) == 1 else ref)
    return slots.model_copy(update={"targets": tuple(merged)})


def _one_place(targets: tuple[QueueRef, ...]) -> QueueRef | None:
    """The queue just talked about, or the site (and business) its several queues share:
    after 「那覇のエントリ2と補正」, 「補正のほうに」 is 那覇's."""
    if len(targets) == 1:
        return targets[0]
    places = {(t.location, t.business_id) for t in targets}
    if len(places) != 1:
        return None
    location, business = places.pop()
    return QueueRef(location=location, business_id=business) if location else None


def _completed_by(ref: QueueRef, last: QueueRef, same_site: bool) -> QueueRef | None:
    if ref.location is None and ref.process is None and ref.business_id is not None:
        return last.model_copy(update={"business_id": ref.business_id})
    if same_site and ref.location and not (ref.process or ref.business_id) and not last.location:
        # 「事業523201の検証、全拠点でどんな感じ？」 then 「那覇のやつギリギリ？」: that one there
        return last.model_copy(update={"location": ref.location}) if last.process else None
    if same_site and ref.location is None and ref.process is not None and last.location:
        # 「品川SSのE1」 then 「E2は？」: that site's E2 in the same business
        business = ref.business_id or last.business_id
        return ref.model_copy(update={"location": last.location, "business_id": business})
    return None


def _replan(slots: Slots, last: Slots, kind: RequestKind, *, also: bool = False) -> Slots:
    """The last plan's target and constraints, with what the message restates
    (``also``: 「品川からも」 adds to the origins instead of replacing them)."""
    kept = tuple(r for r in last.origins if r not in slots.spare and r not in slots.origins)
    origins = (*kept, *slots.origins) if also else slots.origins or kept
    spare = (*slots.spare, *(r for r in last.spare if r not in slots.spare + slots.origins))
    update: dict[str, object] = {
        "targets": last.targets,
        "origins": origins,
        "spare": spare,
        "head_count": slots.head_count or _count_kept(slots, last, kind),
        "min_level": slots.min_level or last.min_level,
        "min_experience_months": slots.min_experience_months or last.min_experience_months,
        "by_time": slots.by_time or last.by_time,
        "date": slots.date or last.date,
    }
    if kind == "plan":
        update["operators"] = kept_people(slots.operators, last.operators)
    return slots.model_copy(update=update)


def _count_kept(slots: Slots, last: Slots, kind: RequestKind) -> HeadCount | None:
    """The last count, unless it was of unnamed people leaving and the message plans help
    (「念のため応援案も」: not a plan for those two) or names who leaves instead (「太田さんが
    抜けたら？」 after 「1人抜けても平気？」)."""
    leaving = last.head_count is not None and bool(last.head_count.leaving)
    if leaving and (kind == "plan" or bool(slots.people)):
        return None
    return last.head_count


def _removal_target(kind: RequestKind, slots: Slots) -> Slots:
    """「石川さんを札幌の検証から抜いても平気？」: the queue someone leaves is the one
    asked about."""
    ops = slots.operators
    removes_only = ops is not None and ops.remove and not (ops.add or ops.move)
    if kind == "what_if" and removes_only and slots.origins and not slots.targets:
        return slots.model_copy(update={"targets": slots.origins, "origins": ()})
    return slots


def _continued(
    kind: RequestKind, slots: Slots, text: str, previous: Request | None, *, narrows: bool
) -> Slots:
    if previous is None:
        return slots
    # 「那覇、過去どう対処してた？」 then 「今日は？」: that place today
    past_then_today = previous.kind == "knowhow" and DATE_ONLY.match(text) is not None
    if previous.kind not in _QUEUE_KINDS and not past_then_today:
        return slots
    listed = previous.answered_queues
    of_late_list = previous.kind == "delay_risk"
    meant = late_meant(listed, text, of_late_list=of_late_list) if listed else None
    if meant and not any(t.process for t in previous.slots.targets):
        return slots.model_copy(update={"targets": meant})
    if not previous.slots.targets:
        return slots
    targets: tuple[QueueRef, ...] = previous.slots.targets
    if kind == "skill_search" and previous.kind == "skill_search" and narrows:
        return search_continued(slots, previous.slots, text)
    return slots.model_copy(update={"targets": targets, "date": slots.date or previous.slots.date})

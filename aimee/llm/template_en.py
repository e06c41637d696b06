"""English answers for a manager who asks in English: the same facts as the
Japanese composer, conclusion first; site, process and people's names stay as the
data has them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aimee.llm.context import (
    AnswerContext,
    NoHelpfulHelpers,
    QueueChange,
    QueueFacts,
    SuggestionFacts,
)
from aimee.llm.day_plan_text import day_plan_lines_en, loan_en
from aimee.llm.template import shared_start
from aimee.llm.wording import SHIFT_ASKED, clock

MAX_LISTED = 8


def _n(value: float) -> str:
    return f"{round(value):,}"


def _queue_name(location: str, process: str, business_id: str, business_name: str = "") -> str:
    """A queue as the English answers name it: site and process as the data has them,
    then its business (its id, and its name when the data has one)."""
    named = f", {business_name}" if business_name and business_name != business_id else ""
    return f"{location} {process} (business {business_id}{named})"


def _name_of(q: QueueFacts | QueueChange) -> str:
    return _queue_name(q.location, q.process, q.business_id, q.business_name)


def queue_sentence(q: QueueFacts) -> str:
    """Conclusion first: on time (and the margin) or late (by how much), then the figures."""
    name = _name_of(q)
    if q.projected_completion is None:
        verdict = (
            f"{name} will miss its {clock(q.deadline)} deadline: it will not finish with its "
            f"current staff ({q.staff_count} operators)."
        )
    else:
        slack = (q.deadline - q.projected_completion).total_seconds() / 60
        done = clock(q.projected_completion)
        if q.will_be_late:
            late = f"{_n(-slack)} min late, " if slack < 0 else ""
            verdict = (
                f"{name} will miss its {clock(q.deadline)} deadline: expected to finish at "
                f"{done}, {late}with about {_n(q.late_tasks)} tasks left."
            )
        else:
            spare = f"{_n(slack)} min to spare" if slack >= 0 else "less than one task left"
            verdict = (
                f"{name} will make its {clock(q.deadline)} deadline: expected to finish at "
                f"{done}, {spare}."
            )
    return (
        f"{verdict} {_n(q.waiting)} tasks waiting, {q.staff_count} operators "
        f"({_n(q.rate_per_hour)} tasks/h)."
    )


def _by_time(q: QueueFacts, by_time: datetime) -> str:
    """ "By 18:00: yes / no", for a time the manager asked about."""
    name = _name_of(q)
    if q.projected_completion is None:
        return f"{name} will not be done by {clock(by_time)}."
    gap = (by_time - q.projected_completion).total_seconds() / 60
    if gap >= 0:
        return f"{name} will be done by {clock(by_time)} ({_n(gap)} min to spare)."
    return f"{name} will not be done by {clock(by_time)} ({_n(-gap)} min late)."


def _queues(ctx: AnswerContext) -> list[str]:
    by_time = ctx.by_time
    lines = [
        (f"{_by_time(q, by_time)} " if by_time is not None else "") + queue_sentence(q)
        for q in ctx.queues[:MAX_LISTED]
    ]
    if len(ctx.queues) > MAX_LISTED:
        lines.append(f"… and {len(ctx.queues) - MAX_LISTED} more queues.")
    return lines or ["No progress data matches the question."]


def _status(ctx: AnswerContext) -> list[str]:
    """Several queues: how many will be late first (one queue's sentence leads itself)."""
    lines = _queues(ctx)
    if ctx.whole_floor and ctx.queues:  # "how is the floor?": the floor total first
        late = [q for q in ctx.queues if q.will_be_late]
        total = sum(round(q.late_tasks) for q in late)
        lead = (
            f"On the whole floor, {len(late)} of {len(ctx.queues)} queues will miss their "
            f"deadlines, {total:,} tasks in all (most urgent first):"
            if late
            else f"On the whole floor, all {len(ctx.queues)} queues will make their deadlines."
        )
        return [lead, *lines]
    if len(ctx.queues) < 2:  # one queue's sentence leads itself
        return lines
    late = [q for q in ctx.queues if q.will_be_late]
    sites = {q.location for q in ctx.queues}
    where = f"{sites.pop()}: " if len(sites) == 1 else ""
    if not late:
        lead = f"{where}all {len(ctx.queues)} queues will make their deadlines."
    else:
        names = ", ".join(f"{q.location} {q.process} ({_n(q.late_tasks)} tasks)" for q in late)
        lead = f"{where}{len(late)} of {len(ctx.queues)} queues will miss their deadlines: {names}."
    return [lead, *lines]


def _delay_risk(ctx: AnswerContext) -> list[str]:
    late = [q for q in ctx.queues if q.will_be_late]
    if not late:
        return [f"All {len(ctx.queues)} queues asked about will make their deadlines."]
    queues = "queue" if len(late) == 1 else "queues"
    order = "the worst first, then the most urgent" if ctx.worst_first else "most urgent first"
    head = f"{len(late)} {queues} will miss their deadlines ({order}):"
    total = sum(round(q.late_tasks) for q in late)
    scope = "On the whole floor" if ctx.whole_floor else "In the queues asked about"
    lead = f"{scope}, {total:,} tasks are expected to miss their deadlines."
    lines = [lead, head, *[queue_sentence(q) for q in late[:MAX_LISTED]]]
    if ctx.worst_first:  # "Which one is worst?": that one first
        worst = late[0]
        lines.insert(
            0,
            f"The worst is {_name_of(worst)}: "
            f"about {_n(worst.late_tasks)} tasks will still be waiting at its deadline.",
        )
    return lines


def _suggestion(s: SuggestionFacts, *, whole_floor: bool = False) -> list[str]:
    lines = []
    t = s.target
    floor = s.floor_before is not None and s.floor_after is not None
    if whole_floor and floor and s.moves:  # moves to several queues: the floor's verdict
        outcome = (
            "every queue makes its deadline"
            if s.floor_after == 0
            else "some queues still miss their deadlines"
        )
        lines.append(
            f"Moving {len(s.moves)} operator(s) across the floor takes expected late tasks "
            f"from {_n(s.floor_before or 0)} to {_n(s.floor_after or 0)}: {outcome}."
        )
    elif t is not None and s.moves:
        outcome = "makes the deadline" if round(t.late_after) == 0 else "still misses the deadline"
        lines.append(
            f"Moving {len(s.moves)} operator(s) to {t.location} {t.process} {outcome} "
            f"(late tasks {_n(t.late_before)} → {_n(t.late_after)}, finish "
            f"{clock(t.completion_before)} → {clock(t.completion_after)})."
        )
    for m in s.moves[:MAX_LISTED]:
        origin = f"{m.from_location} {m.from_process}" if m.from_process else "idle"
        lines.append(
            f"- {m.operator_name}: from {origin} to {m.to_location} {m.to_process} "
            f"(Lv{m.skill_level}, {_n(m.speed)} tasks/h{loan_en(m)})"
        )
    if s.floor_before is not None and s.floor_after is not None:
        lines.append(
            f"Whole floor: expected late tasks {_n(s.floor_before)} → {_n(s.floor_after)}."
        )
    return lines


def _plan(ctx: AnswerContext) -> list[str]:
    if ctx.day_plan is not None:  # "plan the rest of the day"
        return day_plan_lines_en(ctx)
    if ctx.suggestion is None:
        return _queues(ctx)
    return [
        *_suggestion(ctx.suggestion, whole_floor=ctx.whole_floor),
        *[queue_sentence(q) for q in ctx.queues[:1]],
    ]


def _nothing_to_weigh(ctx: AnswerContext) -> list[str]:
    """A what-if with no change computed: the queues asked about as they stand (no helper
    meeting the conditions makes things better, or they are on time already)."""
    if not ctx.queues:
        return ["There is no change to evaluate yet: name the person and the queue."]
    return _as_they_stand(ctx.queues)


def _no_helpful_helpers(f: NoHelpfulHelpers) -> list[str]:
    """A what-if adding people that no helper meeting its conditions makes better (or to
    queues on time already): the queues asked about as they stand."""
    return _as_they_stand(f.queues)


def _as_they_stand(queues: list[QueueFacts]) -> list[str]:
    """The verdict on queues no helper changes: still late, or on time already (the one
    reading of late, ``QueueFacts.will_be_late``, as the services judge it)."""
    late = [q for q in queues if q.will_be_late]
    if late:
        q = late[0]
        return [
            f"{q.location} {q.process} still misses its {clock(q.deadline)} deadline: no helper "
            "who meets your conditions makes the floor's expected late tasks smaller.",
            *[queue_sentence(q) for q in late[:MAX_LISTED]],
        ]
    q = queues[0]
    return [
        f"{q.location} {q.process} makes its {clock(q.deadline)} deadline already: more people "
        "would change nothing.",
        queue_sentence(q),
    ]


def _impact(ctx: AnswerContext) -> list[str]:
    if ctx.no_helpful_helpers is not None:  # "add 2 at level 5" and no such helper helps
        return _no_helpful_helpers(ctx.no_helpful_helpers)
    s = ctx.suggestion
    if s is None:
        return _nothing_to_weigh(ctx)
    before, after = s.floor_before, s.floor_after
    if before is None or after is None:
        before, after = round(s.late_before), round(s.late_after)
    verdict = "better" if after < before else ("worse" if after > before else "unchanged")
    change = "With this change"
    if s.assumed_leaving and s.target is not None:
        t = s.target
        who = ", ".join(s.assumed_leaving)
        change = f"If {who} (average speed there) left {t.location} {t.process}"
        state = "on time" if round(t.late_after) == 0 else "late"
        verdict += f"; {t.location} {t.process} would be {state}"
    lines = [f"{change}, expected late tasks go from {_n(before)} to {_n(after)}: {verdict}."]
    for c in s.changes:
        lines.append(
            f"- {c.location} {c.process}: late {_n(c.late_before)} → {_n(c.late_after)}, "
            f"finish {clock(c.completion_before)} → {clock(c.completion_after)}"
        )
    return lines


def _donor(ctx: AnswerContext) -> list[str]:
    """The place asked about under the plan on the table: the verdict first."""
    d = ctx.donor
    if d is None:
        return _impact(ctx)
    worse = [c for c in d.queues if round(c.late_after) > round(c.late_before)]
    late = [c for c in d.queues if round(c.late_after) > 0]
    helped = [c for c in d.queues if round(c.late_after) < round(c.late_before)]
    if not d.queues and not d.leaving:  # the plan neither takes from it nor helps it
        lines = [f"{d.place} is unchanged by this plan."]
    elif not d.queues:
        lines = [f"{d.place} has no queue with a deadline today."]
    elif helped == d.queues:  # the queue the plan helps: when it finishes now
        lines = [
            "With this plan, "
            + "; ".join(
                f"{c.process} finishes at {clock(c.completion_after)} instead of "
                f"{clock(c.completion_before)} (late tasks {_n(c.late_before)} → "
                f"{_n(c.late_after)})"
                for c in helped
            )
            + "."
        ]
    elif worse:
        lines = [
            f"With this plan, {d.place} falls behind: "
            + "; ".join(
                f"{c.process} late tasks {_n(c.late_before)} → {_n(c.late_after)}" for c in worse
            )
            + "."
        ]
    elif late:  # a site asked: its late queues named; a queue asked: itself
        site = all(c.location == d.place for c in late)
        said = f"{d.place} " + ", ".join(c.process for c in late) if site else d.place
        lines = [f"{said} will be late regardless of this plan."]
    else:
        lines = [f"Yes, {d.place} stays on time with this plan."]
    if d.leaving:
        names = ", ".join(m.operator_name for m in d.leaving)
        lines.append(f"The plan takes {len(d.leaving)} operator(s) from {d.place}: {names}.")
    else:
        lines.append(f"The plan takes nobody from {d.place}.")
    lines += [
        f"- {_name_of(c)}: late {_n(c.late_before)} → "
        f"{_n(c.late_after)}, finish {clock(c.completion_before)} → {clock(c.completion_after)}"
        for c in d.queues
    ]
    return lines


def _skill_search(ctx: AnswerContext) -> list[str]:
    if not ctx.operators:
        return ["No one matches your conditions: 0 people."]
    total = ctx.operators_total or len(ctx.operators)
    first = ctx.operators[0]
    lines = []
    if ctx.order == "fastest":
        lines.append(f"The fastest is {first.name} ({_n(first.speed)} tasks/h).")
    shown = min(total, MAX_LISTED)
    lines.append(
        f"{total} operators match your conditions; here are the first {shown}, "
        "best skill and experience first:"
    )
    lines += [
        f"- {o.name} at {o.location}: skill level {o.skill_level} on {o.process}, "
        f"{o.experience_months} months of experience, {_n(o.speed)} tasks per hour, "
        f"now {'working on ' + o.current.replace('の', ' ') if o.current else 'not assigned'}"
        for o in ctx.operators[:MAX_LISTED]
    ]
    return lines


def _lookup(ctx: AnswerContext) -> list[str]:
    lines = [f"{name}: no operator of that name is registered (not found)." for name in ctx.unknown]
    family = shared_start([p.name for p in ctx.profiles]) if len(ctx.profiles) > 1 else ""
    if len(family) >= 2:  # namesakes, not two people whose names start alike
        who = ", ".join(f"{p.name} ({p.location})" for p in ctx.profiles)
        lines.append(f"There are {len(ctx.profiles)} people named {family}: {who}.")
    for p in ctx.profiles:
        if not p.active:
            lines.append(f"{p.name} ({p.location}) is inactive and cannot be assigned.")
        elif p.current is None:
            lines.append(f"{p.name} ({p.location}) is not assigned to any queue.")
        else:
            site, business, process = p.current
            lines.append(
                f"{p.name} works on {_queue_name(site, process, business, p.business_name)}."
            )
        skills = ", ".join(f"{s.process} Lv{s.level} ({_n(s.speed)} tasks/h)" for s in p.skills)
        lines.append(f"Skills: {skills}." if skills else "No skills recorded.")
        day = f"on {p.shift_day:%b %-d}" if p.shift_day is not None else "today"
        if p.shift is not None:
            shift = f"{p.name}'s shift {day}: {p.shift[0]:%H:%M}–{p.shift[1]:%H:%M}."
        else:
            shift = f"No shift recorded for {p.name} {day}."
        asked = len(ctx.profiles) == 1 and SHIFT_ASKED.search(ctx.message.lower()) is not None
        lines.insert(0 if asked else len(lines), shift)
    return lines


def _knowhow(ctx: AnswerContext) -> list[str]:
    """The managers' notes are written in Japanese: named here, quoted under sources."""
    if not ctx.knowhow:
        return []
    titles = "; ".join(f"'{k.title}'" for k in ctx.knowhow)
    return [
        "The operation's know-how notes are written in Japanese; the ones that match your "
        f"question are {titles} (their full text is listed with the sources of this answer)."
    ]


HELP = [
    "AIMEE watches every queue's progress and deadline and proposes who to move where.",
    "Ask, for example: 'Will Sapporo エントリ1 make its deadline?',",
    "'Which queues will be late?', 'Who is the fastest on 補正?', 'Where is 高山麻由子?',",
    "or '札幌のエントリ1工程が遅延しています'.",
]


def _help(ctx: AnswerContext) -> list[str]:
    return HELP


def _approval(ctx: AnswerContext) -> list[str]:
    return [
        "Please approve a suggestion with the Approve button on its card (who decided and when "
        "is recorded); the chat does not approve anything itself."
    ]


def _out_of_scope(ctx: AnswerContext) -> list[str]:
    lines = []
    if ctx.unknown:
        names = ", ".join(ctx.unknown)
        lines.append(f"{names}: not found in AIMEE's data. Sites: {', '.join(ctx.sites)}.")
    lines.append(
        "AIMEE knows today's progress of the sites and processes in its data and proposes "
        "staff moves; it cannot answer anything else."
    )
    return lines


_BY_KIND: dict[str, Callable[[AnswerContext], list[str]]] = {
    "plan": _plan,
    "what_if": _impact,
    "donor_check": _donor,
    "status": _status,
    "finish_time": _queues,
    "delay_risk": _delay_risk,
    "skill_search": _skill_search,
    "operator_lookup": _lookup,
    "knowhow": lambda ctx: _knowhow(ctx) or HELP,
    "help": _help,
    "approval_request": _approval,
    "out_of_scope": _out_of_scope,
}


def compose(ctx: AnswerContext) -> str:
    """The English answer for ``ctx`` (its Japanese notes are left to the kinds that
    quote them)."""
    lines = _BY_KIND.get(ctx.kind, _queues)(ctx)
    if not lines:
        lines = [
            "I could not tell what or whom you mean. Please name the site, process or person "
            "as registered (e.g. 札幌, エントリ1, 高山麻由子)."
        ]
    return "\n".join(lines).strip()

"""The facts of an answer as records: whose figure (queue, operator, the floor), which
field, its value and unit. A generated answer's numbers are checked against these, per
sentence and per label (``llm.claims``), never against a flat set of numbers.

Besides the stated figures, a few safe derived ones count as facts (head counts after
the moves, differences before/after, the share of late tasks removed, a speed-up as a
ratio), each only where the sentence also says what kind of figure it is (``needs``).
Know-how and the manager's message are never facts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from aimee.llm.context import (
    AnswerContext,
    DayPlanFacts,
    QueueChange,
    QueueFacts,
    SuggestionFacts,
)
from aimee.llm.quantities import normalise, quantities
from aimee.llm.wording import statements, to_minute

MAX_LISTED = 8  # as ``llm.wording``: lists stop there and say 「ほかN…」

TOTAL = r"全体|全キュー|全拠点|フロア|合計|計|総|すべて|全部|トータル"
CHANGE = r"減|増|改善|悪化|短縮|早ま|早く|遅く|延び|差|縮|削減|解消|なくな|変わ"
AFTER = r"体制|なり|なる|に増|へ増|増員|後|合計|計|になります|となり|加わ"
RATIO = r"割|倍|%|パーセント"
DONE = r"処理|片付|終わ|こなせ|さばけ|完了"


@dataclass(frozen=True)
class Fact:
    value: float
    unit: str
    field: str
    tags: frozenset[str] = frozenset()
    """``site:札幌``, ``proc:エントリ1``, ``biz:523201``, ``op:長谷川陽子``; none: the floor."""
    signed: bool = False
    """A change or a difference: positive is later / more (see ``llm.claims``)."""
    needs: str = ""
    """A pattern the sentence must contain for this fact to count (derived figures, totals)."""


@dataclass
class FactBook:
    facts: list[Fact] = field(default_factory=list)
    sites: set[str] = field(default_factory=set)
    processes: set[str] = field(default_factory=set)
    businesses: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    """Operators the answer may name."""
    premise_people: set[str] = field(default_factory=set)
    """Those the services' own sentences name (a what-if's premise: not a plan's move)."""
    movers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Each moved operator's destinations (site, process)."""
    later_movers: set[str] = field(default_factory=set)
    """People a plan for the rest of the day moves only later (at a time, not now)."""
    states: list[QueueState] = field(default_factory=list)
    donors: set[tuple[str, str | None]] = field(default_factory=set)
    """(site, process) someone leaves under the plan on the table."""
    floor: tuple[int, int] | None = None
    """The floor's (or the touched queues') late tasks before and after the change."""
    _units: dict[str, set[str]] | None = None

    def units(self) -> dict[str, set[str]]:
        """The units each field's facts have (``経験`` is in months, never tasks)."""
        if self._units is None:
            self._units = {}
            for fact in self.facts:
                self._units.setdefault(fact.field, set()).add(fact.unit)
        return self._units

    def add(
        self, value: float | None, unit: str, name: str, tags: frozenset[str], **kw: object
    ) -> None:
        if value is not None:
            self.facts.append(Fact(float(value), unit, name, tags, **kw))  # type: ignore[arg-type]


@dataclass(frozen=True)
class QueueState:
    """A queue's late tasks in one state (``now``, ``before`` or ``after`` the change)."""

    site: str
    process: str
    state: str
    late: float
    completion: datetime | None = None


def _tags(site: str, process: str, business: str = "", business_name: str = "") -> frozenset[str]:
    """A fact's labels; a business by its id and its name (「SS」), either of which a
    sentence may use."""
    tags = {f"site:{site}", f"proc:{process}"}
    tags |= {f"biz:{b}" for b in (business, business_name) if b}
    return frozenset(tags)


def minute_of_day(moment: datetime) -> float:
    """As ``wording.clock`` shows it: rounded to the nearest minute."""
    shown = to_minute(moment)
    return shown.hour * 60 + shown.minute


def _minutes(later: datetime, earlier: datetime) -> float:
    return round((later - earlier).total_seconds() / 60)


def _queue(book: FactBook, q: QueueFacts) -> None:
    tags = _tags(q.location, q.process, q.business_id, q.business_name)
    book.sites.add(q.location)
    book.processes.add(q.process)
    book.businesses.update(b for b in (q.business_id, q.business_name) if b)
    add = book.add
    add(round(q.waiting), "件", "waiting", tags)
    add(minute_of_day(q.deadline), "time", "deadline", tags)
    add(round(q.minutes_left), "min", "minutes_left", tags)
    add(q.staff_count, "名", "staff", tags)
    add(round(q.rate_per_hour), "件/時", "rate", tags)
    add(round(q.efficiency * 100), "%", "efficiency", tags)
    add(round(q.late_tasks), "件", "late", tags)
    add(round(q.expected_arrivals), "件", "arrivals", tags)
    if q.projected_completion is not None:
        add(minute_of_day(q.projected_completion), "time", "completion", tags)
        add(_minutes(q.projected_completion, q.deadline), "min", "lateness", tags, signed=True)
    done = round(q.waiting) - round(q.late_tasks)
    add(done, "件", "done", tags, needs=DONE)
    add(done + round(q.expected_arrivals), "件", "done", tags, needs=DONE)
    book.states.append(
        QueueState(q.location, q.process, "now", q.late_tasks, q.projected_completion)
    )


def _change(book: FactBook, c: QueueChange) -> None:
    tags = _tags(c.location, c.process, c.business_id, c.business_name)
    book.sites.add(c.location)
    book.processes.add(c.process)
    add = book.add
    before, after = round(c.late_before), round(c.late_after)
    add(before, "件", "late", tags)
    add(after, "件", "late", tags)
    add(after - before, "件", "late", tags, signed=True, needs=CHANGE)
    if before:
        add(100 * (after - before) / before, "%", "late", tags, signed=True, needs=RATIO)
    for moment in (c.completion_before, c.completion_after, c.deadline):
        if moment is not None:
            add(
                minute_of_day(moment),
                "time",
                "completion" if moment != c.deadline else "deadline",
                tags,
            )
    if c.completion_before is not None and c.completion_after is not None:
        add(_minutes(c.completion_after, c.completion_before), "min", "shift", tags, signed=True)
        shown = minute_of_day(c.completion_after) - minute_of_day(c.completion_before)
        add(shown, "min", "shift", tags, signed=True)  # as read off the two times shown
    if c.deadline is not None:
        for moment in (c.completion_before, c.completion_after):
            if moment is not None:
                add(_minutes(moment, c.deadline), "min", "lateness", tags, signed=True)
    book.states.append(
        QueueState(c.location, c.process, "before", c.late_before, c.completion_before)
    )
    book.states.append(QueueState(c.location, c.process, "after", c.late_after, c.completion_after))


_SIGNED = re.compile(r"([+-]?\d+(?:\.\d+)?)")


def _moves(book: FactBook, s: SuggestionFacts) -> None:
    for m in s.moves:
        book.people.add(m.operator_name)
        book.movers.setdefault(m.operator_name, []).append((m.to_location, m.to_process))
        book.sites.add(m.to_location)
        book.processes.add(m.to_process)
        if m.from_location:
            book.sites.add(m.from_location)
            book.donors.add((m.from_location, m.from_process))
        if m.from_process:
            book.processes.add(m.from_process)
        tags = frozenset({f"op:{m.operator_name}", f"proc:{m.to_process}"})
        book.add(m.skill_level, "lv", "level", tags)
        book.add(m.experience_months, "ヶ月", "experience", tags)
        book.add(round(m.speed), "件/時", "rate", tags)
        # a loan's times are said of either queue: 「補正へ戻る」「エントリ1を17:10まで応援」
        both = tags | {f"proc:{m.from_process}"} if m.from_process else tags
        if m.until is not None:
            book.add(minute_of_day(m.until), "time", "loan_until", both)
        if m.shift_end is not None:
            book.add(minute_of_day(m.shift_end), "time", "shift_end", both)


def _suggestion(book: FactBook, s: SuggestionFacts, ctx: AnswerContext) -> None:
    add = book.add
    _moves(book, s)
    add(len(s.moves), "名", "moves", frozenset())
    if len(s.moves) > MAX_LISTED:
        add(len(s.moves) - MAX_LISTED, "名", "moves", frozenset())
    for change in [*s.changes, *([s.target] if s.target else [])]:
        _change(book, change)
    totals: frozenset[str] = frozenset()
    touched_needs = "" if s.target is None else r"移動元|関わる|含め|合計|計|全体"
    add(round(s.late_before), "件", "late", totals, needs=touched_needs)
    add(round(s.late_after), "件", "late", totals, needs=touched_needs)
    productivity = _SIGNED.search(s.productivity)
    if productivity:
        gain = float(productivity.group(1))
        add(gain, "%", "productivity", totals, signed=True)
        add(1 + gain / 100, "倍", "productivity", totals)
    delay = _SIGNED.search(s.delay)
    if delay:
        add(float(delay.group(1)), "min", "shift", totals, signed=True)
    if s.floor_before is not None and s.floor_after is not None:
        add(s.floor_before, "件", "late", totals, needs=TOTAL)
        add(s.floor_after, "件", "late", totals, needs=TOTAL)
        add(s.floor_after - s.floor_before, "件", "late", totals, signed=True, needs=TOTAL)
        book.floor = (s.floor_before, s.floor_after)
    else:
        book.floor = (round(s.late_before), round(s.late_after))
    if s.target is not None:
        into = sum(
            1
            for m in s.moves
            if (m.to_location, m.to_process) == (s.target.location, s.target.process)
        )
        for q in ctx.queues:
            if (q.location, q.process) == (s.target.location, s.target.process):
                tags = _tags(q.location, q.process, q.business_id, q.business_name)
                add(q.staff_count + into, "名", "staff", tags, needs=AFTER)
    for q in ctx.queues:
        leaving = sum(
            1 for m in s.moves if (m.from_location, m.from_process) == (q.location, q.process)
        )
        if leaving:
            add(
                q.staff_count - leaving,
                "名",
                "staff",
                _tags(q.location, q.process, q.business_id, q.business_name),
                needs=AFTER,
            )
    for text in [s.premise, *s.rules_applied]:
        _stated(book, text)


def _stated(book: FactBook, text: str) -> None:
    """Figures the services wrote as sentences (notes, rules, a what-if's premise); each
    counts where the sentence keeps a word next to it (「6名の案」 is no head count)."""
    normal = normalise(text)
    for q in quantities(normal):
        if q.unreadable:
            continue
        near = [normal[max(0, q.start - 2) : q.start], normal[q.end : q.end + 2]]
        needs = "|".join(re.escape(word) for word in near if len(word.strip()) == 2)
        book.add(q.value, q.unit, "any", frozenset(), signed=q.signed, needs=needs)


def _counts(book: FactBook, ctx: AnswerContext) -> None:
    add = book.add
    queues = ctx.queues
    late = [q for q in queues if q.will_be_late]
    for unit in ("工程", "件", ""):
        add(len(queues), unit, "count", frozenset())
        add(len(late), unit, "count", frozenset())
        for listed in (queues, late):
            if len(listed) > MAX_LISTED:
                add(len(listed) - MAX_LISTED, unit, "count", frozenset())
    if late:
        add(sum(round(q.late_tasks) for q in late), "件", "late", frozenset(), needs=TOTAL)
    if ctx.operators:
        add(
            ctx.operators_total if ctx.operators_total is not None else len(ctx.operators),
            "名",
            "count",
            frozenset(),
        )
        add(min(len(ctx.operators), MAX_LISTED), "名", "count", frozenset())


def _people(book: FactBook, ctx: AnswerContext) -> None:
    add = book.add
    for o in ctx.operators:
        book.people.add(o.name)
        book.sites.add(o.location)
        tags = frozenset({f"op:{o.name}", f"proc:{o.process}"})
        add(o.skill_level, "lv", "level", tags)
        add(o.experience_months, "ヶ月", "experience", tags)
        add(round(o.speed), "件/時", "rate", tags)
    for p in ctx.profiles:
        book.people.add(p.name)
        book.sites.add(p.location)
        if p.shift is not None:
            person = frozenset({f"op:{p.name}"})
            book.add(minute_of_day(p.shift[0]), "time", "shift_start", person)
            book.add(minute_of_day(p.shift[1]), "time", "shift_end", person)
        if p.current:
            book.sites.add(p.current[0])
            book.processes.add(p.current[2])
        for unit in ("工程", "件", "つ", ""):
            add(len(p.skills), unit, "count", frozenset({f"op:{p.name}"}))
        for s in p.skills:
            tags = frozenset({f"op:{p.name}", f"proc:{s.process}"})
            book.processes.add(s.process)
            add(s.level, "lv", "level", tags)
            add(s.experience_months, "ヶ月", "experience", tags)
            add(round(s.speed), "件/時", "rate", tags)
    if ctx.donor is not None:
        book.sites.add(ctx.donor.place.split("の")[0])
        add(len(ctx.donor.leaving), "名", "moves", frozenset())
        for m in ctx.donor.leaving:
            book.people.add(m.operator_name)
            if m.from_location:
                book.donors.add((m.from_location, m.from_process))
        for c in ctx.donor.queues:
            _change(book, c)


def _day_plan(book: FactBook, d: DayPlanFacts) -> None:
    """A plan for the rest of the day: the floor's late tasks at the deadlines with the
    timeline, its counts, and each later move's person, places and times."""
    add = book.add
    none: frozenset[str] = frozenset()
    before, after = round(d.late_before), round(d.late_after)
    add(before, "件", "late", none, needs=TOTAL)
    add(after, "件", "late", none, needs=TOTAL)
    add(after - before, "件", "late", none, signed=True, needs=TOTAL)
    book.floor = (before, after)
    # the floor's verdict (「間に合わない工程が残ります」) is said of these
    book.states.append(QueueState("", "", "before", d.late_before))
    book.states.append(QueueState("", "", "after", d.late_after))
    add(d.first_moves, "名", "moves", none)
    for unit in ("件", "回", ""):
        add(len(d.later), unit, "count", none)
        if len(d.later) > MAX_LISTED:
            add(len(d.later) - MAX_LISTED, unit, "count", none)
    add(d.intervals, "", "count", none, needs="時間帯")
    add(minute_of_day(d.planned_at), "time", "now", none)
    add(d.seconds_left / 60, "min", "wait", none)
    if d.gap is not None:
        add(math.ceil(d.gap * 100), "%", "gap", none)
    for step in d.later:
        if step.operator_name not in book.movers:  # the first moves' are there already
            book.later_movers.add(step.operator_name)
        book.people.add(step.operator_name)
        book.movers.setdefault(step.operator_name, []).append((step.to_location, step.to_process))
        book.sites.add(step.to_location)
        book.processes.add(step.to_process)
        tags = {f"op:{step.operator_name}", f"proc:{step.to_process}"}
        if step.from_location and step.from_process:
            book.sites.add(step.from_location)
            book.processes.add(step.from_process)
            tags.add(f"proc:{step.from_process}")
        for field_name, moment in (
            ("move_at", step.at),
            ("loan_until", step.until),
            ("shift_end", step.shift_end),
        ):
            if moment is not None:
                add(minute_of_day(moment), "time", field_name, frozenset(tags))


def fact_book(ctx: AnswerContext) -> FactBook:
    """Every fact the answer for ``ctx`` may state, with whom it is about."""
    book = FactBook()
    book.add(minute_of_day(ctx.now), "time", "now", frozenset())
    book.add(ctx.now.month * 100 + ctx.now.day, "date", "now", frozenset())
    if ctx.by_time is not None:
        book.add(minute_of_day(ctx.by_time), "time", "by_time", frozenset())
        for q in ctx.queues:
            if q.projected_completion is not None:
                book.add(
                    _minutes(q.projected_completion, ctx.by_time),
                    "min",
                    "lateness",
                    _tags(q.location, q.process, q.business_id, q.business_name),
                    signed=True,
                )
    for q in ctx.queues:
        _queue(book, q)
    if ctx.suggestion is not None and ctx.day_plan is not None:
        # a day plan's figures are the day's: its first moves' snapshot figures (the card's
        # 「今の移動だけの場合」) are no facts of the answer, which never states them
        _moves(book, ctx.suggestion)
        book.add(len(ctx.suggestion.moves), "名", "moves", frozenset())
    elif ctx.suggestion is not None:
        _suggestion(book, ctx.suggestion, ctx)
    _people(book, ctx)
    _counts(book, ctx)
    if ctx.day_plan is not None:
        _day_plan(book, ctx.day_plan)
    premise = ctx.suggestion.premise if ctx.suggestion else ""
    stated = statements(ctx)
    for text in (*stated, *ctx.remarks):
        _stated(book, text)
    for name in ctx.names.operators:  # people the services' own sentences name
        if any(name in text for text in (*stated, *ctx.remarks, premise)):
            book.people.add(name)
            book.premise_people.add(name)
    book.sites.update(ctx.sites)
    return book

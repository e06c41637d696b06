"""Is a generated answer true to its facts? ``AnswerCheck`` checks it claim by claim, a
sentence at a time (so a stream can be checked as it arrives, ``llm.responder``), then as a
whole; ``check`` runs it over a finished answer. How a sentence is read is
``llm.claim_reading``; the facts it is checked against are ``llm.fact_book``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from aimee.llm import template
from aimee.llm.claim_reading import (
    CLOCK,
    NOW_MOVE,
    Mentions,
    direction,
    label,
    mask_ids,
    name_pattern,
    overlap,
    same,
    sentences,
    shares_words,
    squeezed,
    verdict,
)
from aimee.llm.claim_words import (
    AFTER_WORDS,
    ALL,
    BEFORE_WORDS,
    BETTER,
    FREE_FIELDS,
    HONORIFIC,
    ID,
    IDENTIFIER,
    KANA,
    LATE,
    LETTER,
    MOVE_VERB,
    NO_IMPACT,
    NOT_PEOPLE,
    ON_TIME,
    POLICY,
    SAME,
    WORSE,
)
from aimee.llm.context import AnswerContext
from aimee.llm.fact_book import Fact, FactBook, fact_book
from aimee.llm.fence import looks_like_instruction
from aimee.llm.quantities import Quantity, normalise, quantities
from aimee.llm.wording import statements

__all__ = ["VERBATIM_MIN", "AnswerCheck", "Problem", "check", "sentences"]
"""``sentences`` is ``llm.claim_reading``'s, kept here for existing importers."""

VERBATIM_MIN = 16
"""A sentence found word for word in AIMEE's answer passes unchecked only from this
length: 「間に合います。」 alone could be about another queue."""


@dataclass(frozen=True)
class Problem:
    sentence: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.sentence.strip()[:80]}"


@dataclass
class AnswerCheck:
    """Checks one answer for ``ctx``, a sentence at a time, then as a whole.

    For each sentence: whom it is about (sites, processes, operators named; else the
    previous sentence's subjects), then
    - every number, read in any form (``llm.quantities``), is a fact of those subjects with
      the same unit, the label the sentence gives it (残タスク, 遅延, 経験…) and the direction
      it states (早まる / 遅くなる, 減る / 増える), within the rounding the text shows;
    - every person named is one the facts are about; a move stated is one of the plan's;
    - on time / late, 影響なし, better / worse / unchanged agree with the facts;
    - a rule or policy is one the rules applied or the know-how retrieved state;
    - no identifier (a token, a code) appears that the facts do not have.
    For the whole answer: it is in the manager's language and states the computed
    conclusion (its verdict and at least one of its figures). The subjects are kept
    between sentences, so a stream can be checked a sentence at a time.
    """

    ctx: AnswerContext
    computed: str
    """The template's answer for ``ctx`` (its conclusion is the one to state)."""
    book: FactBook = field(init=False)
    _carried: Mentions = field(init=False, default_factory=Mentions)
    _named: bool = field(init=False, default=False)
    """Some sentence named a site, process or person of the facts."""
    _said: list[str] = field(init=False, default_factory=list)
    _own: str = field(init=False)
    _own_squeezed: str = field(init=False)
    _notes: list[str] = field(init=False)
    """The retrieved know-how that may be quoted (not instructions planted in it)."""
    _donors: Mentions = field(init=False)
    _focus: Mentions = field(init=False)
    """What AIMEE itself computed or decided (no know-how: identifiers must come from here)."""
    _support: str = field(init=False)
    _kinds: dict[str, str] = field(init=False)
    _names: re.Pattern[str] | None = field(init=False)

    def __post_init__(self) -> None:
        self.book = fact_book(self.ctx)
        names = self.ctx.names
        self._kinds = {}
        for kind, values in (
            ("site", (*names.sites, *self.book.sites)),
            ("proc", (*names.processes, *self.book.processes)),
            ("biz", (*names.businesses, *self.book.businesses)),
            ("op", (*names.operators, *self.book.people)),
        ):
            for value in values:
                self._kinds.setdefault(value, kind)
        self._names = name_pattern(tuple(self._kinds))
        rules = self.ctx.suggestion.rules_applied if self.ctx.suggestion else []
        own = template.compose(replace(self.ctx, knowhow=[]))  # know-how is not a fact
        self._own = "\n".join([own, *rules, *statements(self.ctx)]).lower()
        self._notes = [
            f"{k.title}: {k.content}"
            for k in self.ctx.knowhow
            if not looks_like_instruction(f"{k.title} {k.content}")
        ]
        self._support = "\n".join([self._own, *self._notes])
        self._carried = self._focus = _focus(self.ctx)
        self._own_squeezed = squeezed(own)
        self._donors = Mentions(
            frozenset(site for site, _ in self.book.donors),
            frozenset(process for _, process in self.book.donors if process),
        )

    # -- one sentence -----------------------------------------------------------------

    def sentence(self, text: str) -> Problem | None:
        """The first false or unsupported claim of one sentence, or None."""
        plain = unicodedata.normalize("NFKC", text)
        if not plain.strip():
            return None
        self._said.append(plain)
        plain_squeezed = squeezed(plain)
        if len(plain_squeezed) >= VERBATIM_MIN and plain_squeezed in self._own_squeezed:
            return None  # said as AIMEE computed it (long enough to carry its subject)
        if self._quotes_knowhow(plain):
            return None  # a know-how note as written
        mentions, masked, problem = self._mentions(plain)
        if problem:
            return Problem(text, problem)
        if mentions:
            scope = mentions
        elif "移動元" in plain:
            scope = self._donors
        else:  # unnamed: the previous sentence's subject, or the queue asked about
            scope = self._carried | self._focus
        if mentions:
            self._carried, self._named = mentions, True
        for check in (
            self._language,
            self._numbers,
            self._moves,
            self._verdicts,
            self._policy,
            self._identifiers,
            self._instructions,
        ):
            reason = check(plain, masked, scope, mentions)
            if reason:
                return Problem(text, reason)
        return None

    def _quotes_knowhow(self, plain: str) -> bool:
        """The sentence restates one know-how note: its wording and all its figures are
        the note's (a rule of the operation, quoted; not a fact about today)."""
        for note in self._notes:
            if overlap(plain, note) >= 0.8:
                theirs = quantities(normalise(note))
                ours = quantities(normalise(plain))
                if all(any(same(q, t) for t in theirs) for q in ours if not q.unreadable):
                    return not any(q.unreadable for q in ours)
        return False

    def _mentions(self, plain: str) -> tuple[Mentions, str, str | None]:
        """Names in the sentence, the sentence with names masked, an unknown person."""
        found: dict[str, set[str]] = {"site": set(), "proc": set(), "biz": set(), "op": set()}
        masked = list(plain)
        if self._names is not None:
            for match in self._names.finditer(plain):
                found[self._kinds[match.group(0)]].add(match.group(0))
                masked[match.start() : match.end()] = "＿" * (match.end() - match.start())
        for match in ID.finditer(plain):
            masked[match.start() : match.end()] = "＿" * (match.end() - match.start())
        for match in HONORIFIC.finditer(plain):
            name = match.group(1)
            if name in NOT_PEOPLE or name in found["op"]:
                continue
            people = [p for p in self.book.people if p.startswith(name)]
            if people:
                found["op"].update(people)
            elif not any(n.endswith(name) or name.endswith(n) for n in found["op"]):
                return Mentions(), "", f"unknown person {name}"
        for person in found["op"]:
            if person not in self.book.people:
                return Mentions(), "", f"{person} is not in this answer's facts"
        mentions = Mentions(
            frozenset(found["site"]),
            frozenset(found["proc"]),
            frozenset(found["biz"]),
            frozenset(found["op"]),
        )
        return mentions, "".join(masked), None

    def _in_scope(self, fact: Fact, scope: Mentions) -> bool:
        if not scope:
            return True
        said = scope.tags()
        for kind, tags in said.items():
            own = {t for t in fact.tags if t.startswith(kind + ":")}
            if own and tags and not (own & tags):
                return False
        return True

    def _numbers(self, plain: str, masked: str, scope: Mentions, mentions: Mentions) -> str | None:
        normal = normalise(masked)
        for q in quantities(normal):
            if q.unreadable:
                return "a number that cannot be checked"
            if not self._grounded(q, normal, scope):
                return f"ungrounded {normal[q.start : q.end]}"
        return None

    def _grounded(self, q: Quantity, normal: str, scope: Mentions) -> bool:
        fields = label(q, normal, self.book)
        if fields == frozenset({"!"}):
            return False
        sign, carriers = direction(q, normal)
        tolerance = q.precision / 2 + 1e-6
        for fact in self.book.facts:
            if q.unit and fact.unit != q.unit:
                continue
            if fact.needs and not re.search(fact.needs, normal):
                continue
            if fields and fact.field not in fields and fact.field not in FREE_FIELDS:
                continue
            if not self._in_scope(fact, scope):
                continue
            if sign and (fact.field not in carriers or not (fact.signed or fact.field == "any")):
                continue  # 「20件減る」 is a change, not a level; 「4分遅くなる」 no offset
            if fact.signed and (q.signed or sign):
                stated = q.value if q.signed else sign * abs(q.value)
                if abs(fact.value - stated) <= tolerance:
                    return True
            elif abs(abs(fact.value) - abs(q.value)) <= tolerance:
                return True
        return False

    def _moves(self, plain: str, masked: str, scope: Mentions, mentions: Mentions) -> str | None:
        if not mentions.people or not MOVE_VERB.search(plain):
            return None
        for person in mentions.people:
            if person in self.book.premise_people or not re.search(
                re.escape(person) + r"(?:さん|氏)?(?:を|が)", plain
            ):
                continue
            if person not in self.book.movers:
                if self.ctx.suggestion is not None or re.search(r"[をが].{0,20}(?:へ|に)", plain):
                    return f"a move of {person} that the plan does not make"
                continue
            if (
                person in self.book.later_movers
                and NOW_MOVE.search(plain)
                and not CLOCK.search(plain)
            ):
                return f"{person}'s move is planned later, said as now"
            places = self.book.movers[person]
            if mentions.sites and not any(site in mentions.sites for site, _ in places):
                return f"{person} is sent where the plan does not send them"
            if mentions.processes and not any(p in mentions.processes for _, p in places):
                return f"{person} is sent where the plan does not send them"
        return None

    def _states(self, plain: str, scope: Mentions) -> list[tuple[float, str]]:
        states = [
            s
            for s in self.book.states
            if (not scope.sites or s.site in scope.sites)
            and (not scope.processes or s.process in scope.processes)
        ]
        if BEFORE_WORDS.search(plain):
            wanted = {"before", "now"}
        elif AFTER_WORDS.search(plain) and any(s.state == "after" for s in states):
            wanted = {"after"}
        else:
            wanted = {"before", "after", "now"}
        return [(s.late, s.state) for s in states if s.state in wanted]

    def _verdicts(self, plain: str, masked: str, scope: Mentions, mentions: Mentions) -> str | None:
        return (
            self._on_time(plain, scope)
            or (self._no_impact(scope) if NO_IMPACT.search(plain) else None)
            or self._trend(plain, scope, mentions)
        )

    def _on_time(self, plain: str, scope: Mentions) -> str | None:
        """間に合う / 間に合わない against the queues in scope, in the state the sentence
        speaks of (before or after the change)."""
        on_time, late = ON_TIME.search(plain), LATE.search(plain)
        if not (on_time or late):
            return None
        states = self._states(plain, scope)
        if not states:
            return "a verdict about a queue the facts do not cover" if scope else None
        if on_time and not late:
            ok = [round(value) == 0 for value, _ in states]
            everything = not scope or bool(ALL.search(plain))
            if not (all(ok) if everything else any(ok)):
                return "says on time where the facts say late"
        if late and not on_time and not any(round(v) > 0 for v, _ in states):
            return "says late where the facts say on time"
        return None

    def _trend(self, plain: str, scope: Mentions, mentions: Mentions) -> str | None:
        """良くなる / 悪くなる / 変わらない against the floor (or the touched queues)."""
        if self.book.floor is None:
            return None
        before, after = self.book.floor
        better, worse = BETTER.search(plain), WORSE.search(plain)
        if better and not worse and after >= before and not _moved(self.book, scope, -1):
            return "says better where the facts do not"
        if worse and not better and after <= before and not _moved(self.book, scope, 1):
            return "says worse where the facts do not"
        if SAME.search(plain) and after != before and not mentions:
            return "says unchanged where the facts change"
        return None

    def _no_impact(self, scope: Mentions) -> str | None:
        """影響ありません about a place someone leaves, or whose late tasks grow."""
        for site, process in self.book.donors:
            if site in scope.sites and (not scope.processes or process in scope.processes):
                return f"says no effect on {site} while the plan takes people from it"
        if _moved(self.book, scope, 1) and scope.sites:
            return "says no effect on a place whose late tasks grow"
        return None

    def _policy(self, plain: str, masked: str, scope: Mentions, mentions: Mentions) -> str | None:
        if not POLICY.search(plain):
            return None
        if overlap(plain, self._support) >= 0.6:
            return None
        return "a rule that neither the rules applied nor the know-how state"

    def _language(self, plain: str, masked: str, scope: Mentions, mentions: Mentions) -> str | None:
        letters = LETTER.findall(masked)
        if self.ctx.language == "ja" and len(letters) >= 8:
            japanese = len(KANA.findall(masked))
            return "not in the manager's language" if japanese < 0.5 * len(letters) else None
        return None

    def _identifiers(
        self, plain: str, masked: str, scope: Mentions, mentions: Mentions
    ) -> str | None:
        if self.ctx.language != "ja":
            return None
        for token in IDENTIFIER.findall(masked):
            if token.lower() not in self._own and token.lower() not in {"lv", "ok"}:
                return f"an identifier the facts do not have ({token})"
        return None

    def _instructions(
        self, plain: str, masked: str, scope: Mentions, mentions: Mentions
    ) -> str | None:
        if looks_like_instruction(plain) and not self._own_squeezed.count(squeezed(plain)):
            return "repeats instructions planted in the data"
        return None

    # -- the whole answer ---------------------------------------------------------------

    def finish(self) -> Problem | None:
        """Whole-answer claims: the manager's language, and the computed conclusion."""
        said = "".join(self._said)
        letters = LETTER.findall(said)
        if self.ctx.language == "ja" and (
            not letters or len(KANA.findall(said)) < 0.5 * len(letters)
        ):
            return Problem(said[:80], "not in the manager's language")
        missing = self._unconcluded()
        return Problem(said[:80], missing) if missing else None

    @property
    def concluded(self) -> bool:
        """The sentences so far state the computed conclusion (a stream may show them)."""
        return self._unconcluded() is None

    def _unconcluded(self) -> str | None:
        """What of the computed conclusion the sentences so far do not state."""
        first = next((s for s in sentences(self.computed) if s.strip()), "")
        if not first:
            return None
        wanted = verdict(first)
        if wanted and wanted not in {verdict(s) for s in self._said} - {None}:
            return f"does not state the conclusion ({wanted})"
        key = [q for q in quantities(normalise(mask_ids(first))) if not q.unreadable and q.unit]
        if key and not wanted:  # no verdict to state: the conclusion is its figures
            stated = [q for s in self._said for q in quantities(normalise(mask_ids(s)))]
            if not any(same(k, s) for k in key for s in stated):
                return "does not state the conclusion's figures"
        elif (
            not self._named
            and not any(verdict(s) for s in self._said)
            and not shares_words("".join(self._said), self._support)
        ):
            return "states nothing the facts say"
        return None


def _focus(ctx: AnswerContext) -> Mentions:
    """Whom a first sentence that names nobody is about: the queue asked about (the floor,
    for a plan of the rest of the day)."""
    if ctx.day_plan is not None:
        return Mentions()
    s = ctx.suggestion
    if s is not None and s.target is not None:
        return Mentions(frozenset({s.target.location}), frozenset({s.target.process}))
    if len(ctx.queues) == 1:
        q = ctx.queues[0]
        return Mentions(frozenset({q.location}), frozenset({q.process}))
    if len(ctx.profiles) == 1:
        return Mentions(people=frozenset({ctx.profiles[0].name}))
    return Mentions()


def _moved(book: FactBook, scope: Mentions, sign: int) -> bool:
    """A queue in scope whose late tasks grow (``sign`` 1) or shrink (-1) under the change."""
    before = {(s.site, s.process): s.late for s in book.states if s.state == "before"}
    return any(
        sign * (round(s.late) - round(before.get((s.site, s.process), s.late))) > 0
        for s in book.states
        if s.state == "after"
        and (not scope.sites or s.site in scope.sites)
        and (not scope.processes or s.process in scope.processes)
    )


def check(ctx: AnswerContext, text: str, computed: str) -> Problem | None:
    """The first problem of ``text`` as an answer for ``ctx``, or None."""
    checker = AnswerCheck(ctx, computed)
    for piece in sentences(text):
        problem = checker.sentence(piece)
        if problem:
            return problem
    return checker.finish()

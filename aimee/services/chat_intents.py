"""Step 3-4 of the chat pipeline: the data and the suggestion for each intent.

Each handler reads the database through the scenario builder and repositories,
computes with the planner, and returns the facts the answer may state."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from aimee.llm.context import (
    DayPlanFacts,
    DonorCheck,
    NoHelpfulHelpers,
    OperatorFacts,
    OperatorProfile,
    QueueFacts,
    SuggestionFacts,
)
from aimee.nlu.normalize import normalize
from aimee.nlu.request import QueueRef, Request, Slots
from aimee.planner import QueueKey, plan_from_moves, violations
from aimee.planner.domain import Move, QueueId
from aimee.services import facts
from aimee.services.alert_rules import severity_by_queue, urgency
from aimee.services.alerts import current_drafts
from aimee.services.day_plan import DayPlanner
from aimee.services.planning import PlanLimits, suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import AnyOf, Focus, ScenarioFilter, Situation, build_situation
from aimee.services.suggestions import SuggestionPublic, stored_plan
from aimee.store.repositories import suggestions as suggestion_repo

MAX_OPERATORS = 20


@dataclass(frozen=True)
class TurnInput:
    session: Session
    message: str
    entities: dict[str, Any]
    now: datetime
    policy: Policy
    previous_suggestion_id: str | None = None
    user: str | None = None
    request: Request | None = None
    """What the message asks, with its constraints."""
    thread: Request | None = None
    """The conversation's last plan or what-if (what a donor check is about)."""
    day_plans: DayPlanner | None = None
    """Plans for the rest of the day (None: the chat cannot make one here)."""
    may_plan_day: bool = False
    """The person asking may start a plan for the rest of the day (approver or higher, as
    ``POST /plan/day``); anyone may see one made on the current data."""
    day_plan_wait_s: float = 0.0
    """How long the turn waits for a plan for the rest of the day to be done."""


WORST_ASKED = re.compile(
    r"(?:いちばん|一番|最も|もっとも)(?:遅れ(?!が?(?:少な|小さ)|て?い?な[いく])|やば|ヤバ|危な|まず|ひど)"
    r"[^。?？]{0,6}?(?:工程|とこ|ところ|キュ|の)"
    r"|(?:どっち|どちら)(?:が|の方が|のほうが)\s*(?:やば|ヤバ|危な|まず|遅れ|きつ|ひど)"
    r"|\b(?:which|what)\b[^?.!]*?\b(?:worst|worse|most (?:late|behind|at risk))\b"
)
"""「那覇でいちばん遅れてる工程」「一番ヤバいのどれ」「E2と検証、どっちがやばい？」 "which is
the worst?": the queue with the most late tasks."""


NO_HELPFUL_HELPERS = "移動できる応援者では遅延見込みを減らせないため、配置変更の提案はありません。"


@dataclass
class TurnData:
    queues: list[QueueFacts] = field(default_factory=list)
    suggestion: SuggestionFacts | None = None
    card: SuggestionPublic | None = None
    operators: list[OperatorFacts] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """Said right after the conclusion."""
    whole_floor: bool = False
    """``queues`` are every queue of the floor."""
    profiles: list[OperatorProfile] = field(default_factory=list)
    donor: DonorCheck | None = None
    operators_total: int | None = None
    """How many operators match (``operators`` holds the first of them)."""
    order: str = "skill"
    """How ``operators`` are ordered: skill, fastest or most_experienced."""
    by_time: datetime | None = None
    """A time the manager asked about (「16時までに終わる？」)."""
    unknown: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    answered_as: str | None = None
    """The kind the answer is worded as, when not the one asked (an unknown name is
    answered as out of scope)."""
    referents: tuple[str, ...] = ()
    """The people the answer is about first (what 「その人」 next refers to)."""
    queue_referents: tuple[QueueRef, ...] = ()
    """The late queues the answer listed (what 「それ」 next refers to)."""
    day_plan: DayPlanFacts | None = None
    """A plan for the rest of the day (its first moves are ``suggestion``)."""
    worst_first: bool = False
    """The manager asked for the worst queue: ``queues`` start with it."""
    no_helper_helps: bool = False
    """The plan found no helper within its limits who makes the late tasks fewer (its
    note, ``NO_HELPFUL_HELPERS``, says so)."""
    no_helpful_helpers: NoHelpfulHelpers | None = None
    """A what-if adding people that no helper meeting its conditions makes better: the
    verdict both languages word (set instead of a note)."""


def _filter(ref: dict[str, Any]) -> ScenarioFilter:
    return ScenarioFilter(
        location=ref.get("location"),
        business_id=ref.get("business_id"),
        process=ref.get("process"),
    )


def target_refs(turn: TurnInput) -> list[dict[str, Any]]:
    """The queues a request is about, as resolved with its conversation (``nlu.carry``);
    the message's entities only when there is no request."""
    if turn.request is not None:
        return [t.model_dump(exclude_none=True) for t in turn.request.slots.targets]
    return [turn.entities]


def slots_of(turn: TurnInput) -> Slots:
    """The constraints the request states (none without a request)."""
    return turn.request.slots if turn.request is not None else Slots()


def _focus(turn: TurnInput) -> Focus:
    refs = target_refs(turn)
    return _filter(refs[0]) if len(refs) == 1 else AnyOf(tuple(_filter(r) for r in refs))


def _describe(focus: Focus) -> str:
    filters = focus.filters if isinstance(focus, AnyOf) else (focus,)
    labels = [
        "の".join(p for p in (f.location, f.business_id and f"業務{f.business_id}", f.process) if p)
        for f in filters
    ]
    return "・".join(label for label in labels if label) or "全体"


def _matching(situation: Situation, flt: Focus) -> list[QueueFacts]:
    all_facts = facts.queue_facts(situation)
    return [
        f
        for key, f in all_facts.items()
        if flt.matches(QueueKey(location=key[0], business_id=key[1], process=key[2]))
    ]


def _most_urgent_first(turn: TurnInput, queues: list[QueueFacts]) -> list[QueueFacts]:
    """``queues`` ordered as every list of queues is: by the severity the alert
    rules give them now, then the nearest deadline."""
    severity = severity_by_queue(current_drafts(turn.session, turn.now, turn.policy))
    return sorted(
        queues,
        key=lambda q: urgency(
            severity.get((q.location, q.business_id, q.process)),
            q.minutes_left,
            q.location,
            q.process,
        ),
    )


def deadline_optimization(turn: TurnInput, limits: PlanLimits | None = None) -> TurnData:
    """Plan help for the queues named (or all) within ``limits``, keep the suggestion,
    state both."""
    focus = _focus(turn)
    focused = suggest_for(
        turn.session,
        focus,
        now=turn.now,
        policy=turn.policy,
        created_by=turn.user,
        limits=limits,
    )
    if focused is None:
        return TurnData(notes=[f"{_describe(focus)}の進捗データが見つかりません。"])
    queues = _most_urgent_first(turn, _matching(focused.situation, focus))
    data = TurnData(
        queues=[q for q in queues if q.will_be_late] or queues[:1], whole_floor=focus.is_empty
    )
    if focused.refused is not None:
        data.notes.append(focused.refused)
        return data
    if focused.suggestion is None:
        late = sum(q.late_tasks for q in queues)
        data.no_helper_helps = late > 0
        data.notes.append(
            f"{_describe(focus)}は納期に間に合う見込みのため、配置変更は不要です。"
            if late <= 0
            else NO_HELPFUL_HELPERS
        )
        return data
    data.card = focused.suggestion
    data.suggestion = facts.suggestion_facts(
        focused.scenario,
        focused.plan,
        focused.suggestion,
        focus=focused.targets,
        floor=focused.situation.floor_late,
    )
    return data


def delay_risk_detection(turn: TurnInput) -> TurnData:
    """Queues with projected late tasks (the named ones, or all), most urgent first."""
    focus = _focus(turn)
    situation = build_situation(turn.session, now=turn.now, rules=turn.policy.rules)
    queues = _most_urgent_first(turn, _matching(situation, focus))
    if not queues:
        return TurnData(notes=[f"{_describe(focus)}の進捗データが見つかりません。"])
    late = [q for q in queues if q.will_be_late]
    if late and WORST_ASKED.search(normalize(turn.message)):  # 「一番ヤバいのどれ」: it first
        worst = max(late, key=lambda q: q.late_tasks)
        queues = [worst, *(q for q in queues if q is not worst)]
        return TurnData(queues=queues, whole_floor=focus.is_empty, worst_first=True)
    return TurnData(queues=queues, whole_floor=focus.is_empty)


def status_inquiry(turn: TurnInput) -> TurnData:
    focus = _focus(turn)
    situation = build_situation(turn.session, now=turn.now, rules=turn.policy.rules)
    queues = _most_urgent_first(turn, _matching(situation, focus))
    if not queues:
        return TurnData(notes=[f"{_describe(focus)}の進捗データが見つかりません。"])
    return TurnData(queues=queues, whole_floor=focus.is_empty)


def impact_analysis(turn: TurnInput) -> TurnData:
    """The impact of moving a named operator, or of the last suggestion."""
    if turn.entities.get("operator_id") is not None:
        return _impact_of_move(turn)
    if turn.previous_suggestion_id:
        return _impact_of_suggestion(turn, turn.previous_suggestion_id)
    return TurnData(
        notes=["影響を計算する配置変更がわかりません。移動させたい方と移動先を教えてください。"]
    )


def _impact_of_suggestion(turn: TurnInput, suggestion_id: str) -> TurnData:
    row = suggestion_repo.get(turn.session, suggestion_id)
    if row is None:
        return TurnData(notes=[f"提案{suggestion_id}が見つかりません。"])
    scenario, result = stored_plan(row)
    focus = _focus(turn)
    only: list[QueueId] | None = None
    if not focus.is_empty:
        only = [o.key.id for o in result.queues if focus.matches(o.key)]
    return TurnData(suggestion=facts.suggestion_facts(scenario, result, None, only=only))


def _target_for(
    situation: Situation, operator_id: int, entities: dict[str, Any]
) -> QueueKey | None:
    op = next((o for o in situation.scenario.operators if o.id == operator_id), None)
    if op is None:
        return None
    wanted = ScenarioFilter(
        location=entities.get("location"),
        business_id=entities.get("business_id"),
        process=entities.get("process") or (op.assigned.process if op.assigned else None),
    )
    candidates = [q.key for q in situation.scenario.queues if wanted.matches(q.key)]
    if not candidates and wanted.process is not None and not entities.get("process"):
        relaxed = ScenarioFilter(location=wanted.location, business_id=wanted.business_id)
        candidates = [q.key for q in situation.scenario.queues if relaxed.matches(q.key)]
        candidates = [k for k in candidates if k.process in op.skills]
    return candidates[0] if candidates else None


def _impact_of_move(turn: TurnInput) -> TurnData:
    operator_id = int(turn.entities["operator_id"])
    # A what-if is stated at the deadline, as every figure a user sees (the policy's
    # margin is what plans aim at, not what "late" means).
    at_deadline = turn.policy.rules.model_copy(update={"margin_minutes": 0.0})
    situation = build_situation(turn.session, now=turn.now, rules=at_deadline)
    refs = target_refs(turn)
    target = _target_for(situation, operator_id, refs[0] if refs else {})
    name = turn.entities.get("operator", "")
    if target is None:
        return TurnData(
            notes=[f"{name}さんの移動先の工程が特定できません。拠点と工程を教えてください。"]
        )
    scenario = situation.scenario
    move = Move(operator_id=operator_id, to=target)
    problems = violations(scenario, [move])
    if problems:
        return TurnData(
            notes=["この移動はルールに反するため影響を計算しません: " + "; ".join(problems)]
        )
    result = plan_from_moves(scenario, [move])
    return TurnData(
        suggestion=facts.suggestion_facts(scenario, result, None, floor=situation.floor_late)
    )


def general(turn: TurnInput) -> TurnData:
    return TurnData()

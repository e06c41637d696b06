"""Plan on the current data: for an API caller, or as a stored suggestion for
the queues a manager (chat) or an alert is about."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.errors import Conflict
from aimee.nlu.request import QueueRef
from aimee.planner import (
    Move,
    Operator,
    Plan,
    QueueKey,
    Rules,
    Scenario,
    plan_from_moves,
    plan_with_margin,
)
from aimee.planner.constraints import skill_eligible
from aimee.planner.forced import plan_including
from aimee.planner.head_count import plan_with_helpers
from aimee.services.approvals import busy_operators
from aimee.services.policy import Policy
from aimee.services.scenarios import Focus, ScenarioFilter, Situation, build_situation
from aimee.services.suggestions import (
    SuggestionPublic,
    create_suggestion,
    get_suggestion,
    stored_plan,
)

PLAN_CACHE_SIZE = 256
"""Plans kept per process (a plan of the demo day is ~30 KB)."""


class PlanCache:
    """Plans by (data fingerprint, request): a plan is a function of its scenario (the
    queues, operators, their speeds, the rules and ``now``) and of what was asked
    (forced people, a head count), so managers asking about the same queue on the same
    data share one solve. Requests arriving while that solve runs wait for it rather
    than solving again. A failed solve is not kept."""

    def __init__(self, size: int = PLAN_CACHE_SIZE) -> None:
        self._size = size
        self._plans: OrderedDict[Hashable, Future[Plan]] = OrderedDict()
        self._lock = threading.Lock()
        self.solves = 0
        """Solves run (misses), for the tests and the bench."""

    def get(self, key: Hashable, solve: Callable[[], Plan]) -> Plan:
        with self._lock:
            pending = self._plans.get(key)
            owner = pending is None
            if pending is None:
                pending = self._plans[key] = Future()
                self.solves += 1
                while len(self._plans) > self._size:
                    self._plans.popitem(last=False)
            else:
                self._plans.move_to_end(key)
        if not owner:
            return pending.result()  # solved, or being solved by another request
        try:
            plan = solve()
        except BaseException as exc:
            with self._lock:
                if self._plans.get(key) is pending:
                    del self._plans[key]
            pending.set_exception(exc)
            raise
        pending.set_result(plan)
        return plan

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()


PLANS = PlanCache()


def scenario_fingerprint(scenario: Scenario) -> str:
    """The data a plan is computed from, as a hash (``now`` and the rules included)."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def cached_plan(
    scenario: Scenario,
    request: Hashable,
    solve: Callable[[], Plan],
    *,
    time_limit_s: float,
    cache: PlanCache | None = None,
) -> Plan:
    """``solve()``, or the plan an identical request on identical data got."""
    key = (scenario_fingerprint(scenario), request, time_limit_s)
    return (cache or PLANS).get(key, solve)


@dataclass(frozen=True)
class CurrentPlan:
    scenario: Scenario
    plan: Plan


def plan_current(
    session: Session,
    focus: ScenarioFilter | None = None,
    *,
    now: datetime,
    rules: Rules,
    time_limit_s: float,
) -> CurrentPlan:
    """The optimal reallocation for the situation at ``now`` (optionally around focus
    queues), aimed at ``rules.margin_minutes`` before each deadline where that costs
    nothing at the deadline, its figures stated at the deadline (as every surface shows
    them: ``plan_with_margin``)."""
    situation = build_situation(session, focus, rules=rules, now=now)
    scenario = situation.scenario
    plan = cached_plan(
        scenario,
        "margin",
        lambda: plan_with_margin(scenario, time_limit_s=time_limit_s),
        time_limit_s=time_limit_s,
    )
    return CurrentPlan(scenario, plan)


@dataclass(frozen=True)
class FocusedPlan:
    situation: Situation
    targets: list[QueueKey]
    """The focus queues: the only ones that may receive operators (all when no focus)."""
    scenario: Scenario
    plan: Plan
    suggestion: SuggestionPublic | None
    """Stored when the plan moves someone."""
    refused: str | None = None
    """Why people the manager named could not be part of the plan (then no plan)."""


@dataclass(frozen=True)
class PlanLimits:
    """Constraints a manager puts on a plan (「盛岡から2名までで」「品川は動かさないで」):
    applied as locks and limits on the scenario, so a plan never breaks one."""

    origins: tuple[QueueRef, ...] = ()
    """Helpers may come only from these sites / queues (none: from anywhere)."""
    spare: tuple[QueueRef, ...] = ()
    """Nobody is taken from these."""
    excluded: tuple[str, ...] = ()
    """People who must not move."""
    forced: tuple[str, ...] = ()
    """People who must go to a target queue (「高山さんを入れて」)."""
    max_moves: int | None = None
    helpers: int | None = None
    """Exactly this many helpers when the floor allows (「3名で」): ``plan_with_helpers``."""
    min_level: int | None = None

    def apply(self, scenario: Scenario) -> Scenario:
        operators = [
            op if op.locked or self._movable(op) else op.model_copy(update={"locked": True})
            for op in scenario.operators
        ]
        rules = scenario.rules
        if self.max_moves is not None:
            rules = rules.model_copy(update={"max_moves": min(rules.max_moves, self.max_moves)})
        if self.min_level is not None:
            level = max(rules.min_skill_level, self.min_level)
            rules = rules.model_copy(update={"min_skill_level": level})
        return scenario.model_copy(update={"operators": operators, "rules": rules})

    def forced_moves(self, scenario: Scenario, targets: list[QueueKey]) -> list[Move]:
        """Each forced person to the first target they are skilled enough for.
        Raises ValueError (Japanese) for someone who cannot help any target."""
        by_name = {op.name: op for op in scenario.operators}
        moves = []
        for name in self.forced:
            op = by_name.get(name)
            fits = [
                t
                for t in targets
                if op is not None and skill_eligible(op, t.process, scenario.rules)
            ]
            if op is None or not fits:
                where = "・".join(f"{t.location}の{t.process}" for t in targets[:3])
                raise ValueError(
                    f"{name}さんは{where}のスキルがLv{scenario.rules.min_skill_level}未満"
                    "（または登録がない）ため、応援に入れられません。"
                )
            moves.append(Move(operator_id=op.id, to=fits[0]))
        return moves

    def _movable(self, op: Operator) -> bool:
        at = (
            (op.assigned.location, op.assigned.business_id, op.assigned.process)
            if op.assigned is not None
            else (op.location, None, None)
        )
        if op.name in self.forced:
            return True
        if op.name in self.excluded or any(ref.names(at) for ref in self.spare):
            return False
        return not self.origins or any(ref.names(at) for ref in self.origins)


def suggest_for(
    session: Session,
    focus: Focus,
    *,
    now: datetime,
    policy: Policy,
    created_by: str | None,
    limits: PlanLimits | None = None,
) -> FocusedPlan | None:
    """Plan help for the focus queues (every queue's lateness still counts, so
    donors are protected) and store it as a pending suggestion. None when no
    queue matches the focus."""
    busy = busy_operators(session, now=now)  # already promised to an approved move
    situation = build_situation(
        session, focus, rules=policy.rules, now=now, locked_operator_ids=busy
    )
    targets = [q.key for q in situation.scenario.queues if focus.matches(q.key)]
    if not targets:
        return None
    rules = situation.scenario.rules.model_copy(
        update={"targets": None if focus.is_empty else targets}
    )
    scenario = situation.scenario.model_copy(update={"rules": rules})
    if limits is not None:
        scenario = limits.apply(scenario)
    at_deadline = scenario.model_copy(
        update={"rules": scenario.rules.model_copy(update={"margin_minutes": 0.0})}
    )
    limit_s = policy.time_limit_s
    if limits is not None and limits.forced:
        try:
            forced = limits.forced_moves(scenario, targets)
            request = ("forced", tuple((m.operator_id, m.to) for m in forced))
            result = cached_plan(
                scenario,
                request,
                lambda: plan_including(scenario, forced, time_limit_s=limit_s),
                time_limit_s=limit_s,
            )
        except ValueError as refused:
            return FocusedPlan(
                situation, targets, at_deadline, _nothing(at_deadline), None, str(refused)
            )
    elif limits is not None and limits.helpers:
        helpers = limits.helpers
        result = cached_plan(
            scenario,
            ("helpers", helpers),
            lambda: plan_with_helpers(scenario, helpers, time_limit_s=limit_s),
            time_limit_s=limit_s,
        )
    else:
        # Aimed at the margin where that costs nothing at the deadline; stated (stored,
        # and checked again on approval) as the late tasks at the deadline every surface
        # shows.
        result = cached_plan(
            scenario,
            "margin",
            lambda: plan_with_margin(scenario, time_limit_s=limit_s),
            time_limit_s=limit_s,
        )
    card = None
    if result.moves:
        card = create_suggestion(
            session, at_deadline, result, now=now, focus=targets, created_by=created_by
        )
    return FocusedPlan(situation, targets, at_deadline, result, card)


def _nothing(scenario: Scenario) -> Plan:
    """The plan that moves nobody (its figures are the situation's)."""
    return plan_from_moves(scenario, [])


def replan(
    session: Session, suggestion_id: str, *, now: datetime, policy: Policy, user: str | None
) -> SuggestionPublic:
    """A new suggestion for the queue an earlier one helped (再計算), on the current
    data: people promised to approved suggestions are left out."""
    row = get_suggestion(session, suggestion_id)
    scenario, plan = stored_plan(row)
    targets = scenario.rules.targets or [c.key for c in plan.queues if c.late_after < c.late_before]
    if not targets:
        raise Conflict(f"提案{suggestion_id}の対象工程がわからないため、再計算できません")
    target = targets[0]
    focused = suggest_for(
        session,
        ScenarioFilter(target.location, target.business_id, target.process),
        now=now,
        policy=policy,
        created_by=user,
    )
    if focused is None or focused.suggestion is None:
        raise Conflict(
            f"{target.location}の{target.process}は、今のデータでは配置変更で遅延見込みを減らせないため、"
            "新しい提案はありません"
        )
    return focused.suggestion

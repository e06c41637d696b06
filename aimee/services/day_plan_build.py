"""A plan for the rest of the day from the solver's result: the floor it starts from
(``DayInputs``), its first moves as a plan on the current data, its later moves as the
card's timeline, how good it is proven to be, and the reason the suggestion gives."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from aimee.planner import Move, Plan, QueueKey, Scenario, plan_from_moves
from aimee.planner.domain import QueueId
from aimee.planner.explain import AT_MAX_MOVES
from aimee.planner.timephased import PhasedPlan, later_moves
from aimee.services.approvals import busy_operators
from aimee.services.day_plan_solve import RULES
from aimee.services.policy import Policy
from aimee.services.scenarios import Situation, build_situation
from aimee.services.suggestions import DaySummary, TimelineStep
from aimee.store.repositories import queue_status as status_repo


@dataclass(frozen=True)
class DayInputs:
    """The floor a plan for the rest of the day starts from."""

    now: datetime
    situation: Situation
    """The situation now (the product's figures; its scenario's ``waiting`` is each queue's
    work up to its deadline, as every snapshot plan is stated)."""
    scenario: Scenario
    """The same floor with the tasks waiting now: arrivals come interval by interval."""
    rates: dict[QueueId, float]
    """Each queue's recent arrival rate (tasks/hour)."""
    stay_until: dict[int, datetime] = field(default_factory=dict)
    """Operators moved less than the minimum stay ago stay where they are until then."""

    @property
    def data_version(self) -> str:
        """The data the plan rests on, the time apart: each queue's latest snapshot, where
        everyone works and who is locked. The same version later is only the clock moving,
        no reason to re-plan by itself."""
        snapshots = sorted(
            (key, snap.snapshot_id) for key, snap in self.situation.snapshots.items()
        )
        people = sorted(
            (op.id, op.assigned.id if op.assigned else None, op.locked)
            for op in self.scenario.operators
        )
        return hashlib.sha256(repr((snapshots, people)).encode()).hexdigest()

    @property
    def fingerprint(self) -> str:
        payload = self.scenario.model_dump_json() + repr(sorted(self.rates.items()))
        payload += repr(sorted(self.stay_until.items()))
        return hashlib.sha256(payload.encode()).hexdigest()


def day_inputs(session: Session, *, now: datetime, policy: Policy) -> DayInputs:
    """The whole floor at ``now`` (to the minute): people promised to approved moves not
    carried out yet are locked, as in every plan."""
    now = now.replace(second=0, microsecond=0)
    busy = busy_operators(session, now=now)
    situation = build_situation(session, rules=policy.rules, now=now, locked_operator_ids=busy)
    scenario = situation.scenario.model_copy(
        update={
            "queues": [
                q.model_copy(update={"waiting": situation.figures[q.id].waiting})
                for q in situation.scenario.queues
            ]
        }
    )
    rates = {key: f.observed.arrival_rate for key, f in situation.figures.items()}
    stay = timedelta(minutes=RULES.min_stay_minutes)
    on_floor = {op.id for op in scenario.operators}
    stay_until = {
        op_id: since + stay
        for op_id, (_queue, since) in status_repo.assignments(session).items()
        if op_id in on_floor and since is not None and since + stay > now
    }
    return DayInputs(now, situation, scenario, rates, stay_until)


def _step(
    scenario: Scenario, op_id: int, at: datetime, origin: QueueId | None, to: QueueId, **kw: Any
) -> TimelineStep:
    ops = {op.id: op for op in scenario.operators}
    op = ops[op_id]
    return TimelineStep(
        at=at,
        operator=op.name,
        operator_id=op_id,
        from_="待機" if origin is None else origin[0],
        from_business_id=None if origin is None else origin[1],
        from_process=None if origin is None else origin[2],
        to=to[0],
        business_id=to[1],
        process=to[2],
        shift_end=op.shift_end,
        **kw,
    )


def timeline_steps(inputs: DayInputs, result: PhasedPlan) -> list[TimelineStep]:
    """The later moves of ``result`` as the card lists them."""
    scenario = inputs.scenario
    home = {op.id: op.assigned.id if op.assigned else None for op in scenario.operators}
    return [
        _step(
            scenario,
            m.operator_id,
            m.at,
            m.from_,
            m.to,
            until=m.until,
            # a loan within the timeline; back on their own queue, leaving again is no loan
            back=m.then is not None and m.then == m.from_ and m.to != home.get(m.operator_id),
            returning=m.to == home.get(m.operator_id),
            idle_after=m.until is not None and m.then is None,
        )
        for m in later_moves(result, scenario)
    ]


def first_plan(inputs: DayInputs, result: PhasedPlan) -> tuple[Scenario, Plan]:
    """The first moves as a plan on the current data (stated at the deadline): each move
    from a queue carries ``until`` when the timeline brings the helper back then (at the
    latest the destination's deadline), and none when it keeps them there or takes them on
    elsewhere (a later move). The figures count each move as stated (``loan_ends``): a helper
    on the destination until ``until`` and back home after the switch, or, without ``until``,
    there for good (no return: the product writes none)."""
    shown = inputs.situation.scenario
    deadlines = {q.id: q.deadline for q in shown.queues}
    moves = [Move(operator_id=m.operator_id, to=_key(m.to)) for m in result.first_moves]
    receiving = sorted({m.to for m in result.first_moves})
    rules = shown.rules.model_copy(
        update={
            "margin_minutes": 0.0,
            # the queues it helps now: an alert on one of them opens this plan, 工程の推移
            # draws it, and 再計算 re-plans the first of them
            "targets": [_key(q) for q in receiving] or None,
            # the timeline's first interval may move more people than a snapshot plan
            "max_moves": max(shown.rules.max_moves, len(moves)),
        }
    )
    at_deadline = shown.model_copy(update={"rules": rules})
    from_a_queue = {op.id for op in shown.operators if op.assigned is not None}
    untils = {
        m.operator_id: min(m.until, deadlines[m.to]) if m.returns and m.until else None
        for m in result.first_moves
        if m.operator_id in from_a_queue
    }
    plan = plan_from_moves(at_deadline, moves, loan_ends=untils)
    # the head count is the timeline's first interval, not a cap the plan reached: the
    # snapshot's 「移動人数が上限N名に達しています（残る遅延見込み…）」 is not true of it
    rules_applied = [r for r in plan.rules_applied if not r.startswith(AT_MAX_MOVES)]
    return at_deadline, plan.model_copy(
        update={
            "method": "timephased",
            "status": result.status,
            "rules_applied": rules_applied,
        }
    )


def _key(queue: QueueId) -> QueueKey:
    return QueueKey(location=queue[0], business_id=queue[1], process=queue[2])


USELESS_GAP = 0.99
"""A gap this large (a bound near 0: 「最大100%」) says nothing, and is given as none."""


def proven_gap(result: PhasedPlan) -> float | None:
    """The most the plan's objective may exceed the optimum's, as a share of it: 0 when
    proven optimal, None when no useful bound was proven."""
    if result.optimal or result.objective <= 0:  # nothing late: nothing does better
        return 0.0
    bound = result.objective_bound
    if bound is None or not math.isfinite(bound):
        return None
    gap = max(0.0, (result.objective - max(0.0, bound)) / result.objective)
    return None if gap >= USELESS_GAP else gap


def proof(optimal: bool, gap: float | None) -> str:
    """How good the plan is proven to be, as the card and the chat say it."""
    if optimal:
        return "最適であることを証明済みです。"
    if gap == 0:  # stage 1 proven, the fewest switches not
        return "遅延件数では最適であることを証明済みです（切替回数が最少かは未証明）。"
    if gap is None:
        return "計算時間内に最適とは証明できていません（最適との差の上限も不明）。"
    share = "1%未満" if gap < 0.01 else f"最大{math.ceil(gap * 100)}%"
    return (
        f"計算時間内に最適とは証明できていませんが、最適との差は{share}です"
        "（計画の目的値、優先度で重み付けした目標時刻での遅延件数で）。"
    )


def summary(result: PhasedPlan) -> DaySummary:
    gap = proven_gap(result)
    return DaySummary(
        gap=gap,
        proof=proof(result.optimal, gap),
        late_before=round(sum(result.late_before_at_deadline.values()), 1),
        late_after=round(sum(result.late_at_deadline.values()), 1),
        switches=result.switches,
        optimal=result.optimal,
        solve_ms=round(result.solve_ms, 1),
        intervals=result.n_intervals,
    )


def reason(plan: Plan, day: DaySummary, later: int) -> str:
    before, after = round(day.late_before), round(day.late_after)
    first = f"今の{len(plan.moves)}名の移動" if plan.moves else "今は移動なし"
    then = f"、その後{later}件の移動（今後の予定）" if later else ""
    return (
        f"本日の残りの時間帯別計画です: {first}{then}で、納期時点の遅延見込みを全体で"
        f"{before:,}件から{after:,}件にします（到着見込みを含む）。承認するのは今の移動だけで、"
        "今後の予定はデータの更新に合わせて再計画します。"
    )

"""Day simulator: replay the rest of a day in small time steps and compare
reallocation policies.

The situation at the start (a Scenario whose ``waiting`` are the tasks waiting
now) and each queue's mean arrival rate drive a seeded random day: arrivals
are Poisson per step until ``ARRIVAL_CUTOFF_MINUTES`` before each deadline, and
each operator's speed varies around its recorded value (redrawn every
re-planning period). Every ``replan_every_minutes`` the policy sees what a
manager would see at that moment (waiting now plus the expected arrivals,
nominal speeds) and returns moves; a moved operator works after
``switch_minutes`` and is not moved again for ``min_stay_minutes``.
All policies face the same random day (common random numbers), so their
differences come from their decisions alone.

An operator with a ``shift_end`` stops working then (every policy sees it in
the scenario). The "timephased" policy (``PhasedPolicy``) sees more than a
snapshot: the tasks waiting now (without the expected arrivals folded in), each
queue's arrival rate, and until when recently moved operators must stay; it
applies the first interval of the time-phased plan (``planner.timephased``),
returns home included.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aimee.planner.baseline import greedy_moves
from aimee.planner.domain import Operator, Queue, QueueId, QueueKey, Scenario
from aimee.planner.forecast import ARRIVAL_CUTOFF_MINUTES, expected_arrivals
from aimee.planner.phase_grid import PhaseRules
from aimee.planner.solver import optimize
from aimee.planner.timephased import plan_timeline

Policy = Callable[[Scenario], Mapping[int, QueueId]]


@dataclass(frozen=True)
class Loan:
    """A move that returns: the helper goes back to where they were at ``until``
    (paying the switch again), without waiting for the next plan."""

    to: QueueId
    until: datetime


PhasedDecision = Callable[
    [Scenario, Mapping[QueueId, float], Mapping[int, datetime]], Mapping[int, QueueId | Loan]
]


@dataclass(frozen=True)
class PhasedPolicy:
    """A policy given the floor (waiting now), the arrival rates, and until when each
    recently moved operator must stay where they are."""

    decide: PhasedDecision

    def __call__(self, scenario: Scenario) -> Mapping[int, QueueId]:
        decided = self.decide(scenario, {}, {})
        return {op_id: m.to if isinstance(m, Loan) else m for op_id, m in decided.items()}


def timephased_policy(
    time_limit_s: float = 3.0, rules: PhaseRules | None = None, *, milp: bool = False
) -> PhasedPolicy:
    """The first moves of the time-phased plan. By default its rolling timeline only
    (``milp=False``): on the demo day the MILP's polish, within a few seconds, made
    the simulated days worse (docs/planner.md, "Time-phased plan")."""

    def decide(
        scenario: Scenario, rates: Mapping[QueueId, float], stay_until: Mapping[int, datetime]
    ) -> Mapping[int, QueueId | Loan]:
        result = plan_timeline(
            scenario, rates, rules, stay_until=stay_until, time_limit_s=time_limit_s, milp=milp
        )
        return {
            move.operator_id: Loan(move.to, move.until)
            if move.returns and move.until is not None
            else move.to
            for move in result.first_moves
        }

    return PhasedPolicy(decide)


def optimal_policy(time_limit_s: float = 2.0) -> Policy:
    def decide(scenario: Scenario) -> Mapping[int, QueueId]:
        return optimize(scenario, time_limit_s=time_limit_s).moves

    return decide


def loans_policy(time_limit_s: float = 2.0) -> PhasedPolicy:
    """Today's snapshot optimum with loans (``rules.loans``, the product's plans with
    ``AIMEE_PLAN_LOANS``): what a manager sees (waiting plus the expected arrivals, recently
    moved operators locked), every move from a queue a loan that brings the helper back at
    the destination's deadline."""

    def decide(
        scenario: Scenario, rates: Mapping[QueueId, float], stay_until: Mapping[int, datetime]
    ) -> Mapping[int, QueueId | Loan]:
        now = scenario.now
        queues = [
            q.model_copy(
                update={
                    "waiting": round(
                        q.waiting + expected_arrivals(rates.get(q.id, 0.0), now, q.deadline)
                    )
                }
            )
            for q in scenario.queues
        ]
        operators = [
            op.model_copy(update={"locked": op.locked or stay_until.get(op.id, now) > now})
            for op in scenario.operators
        ]
        rules = scenario.rules.model_copy(update={"loans": True})
        view = Scenario(now=now, queues=queues, operators=operators, rules=rules)
        deadlines = {q.id: q.deadline for q in queues}
        homes = {op.id: op.assigned.id if op.assigned else None for op in operators}
        return {
            op_id: Loan(to, deadlines[to]) if homes[op_id] in deadlines else to
            for op_id, to in optimize(view, time_limit_s=time_limit_s).moves.items()
        }

    return PhasedPolicy(decide)


POLICIES: dict[str, Callable[[], Policy]] = {
    "optimal": optimal_policy,
    "optimal-loans": loans_policy,
    "greedy": lambda: greedy_moves,
    "none": lambda: lambda _scenario: {},
    "timephased": timephased_policy,
    "timephased-milp": lambda: timephased_policy(4.0, milp=True),
}


@dataclass(frozen=True)
class SimConfig:
    step_minutes: float = 1.0
    replan_every_minutes: float = 10.0
    speed_sd: float = 0.10
    """Standard deviation of an operator's speed factor (1.0 on average)."""
    min_stay_minutes: float = 30.0
    """An operator who was moved is not moved again for this long."""


@dataclass(frozen=True)
class QueueResult:
    location: str
    business_id: str
    process: str
    deadline: datetime
    late_tasks: int


@dataclass(frozen=True)
class SimResult:
    policy: str
    seed: int
    deadlines_missed: int
    late_tasks: int
    moves: int
    plan_seconds: float
    queues: list[QueueResult] = field(default_factory=list)


@dataclass
class _Day:
    """One seeded random day: arrivals per step and speed factors per period."""

    arrivals: list[dict[QueueId, int]]
    speed_factor: list[dict[int, float]]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 50:  # normal approximation keeps large means fast
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _random_day(
    start: Scenario,
    rates: Mapping[QueueId, float],
    steps: int,
    period: int,
    seed: int,
    cfg: SimConfig,
) -> _Day:
    rng = random.Random(seed)
    arrivals = []
    for k in range(steps):
        moment = start.now + timedelta(minutes=k * cfg.step_minutes)
        arrivals.append(
            {
                q.id: _poisson(rng, rates.get(q.id, 0.0) * cfg.step_minutes / 60)
                if moment < q.deadline - timedelta(minutes=ARRIVAL_CUTOFF_MINUTES)
                else 0
                for q in start.queues
            }
        )
    periods = steps // period + 1
    factors = [
        {op.id: max(0.5, rng.gauss(1.0, cfg.speed_sd)) for op in start.operators}
        for _ in range(periods)
    ]
    return _Day(arrivals, factors)


def simulate(
    start: Scenario,
    arrival_rates: Mapping[QueueId, float],
    policy: Policy,
    *,
    policy_name: str,
    seed: int,
    config: SimConfig | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> SimResult:
    """Replay the day from ``start.now`` to the last deadline under ``policy``."""
    cfg = config or SimConfig()
    end = max((q.deadline for q in start.queues), default=start.now)
    steps = math.ceil((end - start.now).total_seconds() / 60 / cfg.step_minutes)
    period = max(1, round(cfg.replan_every_minutes / cfg.step_minutes))
    day = _random_day(start, arrival_rates, steps, period, seed, cfg)
    queues = {q.id: q for q in start.queues}
    waiting = {q.id: float(q.waiting) for q in start.queues}
    operators = {op.id: op for op in start.operators}
    where = {op.id: (op.assigned.id if op.assigned else None) for op in start.operators}
    busy_until: dict[int, datetime] = {}
    locked_until: dict[int, datetime] = {}
    late: dict[QueueId, float] = {}
    moves = 0
    plan_seconds = 0.0
    now = start.now
    moving = _Movements(
        where, busy_until, locked_until, {},
        timedelta(minutes=start.rules.switch_minutes), timedelta(minutes=cfg.min_stay_minutes),
    )  # fmt: skip
    for k in range(steps):
        moves += moving.return_loans(now, late, operators)
        if k % period == 0:
            decided, seconds = _decide(
                policy, start, now, waiting, late, where, locked_until, arrival_rates
            )
            plan_seconds += seconds
            moves += moving.apply(decided, now)
        for key, count in day.arrivals[k].items():
            if key not in late:
                waiting[key] += count
        done: dict[QueueId, float] = {}
        for op_id, on in where.items():
            if (
                on is None
                or on in late
                or busy_until.get(op_id, now) > now
                or _gone_home(operators[op_id], now)
            ):
                continue
            speed = operators[op_id].speed(on[2]) * day.speed_factor[k // period][op_id]
            done[on] = done.get(on, 0.0) + speed / 60 * cfg.step_minutes
        for key, amount in done.items():
            waiting[key] = max(0.0, waiting[key] - amount)
        now = start.now + timedelta(minutes=(k + 1) * cfg.step_minutes)
        for key, queue in queues.items():
            if key not in late and queue.deadline <= now:
                late[key] = waiting[key]
        if on_step is not None:
            on_step(k + 1, steps)
    for key in queues:
        late.setdefault(key, waiting[key])
    results = [
        QueueResult(q.location, q.business_id, q.process, q.deadline, round(late[q.id]))
        for q in start.queues
    ]
    return SimResult(
        policy=policy_name,
        seed=seed,
        deadlines_missed=sum(1 for r in results if r.late_tasks > 0),
        late_tasks=sum(r.late_tasks for r in results),
        moves=moves,
        plan_seconds=round(plan_seconds, 3),
        queues=results,
    )


@dataclass
class _Movements:
    """Where operators are, until when they are switching or must stay, and the loans
    that will bring them back."""

    where: dict[int, QueueId | None]
    busy_until: dict[int, datetime]
    locked_until: dict[int, datetime]
    loans: dict[int, tuple[datetime, QueueId | None]]
    switch: timedelta
    stay: timedelta

    def _move(self, op_id: int, target: QueueId | None, now: datetime) -> None:
        self.where[op_id] = target
        self.busy_until[op_id] = now + self.switch
        self.locked_until[op_id] = now + self.stay

    def apply(self, decided: Mapping[int, QueueId | Loan], now: datetime) -> int:
        for op_id, move in decided.items():
            self.loans.pop(op_id, None)
            if isinstance(move, Loan):
                self.loans[op_id] = (move.until, self.where[op_id])
            self._move(op_id, move.to if isinstance(move, Loan) else move, now)
        return len(decided)

    def return_loans(
        self, now: datetime, closed: Mapping[QueueId, float], operators: Mapping[int, Operator]
    ) -> int:
        """Bring back the helpers whose loan ends now; the number of switches."""
        due = [op_id for op_id, (until, _) in self.loans.items() if until <= now]
        returned = 0
        for op_id in due:
            _, back = self.loans.pop(op_id)
            if back is not None and back not in closed and not _gone_home(operators[op_id], now):
                self._move(op_id, back, now)
                returned += 1
        return returned


def _gone_home(operator: Operator, now: datetime) -> bool:
    return operator.shift_end is not None and operator.shift_end <= now


def _decide(
    policy: Policy,
    start: Scenario,
    now: datetime,
    waiting: Mapping[QueueId, float],
    closed: Mapping[QueueId, float],
    where: Mapping[int, QueueId | None],
    locked_until: Mapping[int, datetime],
    rates: Mapping[QueueId, float],
) -> tuple[Mapping[int, QueueId | Loan], float]:
    """The policy's moves at ``now`` and the seconds it took to decide (the view aside)."""
    if isinstance(policy, PhasedPolicy):
        view = _manager_view(start, now, waiting, closed, where, {}, {})
        stay = {op_id: until for op_id, until in locked_until.items() if until > now}
        open_rates = {key: rate for key, rate in rates.items() if key not in closed}
        started = time.perf_counter()
        decided: Mapping[int, QueueId | Loan] = (
            policy.decide(view, open_rates, stay) if view.queues else {}
        )
    else:
        view = _manager_view(start, now, waiting, closed, where, locked_until, rates)
        started = time.perf_counter()
        decided = policy(view) if view.queues else {}
    return decided, time.perf_counter() - started


def _manager_view(
    start: Scenario,
    now: datetime,
    waiting: Mapping[QueueId, float],
    closed: Mapping[QueueId, float],
    where: Mapping[int, QueueId | None],
    locked_until: Mapping[int, datetime],
    rates: Mapping[QueueId, float],
) -> Scenario:
    """What the policy sees: open queues with waiting plus expected arrivals,
    operators where they are now, recently moved ones locked."""
    queues = [
        Queue(
            location=q.location,
            business_id=q.business_id,
            process=q.process,
            waiting=round(waiting[q.id] + expected_arrivals(rates.get(q.id, 0.0), now, q.deadline)),
            deadline=q.deadline,
            priority=q.priority,
        )
        for q in start.queues
        if q.id not in closed
    ]
    operators = [
        op.model_copy(
            update={
                "assigned": _queue_key(where[op.id]),
                "locked": op.locked or locked_until.get(op.id, now) > now,
            }
        )
        for op in start.operators
    ]
    return Scenario(now=now, queues=queues, operators=operators, rules=start.rules)


def _queue_key(queue_id: QueueId | None) -> QueueKey | None:
    if queue_id is None:
        return None
    location, business_id, process = queue_id
    return QueueKey(location=location, business_id=business_id, process=process)

"""Time-phased plan: who works on which queue in each interval of the rest of the day.

The snapshot planner (`solver`) decides one move per operator, for good (or, with
``rules.loans``, until the destination's deadline). This module plans the rest of the day on
an interval grid (``PhaseRules.interval_minutes``, 15 by default): a helper can go, come back,
and go elsewhere once a deadline has freed them; a queue gets its forecast arrivals interval by
interval; nobody works after their shift ends. The manager approves the first interval's moves;
the rest is the intended timeline, re-planned as data arrives.

The model (docs/planner.md, "Time-phased plan"). Intervals t = 0..T-1 cover [now, last
deadline); interval t is [now + tΔ, now + (t+1)Δ).

- m[o,q,t]: minutes operator o can work on q in t: the overlap of t with
  [now, min(deadline(q) - margin, shift_end(o))).
- x[o,q,t] in {0,1}: o works on q in t, for q = o's own queue, or a queue o may be moved to
  (skill level >= min_skill_level, speed > 0, not locked, ``rules.targets``), where m > 0.
  sum_q x[o,q,t] <= 1 (none: idle).
- s[o,q,t] in [0,1]: o switches into q at t: s >= x[o,q,t] - x[o,q,t-1] (before t = 0,
  o is on their own queue). A switch costs min(switch, m) of that interval's minutes.
- minimum stay: x[o,q,τ] >= s[o,q,t] for t < τ < t + ceil(min_stay / Δ) while q is open to o;
  at most ``max_switches`` switches per operator; operators in ``stay_until`` stay on their own
  queue until then; locked operators never leave it.
- p[q,t] >= 0 tasks processed: p[q,t] <= Σ_o speed(o,q)/60 (m x - min(switch, m) s), and
  Σ_{τ<=t} p[q,τ] <= waiting(q) + arrivals(q, up to the end of t) (nothing is processed before
  it arrives). Arrivals come at the queue's rate until ``arrival_cutoff_minutes`` before its
  deadline (the forecast's convention).
- late(q) >= waiting(q) + arrivals(q) - Σ_t p[q,t].

Objective, lexicographic: Σ priority(q) late(q); then the number of switches; then intervals
spent at another site than one's own (ε-weighted so that it never outweighs one switch).
Stage 1 is solved, then stage 2 with stage 1 capped at its optimum (+ OBJECTIVE_TOLERANCE).
Every number of the result is recomputed from the chosen timeline by `evaluate` (the
definition the brute-force oracle `brute_force` uses too).

The grid (`phase_grid`), the evaluation and the brute-force oracle (`phase_eval`) and the MILP
(`phase_milp`) are modules of their own; this one holds the result types and the entry points
(`plan_timeline`, `optimize_timeline`, `rolling_timeline`, `later_moves`), and re-exports the
names that moved so that ``from aimee.planner.timephased import …`` keeps working.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aimee.planner.domain import QueueId, QueueKey, Scenario
from aimee.planner.milp import OBJECTIVE_TOLERANCE
from aimee.planner.phase_eval import (
    MAX_TIMELINES,
    Assignment,
    Evaluation,
    _better,
    _flows,
    brute_force,
    evaluate,
    stay_home,
    violations,
)
from aimee.planner.phase_grid import Grid, PhaseRules, build_grid
from aimee.planner.phase_milp import _assignment, _build, _highs, _run, _warm
from aimee.planner.solver import optimize

__all__ = [
    "FIRST_SHARE",
    "MAX_TIMELINES",
    "MIP_MAX_X",
    "ROLLING_SHARE",
    "Assignment",
    "Evaluation",
    "FirstMove",
    "Grid",
    "LaterMove",
    "PhaseRules",
    "PhasedPlan",
    "Segment",
    "brute_force",
    "build_grid",
    "evaluate",
    "later_moves",
    "optimize_timeline",
    "plan_timeline",
    "queue_alone_bound",
    "rolling_timeline",
    "stay_home",
    "violations",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    queue: QueueId | None
    """None: not working (idle, or after the shift)."""


@dataclass(frozen=True)
class FirstMove:
    """A move of the first interval: what the manager approves now."""

    operator_id: int
    from_: QueueId | None
    to: QueueId
    until: datetime | None
    """When the timeline takes the helper away from ``to`` again (None: they stay)."""
    returns: bool
    """At ``until`` the helper goes back to their own queue (a loan, 応援)."""


@dataclass(frozen=True)
class PhasedPlan:
    timeline: dict[int, list[Segment]]
    """Per operator, their segments over the horizon (consecutive intervals merged)."""
    first_moves: list[FirstMove]
    late: dict[QueueId, float]
    objective: float
    """Σ priority × late tasks of the timeline (by `evaluate`)."""
    objective_before: float
    """The same if everybody stays on their own queue."""
    switches: int
    away_intervals: int
    optimal: bool
    """Both stages proven optimal."""
    objective_bound: float | None
    """Proven lower bound on stage 1's optimum (equal to objective when optimal)."""
    status: str
    solve_ms: float
    n_intervals: int
    stats: dict[str, int] = field(default_factory=dict)
    late_at_deadline: dict[QueueId, float] = field(default_factory=dict)
    """Late tasks per queue at the deadline itself (margin 0), as every surface states them:
    ``late`` is aimed at ``rules.margin_minutes`` before each deadline."""
    late_before_at_deadline: dict[QueueId, float] = field(default_factory=dict)
    """The same if everybody stays on their own queue."""


@dataclass(frozen=True)
class LaterMove:
    """A switch of the intended timeline after the first interval: who goes where when."""

    at: datetime
    operator_id: int
    from_: QueueId | None
    """The queue the operator leaves (None: they were not working, e.g. idle)."""
    to: QueueId
    until: datetime | None
    """When their stint on ``to`` ends, at the latest ``to``'s deadline: the timeline takes
    them to another queue, or has no more work for them (None: they stay until their shift
    ends or the plan ends)."""
    then: QueueId | None
    """Where they go at ``until`` (None: nowhere planned)."""


ROLLING_SHARE = 0.5
"""Share of the time limit for the rolling start (`rolling_timeline`)."""
FIRST_SHARE = 2.0 / 3.0
"""Share of the rolling timeline's time for its first interval (the moves approved now)."""
MIP_MAX_X = 40_000
"""Larger grids keep the rolling timeline (the MILP's root LP alone outlasts the budget)."""


def queue_alone_bound(grid: Grid) -> float:
    """A proven lower bound on the objective of every timeline: each queue as if every
    operator who may work on it did so for all of their open minutes, with no switch."""
    total = 0.0
    queues = {q.id: q for q in grid.scenario.queues}
    most = dict.fromkeys(grid.queue_ids, 0.0)
    ops = {op.id: op for op in grid.scenario.operators}
    for (o, q), row in grid.minutes.items():
        most[q] += ops[o].speed(q[2]) / 60.0 * sum(row)
    for q in grid.queue_ids:
        need = grid.waiting[q] + sum(grid.arrivals[q])
        total += queues[q].priority * max(0.0, need - most[q])
    return total


def _view(
    grid: Grid, t: int, backlog: Mapping[QueueId, float], pos: Mapping[int, QueueId | None],
    locked: set[int],
) -> Scenario:  # fmt: skip
    """The floor at the start of interval t as a snapshot scenario (loans on)."""
    sc = grid.scenario
    at = grid.starts[t]
    margin = timedelta(minutes=sc.rules.margin_minutes)
    queues = [
        q.model_copy(update={"waiting": round(backlog[q.id] + sum(grid.arrivals[q.id][t:]))})
        for q in sc.queues
        if q.deadline - margin > at
    ]
    operators = []
    for op in sc.operators:
        where = pos[op.id]
        operators.append(
            op.model_copy(
                update={
                    "assigned": None if where is None else _key(where),
                    "locked": op.locked or op.id in locked,
                }
            )
        )
    moves = max(sc.rules.max_moves, math.ceil(len(operators) / 20))
    rules = sc.rules.model_copy(update={"loans": True, "max_moves": moves})
    return Scenario(now=at, queues=queues, operators=operators, rules=rules)


def _key(queue: QueueId) -> QueueKey:
    return QueueKey(location=queue[0], business_id=queue[1], process=queue[2])


def rolling_timeline(grid: Grid, *, time_limit_s: float) -> dict[int, list[QueueId | None]]:
    """A good valid timeline fast: at the start of each interval, the snapshot optimum with
    loans (`solver.optimize`) on the floor as this timeline leaves it; a helper returns to
    where they came from when their destination closes. The MILP starts from it."""
    started = time.perf_counter()
    sc = grid.scenario
    n_t = grid.n_intervals
    pos: dict[int, QueueId | None] = dict(grid.home)
    origin: dict[int, QueueId] = {}
    entered: dict[int, int] = {}
    switches = dict.fromkeys(pos, 0)
    result: dict[int, list[QueueId | None]] = {op.id: [None] * n_t for op in sc.operators}
    backlog = dict(grid.waiting)
    cap_left = grid.rules.max_switches

    def works(o: int, q: QueueId | None, t: int) -> bool:
        return q is not None and (o, q) in grid.minutes and grid.minutes[(o, q)][t] > 0

    def staying(o: int, t: int) -> bool:
        k = entered.get(o)
        return k is not None and t in grid.stay_span(k) and works(o, pos[o], t)

    for t in range(n_t):
        for o, where in list(pos.items()):
            back = origin.get(o)
            if back is not None and not works(o, where, t):
                del origin[o]
                if works(o, back, t) and switches[o] < cap_left:
                    pos[o], entered[o] = back, t
                    switches[o] += 1
        locked = {
            o
            for o in pos
            if staying(o, t) or switches[o] + 2 > cap_left or t < grid.forced_home.get(o, 0)
        }
        remaining = time_limit_s - (time.perf_counter() - started)
        if remaining > 0.05:
            view = _view(grid, t, backlog, pos, locked)
            # the first interval's moves are what a manager approves: most of the time
            share = FIRST_SHARE if t == 0 else 1.0 / (n_t - t)
            moves = optimize(view, time_limit_s=max(0.05, remaining * share)).moves
        else:
            moves = {}
        for o, dest in moves.items():
            if not works(o, dest, t):
                continue
            here = pos[o]
            if here is not None and works(o, here, t):
                origin[o] = here
            pos[o], entered[o] = dest, t
            switches[o] += 1
        for o, where in pos.items():
            result[o][t] = where if works(o, where, t) else None
        flows = _flows(
            grid, {o: seq[: t + 1] + [None] * (n_t - t - 1) for o, seq in result.items()}
        )
        backlog = {q: flows.backlog[q][t] for q in grid.queue_ids}
    for o, seq in result.items():
        problems = violations(grid, o, seq)
        if problems:  # not expected: the moves above keep every rule
            logger.warning("timephased: rolling timeline of %s dropped: %s", o, problems)
            result[o] = stay_home(grid, o)
    return result


def optimize_timeline(
    grid: Grid, *, time_limit_s: float = 10.0, milp: bool = True
) -> tuple[dict[int, list[QueueId | None]], bool, float | None, str]:
    """The lexicographically best timeline found, whether it is proven optimal, a proven
    lower bound on stage 1, and a status."""
    started = time.perf_counter()
    home = {op.id: stay_home(grid, op.id) for op in grid.scenario.operators}
    if grid.n_intervals == 0 or not grid.minutes:
        return home, True, evaluate(grid, home).objective, "optimal"
    n_x = sum(1 for row in grid.minutes.values() for v in row if v > 0)
    with_mip = milp and n_x <= MIP_MAX_X
    share = ROLLING_SHARE if with_mip else 0.95
    rolled = rolling_timeline(grid, time_limit_s=time_limit_s * share)
    if _better(evaluate(grid, rolled), evaluate(grid, home)):
        start: dict[int, list[QueueId | None]] = rolled
    else:
        start = home
    logger.debug("timephased: rolling start at %.2f s", time.perf_counter() - started)
    floor = queue_alone_bound(grid)
    remaining = time_limit_s - (time.perf_counter() - started)
    if not with_mip or remaining <= 0.1:
        value = evaluate(grid, start).objective
        optimal = value <= floor + OBJECTIVE_TOLERANCE and evaluate(grid, start).switches == 0
        return start, optimal, floor, "optimal" if optimal else "rolling"
    model = _build(grid)
    remaining = time_limit_s - (time.perf_counter() - started)
    h1 = _highs(model, model.cost1, None, remaining * 0.5, OBJECTIVE_TOLERANCE / 10)
    _warm(h1, model, grid, start)
    proven1, values1, bound1 = _run(h1)
    logger.debug("timephased: stage 1 done at %.2f s", time.perf_counter() - started)
    first = _assignment(grid, model, values1)
    best = first if _better(evaluate(grid, first), evaluate(grid, start)) else start
    best_eval = evaluate(grid, best)
    bound = floor
    if bound1 is not None and math.isfinite(bound1):
        bound = max(bound, bound1)
    if proven1:
        bound = min(bound, best_eval.objective)
    remaining = time_limit_s - (time.perf_counter() - started)
    if values1 is None or remaining <= 0.1:
        return best, False, bound, "time_limit"
    cap = best_eval.objective + OBJECTIVE_TOLERANCE
    # Stage 2 runs without presolve: on a tiny case HiGHS's presolve cut its optimum (the
    # stage-1 cap is tight), which the brute-force property test caught.
    h2 = _highs(model, model.cost2, (model.cost1, cap), remaining, model.eps / 2)
    h2.setOptionValue("presolve", "off")
    _warm(h2, model, grid, best)
    proven2, values2, _ = _run(h2)
    logger.debug("timephased: stage 2 done at %.2f s", time.perf_counter() - started)
    if values2 is not None:
        second = _assignment(grid, model, values2)
        if _better(evaluate(grid, second), best_eval):
            best = second
    optimal = proven1 and proven2
    return best, optimal, bound, "optimal" if optimal else "time_limit"


def _segments(grid: Grid, seq: Sequence[QueueId | None]) -> list[Segment]:
    out: list[Segment] = []
    for t, q in enumerate(seq):
        t0, t1 = grid.starts[t], grid.ends[t]
        if out and out[-1].queue == q and out[-1].end == t0:
            out[-1] = Segment(out[-1].start, t1, q)
        else:
            out.append(Segment(t0, t1, q))
    return out


def _first_moves(grid: Grid, timeline: Mapping[int, Sequence[QueueId | None]]) -> list[FirstMove]:
    moves = []
    for op in grid.scenario.operators:
        seq = timeline[op.id]
        if not seq or seq[0] is None or seq[0] == grid.home[op.id]:
            continue
        k = 1
        while k < len(seq) and seq[k] == seq[0]:
            k += 1
        until = grid.ends[k - 1] if k < len(seq) else None
        returns = k < len(seq) and seq[k] is not None and seq[k] == grid.home[op.id]
        moves.append(FirstMove(op.id, grid.home[op.id], seq[0], until, returns))
    return moves


def later_moves(plan: PhasedPlan, scenario: Scenario) -> list[LaterMove]:
    """The intended timeline after the first moves, as moves in time order: every switch
    of ``plan.timeline`` after its first interval (returns from a loan included)."""
    deadlines = {q.id: q.deadline for q in scenario.queues}
    shift_ends = {op.id: op.shift_end for op in scenario.operators}
    moves = []
    for op_id, segments in plan.timeline.items():
        for index, segment in enumerate(segments):
            if index == 0 or segment.queue is None:
                continue
            # the next queue worked on, past any idle time (idle, then elsewhere: the move
            # still ends here, not with the shift; idle to the end: it ends here too)
            rest = segments[index + 1 :]
            after = next((s.queue for s in rest if s.queue is not None), None)
            ends = after is not None or any(s.queue is None for s in rest)
            moves.append(
                LaterMove(
                    at=segment.start,
                    operator_id=op_id,
                    from_=segments[index - 1].queue,
                    to=segment.queue,
                    until=min(
                        segment.end,
                        deadlines.get(segment.queue, segment.end),
                        shift_ends.get(op_id) or segment.end,
                    )
                    if ends
                    else None,
                    then=after,
                )
            )
    return sorted(moves, key=lambda m: (m.at, m.operator_id))


def plan_timeline(
    scenario: Scenario,
    arrival_rates: Mapping[QueueId, float] | None = None,
    rules: PhaseRules | None = None,
    *,
    stay_until: Mapping[int, datetime] | None = None,
    time_limit_s: float = 5.0,
    milp: bool = True,
) -> PhasedPlan:
    """The time-phased plan of the rest of the day (module docstring). Without ``milp``,
    the rolling timeline alone (with all of the time)."""
    started = time.perf_counter()
    grid = build_grid(scenario, arrival_rates or {}, rules, stay_until=stay_until)
    chosen, optimal, bound, status = optimize_timeline(grid, time_limit_s=time_limit_s, milp=milp)
    result = evaluate(grid, chosen)
    before = evaluate(grid, {op.id: stay_home(grid, op.id) for op in scenario.operators})
    late_at, before_at = result.late, before.late
    if scenario.rules.margin_minutes > 0:  # the same timeline, its late tasks at the deadline
        plain = scenario.rules.model_copy(update={"margin_minutes": 0.0})
        grid0 = build_grid(  # every (operator, queue) of the margin's grid, open longer
            scenario.model_copy(update={"rules": plain}),
            arrival_rates or {},
            replace(rules or PhaseRules(), destinations="all"),
            stay_until=stay_until,
        )
        late_at = evaluate(grid0, chosen).late
        before_at = evaluate(
            grid0, {op.id: stay_home(grid0, op.id) for op in scenario.operators}
        ).late
    return PhasedPlan(
        timeline={op_id: _segments(grid, seq) for op_id, seq in chosen.items()},
        first_moves=_first_moves(grid, chosen),
        late=result.late,
        objective=result.objective,
        objective_before=before.objective,
        switches=result.switches,
        away_intervals=result.away_intervals,
        optimal=optimal,
        objective_bound=result.objective if optimal else bound,
        status=status,
        solve_ms=(time.perf_counter() - started) * 1000.0,
        n_intervals=grid.n_intervals,
        stats={"x": sum(1 for row in grid.minutes.values() for v in row if v > 0)},
        late_at_deadline=late_at,
        late_before_at_deadline=before_at,
    )

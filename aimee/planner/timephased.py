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
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import product

import highspy
import numpy as np

from aimee.planner.constraints import movable, skill_eligible, target_allowed
from aimee.planner.domain import Operator, Queue, QueueId, QueueKey, Scenario
from aimee.planner.forecast import ARRIVAL_CUTOFF_MINUTES
from aimee.planner.milp import OBJECTIVE_TOLERANCE
from aimee.planner.solver import optimize

_INF = highspy.kHighsInf
logger = logging.getLogger(__name__)
MAX_TIMELINES = 300_000
"""The oracle refuses larger enumerations."""


@dataclass(frozen=True)
class PhaseRules:
    interval_minutes: float = 15.0
    coarse_after_minutes: float | None = 120.0
    """Intervals start ``interval_minutes`` long; after this many minutes they double, and
    double again after twice as long (None: one length throughout). Later intervals are
    re-planned before they come, so only the near ones need the fine grid."""
    min_stay_minutes: float = 30.0
    """An operator who switches into a queue stays at least this long (unless it closes)."""
    max_switches: int = 4
    """Per operator over the rest of the day (a loan that returns is two)."""
    destinations: str = "all"
    """'all': any queue an operator may be moved to; 'needy': only queues late when nobody
    moves (a smaller model that misses chains such as refilling a donor queue)."""
    arrival_cutoff_minutes: float = ARRIVAL_CUTOFF_MINUTES


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


Assignment = Mapping[int, Sequence[QueueId | None]]
"""operator id -> the queue worked on in each interval (None: not working)."""


@dataclass
class Grid:
    """The rest of the day on the interval grid: every number the model and `evaluate` use."""

    scenario: Scenario
    rules: PhaseRules
    starts: list[datetime]
    queue_ids: list[QueueId]
    waiting: dict[QueueId, float]
    arrivals: dict[QueueId, list[float]]
    """Per queue, tasks arriving in each interval."""
    minutes: dict[tuple[int, QueueId], list[float]]
    """(operator, queue) -> m[o,q,t], for every queue the operator may work on."""
    home: dict[int, QueueId | None]
    """Each operator's own queue (None: idle; a queue outside the scenario keeps its id)."""
    forced_home: dict[int, int]
    """operator -> number of first intervals they must stay on their own queue."""
    ends: list[datetime]

    def stay_span(self, t: int) -> range:
        """The intervals after t that start within min_stay_minutes of t's start."""
        limit = self.starts[t] + timedelta(minutes=self.rules.min_stay_minutes)
        stop = t + 1
        while stop < len(self.starts) and self.starts[stop] < limit:
            stop += 1
        return range(t + 1, stop)

    @property
    def n_intervals(self) -> int:
        return len(self.starts)

    def options(self, op_id: int) -> list[QueueId]:
        return [q for (o, q) in self.minutes if o == op_id]


def _intervals(
    now: datetime, end: datetime, cfg: PhaseRules
) -> tuple[list[datetime], list[datetime]]:
    starts: list[datetime] = []
    ends: list[datetime] = []
    moment, length = now, cfg.interval_minutes
    coarse = cfg.coarse_after_minutes
    while moment < end:
        elapsed = (moment - now).total_seconds() / 60.0
        if coarse is not None:
            length = cfg.interval_minutes * (
                1 if elapsed < coarse else 2 if elapsed < 2 * coarse else 4
            )
        starts.append(moment)
        moment = moment + timedelta(minutes=length)
        ends.append(moment)
    return starts, ends


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds() / 60.0)


def build_grid(
    scenario: Scenario,
    arrival_rates: Mapping[QueueId, float],
    rules: PhaseRules | None = None,
    *,
    stay_until: Mapping[int, datetime] | None = None,
) -> Grid:
    cfg = rules or PhaseRules()
    now, prules = scenario.now, scenario.rules
    end = max((q.deadline for q in scenario.queues), default=now)
    starts, ends = _intervals(now, end, cfg)
    queues = {q.id: q for q in scenario.queues}
    arrivals: dict[QueueId, list[float]] = {}
    for q in scenario.queues:
        stop = q.deadline - timedelta(minutes=cfg.arrival_cutoff_minutes)
        rate = arrival_rates.get(q.id, 0.0)
        arrivals[q.id] = [
            rate / 60.0 * _overlap(t0, t1, now, stop) for t0, t1 in zip(starts, ends, strict=True)
        ]
    has_work = {q.id: q.waiting > 0 or sum(arrivals[q.id]) > 0 for q in scenario.queues}
    minutes: dict[tuple[int, QueueId], list[float]] = {}
    home: dict[int, QueueId | None] = {}
    forced: dict[int, int] = {}
    for op in scenario.operators:
        own = op.assigned.id if op.assigned is not None else None
        home[op.id] = own
        shift_end = op.shift_end if op.shift_end is not None else end
        for q in scenario.queues:
            if q.id != own and not _may_go(op, q, scenario):
                continue
            if op.speed(q.process) <= 0 and q.id != own:
                continue
            close = min(q.deadline - timedelta(minutes=prules.margin_minutes), shift_end)
            row = [_overlap(t0, t1, now, close) for t0, t1 in zip(starts, ends, strict=True)]
            if any(v > 0 for v in row) and (q.id == own or has_work[q.id]):
                minutes[(op.id, q.id)] = row
        until = (stay_until or {}).get(op.id)
        if until is not None and own in queues:
            forced[op.id] = sum(1 for t0 in starts if t0 < until)
    grid = Grid(
        scenario=scenario,
        rules=cfg,
        starts=starts,
        queue_ids=[q.id for q in scenario.queues],
        waiting={q.id: float(q.waiting) for q in scenario.queues},
        arrivals=arrivals,
        minutes=minutes,
        home=home,
        forced_home=forced,
        ends=ends,
    )
    if cfg.destinations == "needy":
        late = evaluate(grid, {}).late
        grid.minutes = {
            (o, q): row for (o, q), row in minutes.items() if q == home[o] or late[q] > 0
        }
    return grid


def _may_go(op: Operator, q: Queue, scenario: Scenario) -> bool:
    return (
        movable(op)
        and skill_eligible(op, q.process, scenario.rules)
        and target_allowed(q.key, scenario.rules)
        and q.priority > 0
    )


@dataclass(frozen=True)
class Evaluation:
    late: dict[QueueId, float]
    objective: float
    switches: int
    away_intervals: int


def _switch_at(grid: Grid, op_id: int, seq: Sequence[QueueId | None], t: int) -> bool:
    prev = grid.home[op_id] if t == 0 else seq[t - 1]
    return seq[t] is not None and seq[t] != prev


def violations(grid: Grid, op_id: int, seq: Sequence[QueueId | None]) -> list[str]:
    """What is wrong with one operator's sequence (empty when it is valid)."""
    problems = []
    own = grid.home[op_id]
    for t, q in enumerate(seq):
        if q is None:
            continue
        if (op_id, q) not in grid.minutes or grid.minutes[(op_id, q)][t] <= 0:
            problems.append(f"t{t}: {q} not allowed")
    own_row = grid.minutes.get((op_id, own)) if own is not None else None
    for t in range(grid.forced_home.get(op_id, 0)):
        if own_row is not None and own_row[t] > 0 and seq[t] != own:
            problems.append(f"t{t}: must stay on {own}")
    switches = [t for t in range(len(seq)) if _switch_at(grid, op_id, seq, t)]
    if len(switches) > grid.rules.max_switches:
        problems.append("too many switches")
    for t in switches:
        q = seq[t]
        for tau in grid.stay_span(t):
            open_ = (op_id, q) in grid.minutes and grid.minutes[(op_id, q)][tau] > 0  # type: ignore[index]
            if open_ and seq[tau] != q:
                problems.append(f"t{tau}: minimum stay on {q}")
    return problems


def evaluate(grid: Grid, assignment: Assignment) -> Evaluation:
    """Late tasks (processing greedily, nothing before it arrives), switches and intervals
    away from one's site of a timeline: the definition of every number of a PhasedPlan.
    Operators missing from ``assignment`` stay on their own queue while they can."""
    flows = _flows(grid, assignment)
    queues = {q.id: q for q in grid.scenario.queues}
    late = {
        q: flows.backlog[q][-1] if flows.backlog[q] else grid.waiting[q] for q in grid.queue_ids
    }
    objective = sum(queues[q].priority * late[q] for q in grid.queue_ids)
    return Evaluation(late, objective, flows.switches, flows.away)


@dataclass(frozen=True)
class _Flows:
    done: dict[QueueId, list[float]]
    backlog: dict[QueueId, list[float]]
    """Tasks waiting at the end of each interval."""
    switches: int
    away: int


def _flows(grid: Grid, assignment: Assignment) -> _Flows:
    sc = grid.scenario
    queues = {q.id: q for q in sc.queues}
    switch = sc.rules.switch_minutes
    n_t = grid.n_intervals
    cap = {q: [0.0] * n_t for q in grid.queue_ids}
    switches = away = 0
    for op in sc.operators:
        seq = assignment.get(op.id) or stay_home(grid, op.id)
        for t, q in enumerate(seq):
            if q is None:
                continue
            m = grid.minutes[(op.id, q)][t]
            sw = _switch_at(grid, op.id, seq, t)
            switches += sw
            away += queues[q].location != op.location
            work = m - (min(switch, m) if sw else 0.0)
            cap[q][t] += op.speed(q[2]) / 60.0 * work
    done: dict[QueueId, list[float]] = {}
    backlog: dict[QueueId, list[float]] = {}
    for q in grid.queue_ids:
        left = grid.waiting[q]
        done[q], backlog[q] = [], []
        for t in range(n_t):
            left += grid.arrivals[q][t]
            amount = min(left, cap[q][t])
            left = max(0.0, left - amount)
            done[q].append(amount)
            backlog[q].append(left)
    return _Flows(done, backlog, switches, away)


def stay_home(grid: Grid, op_id: int) -> list[QueueId | None]:
    own = grid.home[op_id]
    row = grid.minutes.get((op_id, own)) if own is not None else None
    return [own if row is not None and row[t] > 0 else None for t in range(grid.n_intervals)]


# ----------------------------------------------------------------------------- the MILP


@dataclass
class _Model:
    x_key: list[tuple[int, QueueId, int]]
    n_x: int
    n_s: int
    n_p: int
    late_col: dict[QueueId, int]
    p_index: dict[tuple[QueueId, int], int]
    s_index: dict[tuple[int, QueueId, int], int]
    b_index: dict[tuple[QueueId, int], int]
    cost1: np.ndarray
    cost2: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray
    rows: list[int]
    cols: list[int]
    vals: list[float]
    row_lower: list[float]
    row_upper: list[float]
    eps: float


@dataclass
class _Rows:
    """Row-wise triplets of the model's constraints."""

    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, entries: Sequence[tuple[int, float]], lo: float, up: float) -> None:
        r = len(self.lower)
        for c, v in entries:
            self.rows.append(r)
            self.cols.append(c)
            self.vals.append(v)
        self.lower.append(lo)
        self.upper.append(up)


@dataclass
class _Columns:
    x_key: list[tuple[int, QueueId, int]]
    x_index: dict[tuple[int, QueueId, int], int]
    s_index: dict[tuple[int, QueueId, int], int]
    p_index: dict[tuple[QueueId, int], int]
    b_index: dict[tuple[QueueId, int], int]

    @property
    def count(self) -> int:
        return len(self.x_key) + len(self.s_index) + 2 * len(self.p_index)


def _columns(grid: Grid) -> _Columns:
    n_t = grid.n_intervals
    x_key = [(o, q, t) for (o, q), mins in grid.minutes.items() for t in range(n_t) if mins[t] > 0]
    x_index = {key: c for c, key in enumerate(x_key)}
    n_x = len(x_key)
    s_index: dict[tuple[int, QueueId, int], int] = {}
    for o, q, t in x_key:
        if not (t == 0 and grid.home[o] == q):  # else already there
            s_index[(o, q, t)] = n_x + len(s_index)
    base = n_x + len(s_index)
    keys = [(q, t) for q in grid.queue_ids for t in range(n_t)]
    p_index = {key: base + i for i, key in enumerate(keys)}
    b_index = {key: base + len(keys) + i for i, key in enumerate(keys)}
    return _Columns(x_key, x_index, s_index, p_index, b_index)


def _operator_rows(grid: Grid, cols: _Columns, rows: _Rows) -> None:
    """One queue per operator and interval; switches; minimum stay; at most max_switches."""
    by_ot: dict[tuple[int, int], list[int]] = {}
    for c, (o, _q, t) in enumerate(cols.x_key):
        by_ot.setdefault((o, t), []).append(c)
    for cs in by_ot.values():
        if len(cs) > 1:
            rows.add([(c, 1.0) for c in cs], -_INF, 1.0)
    per_op: dict[int, list[int]] = {}
    for (o, q, t), s_col in cols.s_index.items():
        per_op.setdefault(o, []).append(s_col)
        entries = [(s_col, 1.0), (cols.x_index[(o, q, t)], -1.0)]
        prev = cols.x_index.get((o, q, t - 1)) if t > 0 else None
        if prev is not None:
            entries.append((prev, 1.0))
        rows.add(entries, 0.0, _INF)
        for tau in grid.stay_span(t):
            later = cols.x_index.get((o, q, tau))
            if later is not None:
                rows.add([(later, 1.0), (s_col, -1.0)], 0.0, _INF)
    limit = grid.rules.max_switches
    for cs in per_op.values():
        if len(cs) > limit:
            rows.add([(c, 1.0) for c in cs], -_INF, float(limit))


def _queue_rows(grid: Grid, cols: _Columns, rows: _Rows) -> None:
    """Processing within the staff's minutes, and the backlog b[q,t] = b[q,t-1] + a[q,t] -
    p[q,t] >= 0 (b[q,-1] = waiting), whose last value is the queue's late tasks."""
    switch = grid.scenario.rules.switch_minutes
    ops = {op.id: op for op in grid.scenario.operators}
    cap_entries: dict[tuple[QueueId, int], list[tuple[int, float]]] = {
        key: [(c, 1.0)] for key, c in cols.p_index.items()
    }
    for c, (o, q, t) in enumerate(cols.x_key):
        rate = ops[o].speed(q[2]) / 60.0
        m = grid.minutes[(o, q)][t]
        if rate > 0:
            cap_entries[(q, t)].append((c, -rate * m))
            s_col = cols.s_index.get((o, q, t))
            if s_col is not None and min(switch, m) > 0:
                cap_entries[(q, t)].append((s_col, rate * min(switch, m)))
    for entries in cap_entries.values():
        rows.add(entries, -_INF, 0.0)
    for q in grid.queue_ids:
        for t in range(grid.n_intervals):
            entries = [(cols.b_index[(q, t)], 1.0), (cols.p_index[(q, t)], 1.0)]
            rhs = grid.arrivals[q][t]
            if t > 0:
                entries.append((cols.b_index[(q, t - 1)], -1.0))
            else:
                rhs += grid.waiting[q]
            rows.add(entries, rhs, rhs)


def _build(grid: Grid) -> _Model:
    queues = {q.id: q for q in grid.scenario.queues}
    ops = {op.id: op for op in grid.scenario.operators}
    cols = _columns(grid)
    n_x, n_s, n_cols = len(cols.x_key), len(cols.s_index), cols.count
    late_col = {q: cols.b_index[(q, grid.n_intervals - 1)] for q in grid.queue_ids}
    lower = np.zeros(n_cols)
    upper = np.full(n_cols, _INF)
    upper[: n_x + n_s] = 1.0
    integrality = np.zeros(n_cols, dtype=np.int32)
    integrality[:n_x] = 1
    for o, k in grid.forced_home.items():
        for t in range(k):
            own = grid.home[o]
            c = cols.x_index.get((o, own, t)) if own is not None else None
            if c is not None:
                lower[c] = 1.0
    rows = _Rows()
    _operator_rows(grid, cols, rows)
    _queue_rows(grid, cols, rows)
    cost1 = np.zeros(n_cols)
    for q, c in late_col.items():
        cost1[c] = queues[q].priority
    cost2 = np.zeros(n_cols)
    cost2[n_x : n_x + n_s] = 1.0
    away = [c for c, (o, q, _t) in enumerate(cols.x_key) if queues[q].location != ops[o].location]
    eps = 1.0 / (len(away) + 2)
    cost2[away] = eps
    return _Model(
        x_key=cols.x_key, n_x=n_x, n_s=n_s, n_p=len(cols.p_index), late_col=late_col,
        p_index=cols.p_index, s_index=cols.s_index, b_index=cols.b_index, cost1=cost1,
        cost2=cost2, lower=lower, upper=upper, integrality=integrality, rows=rows.rows,
        cols=rows.cols, vals=rows.vals, row_lower=rows.lower, row_upper=rows.upper, eps=eps,
    )  # fmt: skip


def _highs(model: _Model, cost: np.ndarray, extra: tuple[np.ndarray, float] | None,
           time_limit_s: float, abs_gap: float) -> highspy.Highs:  # fmt: skip
    rows = np.asarray(model.rows, dtype=np.int64)
    cols = np.asarray(model.cols, dtype=np.int64)
    vals = np.asarray(model.vals, dtype=np.float64)
    rlo = np.asarray(model.row_lower, dtype=np.float64)
    rup = np.asarray(model.row_upper, dtype=np.float64)
    if extra is not None:
        coeffs, cap = extra
        nz = np.flatnonzero(coeffs)
        r = len(rlo)
        rows = np.concatenate([rows, np.full(len(nz), r)])
        cols = np.concatenate([cols, nz])
        vals = np.concatenate([vals, coeffs[nz]])
        rlo = np.append(rlo, -_INF)
        rup = np.append(rup, cap)
    order = np.lexsort((rows, cols))
    n_cols = len(cost)
    start = np.searchsorted(cols[order], np.arange(n_cols + 1)).astype(np.int32)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(time_limit_s, 0.05))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", abs_gap)
    highs.passModel(
        n_cols, len(rlo), len(vals), 1, 1, 0.0, cost, model.lower, model.upper,
        rlo, rup, start, rows[order].astype(np.int32), vals[order], model.integrality,
    )  # fmt: skip
    return highs


def _warm(highs: highspy.Highs, model: _Model, grid: Grid, assignment: Assignment) -> None:
    """Start from ``assignment`` (a valid timeline: x, its switches, what is processed
    greedily, the backlogs)."""
    values = np.zeros(len(model.cost1))
    x_index = {key: c for c, key in enumerate(model.x_key)}
    for op in grid.scenario.operators:
        seq = assignment.get(op.id) or stay_home(grid, op.id)
        for t, q in enumerate(seq):
            if q is None:
                continue
            values[x_index[(op.id, q, t)]] = 1.0
            if _switch_at(grid, op.id, seq, t):
                values[model.s_index[(op.id, q, t)]] = 1.0
    flows = _flows(grid, assignment)
    for q in grid.queue_ids:
        for t in range(grid.n_intervals):
            values[model.p_index[(q, t)]] = flows.done[q][t]
            values[model.b_index[(q, t)]] = flows.backlog[q][t]
    solution = highspy.HighsSolution()
    solution.col_value = values.tolist()
    solution.value_valid = True
    highs.setSolution(solution)


def _run(highs: highspy.Highs) -> tuple[bool, np.ndarray | None, float | None]:
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = info.mip_dual_bound if info.mip_dual_bound is not None else None
    if info.primal_solution_status != 2:
        return optimal, None, bound
    return optimal, np.asarray(highs.getSolution().col_value, dtype=np.float64), bound


def _assignment(
    grid: Grid, model: _Model, values: np.ndarray | None
) -> dict[int, list[QueueId | None]]:
    if values is None:
        return {op.id: stay_home(grid, op.id) for op in grid.scenario.operators}
    result: dict[int, list[QueueId | None]] = {
        op.id: [None] * grid.n_intervals for op in grid.scenario.operators
    }
    for c, (o, q, t) in enumerate(model.x_key):
        if values[c] > 0.5:
            result[o][t] = q
    return result


def _better(a: Evaluation, b: Evaluation) -> bool:
    if a.objective < b.objective - OBJECTIVE_TOLERANCE:
        return True
    if a.objective > b.objective + OBJECTIVE_TOLERANCE:
        return False
    return (a.switches, a.away_intervals) < (b.switches, b.away_intervals)


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


# ----------------------------------------------------------------------------- the oracle


def _sequences(grid: Grid, op_id: int) -> list[list[QueueId | None]]:
    choices: list[QueueId | None] = [None, *grid.options(op_id)]
    found = []
    for combo in product(choices, repeat=grid.n_intervals):
        seq = list(combo)
        if not violations(grid, op_id, seq):
            found.append(seq)
    return found


def brute_force(grid: Grid) -> tuple[Evaluation, dict[int, list[QueueId | None]]]:
    """Enumerate every valid timeline (tiny grids only): the lexicographic optimum."""
    ops = [op.id for op in grid.scenario.operators]
    per_op = [_sequences(grid, o) for o in ops]
    total = 1
    for seqs in per_op:
        total *= len(seqs)
    if total > MAX_TIMELINES:
        raise ValueError(f"{total} timelines: too many to enumerate")
    best: tuple[Evaluation, dict[int, list[QueueId | None]]] | None = None
    for combo in product(*per_op):
        assignment = dict(zip(ops, combo, strict=True))
        ev = evaluate(grid, assignment)
        if best is None or _better(ev, best[0]):
            best = (ev, assignment)
    assert best is not None
    return best

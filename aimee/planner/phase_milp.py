"""The time-phased plan's MILP on HiGHS: its columns and rows, a warm start from a timeline,
and the timeline read back from a solution (the model is in `timephased`'s docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from aimee.planner.domain import QueueId
from aimee.planner.phase_eval import Assignment, _flows, _switch_at, stay_home
from aimee.planner.phase_grid import Grid

_INF = highspy.kHighsInf


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

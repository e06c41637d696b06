"""The MILP and its lexicographic solve with HiGHS.

Variables: y[c] in {0, 1} for each candidate move c = (operator o, destination q) and
late[r] >= 0 for each queue r whose late tasks can change. Staying is implicit (o stays when
no y of theirs is 1), which is the equality form of "an operator is on at most one queue" for
assigned operators: staying weakly dominates going idle, since contributions are >= 0.

    late[r] >= waiting[r] - base_capacity[r] + sum_{c from r} loss[c] y[c]
                                            - sum_{c into r} gain[c] y[c]
    sum_{c of o} y[c] <= 1                      for every operator with several candidates
    sum_c y[c] <= max_moves

Stage 1 minimises offset + sum_r priority[r] late[r]. Stage 2 keeps that objective within
OBJECTIVE_TOLERANCE of the stage-1 optimum and minimises the number of moves. Continuous
coefficients leave no provably safe single weight for moves, hence two stages.

loss[c] is the operator's stay contribution on r, less (with rules.loans) what they still do
on r after the loan (`ScenarioIndex.loss`, `capacity.loss`).

This module holds the arrays and the HiGHS calls; `search` decides what to solve.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import highspy
import numpy as np
from numpy.typing import NDArray

from aimee.planner.candidates import Candidates
from aimee.planner.index import FloatArray, IntArray, ScenarioIndex

logger = logging.getLogger(__name__)

OBJECTIVE_TOLERANCE = 1e-6
"""Objective values (priority-weighted late tasks) closer than this are equal."""

_INF = highspy.kHighsInf
Int32Array = NDArray[np.int32]


@dataclass(frozen=True)
class Model:
    """Column-wise arrays of the stage-1 model."""

    n_moves: int
    cost: FloatArray
    upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    start: Int32Array
    index: Int32Array
    value: FloatArray
    integrality: IntArray
    offset: float
    late_columns: IntArray
    moves_row: int


def build_model(index: ScenarioIndex, cand: Candidates) -> Model:
    rows_q = np.flatnonzero(cand.rows)
    row_of_queue = np.full(index.n_queues, -1, dtype=np.int64)
    row_of_queue[rows_q] = np.arange(len(rows_q))
    n_moves, n_late = len(cand), len(rows_q)

    ops, counts = np.unique(cand.operator, return_counts=True)
    shared = ops[counts > 1]
    assign_row = np.full(index.n_operators, -1, dtype=np.int64)
    assign_row[shared] = n_late + np.arange(len(shared))
    moves_row = n_late + len(shared)

    move_cols = np.arange(n_moves)
    source = index.current[cand.operator]
    source_row = np.where(source >= 0, row_of_queue[np.maximum(source, 0)], -1)
    stay = index.loss(cand.operator, cand.queue)
    has_source = (source_row >= 0) & (stay > 0)
    has_assign = assign_row[cand.operator] >= 0

    cols = np.concatenate(
        [
            move_cols,
            move_cols[has_source],
            move_cols[has_assign],
            move_cols,
            n_moves + np.arange(n_late),
        ]
    )
    rows = np.concatenate(
        [
            row_of_queue[cand.queue],
            source_row[has_source],
            assign_row[cand.operator][has_assign],
            np.full(n_moves, moves_row),
            np.arange(n_late),
        ]
    )
    values = np.concatenate(
        [
            cand.gain,
            -stay[has_source],
            np.ones(int(has_assign.sum())),
            np.ones(n_moves),
            np.ones(n_late),
        ]
    )
    order = np.lexsort((rows, cols))
    n_cols = n_moves + n_late
    start = np.searchsorted(cols[order], np.arange(n_cols + 1)).astype(np.int32)

    n_rows = moves_row + 1
    row_lower = np.full(n_rows, -_INF)
    row_upper = np.full(n_rows, _INF)
    row_lower[:n_late] = index.waiting[rows_q] - index.base_capacity[rows_q]
    row_upper[n_late:moves_row] = 1.0
    row_upper[moves_row] = float(index.scenario.rules.max_moves)

    return Model(
        n_moves=n_moves,
        cost=np.concatenate([np.zeros(n_moves), index.priority[rows_q]]),
        upper=np.concatenate([np.ones(n_moves), np.full(n_late, _INF)]),
        row_lower=row_lower,
        row_upper=row_upper,
        start=start,
        index=rows[order].astype(np.int32),
        value=values[order].astype(np.float64),
        integrality=np.concatenate([np.ones(n_moves), np.zeros(n_late)]).astype(np.int32),
        offset=cand.offset,
        late_columns=n_moves + np.arange(n_late),
        moves_row=moves_row,
    )


def _new_highs(time_limit_s: float, abs_gap: float) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(time_limit_s, 0.01))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", abs_gap)
    return highs


def _pass(
    highs: highspy.Highs,
    model: Model,
    cost: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    offset: float,
) -> None:
    n_cols = len(cost)
    highs.passModel(
        n_cols,
        len(row_lower),
        len(model.value),
        1,  # column-wise
        1,  # minimise
        offset,
        cost,
        np.zeros(n_cols),
        model.upper,
        row_lower,
        row_upper,
        model.start,
        model.index,
        model.value,
        model.integrality,
    )


def restrict(cand: Candidates, columns: IntArray) -> Candidates:
    """The same queues and rows with only some candidate moves."""
    return replace(
        cand, operator=cand.operator[columns], queue=cand.queue[columns], gain=cand.gain[columns]
    )


def _entry_columns(model: Model) -> IntArray:
    return np.repeat(np.arange(len(model.cost)), np.diff(model.start))


def late_values(model: Model, pick: FloatArray) -> FloatArray:
    """Smallest feasible late[r] for a 0/1 vector of moves."""
    n_late = len(model.late_columns)
    moves_nnz = int(model.start[model.n_moves])
    columns = _entry_columns(model)[:moves_nnz]
    activity = np.zeros(len(model.row_lower))
    np.add.at(activity, model.index[:moves_nnz], model.value[:moves_nnz] * pick[columns])
    result: FloatArray = np.maximum(0.0, model.row_lower[:n_late] - activity[:n_late])
    return result


def _pick(model: Model, chosen: IntArray) -> FloatArray:
    pick = np.zeros(model.n_moves)
    pick[chosen] = 1.0
    return pick


def model_objective(model: Model, chosen: IntArray) -> float:
    """Stage-1 objective of the model for a set of chosen move columns."""
    late = late_values(model, _pick(model, chosen))
    return model.offset + float(model.cost[model.late_columns] @ late)


def _run(highs: highspy.Highs) -> tuple[bool, FloatArray | None]:
    """(proven optimal, column values or None when no feasible solution is known)."""
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if highs.getInfo().primal_solution_status != 2:  # 2: feasible
        return optimal, None
    return optimal, np.asarray(highs.getSolution().col_value, dtype=np.float64)


def _warm_start(highs: highspy.Highs, model: Model, chosen: IntArray) -> None:
    pick = _pick(model, chosen)
    solution = highspy.HighsSolution()
    solution.col_value = np.concatenate([pick, late_values(model, pick)]).tolist()
    solution.value_valid = True
    highs.setSolution(solution)


@dataclass(frozen=True)
class LpBound:
    bound: float
    """A rigorous lower bound on the stage-1 objective of every 0/1 solution."""
    reduced: FloatArray
    """Reduced cost of each move column: a solution using column j costs >= bound + reduced[j]."""
    value: FloatArray
    """LP relaxation value of each move column."""


def lp_bound(model: Model, time_limit_s: float) -> LpBound | None:
    """Solve the LP relaxation and turn its duals into a bound that does not trust tolerances.

    For any row duals y of the right signs (>= 0 on rows bounded below, <= 0 on rows bounded
    above) and d = c - A'y, every feasible x satisfies c.x >= L(y) + sum_{d_j > 0} d_j x_j with
    L(y) = offset + sum_i y_i * (active row bound) + sum_{move j, d_j < 0} d_j, because x <= 1
    on moves and late columns keep d >= 0 (their dual is clipped to [0, priority]).
    """
    highs = _new_highs(time_limit_s, OBJECTIVE_TOLERANCE)
    relaxed = replace(model, integrality=np.zeros_like(model.integrality))
    _pass(highs, relaxed, model.cost, model.row_lower, model.row_upper, model.offset)
    highs.run()
    solution = highs.getSolution()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal or not solution.dual_valid:
        return None
    duals = np.asarray(solution.row_dual, dtype=np.float64)
    duals = np.where(np.isinf(model.row_lower), np.minimum(duals, 0.0), duals)
    duals = np.where(np.isinf(model.row_upper), np.maximum(duals, 0.0), duals)
    n_late = len(model.late_columns)
    duals[:n_late] = np.minimum(duals[:n_late], model.cost[model.late_columns])
    at = np.bincount(
        _entry_columns(model), weights=model.value * duals[model.index], minlength=len(model.cost)
    )
    reduced = (model.cost - at)[: model.n_moves]
    pos, neg = duals > 0, duals < 0
    row_bound = float(duals[pos] @ model.row_lower[pos]) + float(duals[neg] @ model.row_upper[neg])
    bound = model.offset + row_bound + float(np.minimum(reduced, 0.0).sum())
    values = np.asarray(solution.col_value, dtype=np.float64)[: model.n_moves]
    return LpBound(bound=bound, reduced=reduced, value=values)


@dataclass(frozen=True)
class MipOutcome:
    chosen: IntArray | None
    """Chosen move columns of the best solution found, None if none is known."""
    proven: bool


def _outcome(model: Model, result: tuple[bool, FloatArray | None]) -> MipOutcome:
    proven, values = result
    if values is None:
        return MipOutcome(None, False)
    return MipOutcome(np.flatnonzero(values[: model.n_moves] > 0.5), proven)


def minimise_late(model: Model, warm: IntArray, time_limit_s: float) -> MipOutcome:
    """Stage 1 on this model, warm-started from the moves `warm`."""
    highs = _new_highs(time_limit_s, OBJECTIVE_TOLERANCE / 10)
    _pass(highs, model, model.cost, model.row_lower, model.row_upper, model.offset)
    _warm_start(highs, model, warm)
    return _outcome(model, _run(highs))


def _stage2(highs: highspy.Highs, model: Model, cap: float, max_moves: int) -> None:
    """Minimise moves subject to stage-1 objective <= cap and at most max_moves moves."""
    cost = np.concatenate([np.ones(model.n_moves), np.zeros(len(model.late_columns))])
    row_upper = model.row_upper.copy()
    row_upper[model.moves_row] = float(max_moves)
    _pass(highs, model, cost, model.row_lower, row_upper, 0.0)
    late_cost = model.cost[model.late_columns]
    nonzero = late_cost > 0
    highs.addRow(
        -_INF,
        cap - model.offset,
        int(nonzero.sum()),
        model.late_columns[nonzero].astype(np.int32),
        late_cost[nonzero],
    )


def moves_lower_bound(model: Model, cap: float, max_moves: int, time_limit_s: float) -> float:
    """LP bound on the moves of any solution with stage-1 objective <= cap (0 if unknown)."""
    highs = _new_highs(time_limit_s, 0.5)
    _stage2(highs, replace(model, integrality=np.zeros_like(model.integrality)), cap, max_moves)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return 0.0
    return float(highs.getInfo().objective_function_value)


def minimise_moves(model: Model, cap: float, warm: IntArray, time_limit_s: float) -> MipOutcome:
    """Stage 2: fewest moves with stage-1 objective <= cap, warm-started from `warm`."""
    highs = _new_highs(time_limit_s, 0.5)  # moves are integers: a gap below 1 proves optimality
    _stage2(highs, model, cap, len(warm))
    _warm_start(highs, model, warm)
    return _outcome(model, _run(highs))

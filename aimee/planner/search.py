"""Lexicographic optimum of the MILP, proven with LP duals and solved on small sub-models.

1. Solve the LP relaxation of the full model; its duals give a rigorous bound L and reduced
   costs d: any solution that uses move column j has objective >= L + d[j].
2. Solve the MILP restricted to a core of promising columns (small d, positive LP value, the
   warm start): a good incumbent with objective U, quickly.
3. Columns with L + d[j] > U + tolerance are in no solution within the tolerance of the optimum,
   so they are dropped: exact. If what remains is inside the core, the core's optimum is the
   optimum; otherwise the MILP over what remains is solved (when small enough to be worth it).
4. Stage 2 (fewest moves) runs on the columns that can appear in a near-optimal solution; an LP
   bound on the moves often proves the stage-1 solution already has the fewest.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from aimee.planner import milp
from aimee.planner.candidates import Candidates
from aimee.planner.index import IntArray, ScenarioIndex
from aimee.planner.milp import OBJECTIVE_TOLERANCE, Model

logger = logging.getLogger(__name__)

CORE_COLUMNS = 500
"""Columns of smallest reduced cost tried first."""
SMALL_MODEL_COLUMNS = 2_000
"""Models this small are solved whole at once."""
CORE_SHARE = 0.5
"""At most this share of the time left goes to the core, so that the wider search gets time."""
SETUP_REFERENCE_COLUMNS = 25_000
SETUP_REFERENCE_SECONDS = 1.2
"""HiGHS does not check its time limit while it presolves a MILP. Measured on the 2-core
development machine, that costs about 1.2 s at 25,000 move columns and grows roughly with the
cube of the size (about 7 s at 50,000, 40 s at 100,000); the estimate below keeps the time
limit when deciding whether a MILP over many columns is worth starting."""
MIN_SEARCH_SECONDS = 0.5

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class SearchResult:
    chosen: IntArray
    """Chosen candidate columns."""
    objective: float
    """The model's objective for these moves (for checks only: the plan recomputes it)."""
    optimal: bool
    status: str
    lower_bound: float | None
    """A proven lower bound on the optimal objective (the LP bound), None if unknown."""


def setup_seconds(columns: int) -> float:
    """Estimated time HiGHS spends on a MILP of `columns` moves before obeying its time limit."""
    return SETUP_REFERENCE_SECONDS * (columns / SETUP_REFERENCE_COLUMNS) ** 3


def affordable(columns: int, seconds: float) -> bool:
    return seconds - setup_seconds(columns) >= MIN_SEARCH_SECONDS


class _Clock:
    def __init__(self, limit_s: float) -> None:
        self._deadline = time.perf_counter() + limit_s

    def left(self, share: float = 1.0) -> float:
        """Seconds left before the deadline, times `share`."""
        return max(0.0, self._deadline - time.perf_counter()) * share


def _sub_solve(
    index: ScenarioIndex, cand: Candidates, columns: IntArray, warm: IntArray, seconds: float
) -> tuple[IntArray | None, bool]:
    """Stage 1 over `columns` only; returns full-model columns and whether it is proven."""
    sub = milp.build_model(index, milp.restrict(cand, columns))
    position = {int(c): i for i, c in enumerate(columns)}
    warm_sub = np.array([position[int(c)] for c in warm if int(c) in position], dtype=np.int64)
    outcome = milp.minimise_late(sub, warm_sub, seconds - setup_seconds(len(columns)))
    if outcome.chosen is None:
        return None, False
    return columns[outcome.chosen], outcome.proven


def _better(model: Model, a: IntArray, b: IntArray | None) -> IntArray:
    if b is None:
        return a
    return b if milp.model_objective(model, b) < milp.model_objective(model, a) else a


def _fewest_moves(
    index: ScenarioIndex,
    cand: Candidates,
    model: Model,
    lp: milp.LpBound | None,
    best: IntArray,
    clock: _Clock,
) -> tuple[IntArray, bool]:
    """Stage 2 given a proven stage-1 optimum `best`."""
    optimum = milp.model_objective(model, best)
    cap = optimum + OBJECTIVE_TOLERANCE
    if len(best) == 0 or milp.model_objective(model, _EMPTY) <= cap:
        return _EMPTY, True
    if lp is None:
        columns = np.arange(len(cand))
    else:  # only these columns appear in plans within the tolerance of the optimum
        columns = np.union1d(np.flatnonzero(lp.bound + lp.reduced <= cap), best)
    sub = milp.build_model(index, milp.restrict(cand, columns))
    warm = np.searchsorted(columns, best)
    if milp.moves_lower_bound(sub, cap, len(best), clock.left()) > len(best) - 1 + 1e-6:
        return best, True
    if not affordable(len(columns), clock.left()):
        return best, False
    outcome = milp.minimise_moves(sub, cap, warm, clock.left() - setup_seconds(len(columns)))
    if outcome.chosen is None:
        return best, False
    return columns[outcome.chosen], outcome.proven


def _without_bound(
    index: ScenarioIndex, cand: Candidates, model: Model, best: IntArray, clock: _Clock
) -> tuple[IntArray, bool]:
    """Stage 1 on every column, when the LP relaxation gave no usable duals."""
    if not affordable(len(cand), clock.left()):
        logger.warning("planner: no LP bound and no time for %d columns", len(cand))
        return best, False
    logger.warning("planner: no LP bound; solving the MILP on all %d columns", len(cand))
    found, proven = _sub_solve(index, cand, np.arange(len(cand)), best, clock.left())
    return _better(model, best, found), proven


def lexicographic(
    index: ScenarioIndex, cand: Candidates, warm: IntArray, time_limit_s: float
) -> SearchResult:
    """Fewest late tasks (priority-weighted), then fewest moves, over the candidate moves."""
    clock = _Clock(time_limit_s)
    model = milp.build_model(index, cand)
    best = _better(model, _EMPTY, warm)
    lp = milp.lp_bound(model, clock.left())
    if lp is None:
        best, proven = _without_bound(index, cand, model, best, clock)
        if not proven:
            return _result(model, best, False, _status(clock), None)
        fewest, proven = _fewest_moves(index, cand, model, None, best, clock)
        return _result(model, fewest, proven, "optimal" if proven else _status(clock), None)

    if len(cand) <= SMALL_MODEL_COLUMNS:
        core = np.arange(len(cand))
    else:
        core = np.union1d(np.argsort(lp.reduced, kind="stable")[:CORE_COLUMNS], best)
        core = np.union1d(core, np.flatnonzero(lp.value > 1e-9))
    found, proven = _sub_solve(index, cand, core, best, clock.left(CORE_SHARE))
    best = _better(model, best, found)
    upper = milp.model_objective(model, best)
    needed = np.flatnonzero(lp.bound + lp.reduced <= upper + OBJECTIVE_TOLERANCE)
    logger.debug(
        "planner: %d columns, core %d, %d survive the bound", len(cand), len(core), len(needed)
    )
    proven = proven and bool(np.isin(needed, core).all())
    if not proven:
        complete = affordable(len(needed), clock.left())
        if complete:
            columns = np.union1d(needed, best)
        else:  # too many to prove anything in time: search a wider core instead
            wider = np.argsort(lp.reduced, kind="stable")[: 10 * CORE_COLUMNS]
            columns = np.union1d(np.union1d(wider, core), best)
        found, exact = _sub_solve(index, cand, columns, best, clock.left())
        best = _better(model, best, found)
        proven = exact and complete
    if not proven:
        return _result(model, best, False, _status(clock), lp.bound)

    fewest, proven = _fewest_moves(index, cand, model, lp, best, clock)
    return _result(model, fewest, proven, "optimal" if proven else _status(clock), lp.bound)


def _status(clock: _Clock) -> str:
    return "time_limit" if clock.left() == 0 else "not_proven"


def _result(
    model: Model, chosen: IntArray, optimal: bool, status: str, bound: float | None
) -> SearchResult:
    value = milp.model_objective(model, chosen)
    return SearchResult(np.sort(chosen), value, optimal, status, value if optimal else bound)

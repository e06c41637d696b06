"""What a timeline of the time-phased plan is worth: the rules it breaks (`violations`), its
late tasks, switches and intervals away (`evaluate`), and the brute-force oracle of the tests
(`brute_force`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from aimee.planner.domain import QueueId
from aimee.planner.milp import OBJECTIVE_TOLERANCE

if TYPE_CHECKING:  # the grid module builds on `evaluate`: its types only, to avoid a cycle
    from aimee.planner.phase_grid import Grid

MAX_TIMELINES = 300_000
"""The oracle refuses larger enumerations."""

Assignment = Mapping[int, Sequence[QueueId | None]]
"""operator id -> the queue worked on in each interval (None: not working)."""


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


def _better(a: Evaluation, b: Evaluation) -> bool:
    if a.objective < b.objective - OBJECTIVE_TOLERANCE:
        return True
    if a.objective > b.objective + OBJECTIVE_TOLERANCE:
        return False
    return (a.switches, a.away_intervals) < (b.switches, b.away_intervals)


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

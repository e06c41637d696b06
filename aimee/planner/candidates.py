"""Which (operator, destination) moves the model needs: exact reductions only.

Let K = max_moves. A plan is compared lexicographically: priority-weighted late tasks, then the
number of moves. Every reduction below keeps at least one lexicographically optimal plan.

1. Useless destinations. A move into a queue with no waiting task, no working minute left after
   the switch, or priority 0 never lowers the objective; undoing it (the operator stays where
   they were) makes no queue later and saves a move. Likewise a move with zero contribution.

2. Queues that never need help ("slack-free"). Let T(s) be the sum of the K largest stay
   contributions among the operators of s that could move at all. If base_capacity(s) - T(s)
   >= waiting(s), then s stays on time whatever at most K moves take away from it, so a move
   into s can be undone without making s late: s is not a destination.

3. Donors whose loss does not matter ("donor-free" queues: slack-free, T(s) = 0, or priority 0;
   idle operators and operators outside the scenario also belong here). Taking any at most K
   operators from them leaves the objective unchanged. Pool all their movable operators; for a
   destination q of process p keep only the K best pool members by (speed on p descending,
   position ascending), skipping those already on q. Proof: if an optimal plan moves a pool
   member o to q and o is not among those K, one of the K is not moved (at most K - 1 other
   moves exist); swapping them (o stays, o' goes to q) gives q at least as much, gives o's
   queue o back, and costs o''s queue nothing that counts. Same number of moves, objective no
   worse; the pool positions of moved operators only improve, so repeating ends.

   With shift ends (``Operator.shift_end``) a pool member's contribution at q depends on
   their shift as well as their speed: the pool is then ranked by contribution at q
   (descending, position ascending), and the same swap argument holds.

Loans (``rules.loans``) only lower what a donor loses, so rules 2 and 3 stay exact.

Operators of other queues ("at-risk" donors) keep every eligible destination: moving one of
them out of an on-time queue and refilling that queue with someone slower there can be optimal,
so restricting destinations to queues that are late before the plan would not be exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from aimee.planner.index import BoolArray, FloatArray, IntArray, ScenarioIndex


@dataclass(frozen=True)
class Candidates:
    operator: IntArray
    """Operator position of each candidate move."""
    queue: IntArray
    """Destination queue position of each candidate move."""
    gain: FloatArray
    """Contribution of the operator at the destination."""
    rows: BoolArray
    """Queues whose late tasks can change (they get a variable in the model)."""
    offset: float
    """Priority-weighted late tasks of the other queues, which no kept move changes."""

    def __len__(self) -> int:
        return len(self.operator)


def _top_k_stay_sum(index: ScenarioIndex, removable: BoolArray, k: int) -> FloatArray:
    """Per queue, the sum of the k largest stay contributions among its removable operators."""
    ops = np.flatnonzero(removable & (index.current >= 0))
    total = np.zeros(index.n_queues)
    if len(ops) == 0 or k == 0:
        return total
    order = ops[np.lexsort((-index.stay[ops], index.current[ops]))]
    queues = index.current[order]
    first = np.r_[0, np.flatnonzero(np.diff(queues)) + 1]
    starts = np.repeat(first, np.diff(np.r_[first, len(order)]))
    rank = np.arange(len(order)) - starts
    keep = order[rank < k]
    np.add.at(total, index.current[keep], index.stay[keep])
    return total


def _pool_order(index: ScenarioIndex, pool: BoolArray, process: int) -> IntArray:
    ops = np.flatnonzero(pool & index.eligible[:, process])
    return ops[np.lexsort((ops, -index.speed[ops, process]))]


def _pool_for(order: IntArray, current: IntArray, queue: int, k: int) -> IntArray:
    chosen: list[int] = []
    for op in order:
        if len(chosen) == k:
            break
        if current[op] != queue:
            chosen.append(int(op))
    return np.array(chosen, dtype=np.int64)


def find_candidates(index: ScenarioIndex, extra: Iterable[tuple[int, int]] = ()) -> Candidates:
    """Candidate moves after the exact reductions, plus `extra` (operator, queue) positions."""
    k = index.scenario.rules.max_moves
    useful = (
        (index.waiting > 0) & (index.move_minutes > 0) & (index.priority > 0) & index.receivable
    )
    dest_processes = np.unique(index.process_of[useful])
    removable: BoolArray = np.asarray(index.eligible[:, dest_processes].any(axis=1))
    top_k = _top_k_stay_sum(index, removable, k)
    slack_free = index.base_capacity - top_k >= index.waiting
    donor_free = slack_free | (top_k == 0) | (index.priority == 0)
    destination = useful & ~slack_free
    rows = destination | ~donor_free

    late0 = np.maximum(0.0, index.waiting - index.base_capacity)
    offset = float(np.sum(index.priority[~rows] * late0[~rows]))

    staffed = index.current >= 0  # idle, or on a queue outside the scenario: free to move
    safe_source = np.ones(len(index.current), dtype=bool)
    safe_source[staffed] = donor_free[index.current[staffed]]
    pool = safe_source & index.eligible.any(axis=1)
    at_risk = ~safe_source

    ops_parts: list[IntArray] = []
    queue_parts: list[IntArray] = []
    pool_orders: dict[int, IntArray] = {}
    at_risk_by_process: dict[int, IntArray] = {}
    for q in np.flatnonzero(destination):
        p = int(index.process_of[q])
        if p not in pool_orders:
            pool_orders[p] = _pool_order(index, pool, p)
            at_risk_by_process[p] = np.flatnonzero(at_risk & index.eligible[:, p])
        risky = at_risk_by_process[p]
        order = pool_orders[p]
        if index.shift is not None:
            by_gain = index.gain(order, np.full(len(order), q, dtype=np.int64))
            order = order[np.lexsort((order, -by_gain))]
        chosen = np.concatenate(
            [risky[index.current[risky] != q], _pool_for(order, index.current, int(q), k)]
        )
        ops_parts.append(chosen)
        queue_parts.append(np.full(len(chosen), q, dtype=np.int64))

    extra_pairs = [
        (o, q)
        for o, q in extra
        if destination[q] and index.eligible[o, index.process_of[q]] and index.current[o] != q
    ]
    if extra_pairs:
        ops_parts.append(np.array([o for o, _ in extra_pairs], dtype=np.int64))
        queue_parts.append(np.array([q for _, q in extra_pairs], dtype=np.int64))

    operator = np.concatenate(ops_parts) if ops_parts else np.zeros(0, dtype=np.int64)
    queue = np.concatenate(queue_parts) if queue_parts else np.zeros(0, dtype=np.int64)
    codes = np.unique(operator * max(index.n_queues, 1) + queue)
    operator, queue = codes // max(index.n_queues, 1), codes % max(index.n_queues, 1)
    gain = index.gain(operator, queue)
    positive = gain > 0
    return Candidates(
        operator=operator[positive],
        queue=queue[positive],
        gain=gain[positive],
        rows=rows,
        offset=offset,
    )

"""The exact reductions of the candidate moves."""

from __future__ import annotations

from aimee.planner.candidates import find_candidates
from aimee.planner.index import build_index

from .factories import MORIOKA, SAPPORO, SHINAGAWA, entry1, operator, queue, scenario, skill


def _pairs(sc_ops: list[int], cand_ops: list[int], cand_queues: list[int]) -> set[tuple[int, int]]:
    return {(sc_ops[o], q) for o, q in zip(cand_ops, cand_queues, strict=True)}


def test_operators_without_any_queue_give_no_candidates() -> None:
    """Regression: indexing the donors of an empty queue list raised IndexError."""
    sc = scenario([], [entry1(1, None, 4, 60.0), entry1(2, SAPPORO, 3, 70.0)])
    assert len(find_candidates(build_index(sc))) == 0


def test_useless_destinations_are_dropped() -> None:
    # Nothing waiting, deadline within the switch time, priority 0: no move there helps.
    sc = scenario(
        [
            queue(SAPPORO, 0, 60),
            queue(MORIOKA, 50, 4),
            queue(SHINAGAWA, 50, 60, priority=0.0),
        ],
        [entry1(1, None, 4, 60.0)],
    )
    assert len(find_candidates(build_index(sc))) == 0


def test_idle_pool_keeps_only_the_k_fastest() -> None:
    # Idle operators lose nothing by moving: with max_moves 2 only the 2 fastest can matter.
    speeds = [30.0, 90.0, 60.0, 120.0, 45.0]
    sc = scenario(
        [queue(SAPPORO, 500, 60)],
        [entry1(i + 1, None, 4, s) for i, s in enumerate(speeds)],
        max_moves=2,
    )
    cand = find_candidates(build_index(sc))
    ids = [o.id for o in sc.operators]
    assert _pairs(ids, cand.operator.tolist(), cand.queue.tolist()) == {(4, 0), (2, 0)}


def test_operators_of_a_queue_at_risk_keep_every_destination() -> None:
    # 盛岡 needs all its staff (no slack): each of them stays a candidate, fast or slow.
    sc = scenario(
        [queue(SAPPORO, 500, 60), queue(MORIOKA, 100, 60)],
        [entry1(i + 1, MORIOKA, 4, s) for i, s in enumerate([30.0, 40.0, 50.0])],
        max_moves=1,
    )
    cand = find_candidates(build_index(sc))
    assert sorted(cand.operator.tolist()) == [0, 1, 2]
    assert set(cand.queue.tolist()) == {0}


def test_a_queue_with_slack_for_any_k_departures_is_no_destination() -> None:
    # 品川 can do 90 tasks (60 of them by a locked operator); losing its movable operator
    # (30) still leaves 60 >= 10 waiting, so no plan needs to send anyone there.
    sc = scenario(
        [queue(SAPPORO, 100, 60), queue(SHINAGAWA, 10, 60)],
        [
            entry1(1, SHINAGAWA, 4, 60.0, locked=True),
            entry1(2, SHINAGAWA, 4, 30.0),
            operator(3, None, {"エントリ1": skill(4, 90.0)}),
        ],
        max_moves=1,
    )
    cand = find_candidates(build_index(sc))
    assert set(cand.queue.tolist()) == {0}  # 札幌 only
    assert not cand.rows[1]  # 品川's late tasks cannot change

"""Capacity, late tasks, objective and projected completion, against hand-computed numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aimee.planner import Rules, capacity
from aimee.planner.capacity import completion_minutes

from .factories import MORIOKA, NOW, SAPPORO, SHINAGAWA, entry1, queue, scenario, seed_example


def test_minutes_left_is_never_negative() -> None:
    sc = scenario([queue(SAPPORO, 10, 20), queue(MORIOKA, 10, -15)], [])
    assert capacity.minutes_left(sc.queues[0], NOW) == 20.0
    assert capacity.minutes_left(sc.queues[1], NOW) == 0.0


def test_staying_and_moved_contributions() -> None:
    # 90 tasks/hour = 1.5/min: 20 min staying -> 30 tasks; moved, 20 - 5 = 15 min -> 22.5.
    sc = scenario([queue(SAPPORO, 120, 20)], [entry1(1, SAPPORO, 4, 90.0)])
    op, q = sc.operators[0], sc.queues[0]
    rules = Rules(switch_minutes=5)
    assert capacity.contribution(op, q, NOW, rules, moved=False) == pytest.approx(30.0)
    assert capacity.contribution(op, q, NOW, rules, moved=True) == pytest.approx(22.5)
    # Deadline closer than the switch time: a moved operator brings nothing.
    short = scenario([queue(SAPPORO, 10, 4)], [entry1(1, None, 4, 90.0)])
    assert capacity.contribution(short.operators[0], short.queues[0], NOW, rules, moved=True) == 0.0


def test_a_margin_shortens_every_contribution() -> None:
    # Finish 10 minutes before the deadline: 20 - 10 = 10 min staying -> 15 tasks;
    # moved, 10 - 5 = 5 min -> 7.5 tasks. Late tasks count from then.
    sc = scenario([queue(SAPPORO, 120, 20)], [entry1(1, SAPPORO, 4, 90.0)])
    op, q = sc.operators[0], sc.queues[0]
    rules = Rules(switch_minutes=5, margin_minutes=10)
    assert capacity.contribution(op, q, NOW, rules, moved=False) == pytest.approx(15.0)
    assert capacity.contribution(op, q, NOW, rules, moved=True) == pytest.approx(7.5)
    margined = sc.model_copy(update={"rules": rules})
    assert capacity.lateness(margined, {})[SAPPORO] == pytest.approx(105.0)
    assert capacity.lateness(sc, {})[SAPPORO] == pytest.approx(90.0)  # margin 0 by default


def test_operator_without_the_skill_contributes_nothing() -> None:
    sc = scenario(
        [queue(("札幌", "523201", "補正"), 10, 30)],
        [entry1(1, ("札幌", "523201", "補正"), 4, 90.0)],
    )
    assert capacity.capacities(sc, {}) == {("札幌", "523201", "補正"): 0.0}


def test_seed_example_before_any_move() -> None:
    # Staff of 札幌 at 4 x 75 = 300/h = 5/min: 100 tasks in 20 minutes, 20 of 120 late.
    sc = seed_example()
    caps = capacity.capacities(sc, {})
    assert caps[SAPPORO] == pytest.approx(100.0)
    assert capacity.lateness(sc, {})[SAPPORO] == pytest.approx(20.0)
    # 盛岡: 2 x 90/h for 80 min = 240 >= 40; 品川: (90 + 60)/h for 80 min = 200 >= 20.
    assert caps[MORIOKA] == pytest.approx(240.0)
    assert caps[SHINAGAWA] == pytest.approx(200.0)
    assert capacity.objective(sc, {}) == pytest.approx(20.0)


def test_seed_example_one_mover_is_enough() -> None:
    # One 90/h operator after a 5-minute switch adds 1.5 x 15 = 22.5 >= 20 missing tasks.
    sc = seed_example()
    moves = {17: SAPPORO}
    assert capacity.capacities(sc, moves)[SAPPORO] == pytest.approx(122.5)
    assert capacity.objective(sc, moves) == 0.0
    # The donor keeps 90/h for 80 min = 120 >= 40 waiting.
    assert capacity.capacities(sc, moves)[MORIOKA] == pytest.approx(120.0)


def test_seed_example_completion_times() -> None:
    sc = seed_example()
    before = {e.queue.id: e for e in capacity.evaluate(sc, {})}
    after = {e.queue.id: e for e in capacity.evaluate(sc, {17: SAPPORO})}
    # Before: 120 tasks at 5/min -> 24 minutes -> 16:04, four minutes after the deadline.
    assert before[SAPPORO].completion == datetime(2025, 10, 23, 16, 4)
    # After: 25 done in the first 5 min, then 95 at 6.5/min = 14.615... min -> 19.615 min.
    expected = NOW + timedelta(minutes=5 + 95 / 6.5)
    completion = after[SAPPORO].completion
    assert completion is not None
    assert abs((completion - expected).total_seconds()) < 1e-3
    assert before[SAPPORO].rate == 300.0
    assert after[SAPPORO].rate == 390.0


@pytest.mark.parametrize(
    ("waiting", "stay", "moved", "switch", "expected"),
    [
        (0, 0.0, 0.0, 5, 0.0),  # nothing to do: done now
        (120, 300.0, 0.0, 5, 24.0),  # staying staff only
        (10, 300.0, 600.0, 5, 2.0),  # done before the movers arrive
        (120, 0.0, 90.0, 5, 5 + 80.0),  # only movers: 120 at 1.5/min after 5 min
        (120, 300.0, 90.0, 5, 5 + 95 / 6.5),  # both: the seed's example
        (50, 0.0, 0.0, 5, None),  # nobody works: never done
    ],
)
def test_completion_minutes(
    waiting: int, stay: float, moved: float, switch: float, expected: float | None
) -> None:
    result = completion_minutes(waiting, stay, moved, switch)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_priority_weights_the_objective() -> None:
    sc = scenario([queue(SAPPORO, 50, 30, priority=2.0), queue(MORIOKA, 10, 30, priority=0.5)], [])
    assert capacity.objective(sc, {}) == pytest.approx(2.0 * 50 + 0.5 * 10)


def test_operator_on_a_queue_outside_the_scenario_contributes_nothing_unless_moved() -> None:
    outside = ("仙台", "523201", "エントリ1")
    sc = scenario([queue(SAPPORO, 30, 30)], [entry1(1, outside, 4, 60.0)])
    assert capacity.capacities(sc, {})[SAPPORO] == 0.0
    assert capacity.capacities(sc, {1: SAPPORO})[SAPPORO] == pytest.approx(25.0)

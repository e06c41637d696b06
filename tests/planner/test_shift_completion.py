"""Projected completion and a queue's figures count an operator only until their shift
ends (and a helper on loan only until the loan ends). Every expectation below is worked
out by hand in its comment."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from aimee.planner import capacity
from aimee.planner.capacity import Work, finish_minutes
from aimee.planner.figures import queue_figures
from aimee.planner.forecast import Observation

from .factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario


def _at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def _ends(op: dict[str, Any], minutes: float) -> dict[str, Any]:
    return {**op, "shift_end": _at(minutes).isoformat()}


def _sapporo(sc: Any, moves: dict[int, Any] | None = None) -> capacity.QueueEvaluation:
    return next(e for e in capacity.evaluate(sc, moves or {}) if e.queue.id == SAPPORO)


@pytest.mark.parametrize(
    ("waiting", "works", "expected"),
    [
        # nobody works
        (10, [], None),
        # 60/h from 0: 1 task a minute
        (30, [Work(60.0)], 30.0),
        # two at 60/h, one leaving at 30: 60 done by 30, then 140 at 1/min -> 170
        (200, [Work(60.0, 0, 30), Work(60.0)], 170.0),
        # both leave (30 and 60): 60 + 30 = 90 < 200 -> never
        (200, [Work(60.0, 0, 30), Work(60.0, 0, 60)], None),
        # a helper at 120/h from 5 to 20 with a 60/h stayer: 5 by 5, +45 by 20, 50 more -> 70
        (100, [Work(60.0), Work(120.0, 5, 20)], 70.0),
        # nothing waiting
        (0, [Work(60.0, 0, 0)], 0.0),
    ],
)
def test_finish_minutes(waiting: float, works: list[Work], expected: float | None) -> None:
    result = finish_minutes(waiting, works)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_a_staying_operator_counts_until_their_shift_ends() -> None:
    # 200 waiting, 90 minutes left; two at 60/h, one of them leaving after 30 minutes
    ops = [_ends(entry1(1, SAPPORO, 3, 60.0), 30), entry1(2, SAPPORO, 3, 60.0)]
    sc = scenario([queue(SAPPORO, 200, 90)], ops)
    e = _sapporo(sc)
    assert e.capacity == pytest.approx(30 + 90)  # 1/min x 30 + 1/min x 90
    assert e.late == pytest.approx(80)
    assert e.completion == _at(170)  # 60 by 30, then 140 at 1/min
    # without the shift end: 2/min -> 100 minutes
    plain = scenario([queue(SAPPORO, 200, 90)], [entry1(1, SAPPORO, 3, 60.0), ops[1]])
    assert _sapporo(plain).completion == _at(100)


def test_nobody_left_to_finish_means_no_completion() -> None:
    ops = [_ends(entry1(1, SAPPORO, 3, 60.0), 30), _ends(entry1(2, SAPPORO, 3, 60.0), 60)]
    e = _sapporo(scenario([queue(SAPPORO, 200, 90)], ops))
    assert e.late == pytest.approx(110)  # 200 - (30 + 60)
    assert e.completion is None


def test_a_helper_counts_from_the_switch_to_their_shift_end() -> None:
    # 札幌: 100 waiting, 60 minutes; a stayer at 60/h; the helper (120/h, switch 5) leaves at 20
    ops = [entry1(1, SAPPORO, 3, 60.0), _ends(entry1(2, MORIOKA, 3, 120.0), 20)]
    sc = scenario([queue(SAPPORO, 100, 60), queue(MORIOKA, 0, 60)], ops)
    e = _sapporo(sc, {2: SAPPORO})
    assert e.capacity == pytest.approx(60 + 30)  # stayer 60, helper 2/min x 15
    assert e.completion == _at(70)  # 5 by 5, 50 by 20, then 1/min


def test_a_loan_ends_at_the_destinations_deadline_and_the_helper_returns() -> None:
    # 札幌: 100 waiting, deadline in 30; 盛岡: 150 waiting, deadline in 120; everyone 60/h,
    # switch 5. Operator 2 is lent from 盛岡 to 札幌 until 札幌's deadline.
    ops = [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0), entry1(3, MORIOKA, 3, 60.0)]
    queues = [queue(SAPPORO, 100, 30), queue(MORIOKA, 150, 120)]
    lent = scenario(queues, ops, loans=True)
    after = {e.queue.id: e for e in capacity.evaluate(lent, {2: SAPPORO})}
    # 札幌: 5 by 5, 2/min to 30 -> 55, then the stayer alone: 45 more -> 75
    assert after[SAPPORO].completion == _at(75)
    # 盛岡: operator 3 from 0, operator 2 back at 35: 35 by 35, then 2/min -> 57.5 more
    assert after[MORIOKA].completion == _at(92.5)
    assert after[MORIOKA].capacity == pytest.approx(120 + 85)  # 1/min x 120 + (120 - 35)
    # a permanent move: the helper stays on 札幌 (5 + 95/2 = 52.5) and never returns
    moved = {e.queue.id: e for e in capacity.evaluate(scenario(queues, ops), {2: SAPPORO})}
    assert moved[SAPPORO].completion == _at(52.5)
    assert moved[MORIOKA].completion == _at(150)


def test_a_lent_helper_whose_shift_ends_first_does_not_return() -> None:
    # as above, but operator 2 goes home at 20: on 札幌 from 5 to 20 only, never back on 盛岡
    ops = [
        entry1(1, SAPPORO, 3, 60.0),
        _ends(entry1(2, MORIOKA, 3, 60.0), 20),
        entry1(3, MORIOKA, 3, 60.0),
    ]
    queues = [queue(SAPPORO, 100, 30), queue(MORIOKA, 150, 120)]
    after = {
        e.queue.id: e for e in capacity.evaluate(scenario(queues, ops, loans=True), {2: SAPPORO})
    }
    # 札幌: 5 by 5, 2/min to 20 -> 35, then 1/min: 65 more -> 85
    assert after[SAPPORO].completion == _at(85)
    assert after[MORIOKA].completion == _at(150)  # operator 3 alone


def test_without_shift_ends_or_loans_the_numbers_are_unchanged() -> None:
    # the contract's formula: stayers from now, movers after the switch (120 at 5 + 90/min...)
    ops = [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 120.0)]
    sc = scenario([queue(SAPPORO, 100, 60), queue(MORIOKA, 0, 60)], ops)
    e = _sapporo(sc, {2: SAPPORO})
    assert e.completion == _at(5 + 95 / 3)  # 5 by 5, then 3/min
    assert capacity.staffing(sc, {2: SAPPORO})[SAPPORO].works == ()


def _figures(ends: list[datetime | None], *, deadline_in: float = 90) -> Any:
    history = [Observation(NOW, 200, 0)]
    return queue_figures(
        history,
        [60.0, 60.0],
        [],
        now=NOW,
        deadline=_at(deadline_in),
        forecast=False,
        staff_ends=ends,
    )


def test_queue_figures_count_the_staff_until_their_shift_ends() -> None:
    # 200 waiting, 90 minutes; two at 60/h, one going home after 30 minutes
    f = _figures([_at(30), None])
    assert f.rate == 120.0  # both work now
    assert f.late == pytest.approx(200 - (30 + 90))
    assert f.completion == _at(170)
    assert f.leaving == (_at(30),)
    plain = _figures([None, None])
    assert plain.late == pytest.approx(20)  # 200 - 2/min x 90
    assert plain.completion == _at(100)
    assert plain.staff_ends == ()  # no shift end known: the contract's figures
    assert plain.leaving == ()


def test_queue_figures_when_everyone_leaves_first() -> None:
    f = _figures([_at(30), _at(45)])
    assert f.late == pytest.approx(200 - 75)
    assert f.completion is None
    # a shift that ends after the deadline still counts in the completion
    later = _figures([_at(30), _at(200)])
    assert later.late == pytest.approx(200 - (30 + 90))
    assert later.completion == _at(170)
    assert later.leaving == (_at(30),)


def test_queue_figures_want_one_end_per_operator() -> None:
    with pytest.raises(ValueError, match="staff_ends"):
        _figures([_at(30)])

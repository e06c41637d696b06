"""A loan's stated end (``loan_ends``): a helper who goes back before the destination's
deadline (a plan for the rest of the day) is counted there only until then, and back home
after the switch; with no loan end every figure is today's."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aimee.planner import Move, QueueKey, Scenario, capacity, plan_from_moves
from aimee.planner.domain import QueueId

from .factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario
from .test_properties import SETTINGS, scenarios

BACK = NOW + timedelta(minutes=30)


def _key(queue_id: QueueId) -> QueueKey:
    return QueueKey(location=queue_id[0], business_id=queue_id[1], process=queue_id[2])


def _lent(*, loans: bool = True) -> Scenario:
    """札幌 (100 waiting, due in 60 minutes) helped by a 盛岡 operator at 60 tasks/hour;
    盛岡 (90 waiting, due in 90) keeps a stayer at 30/hour; switching takes 5 minutes."""
    return scenario(
        [queue(SAPPORO, 100, 60), queue(MORIOKA, 90, 90)],
        [entry1(1, MORIOKA, 3, 60.0, name="応援者"), entry1(2, MORIOKA, 3, 30.0)],
        switch_minutes=5,
        loans=loans,
    )


def test_a_helper_lent_for_thirty_minutes_by_hand() -> None:
    sc = _lent()
    moves = {1: SAPPORO}
    # to the deadline: 札幌 gets 60/h x (60 - 5) = 55; back home at 60 + 5, 盛岡 keeps
    # 60/h x (90 - 65) = 25 of the helper and 30/h x 90 = 45 of the stayer
    assert capacity.capacities(sc, moves) == {SAPPORO: 55.0, MORIOKA: 70.0}
    assert capacity.lateness(sc, moves) == {SAPPORO: 45.0, MORIOKA: 20.0}
    # lent for 30 minutes: 札幌 gets 60/h x (30 - 5) = 25; back at 35, 盛岡 keeps 55 + 45
    lent = capacity.capacities(sc, moves, {1: BACK})
    assert lent == {SAPPORO: 25.0, MORIOKA: 100.0}
    assert capacity.lateness(sc, moves, {1: BACK}) == {SAPPORO: 75.0, MORIOKA: 0.0}
    # the work: on 札幌 from the switch to the loan end, on 盛岡 after switching back
    staff = capacity.staffing(sc, moves, {1: BACK})
    assert staff[SAPPORO].works == (capacity.Work(60.0, 5.0, 30.0),)
    assert capacity.Work(60.0, 35.0) in staff[MORIOKA].works
    # a permanent move (None), whatever rules.loans says: 盛岡 keeps only its stayer
    assert capacity.capacities(sc, moves, {1: None}) == {SAPPORO: 55.0, MORIOKA: 45.0}
    # a stated end makes a loan without rules.loans too
    assert capacity.capacities(_lent(loans=False), moves, {1: BACK}) == lent


def test_one_queue_and_an_idle_helper_lent_for_thirty_minutes() -> None:
    sc = scenario([queue(SAPPORO, 40, 60)], [entry1(1, None, 3, 60.0)], switch_minutes=5)
    assert capacity.capacities(sc, {1: SAPPORO}) == {SAPPORO: 55.0}
    assert capacity.capacities(sc, {1: SAPPORO}, {1: BACK}) == {SAPPORO: 25.0}
    [evaluation] = capacity.evaluate(sc, {1: SAPPORO}, {1: BACK})
    assert evaluation.late == 15.0
    assert evaluation.completion is None  # gone at 16:10 with 15 tasks left


def test_the_plan_states_the_loan_end_and_counts_until_it() -> None:
    sc = _lent()
    to = [Move(1, _key(SAPPORO))]
    deadline_long = plan_from_moves(sc, to)
    lent = plan_from_moves(sc, to, loan_ends={1: BACK})
    assert [m.until for m in deadline_long.moves] == [NOW + timedelta(minutes=60)]
    assert [m.until for m in lent.moves] == [BACK]
    assert [(q.late_before, q.late_after) for q in lent.queues] == [(100.0, 75.0), (0.0, 0.0)]
    assert lent.objective.after == 75.0 and deadline_long.objective.after == 65.0
    assert "切替5分後から16:10までに最大25件処理可能" in lent.moves[0].reason
    assert "切替5分後から締切までに最大55件処理可能" in deadline_long.moves[0].reason
    assert any("計5件少なく見積もり" in note for note in lent.rules_applied)
    # a permanent move is stated as one
    assert [m.until for m in plan_from_moves(sc, to, loan_ends={1: None}).moves] == [None]


def test_a_loan_end_at_the_deadline_changes_nothing_but_until() -> None:
    sc = _lent()
    to = [Move(1, _key(SAPPORO))]
    today = plan_from_moves(sc, to).model_dump(exclude={"solve_ms"})
    assert today["moves"][0].pop("until") == NOW + timedelta(minutes=60)
    for end in (NOW + timedelta(minutes=60), NOW + timedelta(minutes=200)):
        stated = plan_from_moves(sc, to, loan_ends={1: end}).model_dump(exclude={"solve_ms"})
        assert stated["moves"][0].pop("until") == end
        assert stated == today


def _deadlines(sc: Scenario) -> dict[QueueId, datetime]:
    return {q.id: q.deadline for q in sc.queues}


@st.composite
def lent_scenarios(draw: st.DrawFn) -> tuple[Scenario, dict[int, QueueId]]:
    """A random scenario (tests/planner/test_properties.py) with loans and some shift ends,
    and moves of some operators to queues other than their own (valid or not: the evaluation
    does not mind)."""
    sc = draw(scenarios())
    operators = [
        op.model_copy(
            update={
                "shift_end": draw(
                    st.one_of(
                        st.none(),
                        st.integers(-5, 120).map(lambda m: NOW + timedelta(minutes=m)),
                    )
                )
            }
        )
        for op in sc.operators
    ]
    sc = sc.model_copy(
        update={"operators": operators, "rules": sc.rules.model_copy(update={"loans": True})}
    )
    moves: dict[int, QueueId] = {}
    for op in sc.operators:
        others = [q.id for q in sc.queues if op.assigned is None or q.id != op.assigned.id]
        if others and draw(st.booleans()):
            moves[op.id] = draw(st.sampled_from(others))
    return sc, moves


def _evaluated(sc: Scenario, moves: dict[int, QueueId], ends: Any = None) -> list[Any]:
    return capacity.evaluate(sc, moves, ends)


@SETTINGS
@given(lent_scenarios(), st.data())
def test_a_loan_end_at_or_after_the_deadline_gives_todays_figures(
    case: tuple[Scenario, dict[int, QueueId]], data: Any
) -> None:
    sc, moves = case
    deadlines = _deadlines(sc)
    ends = {
        op: deadlines[to] + timedelta(minutes=data.draw(st.integers(0, 120)))
        for op, to in moves.items()
    }
    assert _by_deadline(_evaluated(sc, moves, ends)) == _by_deadline(_evaluated(sc, moves))
    assert capacity.objective(sc, moves, ends) == capacity.objective(sc, moves)
    # the same without rules.loans: a stated end is a loan either way
    permanent = sc.model_copy(update={"rules": sc.rules.model_copy(update={"loans": False})})
    assert _by_deadline(_evaluated(permanent, moves, ends)) == _by_deadline(_evaluated(sc, moves))


def _by_deadline(evaluations: list[Any]) -> list[Any]:
    """The figures at each deadline. A completion after its queue's deadline is left out: a
    lender back home after the loan may finish what is left there (a queue whose deadline
    has passed), which a move for the day cannot."""
    return [
        dataclasses.replace(e, completion=None)
        if e.completion is not None and e.completion > e.queue.deadline
        else e
        for e in evaluations
    ]


@SETTINGS
@given(lent_scenarios(), st.data())
def test_an_earlier_loan_end_never_helps_the_destination_nor_hurts_home(
    case: tuple[Scenario, dict[int, QueueId]], data: Any
) -> None:
    sc, moves = case
    if not moves:
        return
    deadlines = _deadlines(sc)
    ends = {
        op: NOW + timedelta(minutes=data.draw(st.integers(-10, 150))) for op, to in moves.items()
    }
    op = data.draw(st.sampled_from(sorted(moves)))
    earlier = dict(ends)
    earlier[op] = min(ends[op], deadlines[moves[op]]) - timedelta(
        minutes=data.draw(st.integers(0, 90))
    )
    home = next(o.assigned for o in sc.operators if o.id == op)
    for later in (
        ends,
        {**ends, op: deadlines[moves[op]]},
        {k: v for k, v in ends.items() if k != op},
    ):
        late_later = capacity.lateness(sc, moves, later)
        late_earlier = capacity.lateness(sc, moves, earlier)
        assert late_earlier[moves[op]] >= late_later[moves[op]] - 1e-9
        if home is not None and home.id in late_later:
            assert late_earlier[home.id] <= late_later[home.id] + 1e-9
        untouched = {moves[op]} | ({home.id} if home is not None else set())
        for key in late_later:
            if key not in untouched:
                assert late_earlier[key] == late_later[key]

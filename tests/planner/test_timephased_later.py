"""The intended timeline as moves (what the card's 今後の予定 lists) and the late tasks of a
timeline stated at the deadline when it was aimed at a margin."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aimee.planner.phase_grid import PhaseRules
from aimee.planner.timephased import Segment, later_moves, plan_timeline

from .factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario


def test_the_later_moves_of_an_early_deadline_freeing_someone() -> None:
    # 札幌's work is done by its deadline (+30); 盛岡 (+90) needs 札幌's operator after it.
    sc = scenario(
        [queue(SAPPORO, 30, 30), queue(MORIOKA, 120, 90)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    assert result.first_moves == []
    (move,) = later_moves(result, sc)
    assert (move.at, move.operator_id, move.from_, move.to) == (
        NOW + timedelta(minutes=30),
        1,
        SAPPORO,
        MORIOKA,
    )
    # on 盛岡 until its work is done (before its deadline), then nothing planned
    assert move.until == NOW + timedelta(minutes=75) and move.then is None


def test_a_loan_and_its_return_are_a_first_move_and_a_later_one() -> None:
    sc = scenario(
        [queue(SAPPORO, 50, 30), queue(MORIOKA, 60, 120)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    (first,) = result.first_moves
    assert (first.operator_id, first.to, first.returns) == (2, SAPPORO, True)
    (back,) = later_moves(result, sc)
    assert (back.at, back.operator_id, back.from_, back.to) == (first.until, 2, SAPPORO, MORIOKA)
    # a helper's stint ends at the latest at its queue's deadline, not at its interval's end
    assert all(
        m.until is None or m.until <= {q.id: q.deadline for q in sc.queues}[m.to]
        for m in later_moves(result, sc)
    )


def test_late_tasks_at_the_deadline_of_a_timeline_aimed_at_a_margin() -> None:
    # One operator at 60/hour, 40 waiting, due in 30 minutes: with a 10-minute margin
    # 20 are late at the margin, 10 at the deadline itself.
    sc = scenario([queue(SAPPORO, 40, 30)], [entry1(1, SAPPORO, 3, 60.0)], margin_minutes=10)
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    assert round(result.late[SAPPORO], 6) == 20.0
    assert round(result.late_at_deadline[SAPPORO], 6) == 10.0
    assert round(result.late_before_at_deadline[SAPPORO], 6) == 10.0
    plain = plan_timeline(
        scenario([queue(SAPPORO, 40, 30)], [entry1(1, SAPPORO, 3, 60.0)]),
        {},
        PhaseRules(coarse_after_minutes=None),
    )
    assert plain.late_at_deadline == plain.late


def test_a_move_followed_by_idle_time_then_another_queue_ends_before_the_idle_time() -> None:
    """Not 「勤務終了まで」 for someone the plan sends elsewhere after a pause (review)."""
    sc = scenario(
        [queue(SAPPORO, 30, 120), queue(MORIOKA, 120, 90)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    at = [NOW + timedelta(minutes=m) for m in (0, 15, 45, 60, 90)]
    planned = replace(
        plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None)),
        timeline={
            1: [
                Segment(at[0], at[1], SAPPORO),
                Segment(at[1], at[2], MORIOKA),
                Segment(at[2], at[3], None),  # idle
                Segment(at[3], at[4], SAPPORO),
            ]
        },
    )
    there, back = later_moves(planned, sc)
    assert (there.at, there.to, there.until, there.then) == (at[1], MORIOKA, at[2], SAPPORO)
    assert (back.at, back.from_, back.to, back.until) == (at[3], None, SAPPORO, None)


def test_a_stint_followed_by_nothing_ends_when_its_queue_s_work_ends() -> None:
    """Not 「勤務終了の21:00まで」 on a queue due at 17:10 for someone the plan then leaves
    idle (review: 中島愛, 梅田のエントリ1)."""
    sc = scenario(
        [queue(SAPPORO, 30, 120), queue(MORIOKA, 120, 90)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    at = [NOW + timedelta(minutes=m) for m in (0, 15, 90, 120)]
    planned = replace(
        plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None)),
        timeline={
            1: [
                Segment(at[0], at[1], SAPPORO),
                Segment(at[1], at[2], MORIOKA),  # 盛岡 is due at +90
                Segment(at[2], at[3], None),  # nothing after it
            ]
        },
    )
    (there,) = later_moves(planned, sc)
    assert (there.at, there.to, there.until, there.then) == (at[1], MORIOKA, at[2], None)

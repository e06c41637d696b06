"""The time-phased plan: its evaluation, its rules, and its optimum against enumeration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimee.planner import Scenario
from aimee.planner.phase_eval import brute_force, evaluate, stay_home, violations
from aimee.planner.phase_grid import PhaseRules, build_grid
from aimee.planner.timephased import (
    optimize_timeline,
    plan_timeline,
    queue_alone_bound,
    rolling_timeline,
)

from .factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario

KEYS = [
    ("札幌", "523201", "エントリ1"),
    ("盛岡", "523201", "エントリ1"),
    ("札幌", "523201", "補正"),
]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _at(minutes: float) -> str:
    return (NOW + timedelta(minutes=minutes)).isoformat()


@st.composite
def tiny(draw: st.DrawFn) -> tuple[Scenario, dict[Any, float], PhaseRules, dict[int, Any] | None]:
    """1-3 queues, 1-2 operators, up to 5 intervals of 10 minutes (a few coarser ones)."""
    n_queues = draw(st.integers(1, 3))
    keys = KEYS[:n_queues]
    queues = [
        {
            "location": k[0],
            "business_id": k[1],
            "process": k[2],
            "waiting": draw(st.integers(0, 80)),
            "deadline": _at(draw(st.sampled_from([10, 20, 30, 45]))),
            "priority": draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])),
        }
        for k in keys
    ]
    operators = []
    for op_id in (1, 2)[: draw(st.integers(1, 2))]:
        where = draw(st.sampled_from([*keys, None, ("仙台", "523201", "エントリ1")]))
        processes = draw(
            st.lists(st.sampled_from(["エントリ1", "補正"]), min_size=1, max_size=2, unique=True)
        )
        op: dict[str, Any] = {
            "id": op_id,
            "name": f"op{op_id}",
            "location": draw(st.sampled_from(["札幌", "盛岡"])),
            "locked": draw(st.booleans()) and draw(st.booleans()),
            "assigned": None
            if where is None
            else {"location": where[0], "business_id": where[1], "process": where[2]},
            "skills": {
                p: {
                    "level": draw(st.integers(2, 5)),
                    "speed": draw(st.sampled_from([0.0, 30.0, 60.0, 90.0])),
                }
                for p in processes
            },
        }
        shift = draw(st.sampled_from([None, None, 15, 25, -5]))
        if shift is not None:
            op["shift_end"] = _at(shift)
        operators.append(op)
    rules = {
        "min_skill_level": 3,
        "switch_minutes": draw(st.sampled_from([0, 5, 10])),
        "margin_minutes": draw(st.sampled_from([0, 0, 5])),
    }
    if draw(st.booleans()):
        rules["targets"] = [
            {"location": k[0], "business_id": k[1], "process": k[2]}
            for k in draw(st.lists(st.sampled_from(keys), unique=True))
        ]
    sc = Scenario.model_validate(
        {"now": NOW.isoformat(), "queues": queues, "operators": operators, "rules": rules}
    )
    rates = {k: float(draw(st.sampled_from([0, 60, 120]))) for k in keys}
    phase = PhaseRules(
        interval_minutes=10,
        coarse_after_minutes=draw(st.sampled_from([None, 20])),
        min_stay_minutes=draw(st.sampled_from([10, 20, 30])),
        max_switches=draw(st.integers(0, 3)),
        arrival_cutoff_minutes=draw(st.sampled_from([0, 10])),
    )
    stay_until = {1: NOW + timedelta(minutes=12)} if draw(st.booleans()) else None
    return sc, rates, phase, stay_until


@SETTINGS
@given(tiny())
def test_the_milp_finds_the_lexicographic_optimum_of_enumeration(case: Any) -> None:
    sc, rates, phase, stay_until = case
    grid = build_grid(sc, rates, phase, stay_until=stay_until)
    exact, _ = brute_force(grid)
    chosen, optimal, bound, _status = optimize_timeline(grid, time_limit_s=10)
    got = evaluate(grid, chosen)
    assert optimal
    assert all(violations(grid, o, seq) == [] for o, seq in chosen.items())
    assert abs(got.objective - exact.objective) <= 1e-6
    assert (got.switches, got.away_intervals) == (exact.switches, exact.away_intervals)
    assert bound is not None and bound <= exact.objective + 1e-6
    assert queue_alone_bound(grid) <= exact.objective + 1e-6


@SETTINGS
@given(tiny())
def test_the_rolling_start_keeps_every_rule_and_never_does_worse_than_staying(case: Any) -> None:
    sc, rates, phase, stay_until = case
    grid = build_grid(sc, rates, phase, stay_until=stay_until)
    rolled = rolling_timeline(grid, time_limit_s=5)
    assert all(violations(grid, o, seq) == [] for o, seq in rolled.items())
    home = {op.id: stay_home(grid, op.id) for op in sc.operators}
    assert evaluate(grid, rolled).objective <= evaluate(grid, home).objective + 50.0


def test_nothing_is_processed_before_it_arrives() -> None:
    # Empty queue, 60 tasks/hour arriving until 30 minutes before a deadline 60 minutes away,
    # one operator at 60/hour: each 15-minute interval does what arrived in it, none late.
    sc = scenario([queue(SAPPORO, 0, 60)], [entry1(1, SAPPORO, 3, 60.0)])
    grid = build_grid(sc, {SAPPORO: 60.0}, PhaseRules())
    assert [round(a, 6) for a in grid.arrivals[SAPPORO]] == [15.0, 15.0, 0.0, 0.0]
    assert evaluate(grid, {}).late[SAPPORO] == 0.0
    # The same 30 tasks waiting at once but the operator only in the first 15 minutes:
    # 15 done, 15 late; arriving over 30 minutes, only the first 15 can be done.
    early = {
        **entry1(1, SAPPORO, 3, 60.0),
        "shift_end": _at(15),
    }
    grid = build_grid(scenario([queue(SAPPORO, 0, 60)], [early]), {SAPPORO: 60.0})
    assert evaluate(grid, {}).late[SAPPORO] == 15.0


def test_a_loan_returns_home_when_the_early_queue_is_done() -> None:
    # 札幌 is due in 30 minutes and 20 short; 盛岡 is due in 120 and needs its operator after.
    # Helping from the start is needed (25 minutes after the switch); coming back beats
    # sending 札幌's operator to 盛岡 afterwards (as many switches, but at their own site).
    sc = scenario(
        [queue(SAPPORO, 50, 30), queue(MORIOKA, 60, 120)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    assert result.objective == 0.0
    assert result.optimal
    (move,) = result.first_moves
    assert (move.operator_id, move.to, move.returns) == (2, SAPPORO, True)
    assert move.until == NOW + timedelta(minutes=30)
    segments = [(s.queue, s.start, s.end) for s in result.timeline[2]]
    assert segments[0] == (SAPPORO, NOW, NOW + timedelta(minutes=30))
    assert segments[1][0] == MORIOKA
    assert result.switches == 2


def test_an_early_deadline_frees_people_for_a_later_one() -> None:
    # 札幌's work is done by its deadline (+30); 盛岡 (+90) is late unless someone comes after.
    sc = scenario(
        [queue(SAPPORO, 30, 30), queue(MORIOKA, 120, 90)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    assert result.objective_before > 0
    assert result.objective == 0.0
    assert result.first_moves == []  # nobody moves now ...
    queues_of_1 = [s.queue for s in result.timeline[1]]
    assert queues_of_1[:2] == [SAPPORO, MORIOKA]  # ... 札幌's operator goes to 盛岡 at 30
    assert result.timeline[1][1].start == NOW + timedelta(minutes=30)


def test_nobody_is_planned_after_their_shift() -> None:
    sc = scenario(
        [queue(SAPPORO, 200, 120), queue(MORIOKA, 200, 120)],
        [
            {**entry1(1, SAPPORO, 3, 60.0), "shift_end": _at(45)},
            {**entry1(2, MORIOKA, 3, 60.0), "shift_end": _at(75)},
        ],
    )
    result = plan_timeline(sc, {}, PhaseRules(coarse_after_minutes=None))
    for op in sc.operators:
        assert op.shift_end is not None
        for segment in result.timeline[op.id]:
            if segment.queue is not None:
                assert segment.end <= op.shift_end or segment.start < op.shift_end
                assert segment.start < op.shift_end
    assert result.late[SAPPORO] == pytest.approx(200 - 45)
    assert result.late[MORIOKA] == pytest.approx(200 - 75)


def test_minimum_stay_and_switch_cap_bind() -> None:
    sc = scenario(
        [queue(SAPPORO, 40, 30), queue(MORIOKA, 60, 120)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
        switch_minutes=5,
    )
    # one switch only: a loan that returns is two, so 2 may go to 札幌 for good or not at all
    one = PhaseRules(coarse_after_minutes=None, max_switches=1)
    result = plan_timeline(sc, {}, one)
    assert [s.queue for s in result.timeline[2]] != [SAPPORO, MORIOKA]
    grid = build_grid(sc, {}, one)
    loan = [SAPPORO, SAPPORO, MORIOKA] + [MORIOKA] * (grid.n_intervals - 3)
    assert violations(grid, 2, loan) == ["too many switches"]
    stay = PhaseRules(coarse_after_minutes=None, min_stay_minutes=45)
    grid = build_grid(sc, {}, stay)
    hop = [SAPPORO, SAPPORO, MORIOKA] + [MORIOKA] * (grid.n_intervals - 3)
    assert violations(grid, 2, hop) == []  # 札幌 closes at 30: the stay ends with it
    short = [SAPPORO, MORIOKA] + [MORIOKA] * (grid.n_intervals - 2)
    assert violations(grid, 2, short) == [f"t1: minimum stay on {SAPPORO}"]
    hop_back = [MORIOKA, SAPPORO, MORIOKA] + [MORIOKA] * (grid.n_intervals - 3)
    assert violations(grid, 2, hop_back) == []  # 札幌 closed after t1
    early = scenario(
        [queue(SAPPORO, 40, 90), queue(MORIOKA, 60, 120)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
    )
    grid = build_grid(early, {}, stay)
    bounce = [SAPPORO, MORIOKA] + [MORIOKA] * (grid.n_intervals - 2)
    assert violations(grid, 2, bounce) == [
        f"t1: minimum stay on {SAPPORO}",
        f"t2: minimum stay on {SAPPORO}",
    ]


def test_locked_and_forced_operators_stay_home() -> None:
    sc = scenario(
        [queue(SAPPORO, 100, 60), queue(MORIOKA, 0, 60)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0, locked=True)],
    )
    result = plan_timeline(sc, {})
    assert [s.queue for s in result.timeline[2]] == [MORIOKA]
    free = scenario(
        [queue(SAPPORO, 100, 60), queue(MORIOKA, 0, 60)],
        [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
    )
    held = plan_timeline(free, {}, stay_until={2: NOW + timedelta(minutes=20)})
    assert held.timeline[2][0].queue == MORIOKA
    assert held.timeline[2][0].end == NOW + timedelta(minutes=30)  # two 15-minute intervals
    assert held.timeline[2][1].queue == SAPPORO

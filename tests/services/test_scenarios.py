"""Scenarios built from the database (SQLite and MariaDB)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from aimee.planner import QueueKey, Rules, plan
from aimee.services.scenarios import ScenarioFilter, build_scenario, build_situation
from aimee.store.models import OperatorShift
from tests.conftest import DEMO_NOW, POLICY

SAPPORO = QueueKey(location="札幌", business_id="523201", process="エントリ1")


def test_the_whole_day(db_session: Session) -> None:
    scenario = build_scenario(db_session, now=DEMO_NOW, rules=POLICY.rules)
    assert scenario.now == DEMO_NOW
    assert len(scenario.queues) == 32
    assert len(scenario.operators) == 139  # valid operators only
    queue = next(q for q in scenario.queues if q.key == SAPPORO)
    assert (queue.waiting, queue.deadline) == (120, DEMO_NOW + timedelta(minutes=20))
    takayama = next(op for op in scenario.operators if op.id == 17)
    assert takayama.name == "高山麻由子"
    assert takayama.assigned == QueueKey(location="盛岡", business_id="523201", process="エントリ1")
    assert takayama.skills["エントリ1"].level == 4
    assert takayama.skills["エントリ1"].speed == 90.0
    assert takayama.skills["エントリ1"].experience_months == 36
    staff_speed = sum(
        op.skills[SAPPORO.process].speed for op in scenario.operators if op.assigned == SAPPORO
    )
    assert staff_speed == 300.0


def test_a_focus_keeps_the_donor_queues(db_session: Session) -> None:
    rules = Rules()
    scenario = build_scenario(
        db_session, ScenarioFilter(location="札幌", process="エントリ1"), rules=rules, now=DEMO_NOW
    )
    keys = {q.key for q in scenario.queues}
    assert SAPPORO in keys
    helpers = [
        op
        for op in scenario.operators
        if (skill := op.skills.get("エントリ1")) and skill.level >= rules.min_skill_level
    ]
    assert helpers
    for op in helpers:  # every possible helper's own queue is in, so its loss is counted
        assert op.assigned in keys
    for op in scenario.operators:
        assert op in helpers or op.assigned in keys


def test_locked_operators(db_session: Session) -> None:
    scenario = build_scenario(
        db_session, locked_operator_ids={17, 41}, now=DEMO_NOW, rules=POLICY.rules
    )
    locked = {op.id for op in scenario.operators if op.locked}
    assert locked == {17, 41}


def test_the_seeds_example_needs_one_operator_not_three(db_session: Session) -> None:
    """The seed's step 4 asks for 3 operators; 20 late tasks need one good one."""
    scenario = build_scenario(
        db_session, ScenarioFilter("札幌", "523201", "エントリ1"), now=DEMO_NOW, rules=Rules()
    )
    result = plan(scenario, time_limit_s=10)
    into_sapporo = [m for m in result.moves if m.to == SAPPORO]
    assert len(into_sapporo) == 1
    outcome = next(q for q in result.queues if (q.location, q.process) == ("札幌", "エントリ1"))
    assert outcome.late_before == 20.0
    assert outcome.late_after == 0.0
    assert result.optimal


def test_the_forecast_sees_the_slow_site_and_expected_arrivals(db_session: Session) -> None:
    situation = build_situation(db_session, now=DEMO_NOW, rules=POLICY.rules)
    naha = [f for key, f in situation.figures.items() if key[0] == "那覇"]
    assert naha
    assert all(0.6 < f.efficiency < 0.8 for f in naha)  # the demo's slow site runs at 70%
    others = [f for key, f in situation.figures.items() if key[0] != "那覇"]
    assert all(f.efficiency == 1.0 for f in others)
    naha_operator = next(
        op for op in situation.scenario.operators if op.assigned and op.assigned.location == "那覇"
    )
    unscaled = build_scenario(db_session, now=DEMO_NOW, rules=POLICY.rules, forecast=False)
    same = next(op for op in unscaled.operators if op.id == naha_operator.id)
    process = naha_operator.assigned.process if naha_operator.assigned else ""
    assert naha_operator.skills[process].speed < same.skills[process].speed
    for queue in situation.scenario.queues:
        f = situation.figures[queue.id]
        assert queue.waiting == f.waiting + f.expected_arrivals
    sapporo = situation.figures[SAPPORO.id]
    assert (sapporo.waiting, sapporo.expected_arrivals) == (120, 0)  # deadline within 30 min
    assert any(f.expected_arrivals > 0 for f in situation.figures.values())


def test_a_plan_does_not_count_on_someone_whose_shift_ends(db_session: Session) -> None:
    """The helper the plan picks for 札幌 leaves in 5 minutes on a recorded shift: the
    scenario carries the shift's end, and the plan picks someone else."""
    focus = ScenarioFilter("札幌", "523201", "エントリ1")
    before = plan(build_scenario(db_session, focus, now=DEMO_NOW, rules=Rules()), time_limit_s=10)
    (helper,) = [m.operator_id for m in before.moves if m.to == SAPPORO]
    leaves = DEMO_NOW + timedelta(minutes=5)
    # the demo day records everyone's shift: the helper's now ends in 5 minutes
    db_session.merge(
        OperatorShift(
            operator_id=helper,
            shift_date=DEMO_NOW.date(),
            starts_at=DEMO_NOW.replace(hour=9, minute=0),
            ends_at=leaves,
        )
    )
    db_session.flush()
    scenario = build_scenario(db_session, focus, now=DEMO_NOW, rules=Rules())
    ends = {op.id: op.shift_end for op in scenario.operators}
    assert ends[helper] == leaves
    after = plan(scenario, time_limit_s=10)
    assert helper not in {m.operator_id for m in after.moves}
    into_sapporo = [m for m in after.moves if m.to == SAPPORO]
    assert into_sapporo
    outcome = next(q for q in after.queues if (q.location, q.process) == ("札幌", "エントリ1"))
    assert outcome.late_after == 0.0

"""Loans on by setting (AIMEE_PLAN_LOANS): the product's plans on the demo day lend
helpers until the destination's deadline and bring them back, and never count on anyone
after their shift ends."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from aimee.config import Settings, load_settings
from aimee.planner import Scenario
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter
from aimee.store.repositories import shifts as shift_repo
from tests.conftest import DEMO_NOW

UMEDA = ScenarioFilter("梅田", "523202", "エントリ1")  # deadline 17:10, late on the demo day
LOANS = Policy.from_settings(Settings.model_construct(plan_loans=True))


def test_the_setting_turns_loans_on_and_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Policy.from_settings(Settings.model_construct()).rules.loans  # on by default
    monkeypatch.setenv("AIMEE_PLAN_LOANS", "false")
    assert not Policy.from_settings(load_settings()).rules.loans
    monkeypatch.setenv("AIMEE_PLAN_LOANS", "true")
    assert Policy.from_settings(load_settings()).rules.loans


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


def _capacity_by_hand(scenario: Scenario, moved: dict[int, tuple[str, str, str]]) -> dict:  # type: ignore[type-arg]
    """Each queue's tasks before its deadline, written out here: a stayer works from now,
    a helper from 5 minutes on, each until the deadline or their shift end; a lent helper
    back home from the destination's deadline + 5 until their shift end."""
    queues = {q.id: q for q in scenario.queues}
    capacity = dict.fromkeys(queues, 0.0)
    now = scenario.now
    for op in scenario.operators:
        home = op.assigned.id if op.assigned else None
        end = op.shift_end or datetime.max
        to = moved.get(op.id, home)
        if to not in queues:
            continue
        q = queues[to]
        start = 5.0 if to != home else 0.0
        minutes = max(0.0, min(_minutes(now, q.deadline), _minutes(now, end)) - start)
        capacity[to] += op.skills[q.process].speed / 60 * minutes if q.process in op.skills else 0
        if to != home and home in queues:
            back = queues[home]
            since = max(_minutes(now, q.deadline), 5.0) + 5.0
            until = min(_minutes(now, back.deadline), _minutes(now, end))
            speed = op.skills[back.process].speed if back.process in op.skills else 0.0
            capacity[home] += speed / 60 * max(0.0, until - since)
    return capacity


def test_a_demo_plan_lends_a_helper_who_returns(db_session: Session) -> None:
    focused = suggest_for(db_session, UMEDA, now=DEMO_NOW, policy=LOANS, created_by=None)
    assert focused is not None and focused.suggestion is not None
    plan, scenario = focused.plan, focused.scenario
    ends = shift_repo.shift_ends(db_session, DEMO_NOW.date())
    deadline = datetime(2025, 10, 23, 17, 10)
    assert plan.moves
    for move in plan.moves:
        assert move.to.id == ("梅田", "523202", "エントリ1")
        assert move.until == deadline  # every move from a queue is a loan until 17:10
        assert move.shift_end == ends[move.operator_id]
        assert move.returns == (ends[move.operator_id] > deadline)
    returning = [m for m in plan.moves if m.returns]
    assert returning  # at least one goes back: 「17:10まで応援、その後補正へ戻る」
    assert any(m.from_ is not None and m.from_.process == "補正" for m in returning)
    # every figure counts each operator only while on shift (and a loan until it ends)
    moved = {m.operator_id: m.to.id for m in plan.moves}
    by_hand = _capacity_by_hand(scenario, moved)
    for outcome in plan.queues:
        assert outcome.capacity_after == pytest.approx(by_hand[outcome.key.id], abs=1e-6)


def test_with_the_setting_off_moves_are_permanent(db_session: Session) -> None:
    policy = Policy.from_settings(Settings.model_construct(plan_loans=False))
    focused = suggest_for(db_session, UMEDA, now=DEMO_NOW, policy=policy, created_by=None)
    assert focused is not None and focused.plan.moves
    assert all(m.until is None and not m.returns for m in focused.plan.moves)
    assert all(m.shift_end is not None for m in focused.plan.moves)  # the demo records them

"""The projection of a queue's day (工程の推移) counts the staff only until their shift
ends: by hand, on given rates, and on the demo day's queue whose staff leave at 17:00."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from aimee.services import intraday
from aimee.services.intraday import project, queue_day
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from aimee.store.repositories.shifts import shift_ends
from tests.conftest import DEMO_NOW, POLICY

T = datetime(2025, 10, 23, 9, 0)


def at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def test_staff_who_go_home_stop_working_then() -> None:
    # 2/min until one of them (1/min) leaves at 09:10: 80 left at 09:10, 75 at 09:15, 60 at 09:30
    points = project(
        100, 0, 120, now=at(0), deadline=at(120), until=at(30), leaving=[(at(10), 60.0)]
    )
    assert points == [(at(0), 100), (at(15), 75.0), (at(30), 60.0)]
    # with a plan: 2/min to 09:05 (10), the helpers in: 300/h = 5/min to 09:10 (25), one
    # stayer (60/h) gone: 4/min after (20 by 09:15): 100 - 10 - 25 - 20 = 45 at 09:15
    planned = project(
        100,
        0,
        120,
        now=at(0),
        deadline=at(120),
        until=at(30),
        later=(at(5), 300.0),
        leaving=[(at(10), 60.0)],
    )
    assert planned == [(at(0), 100), (at(15), 45.0), (at(30), 0.0)]


def test_everyone_gone_leaves_the_work_waiting() -> None:
    points = project(100, 0, 60, now=at(0), deadline=at(60), until=at(45), leaving=[(at(20), 60)])
    assert points == [(at(0), 100), (at(15), 85.0), (at(30), 80.0), (at(45), 80.0)]


def test_the_demo_queue_whose_staff_leave_at_17(db_session: Session) -> None:
    """梅田/523202/エントリ1 (deadline 17:10) has one of its staff on a 17:00 shift: from
    17:00 the projection falls more slowly than before it."""
    key = ("梅田", "523202", "エントリ1")
    day = queue_day(db_session, key, now=DEMO_NOW, switch_minutes=5)
    assert day is not None and day.projection
    at_time = {p.time: p.waiting for p in day.projection}
    quarter = [datetime(2025, 10, 23, 16, 30), datetime(2025, 10, 23, 16, 45)]
    late = [datetime(2025, 10, 23, 17, 0), datetime(2025, 10, 23, 17, 15)]
    before = at_time[quarter[0]] - at_time[quarter[1]]
    after = at_time[late[0]] - at_time[late[1]]
    assert after < before


def test_the_plan_curve_loses_a_helper_when_their_loan_or_shift_ends(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """梅田/523202/エントリ1's plan borrows 松田香織, whose shift ends at 17:00, before its
    17:10 deadline: the curve with the plan counts her only until then."""
    key = ("梅田", "523202", "エントリ1")
    focused = suggest_for(
        db_session, ScenarioFilter(*key), now=DEMO_NOW, policy=POLICY, created_by=None
    )
    assert focused is not None and focused.suggestion is not None
    ends = shift_ends(db_session, DEMO_NOW.date())
    until = datetime(2025, 10, 23, 17, 25)
    leaving = sorted(
        min(t for t in (m.until, ends.get(m.operator_id)) if t is not None)
        for m in focused.plan.moves
        if m.to.id == key
    )
    leaving = [t for t in leaving if DEMO_NOW < t < until]
    assert datetime(2025, 10, 23, 17, 0) in leaving  # the demo's helper on a 17:00 shift
    effect = intraday._plan_effect(
        db_session, focused.suggestion.id, key, now=DEMO_NOW, until=until
    )
    assert effect is not None and sorted(t for t, _ in effect[1]) == leaving

    day = queue_day(db_session, key, now=DEMO_NOW, switch_minutes=5)
    assert day is not None and day.plan_id == focused.suggestion.id
    # the curve with the plan takes them off then: were all its rate to leave at 16:00,
    # nothing is done after it (arrivals only), where without leavers it keeps falling
    four, quarter_past = datetime(2025, 10, 23, 16, 0), datetime(2025, 10, 23, 16, 15)
    for gone, falls in (([(four, effect[0])], False), ([], True)):
        monkeypatch.setattr(intraday, "_plan_effect", lambda *a, g=gone, **k: (effect[0], g))
        curve = queue_day(db_session, key, now=DEMO_NOW, switch_minutes=5)
        assert curve is not None
        with_plan = {p.time: p.waiting_with_plan or 0 for p in curve.projection}
        assert (with_plan[quarter_past] < with_plan[four]) is falls

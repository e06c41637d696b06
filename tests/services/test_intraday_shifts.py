"""The projection of a queue's day (工程の推移) counts the staff only until their shift
ends: by hand, on given rates, and on the demo day's queue whose staff leave at 17:00."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.services.intraday import project, queue_day
from tests.conftest import DEMO_NOW

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

"""A queue's day in 15-minute intervals: actual volumes read between snapshots,
the forecast made at each interval's start, and the projection of the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

from aimee.planner.forecast import Observation, Stint
from aimee.services.intraday import intervals, project

T = datetime(2025, 10, 23, 9, 0)


def at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def test_volumes_are_read_between_snapshots_ten_minutes_apart() -> None:
    # every 10 minutes: 10 arrive, 20 are processed (entries +20, waiting -10)
    history = [Observation(at(m), 200 - m, 2 * m) for m in range(0, 61, 10)]
    staff = [Stint(60.0, None, None), Stint(60.0, None, None)]  # 120 tasks/hour recorded
    found = intervals(history, staff, at(60))
    assert [(i.start, i.end) for i in found] == [(at(m), at(m + 15)) for m in (0, 15, 30, 45)]
    assert [(i.arrivals, i.processed) for i in found] == [(15, 30)] * 4  # 1/min and 2/min
    assert found[0].forecast_arrivals is None  # nothing observed before 09:00
    # at 09:15: the hour before (09:00-09:10) saw 60/hour arrive and staff at 120/hour
    # processing 120/hour: pace 1.0
    assert found[1].forecast_arrivals == 15.0
    assert found[1].forecast_processed == 30.0
    assert found[-1].waiting_end == 140
    assert {i.staff for i in found} == {2}


def test_the_forecast_counts_only_who_was_there_and_never_more_than_the_work() -> None:
    history = [Observation(at(m), 10, 0) for m in range(0, 31, 5)]  # nothing moves
    late_helper = Stint(120.0, at(20), None)  # arrives at 09:20
    found = intervals(history, [late_helper], at(30))
    assert found[1].staff == 1
    # 09:15-09:30: the helper for 10 of the 15 minutes at 120/hour = 20, but only the
    # 10 waiting tasks (and no arrivals) were there to do
    assert found[1].forecast_processed == 10.0


def test_the_projection_stops_arrivals_before_the_deadline() -> None:
    points = project(100, 60, 120, now=at(0), deadline=at(60), until=at(75))
    times = [t for t, _ in points]
    assert times == [at(0), at(15), at(30), at(45), at(60), at(75)]
    # arrivals (1/min) stop 30 minutes before the deadline; work 2/min throughout
    assert [w for _, w in points] == [100, 85, 70, 40, 10, 0]


def test_a_plan_works_at_its_rate_once_the_helpers_have_switched() -> None:
    points = project(100, 0, 60, now=at(0), deadline=at(120), until=at(30), later=(at(5), 300))
    # 5 minutes at 1/min, then 10 minutes at 5/min: 100 - 5 - 50 = 45 at 09:15
    assert points == [(at(0), 100), (at(15), 45.0), (at(30), 0.0)]

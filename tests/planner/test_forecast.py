"""Trends from snapshots: arrivals, processing rate, efficiency."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aimee.planner.forecast import Observation, Stint, efficiency, expected_arrivals, trend

T0 = datetime(2025, 10, 23, 14, 40)


def obs(minute: int, waiting: int, entries: int) -> Observation:
    return Observation(T0 + timedelta(minutes=minute), waiting, entries)


def test_arrivals_and_processing_over_the_window() -> None:
    # Every 10 minutes: 50 processed, 20 arrive -> waiting falls by 30.
    history = [obs(10 * k, 300 - 30 * k, 50 * k) for k in range(7)]
    result = trend(history, window_minutes=60)
    assert result.arrival_rate == pytest.approx(120.0)  # 20 per 10 min
    assert result.processing_rate == pytest.approx(300.0)  # 50 per 10 min
    assert result.window_minutes == 60


def test_only_the_window_counts() -> None:
    early = [obs(-60 + 10 * k, 1000, 0) for k in range(6)]  # nothing happened earlier
    recent = [obs(10 * k, 300 - 30 * k, 50 * k) for k in range(7)]
    result = trend(early + recent, window_minutes=60)
    assert result.processing_rate == pytest.approx(300.0)


def test_idle_intervals_do_not_lower_the_processing_rate() -> None:
    # Waiting stays above zero for two intervals, then the queue runs empty: the
    # emptying interval only shows a lower bound (the staff ran out of work), and
    # the idle ones say nothing about speed.
    history = [obs(0, 110, 0), obs(10, 60, 50), obs(20, 10, 100), obs(30, 0, 110), obs(40, 0, 110)]
    result = trend(history, window_minutes=60)
    assert result.processing_rate == pytest.approx(300.0)
    assert result.arrival_rate == pytest.approx(0.0)


def test_a_queue_that_only_ran_empty_has_no_processing_rate() -> None:
    history = [obs(0, 50, 0), obs(10, 0, 50), obs(20, 0, 50)]
    assert trend(history, window_minutes=60).processing_rate is None


def test_a_counter_reset_is_ignored() -> None:
    history = [obs(0, 100, 5000), obs(10, 90, 10), obs(20, 80, 30)]
    result = trend(history, window_minutes=60)
    assert result.processing_rate == pytest.approx(120.0)  # only the last interval
    assert result.window_minutes == 10


def test_too_little_history() -> None:
    assert trend([obs(0, 10, 0)]).processing_rate is None
    assert trend([]).arrival_rate == 0.0


def test_expected_arrivals_stop_before_the_deadline() -> None:
    now = T0
    assert expected_arrivals(120.0, now, now + timedelta(minutes=90)) == pytest.approx(120.0)
    assert expected_arrivals(120.0, now, now + timedelta(minutes=20)) == 0.0
    assert expected_arrivals(120.0, now, now + timedelta(minutes=90), cutoff_minutes=0) == 180.0


@pytest.mark.parametrize(
    ("pace", "expected"),
    [
        (0.7, 0.7),  # a slow site
        (0.97, 1.0),  # within the dead band: noise
        (0.25, 0.5),  # clamped
        (1.5, 1.2),  # clamped
        (None, 1.0),  # unknown (no busy interval, or nobody was assigned)
    ],
)
def test_efficiency(pace: float | None, expected: float) -> None:
    assert efficiency(pace) == pytest.approx(expected)


def test_the_pace_is_measured_against_the_staff_who_were_there() -> None:
    # Four operators at 75/h until minute 30, then two more join (one at 90/h, one at
    # 70/h). Each interval processes exactly what the staff present could.
    four = [Stint(75.0, None, None) for _ in range(4)]
    joined = [
        Stint(90.0, T0 + timedelta(minutes=30), None),
        Stint(70.0, T0 + timedelta(minutes=30), None),
    ]
    history = [obs(10 * k, 1000 - 50 * k, 50 * k) for k in range(4)]  # 300/h
    history += [obs(30 + 10 * k, 850 - 460 * k // 6, 150 + 460 * k // 6) for k in range(1, 4)]
    result = trend(history, four + joined, window_minutes=60)
    assert result.staff_rate == pytest.approx((3 * 300 + 3 * 460) / 6)  # time-weighted
    assert result.pace == pytest.approx(1.0, abs=0.01)
    # Measured against today's six only, the same work looks like a 66% pace:
    everyone_now = [Stint(s.speed, None, None) for s in four + joined]
    assert trend(history, everyone_now).pace == pytest.approx(0.83, abs=0.01)


def test_a_stint_that_ended_counts_until_it_ended() -> None:
    # Two operators at 150/h; one leaves at minute 30: 300/h, then 150/h.
    staff = [Stint(150.0, None, None), Stint(150.0, None, T0 + timedelta(minutes=30))]
    history = [obs(0, 900, 0), obs(30, 750, 150), obs(60, 675, 225)]
    result = trend(history, staff)
    assert result.staff_rate == pytest.approx(225.0)
    assert result.pace == pytest.approx(1.0)

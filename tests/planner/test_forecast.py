"""Trends from snapshots: arrivals, processing rate, efficiency."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aimee.planner.forecast import Observation, efficiency, expected_arrivals, trend

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
    # Waiting hits zero: the staff had nothing to do, which says nothing about speed.
    history = [obs(0, 50, 0), obs(10, 0, 50), obs(20, 0, 50), obs(30, 0, 50)]
    result = trend(history, window_minutes=60)
    assert result.processing_rate == pytest.approx(300.0)
    assert result.arrival_rate == pytest.approx(0.0)


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
    ("observed", "nominal", "expected"),
    [
        (280.0, 400.0, 0.7),  # a slow site
        (291.0, 300.0, 1.0),  # within the dead band: noise
        (100.0, 400.0, 0.5),  # clamped
        (600.0, 400.0, 1.2),  # clamped
        (None, 400.0, 1.0),  # unknown
        (100.0, 0.0, 1.0),  # nobody assigned
    ],
)
def test_efficiency(observed: float | None, nominal: float, expected: float) -> None:
    assert efficiency(observed, nominal) == pytest.approx(expected)

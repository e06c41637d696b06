"""Impact numbers for the suggestion card, derived from the Plan."""

from __future__ import annotations

import pytest

from aimee.planner import format_minutes, format_percent, impact, plan

from .factories import SAPPORO, entry1, queue, scenario, seed_example


def test_seed_example_impact() -> None:
    # 札幌: 300/h -> 390/h is +30%; completion 16:04 -> 15:59:37 is 4.38 minutes earlier.
    result = impact(plan(seed_example()))
    assert len(result.queues) == 1
    sapporo = result.queues[0]
    assert sapporo.queue.id == SAPPORO
    assert sapporo.productivity_change == pytest.approx(0.30)
    assert sapporo.delay_change_minutes == pytest.approx(-(24 - (5 + 95 / 6.5)))
    assert result.late_tasks_before == pytest.approx(20.0)
    assert result.late_tasks_after == 0.0
    assert format_percent(sapporo.productivity_change) == "+30%"
    assert format_minutes(sapporo.delay_change_minutes) == "-4分"


def test_no_staff_before_is_said_not_divided() -> None:
    sc = scenario([queue(SAPPORO, 30, 60)], [entry1(1, None, 4, 60.0)])
    sapporo = impact(plan(sc)).queues[0]
    assert sapporo.productivity_change is None
    assert sapporo.delay_change_minutes is None
    assert sapporo.note is not None
    assert "処理人員がいない" in sapporo.note
    assert format_percent(sapporo.productivity_change) == "算出不可"


@pytest.mark.parametrize(
    ("value", "text"), [(0.25, "+25%"), (-0.3, "-30%"), (0.0, "±0%"), (0.004, "±0%")]
)
def test_format_percent(value: float, text: str) -> None:
    assert format_percent(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(-30.0, "-30分"), (4.4, "+4分"), (0.2, "±0分"), (None, "算出不可")]
)
def test_format_minutes(value: float | None, text: str) -> None:
    assert format_minutes(value) == text

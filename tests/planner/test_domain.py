"""Scenario validation and the Plan's JSON shape."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aimee.planner import Plan, Scenario, plan

from .factories import NOW, SAPPORO, entry1, queue


def _base() -> dict[str, Any]:
    return {
        "now": NOW.isoformat(),
        "queues": [queue(SAPPORO, 120, 20)],
        "operators": [entry1(17, ("盛岡", "523201", "エントリ1"), 4, 90.0)],
    }


def test_defaults() -> None:
    data = _base()
    del data["queues"][0]["priority"]
    del data["operators"][0]["locked"]
    sc = Scenario.model_validate(data)
    assert sc.queues[0].priority == 1.0
    assert sc.operators[0].locked is False
    assert (sc.rules.min_skill_level, sc.rules.max_moves, sc.rules.switch_minutes) == (3, 10, 5)


def test_assigned_may_be_null() -> None:
    data = _base()
    data["operators"][0]["assigned"] = None
    assert Scenario.model_validate(data).operators[0].assigned is None


def _error_locs(data: dict[str, Any]) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    return [tuple(error["loc"]) for error in info.value.errors()]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("queues", 0, "waiting"), -1, "waiting"),
        (("queues", 0, "priority"), -0.5, "priority"),
        (("queues", 0, "deadline"), "tomorrow at four", "deadline"),
        (("operators", 0, "skills", "エントリ1", "level"), 6, "level"),
        (("operators", 0, "skills", "エントリ1", "level"), 0, "level"),
        (("operators", 0, "skills", "エントリ1", "speed"), -3.0, "speed"),
        (("now",), "not a time", "now"),
        (("rules",), {"min_skill_level": 0}, "min_skill_level"),
        (("rules",), {"min_skill_level": 6}, "min_skill_level"),
        (("rules",), {"max_moves": -1}, "max_moves"),
        (("rules",), {"switch_minutes": -1}, "switch_minutes"),
        (("queues", 0, "colour"), "red", "colour"),
        (("operators", 0, "shoe_size"), 42, "shoe_size"),
    ],
)
def test_bad_field_is_named(path: tuple[Any, ...], value: Any, field: str) -> None:
    data = _base()
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    locs = _error_locs(data)
    assert any(field in loc for loc in locs), locs


def test_duplicate_operator_ids_are_rejected() -> None:
    data = _base()
    data["operators"].append(entry1(17, None, 3, 60.0))
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    error = info.value.errors()[0]
    assert error["loc"] == ("operators",)
    assert "operators[1].id" in error["msg"]


def test_duplicate_queue_keys_are_rejected() -> None:
    data = _base()
    data["queues"].append(queue(SAPPORO, 5, 30))
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    error = info.value.errors()[0]
    assert error["loc"] == ("queues",)
    assert "queues[1]" in error["msg"]


def test_timezone_aware_times_are_accepted_when_consistent() -> None:
    data = _base()
    data["now"] = "2025-10-23T06:40:00+00:00"
    data["queues"][0]["deadline"] = "2025-10-23T16:00:00+09:00"  # 07:00 UTC: 20 minutes later
    result = plan(data)
    assert result.queues[0].capacity_after == pytest.approx(22.5)


def test_mixing_naive_and_aware_times_is_rejected() -> None:
    data = _base()
    data["queues"][0]["deadline"] = "2025-10-23T16:00:00+09:00"
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    assert "queues[0].deadline" in info.value.errors()[0]["msg"]


def test_plan_json_has_designs_keys() -> None:
    dumped = plan(_base()).model_dump(mode="json", by_alias=True)
    assert {"moves", "objective", "queues", "optimal", "solve_ms"} <= dumped.keys()
    move = dumped["moves"][0]
    assert set(move) == {"operator_id", "operator_name", "from", "to", "reason"}
    assert move["from"] == {"location": "盛岡", "business_id": "523201", "process": "エントリ1"}
    assert set(dumped["objective"]) == {"before", "after"}
    assert {
        "location",
        "business_id",
        "process",
        "waiting",
        "deadline",
        "capacity_before",
        "capacity_after",
        "late_before",
        "late_after",
        "projected_completion_before",
        "projected_completion_after",
    } <= dumped["queues"][0].keys()
    assert Plan.model_validate(dumped).model_dump(mode="json", by_alias=True) == dumped

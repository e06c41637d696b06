"""Vega-Lite specifications of one queue's intraday view: volumes per 15-minute
interval (actual bars, forecast ticks) and the waiting tasks over the whole day
(actual, then projected with the current staff and with the open plan), on one
shared time axis with a now-line and the deadline."""

from __future__ import annotations

from typing import Any

from aimee.ui.charts import NOW_COLOUR, time_marker
from aimee.ui.models import QueueDay

Spec = dict[str, Any]
TIME_AXIS = {"format": "%H:%M", "title": None, "labelAngle": 0}
ACTUAL, FORECAST = "実績", "予測（区間開始時点）"
NOW_STAFF, WITH_PLAN = "見込み（現在の人員）", "見込み（提案どおり）"


def _domain(day: QueueDay) -> list[str]:
    """The x range every panel shares: the first interval to the end of the projection."""
    start = day.intervals[0].start if day.intervals else day.now
    ends = [p.time for p in day.projection] or [day.now]
    return [start.isoformat(), max(ends).isoformat()]


def _rules(day: QueueDay) -> list[Spec]:
    """The now-line (label to its left) and the deadline."""
    marks = time_marker(day.now, "現在", colour=NOW_COLOUR, left=True)
    if day.deadline is not None:
        marks += time_marker(day.deadline, "納期", colour="#444")
    return marks


def volumes(day: QueueDay, field: str, title: str) -> Spec:
    """``field`` ("arrivals" or "processed") per interval: the actual as bars, the
    forecast made at each interval's start as a tick."""
    actual = [
        {"開始": i.start.isoformat(), "終了": i.end.isoformat(), "件数": getattr(i, field)}
        for i in day.intervals
    ]
    forecast = [
        {"開始": i.start.isoformat(), "終了": i.end.isoformat(), "件数": value}
        for i in day.intervals
        if (value := getattr(i, f"forecast_{field}")) is not None
    ]
    x = {"field": "開始", "type": "temporal", "axis": TIME_AXIS, "scale": {"domain": _domain(day)}}
    tooltip = [
        {"field": "開始", "type": "temporal", "format": "%H:%M", "title": "区間"},
        {"field": "件数", "type": "quantitative", "format": ".0f"},
    ]
    return {
        "title": title,
        "height": 160,
        "layer": [
            {
                "data": {"values": actual},
                "mark": {"type": "bar", "color": "#8fb8de"},
                "encoding": {
                    "x": x,
                    "x2": {"field": "終了"},
                    "y": {
                        "field": "件数",
                        "type": "quantitative",
                        "title": "件数",
                        "scale": {"zero": True},
                    },
                    "y2": {"datum": 0},
                    "tooltip": [{"value": ACTUAL}, *tooltip],
                },
            },
            {
                "data": {"values": forecast},
                "mark": {"type": "rule", "color": "#d62728", "strokeWidth": 3},
                "encoding": {
                    "x": x,
                    "x2": {"field": "終了"},
                    "y": {"field": "件数", "type": "quantitative"},
                    "tooltip": [{"value": FORECAST}, *tooltip],
                },
            },
            *_rules(day),
        ],
    }


def waiting_over_the_day(day: QueueDay) -> Spec:
    """Tasks waiting at each interval's end, then the projection from now."""
    values = [
        {"時刻": i.end.isoformat(), "待ち件数": i.waiting_end, "系列": ACTUAL}
        for i in day.intervals
    ]
    values += [
        {"時刻": p.time.isoformat(), "待ち件数": p.waiting, "系列": NOW_STAFF}
        for p in day.projection
    ]
    values += [
        {"時刻": p.time.isoformat(), "待ち件数": p.waiting_with_plan, "系列": WITH_PLAN}
        for p in day.projection
        if p.waiting_with_plan is not None
    ]
    series = [ACTUAL, NOW_STAFF, WITH_PLAN]
    return {
        "title": "待ち件数（実績と見込み）",
        "height": 200,
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": {
                        "field": "時刻",
                        "type": "temporal",
                        "axis": TIME_AXIS,
                        "scale": {"domain": _domain(day)},
                    },
                    "y": {"field": "待ち件数", "type": "quantitative", "title": "待ち件数"},
                    "color": {
                        "field": "系列",
                        "type": "nominal",
                        "scale": {"domain": series, "range": ["#1f77b4", "#d62728", "#2ca02c"]},
                        "legend": {"orient": "bottom", "title": None},
                    },
                    "strokeDash": {
                        "field": "系列",
                        "type": "nominal",
                        "scale": {"domain": series, "range": [[1, 0], [6, 4], [2, 2]]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "系列", "type": "nominal"},
                        {"field": "時刻", "type": "temporal", "format": "%H:%M"},
                        {"field": "待ち件数", "type": "quantitative", "format": ".0f"},
                    ],
                },
            },
            *_rules(day),
        ],
    }

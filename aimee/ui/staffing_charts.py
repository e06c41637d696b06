"""The staffing timeline as a Vega-Lite Gantt chart: one row per person, a bar per
stint coloured by queue, and the planned moves as outlined bars after the now-line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aimee.ui.format import hm
from aimee.ui.models import StaffTimeline

Spec = dict[str, Any]
PLANNED_SPAN = timedelta(minutes=30)
"""How long a planned move is drawn after now (it has no end yet)."""


def _person(name: str, home: str) -> str:
    return f"{name}（{home}）"


def timeline_chart(found: StaffTimeline, people: list[tuple[str, str]]) -> Spec:
    """``people``: the (name, home) rows to draw, in order."""
    rows = [_person(name, home) for name, home in people]
    wanted = set(rows)
    worked = [
        {
            "人": _person(s.name, s.home),
            "工程": s.queue.label,
            "開始": s.start.isoformat(),
            "終了": s.end.isoformat(),
            "時間帯": f"{hm(s.start)}–{'現在' if s.ongoing else hm(s.end)}",
        }
        for s in found.segments
        if _person(s.name, s.home) in wanted
    ]
    planned = [
        {
            "人": _person(m.name, m.home),
            "工程": m.target.label,
            "開始": found.now.isoformat(),
            "終了": (found.now + PLANNED_SPAN).isoformat(),
            "時間帯": f"予定（提案 {m.suggestion_id}）",
        }
        for m in found.planned
        if _person(m.name, m.home) in wanted
    ]
    y = {"field": "人", "type": "nominal", "sort": rows, "title": None, "axis": {"labelLimit": 200}}
    x = {
        "field": "開始",
        "type": "temporal",
        "axis": {"format": "%H:%M", "title": None, "labelAngle": 0},
        "scale": {"domain": [found.day_start.isoformat(), (found.now + PLANNED_SPAN).isoformat()]},
    }
    tooltip = [
        {"field": "人", "type": "nominal"},
        {"field": "工程", "type": "nominal"},
        {"field": "時間帯", "type": "nominal"},
    ]
    color = {"field": "工程", "type": "nominal", "legend": {"orient": "bottom", "title": None}}
    now = [{"時刻": found.now.isoformat(), "ラベル": f"現在 {hm(found.now)}"}]
    return {
        "height": {"step": 24},  # one band per person, however many
        "layer": [
            {
                "data": {"values": worked},
                "mark": {"type": "bar", "cornerRadius": 2},
                "encoding": {
                    "x": x,
                    "x2": {"field": "終了"},
                    "y": y,
                    "color": color,
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": planned},
                "mark": {
                    "type": "bar",
                    "fillOpacity": 0.15,
                    "strokeWidth": 2,
                    "strokeDash": [4, 3],
                },
                "encoding": {
                    "x": x,
                    "x2": {"field": "終了"},
                    "y": y,
                    "stroke": color,
                    "fill": color,
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": now},
                "mark": {"type": "rule", "color": "#1f77b4", "strokeWidth": 2},
                "encoding": {"x": {"field": "時刻", "type": "temporal"}},
            },
        ],
    }

"""Vega-Lite specifications of the dashboard's charts, built from API data only
(no pandas: plain values inlined in the spec)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from aimee.ui.format import hm
from aimee.ui.models import OperatorInfo, QueueHistory, QueueProgress

Spec = dict[str, Any]

SITE_ORDER = ("札幌", "盛岡", "品川", "梅田", "那覇")
PROCESS_ORDER = ("エントリ1", "エントリ2", "補正", "検証")
ACTUAL = "実績"
PROJECTED = "見込み（現在の人員）"
ON_TIME_COLOR = "#e6f4ea"
TIME_AXIS = {"format": "%H:%M", "title": None, "labelAngle": 0}


NOW_COLOUR = "#1f77b4"


def time_marker(
    moment: datetime,
    name: str,
    *,
    field: str = "時刻",
    colour: str,
    dash: list[int] | None = None,
    left: bool = False,
) -> list[Spec]:
    """A vertical line at ``moment`` and its label (「納期 16:00」), drawn right of the
    line, or left of it with ``left`` (a now-line next to a deadline)."""
    values = [{field: moment.isoformat(), "ラベル": f"{name} {hm(moment)}"}]
    rule: Spec = {"type": "rule", "color": colour, "strokeWidth": 2}
    if dash is not None:
        rule["strokeDash"] = dash
    return [
        {
            "data": {"values": values},
            "mark": rule,
            "encoding": {"x": {"field": field, "type": "temporal"}},
        },
        {
            "data": {"values": values},
            "mark": {
                "type": "text",
                "align": "right" if left else "left",
                "dx": -4 if left else 4,
                "dy": -6,
                "color": colour,
            },
            "encoding": {
                "x": {"field": field, "type": "temporal"},
                "y": {"value": 8},
                "text": {"field": "ラベル"},
            },
        },
    ]


def ordered(names: Iterable[str], preferred: Sequence[str]) -> list[str]:
    """Known names in the operation's usual order, then any others alphabetically."""
    present = set(names)
    return [n for n in preferred if n in present] + sorted(present - set(preferred))


def burndown(
    history: QueueHistory,
    queue: QueueProgress,
    *,
    window: tuple[datetime, datetime] | None = None,
    now: datetime | None = None,
) -> Spec:
    """Tasks waiting over the day, the staff's projection to zero, and the deadline;
    with ``window`` on that time axis (so panels side by side compare), with ``now``
    a now-line."""
    values = [
        {"時刻": p.snapshot_time.isoformat(), "待ち件数": p.waiting, "系列": ACTUAL}
        for p in history.points
    ]
    if queue.projected_completion is not None:
        values += [
            {"時刻": queue.snapshot_time.isoformat(), "待ち件数": queue.waiting, "系列": PROJECTED},
            {"時刻": queue.projected_completion.isoformat(), "待ち件数": 0, "系列": PROJECTED},
        ]
    layers: list[Spec] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": False, "strokeWidth": 2},
            "encoding": {
                "x": {
                    "field": "時刻",
                    "type": "temporal",
                    "axis": TIME_AXIS,
                    **(
                        {}
                        if window is None
                        else {"scale": {"domain": [t.isoformat() for t in window]}}
                    ),
                },
                "y": {"field": "待ち件数", "type": "quantitative", "title": "待ち件数"},
                "color": {
                    "field": "系列",
                    "type": "nominal",
                    "scale": {"domain": [ACTUAL, PROJECTED], "range": ["#1f77b4", "#d62728"]},
                    "legend": {"orient": "bottom", "title": None},
                },
                "strokeDash": {
                    "field": "系列",
                    "type": "nominal",
                    "scale": {"domain": [ACTUAL, PROJECTED], "range": [[1, 0], [6, 4]]},
                    "legend": None,
                },
                "tooltip": [
                    {"field": "系列", "type": "nominal"},
                    {"field": "時刻", "type": "temporal", "format": "%H:%M"},
                    {"field": "待ち件数", "type": "quantitative"},
                ],
            },
        }
    ]
    if queue.deadline is not None:
        layers += time_marker(queue.deadline, "納期", field="納期", colour="#444")
    if now is not None:
        layers += time_marker(now, "現在", colour=NOW_COLOUR, dash=[2, 2], left=True)
    return {"title": queue.label, "height": 220, "layer": layers}


def lateness_heatmap(queues: Sequence[QueueProgress]) -> Spec:
    """Site x process: the tasks expected to be left at the deadline (summed over
    the businesses of the cell), as the API forecasts them."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for q in queues:
        cell = cells.setdefault(
            (q.location, q.process),
            {"拠点": q.location, "工程": q.process, "遅延見込み": 0.0, "待ち件数": 0, "内訳": []},
        )
        cell["遅延見込み"] += q.late_tasks_at_deadline or 0.0
        cell["待ち件数"] += q.waiting
        done = hm(q.projected_completion)
        cell["内訳"].append(f"{q.business_id}: 納期{hm(q.deadline)} 完了{done}")
    values = [
        {**c, "遅延見込み": round(c["遅延見込み"]), "内訳": " / ".join(c["内訳"])}
        for c in cells.values()
    ]
    sites = ordered((q.location for q in queues), SITE_ORDER)
    processes = ordered((q.process for q in queues), PROCESS_ORDER)
    most = max((v["遅延見込み"] for v in values), default=0)
    light_text_from = round(max(1, most * 0.55), 1)  # the upper part of the red scale is dark
    encoding_xy = {
        "x": {"field": "工程", "type": "nominal", "sort": processes, "axis": {"labelAngle": 0}},
        "y": {"field": "拠点", "type": "nominal", "sort": sites, "title": None},
    }
    return {
        "data": {"values": values},
        "height": 44 * max(1, len(sites)),
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                "encoding": {
                    **encoding_xy,
                    "color": {
                        "condition": {"test": "datum['遅延見込み'] < 1", "value": ON_TIME_COLOR},
                        "field": "遅延見込み",
                        "type": "quantitative",
                        "scale": {"scheme": "reds", "domainMin": 0},
                        "title": "遅延見込み（件）",
                    },
                    "tooltip": [
                        {"field": "拠点"},
                        {"field": "工程"},
                        {"field": "遅延見込み", "title": "遅延見込み（件）"},
                        {"field": "待ち件数", "title": "待ち件数"},
                        {"field": "内訳", "title": "業務別"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 14},
                "encoding": {
                    **encoding_xy,
                    "text": {"field": "遅延見込み", "format": ",d"},
                    "color": {  # readable on the darkest reds
                        "condition": {
                            "test": f"datum['遅延見込み'] >= {light_text_from}",
                            "value": "white",
                        },
                        "value": "#222",
                    },
                },
            },
        ],
    }


def skill_matrix(operators: Sequence[OperatorInfo], processes: Sequence[str]) -> Spec:
    """Operator x process: skill level 1-5 (blank where the operator has no skill)."""
    values = [
        {
            "オペレータ": f"{op.operator_name}（{op.location_name}）",
            "工程": skill.process_name,
            "レベル": skill.skill_level,
            "経験": f"{skill.experience_months}ヶ月",
            "速度": f"毎時{skill.average_speed:.0f}件",
        }
        for op in operators
        for skill in op.skills
        if skill.process_name in processes
    ]
    rows = [f"{op.operator_name}（{op.location_name}）" for op in operators]
    encoding_xy = {
        "x": {
            "field": "工程",
            "type": "nominal",
            "sort": list(processes),
            "axis": {"orient": "top", "labelAngle": 0, "title": None},
        },
        "y": {
            "field": "オペレータ",
            "type": "nominal",
            "sort": rows,
            "title": None,
            "axis": {"labelLimit": 240},
        },
    }
    return {
        "data": {"values": values},
        "height": {"step": 20},
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white"},
                "encoding": {
                    **encoding_xy,
                    "color": {
                        "field": "レベル",
                        "type": "ordinal",
                        "scale": {"domain": [1, 2, 3, 4, 5], "scheme": "blues"},
                        "title": "スキルレベル",
                    },
                    "tooltip": [
                        {"field": "オペレータ"},
                        {"field": "工程"},
                        {"field": "レベル"},
                        {"field": "経験"},
                        {"field": "速度"},
                    ],
                },
            },
            {
                "mark": {"type": "text"},
                "encoding": {**encoding_xy, "text": {"field": "レベル"}},
            },
        ],
    }

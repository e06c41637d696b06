"""The staffing timeline as a Vega-Lite Gantt chart: one row per person, a bar per
stint coloured by queue, and the moves ahead as outlined bars after the now-line: an
approved move until its loan ends (or the shift), the way back after a loan, the return
of a loan already carried out; and, thinner and dotted, the moves the latest plan for the
rest of the day intends that nobody approved (its timeline, re-planned as data arrives)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aimee.ui.format import hm, intended_note, place_back, planned_note, return_note
from aimee.ui.models import StaffTimeline

Spec = dict[str, Any]
PLANNED_SPAN = timedelta(minutes=30)
"""How long a planned move is drawn after now (it has no end yet)."""


def _person(name: str, home: str) -> str:
    return f"{name}（{home}）"


def _bar(person: str, queue: str, start: datetime, end: datetime, text: str) -> dict[str, str]:
    return {
        "人": person,
        "工程": queue,
        "開始": start.isoformat(),
        "終了": end.isoformat(),
        "時間帯": text,
    }


PALETTE = (
    "#4c78a8",
    "#f58518",
    "#e45756",
    "#72b7b2",
    "#54a24b",
    "#eeca3b",
    "#b279a2",
    "#ff9da6",
    "#9d755d",
    "#bab0ac",
)
"""Vega-Lite's tableau10, in its order."""


def planned_bars(found: StaffTimeline) -> list[dict[str, str]]:
    """The moves ahead as bars: an approved move from now (when it is carried out) until
    its loan ends, the shift ends or for ``PLANNED_SPAN``; after a loan, the way back to
    the queue the helper came from until their shift ends; a loan already carried out,
    its return at its end."""
    now = found.now
    bars = []
    for m in found.planned:
        person = _person(m.name, m.home)
        note = planned_note(m)
        if m.at is not None:  # a loan carried out: the helper goes back then
            end = m.shift_end if m.shift_end and m.shift_end > m.at else m.at + PLANNED_SPAN
            bars.append(
                _bar(person, m.target.label, m.at, end, f"予定: {note}（提案 {m.suggestion_id}）")
            )
            continue
        stop = m.until or m.shift_end or now + PLANNED_SPAN
        if m.shift_end is not None:
            stop = min(stop, m.shift_end)
        stop = max(stop, now + timedelta(minutes=1))
        text = f"予定: {note or '移動'}（提案 {m.suggestion_id}）"
        bars.append(_bar(person, m.target.label, now, stop, text))
        if m.until is not None and m.returns and m.source is not None:
            end = m.shift_end or m.until + PLANNED_SPAN
            back = place_back(m.source.location, m.source.process, m.target.location)
            text = f"予定: {return_note(m.until, back, m.shift_end)}（提案 {m.suggestion_id}）"
            bars.append(_bar(person, m.source.label, m.until, end, text))
    return bars


def intended_bars(found: StaffTimeline) -> list[dict[str, str]]:
    """The moves of the latest plan for the rest of the day that nobody approved: each from
    its time until the plan moves the person on, their shift ends or for ``PLANNED_SPAN``."""
    by_person: dict[str, list[datetime]] = {}
    for m in found.intended:
        by_person.setdefault(_person(m.name, m.home), []).append(m.at)
    bars = []
    for m in found.intended:
        person = _person(m.name, m.home)
        later = [at for at in by_person[person] if at > m.at]
        ends = [t for t in (m.until, min(later, default=None), m.shift_end) if t is not None]
        stop = max(min(ends, default=m.at + PLANNED_SPAN), m.at + timedelta(minutes=1))
        kind = "承認待ち" if m.first else "今後の予定（案）"
        origin = m.source.label if m.source else "未配置"
        text = (
            f"{kind}: {hm(m.at)} {origin} → {m.target.label}、{intended_note(m)}"
            f"（提案 {m.suggestion_id}）"
        )
        bars.append(_bar(person, m.target.label, m.at, stop, text))
    return bars


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
    planned = [bar for bar in planned_bars(found) if bar["人"] in wanted]
    intended = [bar for bar in intended_bars(found) if bar["人"] in wanted]
    ahead = (*planned, *intended)
    last = max([found.now + PLANNED_SPAN, *(datetime.fromisoformat(b["終了"]) for b in ahead)])
    y = {"field": "人", "type": "nominal", "sort": rows, "title": None, "axis": {"labelLimit": 200}}
    x = {
        "field": "開始",
        "type": "temporal",
        "axis": {"format": "%H:%M", "title": None, "labelAngle": 0},
        "scale": {"domain": [found.day_start.isoformat(), last.isoformat()]},
    }
    tooltip = [
        {"field": "人", "type": "nominal"},
        {"field": "工程", "type": "nominal"},
        {"field": "時間帯", "type": "nominal"},
    ]
    # One explicit mapping for the bars worked (color) and the moves ahead (fill and
    # stroke): Vega-Lite gives each channel its own scale, so a loan to 品川 was drawn in
    # the colour 札幌 had in the legend.
    queues = sorted({bar["工程"] for bar in (*worked, *ahead)})
    scale = {"domain": queues, "range": [PALETTE[i % len(PALETTE)] for i in range(len(queues))]}
    color = {
        "field": "工程",
        "type": "nominal",
        "scale": scale,
        "legend": {"orient": "bottom", "title": None},
    }
    unlabelled = {"field": "工程", "type": "nominal", "scale": scale, "legend": None}
    now = [{"時刻": found.now.isoformat(), "ラベル": f"現在 {hm(found.now)}"}]

    def ahead_layer(
        values: list[dict[str, str]], *, opacity: float, width: float, dash: list[int]
    ) -> Spec:
        """Moves ahead: outlined bars in their queue's colour, without a legend of their own."""
        return {
            "data": {"values": values},
            "mark": {
                "type": "bar",
                "fillOpacity": opacity,
                "strokeWidth": width,
                "strokeDash": dash,
            },
            "encoding": {
                "x": x,
                "x2": {"field": "終了"},
                "y": y,
                "stroke": unlabelled,
                "fill": unlabelled,
                "tooltip": tooltip,
            },
        }

    layers: list[Spec] = [
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
        ahead_layer(planned, opacity=0.15, width=2, dash=[4, 3]),  # approved: dashed
        {
            "data": {"values": now},
            "mark": {"type": "rule", "color": "#1f77b4", "strokeWidth": 2},
            "encoding": {"x": {"field": "時刻", "type": "temporal"}},
        },
    ]
    if intended:  # not approved: a thin dotted outline, barely filled, under the now-line
        layers.insert(2, ahead_layer(intended, opacity=0.06, width=1.5, dash=[1, 3]))
    return {"height": {"step": 24}, "layer": layers}  # one band per person, however many

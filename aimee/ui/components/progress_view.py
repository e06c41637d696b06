"""The dashboard's parts: summary figures, the queue table, the lateness
heatmap and the burn-down charts, all from ``GET /progress`` and its history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from aimee.ui import charts, state
from aimee.ui.components.errors import fetch
from aimee.ui.format import (
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    floor_total,
    hm,
    label_of,
    queue_situation,
    severity_counts,
)
from aimee.ui.models import QueueHistory, QueueProgress

REFRESH_SECONDS = 30
SEVERITY_BY_LABEL = {label: key for key, label in SEVERITY_LABELS.items()}
MAX_BURNDOWNS = 4


def queue_rows(queues: Sequence[QueueProgress]) -> list[dict[str, Any]]:
    """One row per queue, in the API's order (most urgent first)."""
    return [
        {
            "重要度": label_of(SEVERITY_LABELS, q.severity) if q.severity else "なし",
            "状況": queue_situation(q),
            "拠点": q.location,
            "業務": q.business_id,
            "工程": q.process,
            "待ち件数": q.waiting,
            "納期": hm(q.deadline),
            "残り（分）": q.minutes_to_deadline,
            "完了見込み": hm(q.projected_completion),
            "遅延見込み（件）": q.late_tasks_at_deadline,
            "担当者": q.staff_count,
            "処理能力（件/時）": q.staff_speed_per_hour,
        }
        for q in queues
    ]


def summary(queues: Sequence[QueueProgress]) -> None:
    counts = severity_counts(queues)
    latest = max((q.snapshot_time for q in queues), default=None)
    waiting, alerts, late, updated = st.columns(4)
    waiting.metric("待ち件数（全キュー）", f"{sum(q.waiting for q in queues):,}件")
    alerts.metric(
        "アラート 高 / 中 / 低", " / ".join(f"{counts[s]}" for s in SEVERITY_ORDER) + " 件"
    )
    late.metric("全体の遅延見込み（納期時点）", f"{floor_total(queues):,}件")
    updated.metric("最新の進捗", hm(latest))


COLUMN_WIDTHS = {  # pixels: 938 in all, inside the 978 px the page leaves at 1440 px
    "重要度": 56,
    "状況": 210,
    "拠点": 52,
    "業務": 64,
    "工程": 76,
    "待ち件数": 72,
    "納期": 52,
    "完了見込み": 80,
    "担当者": 56,
}
ON_TIME_COLOUR = "#e6f4ea"
"""Green: no alert on the queue (the alerts' red, amber and blue otherwise)."""
ALL = "すべて"


def _severity_style(label: object) -> str:
    colour = SEVERITY_COLOURS.get(SEVERITY_BY_LABEL.get(str(label), ""), ON_TIME_COLOUR)
    return f"background-color: {colour}"


def filtered(
    queues: Sequence[QueueProgress], *, location: str, business_id: str, process: str
) -> list[QueueProgress]:
    """The queues matching the board's filters (ALL matches anything), order kept."""
    return [
        q
        for q in queues
        if location in (ALL, q.location)
        and business_id in (ALL, q.business_id)
        and process in (ALL, q.process)
    ]


def board_filters(queues: Sequence[QueueProgress]) -> dict[str, str]:
    site, business, process = st.columns(3)
    sites = charts.ordered({q.location for q in queues}, charts.SITE_ORDER)
    processes = charts.ordered({q.process for q in queues}, charts.PROCESS_ORDER)
    names = {q.business_id: q.business_name for q in queues if q.business_name}

    def business_label(business_id: str) -> str:  # 「523201（SS）」: the id, and its name
        name = names.get(business_id)
        return f"{business_id}（{name}）" if name else business_id

    return {
        "location": str(site.selectbox("拠点", [ALL, *sites], key="board_site")),
        "business_id": str(
            business.selectbox(
                "業務",
                [ALL, *sorted({q.business_id for q in queues})],
                key="board_business",
                format_func=business_label,
            )
        ),
        "process": str(process.selectbox("工程", [ALL, *processes], key="board_process")),
    }


def queue_table(queues: Sequence[QueueProgress]) -> None:
    """The board: every queue in urgency order (severity from the alert rules, then
    minutes to the deadline), red / amber / blue by severity and green when on time."""
    queues = filtered(queues, **board_filters(queues))
    if not queues:
        st.info("この条件に合うキューはありません。")
        return
    frame = pd.DataFrame(queue_rows(queues))
    styled = frame.style.map(_severity_style, subset=["重要度"]) if not frame.empty else frame
    st.dataframe(
        styled,
        hide_index=True,
        column_config={  # the whole board fits a 1440 px screen, every heading readable
            **{name: st.column_config.Column(width=px) for name, px in COLUMN_WIDTHS.items()},
            "残り（分）": st.column_config.NumberColumn(
                "残り(分)", format="%.0f", width=68, help="納期までの残り時間（分）"
            ),
            "遅延見込み（件）": st.column_config.NumberColumn(
                "遅延(件)", format="%d", width=68, help="納期時点で残る見込みの件数"
            ),
            "処理能力（件/時）": st.column_config.NumberColumn(
                "処理(件/時)", format="%.0f", width=84, help="担当者全員の処理能力（件/時）"
            ),
        },
    )


ON_TIME_LEGEND = (
    "緑のセル: 納期に間に合う見込み（遅延見込み0件）。赤が濃いほど遅延見込みが多い工程です。"
)


def heatmap(queues: Sequence[QueueProgress]) -> None:
    st.vega_lite_chart(charts.lateness_heatmap(queues), width="stretch")
    st.caption(ON_TIME_LEGEND)  # the colour scale's legend has no swatch for green


HISTORY_SHOWN = timedelta(hours=2)
"""Burn-downs show the last two hours and the rest of the day: the end is what matters."""


def _history(queue: QueueProgress, since: datetime) -> QueueHistory:
    return state.client().queue_history(
        queue.location, queue.business_id, queue.process, since=since
    )


def burndown_window(queues: Sequence[QueueProgress]) -> tuple[datetime, datetime]:
    """One time axis for every panel: two hours before the latest reading to the last
    deadline or projected completion among ``queues``, and a little after."""
    now = max(q.snapshot_time for q in queues)
    ends = [t for q in queues for t in (q.deadline, q.projected_completion) if t is not None]
    return now - HISTORY_SHOWN, max([now, *ends]) + timedelta(minutes=10)


def burndowns(queues: Sequence[QueueProgress]) -> None:
    ranked = list(queues)  # the API's order: most urgent first
    labels = [q.label for q in ranked]
    chosen = st.multiselect(
        "キュー（緊急度の高い順）",
        labels,
        default=labels[:MAX_BURNDOWNS],
        max_selections=MAX_BURNDOWNS * 2,
        select_all=False,
        key="dash_burndown_queues",
    )
    by_label = {q.label: q for q in ranked}
    shown = [by_label[label] for label in chosen if label in by_label]
    if not shown:
        return
    window = burndown_window(shown)
    now = max(q.snapshot_time for q in ranked)
    columns = st.columns(2)
    for index, queue in enumerate(shown):
        history = fetch(partial(_history, queue, window[0]))
        if history is not None:
            with columns[index % 2]:
                spec = charts.burndown(history, queue, window=window, now=now)
                st.vega_lite_chart(spec, width="stretch")

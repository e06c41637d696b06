"""The dashboard's parts: summary figures, the queue table, the lateness
heatmap and the burn-down charts, all from ``GET /progress`` and its history."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import streamlit as st

from aimee.ui import charts, state
from aimee.ui.components.errors import fetch
from aimee.ui.format import RISK_LABELS, by_risk, hm, queue_risk
from aimee.ui.models import QueueHistory, QueueProgress

REFRESH_SECONDS = 30
MAX_BURNDOWNS = 4


def queue_rows(queues: Sequence[QueueProgress]) -> list[dict[str, Any]]:
    rows = []
    for q in by_risk(list(queues)):
        risk = queue_risk(q)
        rows.append(
            {
                "リスク": RISK_LABELS[risk.rank],
                "状況": risk.reason,
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
        )
    return rows


def summary(queues: Sequence[QueueProgress]) -> None:
    risks = [queue_risk(q).rank for q in queues]
    latest = max((q.snapshot_time for q in queues), default=None)
    waiting, at_risk, late, updated = st.columns(4)
    waiting.metric("待ち件数（全キュー）", f"{sum(q.waiting for q in queues):,}件")
    at_risk.metric("遅延リスク 高 / 中", f"{risks.count(2)} / {risks.count(1)} キュー")
    late.metric(
        "納期時点の遅延見込み", f"{round(sum(q.late_tasks_at_deadline or 0 for q in queues)):,}件"
    )
    updated.metric("最新の進捗", hm(latest))


def queue_table(queues: Sequence[QueueProgress]) -> None:
    st.dataframe(
        queue_rows(queues),
        hide_index=True,
        column_config={
            "残り（分）": st.column_config.NumberColumn(format="%.0f"),
            "遅延見込み（件）": st.column_config.NumberColumn(format="%.0f"),
            "処理能力（件/時）": st.column_config.NumberColumn(format="%.0f"),
        },
    )


def heatmap(queues: Sequence[QueueProgress]) -> None:
    st.vega_lite_chart(charts.lateness_heatmap(queues), width="stretch")


def _history(queue: QueueProgress) -> QueueHistory:
    return state.client().queue_history(queue.location, queue.business_id, queue.process)


def burndowns(queues: Sequence[QueueProgress]) -> None:
    ranked = by_risk(list(queues))
    labels = [q.label for q in ranked]
    chosen = st.multiselect(
        "キュー（遅延リスクの高い順）",
        labels,
        default=labels[:MAX_BURNDOWNS],
        max_selections=MAX_BURNDOWNS * 2,
        key="dash_burndown_queues",
    )
    by_label = {q.label: q for q in ranked}
    columns = st.columns(2)
    for index, label in enumerate(chosen):
        queue = by_label.get(label)
        if queue is None:
            continue
        history = fetch(partial(_history, queue))
        if history is not None:
            with columns[index % 2]:
                st.vega_lite_chart(charts.burndown(history, queue), width="stretch")

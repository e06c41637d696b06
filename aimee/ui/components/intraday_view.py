"""工程の推移: one queue's day, forecast vs actual per 15 minutes, and the rest of it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from aimee.ui import state
from aimee.ui.components.errors import fetch
from aimee.ui.format import hm
from aimee.ui.intraday_charts import volumes, waiting_over_the_day
from aimee.ui.models import QueueDay, QueueInterval, QueueProgress

QUEUE_KEY = "intraday_queue"


def _label(q: QueueProgress) -> str:
    return f"{q.location}の{q.process}（{q.business}）"


def pick_queue(queues: list[QueueProgress]) -> QueueProgress | None:
    """The queue to show, most urgent first (the order the API gives)."""
    if not queues:
        st.info("表示できる工程がありません。")
        return None
    by_label = {_label(q): q for q in queues}
    chosen = st.selectbox("工程", list(by_label), key=QUEUE_KEY)
    return by_label[str(chosen)]


def _difference(actual: int, forecast: float | None) -> str:
    if forecast is None:
        return "—"
    gap = actual - round(forecast)
    return "±0" if gap == 0 else f"{gap:+d}"


def _tasks(value: float | None) -> str:
    return "—" if value is None else f"{round(value)}"


def interval_rows(day: QueueDay) -> list[dict[str, Any]]:
    def row(i: QueueInterval) -> dict[str, Any]:
        return {
            "区間": f"{hm(i.start)}–{hm(i.end)}",
            "担当": f"{i.staff}名",
            "到着 実績": f"{i.arrivals}",
            "到着 予測": _tasks(i.forecast_arrivals),
            "到着 差": _difference(i.arrivals, i.forecast_arrivals),
            "処理 実績": f"{i.processed}",
            "処理 予測": _tasks(i.forecast_processed),
            "処理 差": _difference(i.processed, i.forecast_processed),
            "区間末の残件数": f"{i.waiting_end}",
        }

    return [row(i) for i in reversed(day.intervals)]  # the latest first


def summary(day: QueueDay) -> str:
    """What the projection says, in one sentence."""
    end = day.projection[-1] if day.projection else None
    at_deadline = next(
        (p for p in day.projection if day.deadline is not None and p.time >= day.deadline), end
    )
    if at_deadline is None or day.deadline is None:
        return "納期の情報がないため、見込みは表示できません。"
    left = round(at_deadline.waiting)
    text = f"今の人員のままでは、納期{hm(day.deadline)}の時点で約{left}件が残る見込みです"
    if at_deadline.waiting_with_plan is not None:
        text += f"（提案 {day.plan_id} どおりなら約{round(at_deadline.waiting_with_plan)}件）"
    return text + "。"


def intraday_section() -> None:
    queues = fetch(lambda: state.client().progress())
    if queues is None:
        return
    queue = pick_queue(queues)
    if queue is None:
        return
    day = fetch(lambda: state.client().queue_day(queue.location, queue.business_id, queue.process))
    if day is None:
        return
    st.markdown(summary(day))
    st.caption(
        "棒は15分ごとの実績、赤い線はその区間の開始時点の予測（直前1時間の到着率と、"
        "その時の担当者の登録速度×ペース）です。"
    )
    if not day.intervals:
        st.info("本日の区間データはまだありません。")
    else:
        left, right = st.columns(2)
        left.vega_lite_chart(volumes(day, "arrivals", "到着件数（15分ごと）"), width="stretch")
        right.vega_lite_chart(volumes(day, "processed", "処理件数（15分ごと）"), width="stretch")
    st.vega_lite_chart(waiting_over_the_day(day), width="stretch")
    if day.intervals:
        st.dataframe(interval_rows(day), hide_index=True)

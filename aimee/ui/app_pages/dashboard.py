"""ダッシュボード: every queue's waiting tasks, deadline, projected completion and
risk, refreshing on its own."""

import streamlit as st

from aimee.ui import state
from aimee.ui.components.errors import fetch
from aimee.ui.components.progress_view import (
    REFRESH_SECONDS,
    burndowns,
    heatmap,
    queue_table,
    summary,
)

st.title(":material/dashboard: ダッシュボード")
st.caption(
    f"{REFRESH_SECONDS}秒ごとに自動で更新します。見込みは直近1時間の到着ペースと処理速度を反映しています。"
)


@st.fragment(run_every=REFRESH_SECONDS)
def live_floor() -> None:
    queues = fetch(state.client().progress)
    if not queues:
        return
    summary(queues)
    st.subheader("キューごとの状況")
    queue_table(queues)
    st.subheader("拠点 × 工程の遅延見込み")
    heatmap(queues)
    st.subheader("残タスクの推移と納期（バーンダウン）")
    burndowns(queues)


live_floor()

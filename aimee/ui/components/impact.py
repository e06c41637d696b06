"""The moves and impact of a suggestion, as the card and the modify preview show them."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from aimee.ui.models import Change, Impact


def change_line(change: Change) -> str:
    names = "、".join(change.operators)
    return f"**{change.route}**（{change.business_id}）: {change.count}名 — {names}"


def changes_list(changes: Sequence[Change]) -> None:
    st.markdown("\n".join(f"- {change_line(c)}" for c in changes) or "- なし")


def impact_metrics(impact: Impact) -> None:
    before, after = round(impact.late_tasks_before), round(impact.late_tasks_after)
    if impact.target:
        st.caption(f"対象: {impact.target}")
    productivity, delay, late = st.columns(3)
    productivity.metric("生産性", impact.productivity)
    delay.metric("遅延", impact.delay)
    late.metric(
        "遅延見込み（移動に関わる工程）",
        f"{after:,}件",
        delta=f"{after - before:+,}件",
        delta_color="inverse",
        help=f"移動前 {before:,}件 → 移動後 {after:,}件",
    )
    st.markdown(f"**品質**: {impact.quality}")

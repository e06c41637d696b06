"""Open alerts by severity: acknowledge, and one click to a suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import streamlit as st

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.errors import show_error
from aimee.ui.components.suggestion_card import suggestion_card
from aimee.ui.format import (
    ALERT_STATUS,
    ALERT_TYPES,
    SEVERITY_ICONS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    label_of,
    mdhm,
)
from aimee.ui.models import Alert, Suggestion

SUGGESTIONS_KEY = "alerts_suggestions"


def suggestions() -> dict[int, Suggestion]:
    """Suggestions opened from alerts in this session, by alert id."""
    if SUGGESTIONS_KEY not in st.session_state:
        st.session_state[SUGGESTIONS_KEY] = {}
    return cast(dict[int, Suggestion], st.session_state[SUGGESTIONS_KEY])


def live(alerts: Sequence[Alert]) -> list[Alert]:
    return [a for a in alerts if a.status != "resolved"]


def by_severity(alerts: Sequence[Alert]) -> dict[str, list[Alert]]:
    groups: dict[str, list[Alert]] = {severity: [] for severity in SEVERITY_ORDER}
    for alert in alerts:
        groups.setdefault(alert.severity, []).append(alert)
    return groups


def severity_title(severity: str) -> str:
    return f"{SEVERITY_ICONS.get(severity, '')} 重要度 {label_of(SEVERITY_LABELS, severity)}"


def counts(alerts: Sequence[Alert]) -> None:
    groups = by_severity(live(alerts))
    for column, severity in zip(st.columns(len(groups)), groups, strict=True):
        column.metric(severity_title(severity), f"{len(groups[severity])}件")


def _acknowledge(alert: Alert) -> None:
    try:
        state.client().acknowledge(alert.alert_id)
    except ApiError as exc:
        show_error(exc)
        return
    st.rerun()


def _suggest(alert: Alert) -> None:
    client = state.client()
    try:
        if alert.open_suggestion_id:  # the plan already open for this queue
            found = client.suggestion(alert.open_suggestion_id)
        else:
            found = client.alert_suggestion(alert.alert_id)
    except ApiError as exc:
        show_error(exc)
        return
    suggestions()[alert.alert_id] = found


def alert_box(alert: Alert) -> None:
    queue = "/".join(p for p in (alert.location, alert.business_id, alert.process) if p)
    with st.container(border=True):
        kind = label_of(ALERT_TYPES, alert.alert_type)
        st.markdown(f"{SEVERITY_ICONS.get(alert.severity, '')} **{kind}** ・ {queue}")
        st.write(alert.message)
        seen = f"（{alert.acknowledged_by}）" if alert.acknowledged_by else ""
        st.caption(f"発生 {mdhm(alert.created_at)} ・ {label_of(ALERT_STATUS, alert.status)}{seen}")
        ack, suggest = st.columns(2)
        if alert.status == "open" and ack.button(
            "確認", key=f"alerts_ack_{alert.alert_id}", icon=":material/visibility:"
        ):
            _acknowledge(alert)
        if alert.open_suggestion_id or state.can("approver"):
            label = "提案を表示" if alert.open_suggestion_id else "提案を作成"
            if suggest.button(
                label,
                key=f"alerts_suggest_{alert.alert_id}",
                type="primary",
                icon=":material/assignment:",
            ):
                _suggest(alert)
        opened = suggestions().get(alert.alert_id)
        if opened is not None:
            suggestion_card(opened, key=f"alerts_card_{alert.alert_id}")


def alert_list(alerts: Sequence[Alert]) -> None:
    groups = by_severity(live(alerts))
    if not any(groups.values()):
        st.success("対応が必要なアラートはありません。")
    for severity, items in groups.items():
        if not items:
            continue
        st.subheader(severity_title(severity))
        for alert in items:
            alert_box(alert)

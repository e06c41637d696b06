"""Suggestions and decisions: filters, the history table, execution status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import streamlit as st
from pydantic import ValidationError

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.downloads import download_buttons
from aimee.ui.components.errors import fetch, show_error
from aimee.ui.components.suggestion_card import suggestion_card
from aimee.ui.format import (
    ACTION_LABELS,
    EXECUTION_STATUS,
    NEXT_EXECUTION,
    SUGGESTION_STATUS,
    hm,
    label_of,
    mdhm,
)
from aimee.ui.models import Approval, ApprovalPage, Change, Outcome, Suggestion

_EMPTY_SEGMENT = "[data-testid=stDateInput] [data-placeholder=true][data-type={kind}]"
HIDE_DATE_PLACEHOLDER = "<style>{}</style>".format(
    "".join(
        f"{_EMPTY_SEGMENT.format(kind=kind)} {{ font-size: 0; }}"
        f"{_EMPTY_SEGMENT.format(kind=kind)}::after {{ content: '{word}'; font-size: 0.875rem; }}"
        for kind, word in (("year", "年"), ("month", "月"), ("day", "日"))
    )
)
"""An empty date box reads 「年 / 月 / 日」 rather than the format's 「yyyy / mm / dd」."""

ALL = "すべて"


def _choice(label: str, mapping: dict[str, str], key: str) -> str | None:
    chosen = st.selectbox(label, [ALL, *mapping], format_func=lambda k: mapping.get(k, k), key=key)
    return None if chosen in (None, ALL) else str(chosen)


def _moves(changes: Any) -> str:
    """A decision's changes as routes (札幌の補正 → 札幌のエントリ1（1名））; a row
    written by another system in another shape is shown as it is."""
    return " / ".join(_move(c) for c in changes or [] if isinstance(c, dict))


def _move(change: dict[str, Any]) -> str:
    try:
        return moves_text([Change.model_validate(change)])
    except ValidationError:
        return f"{change.get('from')}→{change.get('to')} {change.get('process')}"


def moves_text(changes: Sequence[Change]) -> str:
    return " / ".join(f"{c.route}（{c.count}名）" for c in changes)


MOVES_COLUMN = {"配置変更": st.column_config.TextColumn("配置変更", width="medium")}
"""Several routes make a long cell: a fixed width keeps the other columns in view
(the full text shows on hover)."""


def approval_rows(items: Sequence[Approval]) -> list[dict[str, Any]]:
    rows = []
    for a in items:
        impact = a.impact if isinstance(a.impact, dict) else {}
        rows.append(
            {
                "日時": mdhm(a.created_at),
                "履歴ID": a.approval_history_id,
                "提案ID": a.suggestion_id,
                "判断": label_of(ACTION_LABELS, a.action_type),
                "判断者": a.action_user,
                "配置変更": _moves(a.changes),
                "遅延見込み（前→後）": f"{round(impact.get('late_tasks_before', 0))}件→"
                f"{round(impact.get('late_tasks_after', 0))}件",
                "実行状況": label_of(EXECUTION_STATUS, a.execution_status),
                "結果（予測→実績）": result_summary(a.outcomes),
                "判断理由": a.feedback_reason or "",
            }
        )
    return rows


OUTCOME_STATE = {
    "awaiting": "納期後に記録",
    "no_data": "実績データなし",
    "not_carried_out": "実行されず",
}
ROLE_LABELS = {"target": "応援先", "donor": "応援元"}


def result_summary(outcomes: Sequence[Outcome]) -> str:
    """The receiving queues' late tasks, predicted → actual (a rejection: empty)."""
    targets = [o for o in outcomes if o.role == "target"] or list(outcomes)
    if not targets:
        return ""
    recorded = [o for o in targets if o.state == "recorded"]
    if not recorded:
        return OUTCOME_STATE.get(targets[0].state, targets[0].state)
    predicted = round(sum(o.predicted_late for o in recorded))
    actual = sum(o.actual_late or 0 for o in recorded)
    return f"遅延 予測{predicted}件→実績{actual}件"


def outcome_rows(items: Sequence[Approval]) -> list[dict[str, Any]]:
    """Every touched queue of the decisions shown: predicted vs actual."""
    rows = []
    for a in items:
        for o in a.outcomes:
            recorded = o.state == "recorded"
            rows.append(
                {
                    "履歴ID": a.approval_history_id,
                    "工程": f"{o.location}/{o.business_id}/{o.process}",
                    "役割": f"{ROLE_LABELS.get(o.role, o.role)}（{o.operators_moved}名）",
                    "納期": hm(o.deadline),
                    "遅延 移動なしの予測": f"{round(o.predicted_late_without)}件",
                    "遅延 予測": f"{round(o.predicted_late)}件",
                    "遅延 実績": f"{o.actual_late}件" if recorded else "—",
                    "差（実績−予測）": _difference((o.actual_late or 0) - round(o.predicted_late))
                    if recorded
                    else "—",
                    "完了 予測": hm(o.predicted_completion),
                    "完了 実績": (hm(o.actual_completion) if o.actual_completion else "未完了")
                    if recorded
                    else "—",
                    "状態": "記録済み" if recorded else OUTCOME_STATE.get(o.state, o.state),
                }
            )
    return rows


def _difference(tasks: int) -> str:
    return "±0件" if tasks == 0 else f"{tasks:+d}件"


def outcomes_section(items: Sequence[Approval], *, start: date | None, end: date | None) -> None:
    """予測と実績: what each approved plan predicted for the queues it touched and, once
    their deadlines have passed, what the snapshots say happened."""
    rows = outcome_rows(items)
    st.subheader("予測と実績", divider="gray")
    st.caption(
        "承認した案が工程ごとに予測した遅延・完了時刻と、納期後に進捗データから記録した実績です。"
        "実績は、実行が完了した案について各工程の納期の5分後に記録されます。"
    )
    if rows:
        st.dataframe(rows, hide_index=True)
    else:
        st.info("この条件の承認履歴には、予測と実績を記録する案がありません。")
    download_buttons("outcomes", "予測と実績をダウンロード", start=start, end=end)


def approval_filters() -> dict[str, str | None]:
    action_col, exec_col, user_col, id_col = st.columns(4)
    with action_col:
        action = _choice("判断", ACTION_LABELS, "hist_action")
    with exec_col:
        execution = _choice("実行状況", EXECUTION_STATUS, "hist_execution")
    user = user_col.text_input("判断者", key="hist_user")
    suggestion_id = id_col.text_input("提案ID", key="hist_suggestion_id")
    since_col, until_col = st.columns(2)
    st.html(HIDE_DATE_PLACEHOLDER)
    since = since_col.date_input("開始日（空欄: 指定なし）", value=None, key="hist_since")
    until = until_col.date_input("終了日（空欄: 指定なし）", value=None, key="hist_until")
    return {
        "action": action,
        "execution_status": execution,
        "user": user.strip() or None,
        "suggestion_id": suggestion_id.strip() or None,
        "since": _day(since, time.min),
        "until": _day(until, time.max),
    }


def _day(value: object, at: time) -> str | None:
    if isinstance(value, date):
        return datetime.combine(value, at).isoformat(timespec="seconds")
    return None


def execution_updater(items: Sequence[Approval]) -> None:
    """For approvers: move a decision's execution on (pending → executing → completed | failed)."""
    open_items = [a for a in items if a.execution_status in NEXT_EXECUTION]
    if not open_items:
        return
    with st.expander("実行状況を更新する"):
        by_id = {a.approval_history_id: a for a in open_items}
        chosen = st.selectbox(
            "承認履歴",
            list(by_id),
            format_func=lambda i: (
                f"{i}: {by_id[i].suggestion_id}（"
                f"{label_of(EXECUTION_STATUS, by_id[i].execution_status)}）"
            ),
            key="hist_exec_id",
        )
        item = by_id[int(chosen)]
        next_statuses = NEXT_EXECUTION[item.execution_status or ""]
        for column, status in zip(st.columns(2), next_statuses, strict=False):
            if column.button(f"{EXECUTION_STATUS[status]}にする", key=f"hist_exec_{status}"):
                _set_execution(item.approval_history_id, status)


def _set_execution(history_id: int, status: str) -> None:
    try:
        state.client().set_execution(history_id, status)
    except ApiError as exc:
        show_error(exc)
        return
    label = EXECUTION_STATUS[status]
    st.session_state["hist_notice"] = f"履歴{history_id}の実行状況を「{label}」にしました。"
    st.rerun()


def approvals_section() -> None:
    filters = approval_filters()
    page: ApprovalPage | None = fetch(lambda: state.client().approvals(**filters))
    if page is None:
        return
    st.caption(f"{page.total}件")
    if page.items:
        st.dataframe(approval_rows(page.items), hide_index=True, column_config=MOVES_COLUMN)
    else:  # an empty grid says "empty"
        st.info("条件に合う承認履歴はありません。")
    since, until = st.session_state.get("hist_since"), st.session_state.get("hist_until")
    download_buttons("approvals", "承認履歴をダウンロード", start=since, end=until)
    if state.can("approver"):
        execution_updater(page.items)
    outcomes_section(page.items, start=since, end=until)


def suggestion_rows(items: Sequence[Suggestion]) -> list[dict[str, Any]]:
    return [
        {
            "作成": mdhm(s.created_at),
            "提案ID": s.id,
            "状態": label_of(SUGGESTION_STATUS, s.status),
            "配置変更": moves_text(s.changes),
            "対象": s.impact.target,
            "遅延見込み（前→後）": f"{round(s.impact.late_tasks_before)}件→"
            f"{round(s.impact.late_tasks_after)}件",
            "有効期限": mdhm(s.expires_at),
        }
        for s in items
    ]


def suggestions_section() -> None:
    status = _choice("状態", SUGGESTION_STATUS, "hist_suggestion_status")
    items = fetch(lambda: state.client().suggestions(status=status))
    if items is None:
        return
    st.caption(f"{len(items)}件")
    if items:
        st.dataframe(suggestion_rows(items), hide_index=True, column_config=MOVES_COLUMN)
    else:
        st.info("条件に合う提案はありません。")
    download_buttons("suggestions", "提案をダウンロード")
    if items:
        by_id = {s.id: s for s in items}
        chosen = st.selectbox("詳しく見る提案", list(by_id), key="hist_suggestion_pick")
        suggestion_card(by_id[str(chosen)], key="hist_card")


def notice() -> None:
    message = st.session_state.pop("hist_notice", None)
    if message:
        st.success(str(message))

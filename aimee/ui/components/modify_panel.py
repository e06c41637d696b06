"""修正: drop moves, send a group elsewhere or add people who were not in the
suggestion, see the impact the API recomputes on the current data, and only then
confirm."""

from __future__ import annotations

from typing import Any, cast

import streamlit as st

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.errors import fetch, show_error
from aimee.ui.components.impact import changes_list, impact_metrics
from aimee.ui.models import (
    Approval,
    Change,
    OperatorInfo,
    Preview,
    QueueProgress,
    Suggestion,
)

EditedChanges = list[dict[str, Any]]


def queue_options(change: Change, queues: list[QueueProgress]) -> list[str]:
    """Destinations a group can be sent to (its current one first)."""
    current = f"{change.to}/{change.business_id}/{change.process}"
    labels = [q.label for q in queues]
    return [current, *(label for label in labels if label != current)]


def edited_change(label: str, operator_ids: list[int]) -> dict[str, Any]:
    location, business_id, process = label.split("/", 2)
    return {
        "to": location,
        "business_id": business_id,
        "process": process,
        "operator_ids": operator_ids,
    }


def _edit_group(change: Change, queues: list[QueueProgress], key: str) -> dict[str, Any] | None:
    names = dict(zip(change.operator_ids, change.operators, strict=False))
    st.markdown(f"**{change.route}**（{change.business_id}）")
    keep = st.pills(  # every name stays in view: a dropdown of none left says "No results"
        "移動するオペレータ（外すと移動を取りやめ）",
        options=change.operator_ids,
        default=change.operator_ids,
        selection_mode="multi",
        format_func=lambda i: names.get(i, str(i)),
        key=f"{key}_ops",
    )
    destination = st.selectbox("移動先", queue_options(change, queues), key=f"{key}_to")
    if not keep or destination is None:
        return None
    return edited_change(str(destination), [int(i) for i in keep])


def addable(
    suggestion: Suggestion, operators: list[OperatorInfo], process: str
) -> list[OperatorInfo]:
    """Who could be added on ``process``: assigned operators with a skill on it, not
    already in the suggestion, in 50音 order (each label shows the level; the API
    checks the rest)."""
    listed = {i for change in suggestion.changes for i in change.operator_ids}

    def level(o: OperatorInfo) -> int:
        return max((s.skill_level for s in o.skills if s.process_name == process), default=0)

    found = [o for o in operators if o.operator_id not in listed and o.assignment and level(o)]
    return sorted(found, key=lambda o: o.sort_key)


def _add_group(
    suggestion: Suggestion, queues: list[QueueProgress], key: str
) -> dict[str, Any] | None:
    """応援を追加: people who were not in the suggestion, to a queue of the manager's choice."""
    st.markdown("**応援を追加**（提案に含まれていないオペレータ）")
    if not suggestion.changes:
        return None
    options = queue_options(suggestion.changes[0], queues)
    destination = st.selectbox("追加の移動先", options, key=f"{key}_to")
    process = str(destination).split("/", 2)[2]
    people = addable(suggestion, fetch(state.client().operators) or [], process)
    labels = {o.operator_id: _person(o, process) for o in people}
    if not labels:
        st.caption(f"{process}のスキルがあり、追加できるオペレータはいません。")
        return None
    chosen = st.multiselect(
        "追加するオペレータ",
        options=list(labels),
        format_func=lambda i: labels.get(i, str(i)),
        key=f"{key}_ops",
        placeholder=f"{process}のスキルがある人から選ぶ",
        select_all=False,
    )
    return edited_change(str(destination), [int(i) for i in chosen]) if chosen else None


def _person(o: OperatorInfo, process: str) -> str:
    level = max(s.skill_level for s in o.skills if s.process_name == process)
    at = o.assignment
    where = f"{at.location}の{at.process}" if at else "未配置"
    return f"{o.operator_name}（{process} Lv{level}・現在{where}）"


def _preview_summary(preview: Preview) -> None:
    st.markdown("**修正後の配置変更**")
    changes_list(preview.changes)
    impact_metrics(preview.impact)
    st.caption(
        f"全体（全キュー）の遅延見込み: {preview.floor_late_before:,}件 → "
        f"{preview.floor_late_after:,}件"
    )
    st.markdown(f"**理由**: {preview.reason}")


def modify_panel(suggestion: Suggestion, *, key: str, reason: str) -> Approval | None:
    """The edit form; returns the approval once the manager confirms."""
    with st.container(border=True):
        st.markdown("##### :material/edit: 提案の修正")
        queues = fetch(state.client().progress) or []
        edited: EditedChanges = []
        for index, change in enumerate(suggestion.changes):
            group = _edit_group(change, queues, f"{key}_{index}")
            if group is not None:
                edited.append(group)
        added = _add_group(suggestion, queues, f"{key}_add")
        if added is not None:
            edited.append(added)
        if not edited:
            st.warning("少なくとも1名の移動を残してください（すべて取りやめる場合は「却下」）。")
            return None
        preview_key = f"{key}_preview"
        if st.button("影響を再計算", key=f"{key}_recompute", icon=":material/calculate:"):
            try:
                preview = state.client().preview(suggestion.id, edited)
                st.session_state[preview_key] = (edited, preview)
            except ApiError as exc:
                st.session_state.pop(preview_key, None)
                show_error(exc)
        shown = cast(tuple[EditedChanges, Preview] | None, st.session_state.get(preview_key))
        if shown is None:
            st.caption("「影響を再計算」で、修正後の影響を確認してから承認できます。")
            return None
        if shown[0] != edited:
            st.info("修正内容が変わりました。もう一度「影響を再計算」してください。")
            return None
        _preview_summary(shown[1])
        if st.button(
            "この内容で承認", key=f"{key}_confirm", type="primary", icon=":material/check:"
        ):
            try:
                return state.client().act(suggestion.id, "modify", reason=reason, changes=edited)
            except ApiError as exc:
                show_error(exc)
        return None

"""The suggestion card of the seed: moves per site with names, impact, reason,
rules and past cases used, know-how with similarity; 承認 / 却下 / 修正 for
approvers."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import cast

import streamlit as st

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.errors import show_error
from aimee.ui.components.impact import changes_list, impact_metrics
from aimee.ui.components.modify_panel import modify_panel
from aimee.ui.format import (
    ACTION_LABELS,
    EXECUTION_STATUS,
    NEXT_EXECUTION,
    PAST_CASE_CATEGORY,
    SUGGESTION_STATUS,
    change_schedule,
    hm,
    label_of,
    mdhm,
    similarity,
    step_period,
)
from aimee.ui.models import Approval, DaySummary, Source, Suggestion, TimelineStep

DECISIONS_KEY = "card_decisions"
DECISION_ICONS = {"rejected": ":material/block:"}


def decisions() -> dict[str, Approval]:
    """Decisions made in this session, by suggestion id (the card shows them at once)."""
    if DECISIONS_KEY not in st.session_state:
        st.session_state[DECISIONS_KEY] = {}
    return cast(dict[str, Approval], st.session_state[DECISIONS_KEY])


def _rules_and_cases(suggestion: Suggestion, sources: Sequence[Source]) -> None:
    past = [r for r in suggestion.rules_used if r.startswith(PAST_CASE_CATEGORY)]
    past += [s.title for s in sources if s.category == PAST_CASE_CATEGORY and s.title not in past]
    rules = [r for r in suggestion.rules_used if r not in past]
    if rules:
        st.markdown("**適用したルール**")
        st.markdown("\n".join(f"- {r}" for r in rules))
    if past:
        st.markdown("**参考にした過去事例**")
        st.markdown("\n".join(f"- {p}" for p in past))


def sources_list(sources: Sequence[Source]) -> None:
    """The manager know-how the answer used, most similar first."""
    if not sources:
        return
    st.markdown("**参考にした管理者ノウハウ**")
    for source in sorted(sources, key=lambda s: -s.similarity):
        with st.expander(
            f"{source.title}（{source.category}）— 類似度 {similarity(source.similarity)}"
        ):
            st.write(source.content)


REPLANNED_KEY = "card_replanned"


def replanned() -> dict[str, Suggestion]:
    """New suggestions made by 再計算 in this session, by the suggestion they replace."""
    if REPLANNED_KEY not in st.session_state:
        st.session_state[REPLANNED_KEY] = {}
    return cast(dict[str, Suggestion], st.session_state[REPLANNED_KEY])


def _overlaps(suggestion: Suggestion, key: str) -> None:
    """Who else wants these people: promised to an approved suggestion (this one then
    needs 再計算), or also in another suggestion waiting for a decision."""
    promised = [o for o in suggestion.overlaps if o.committed]
    pending = [o for o in suggestion.overlaps if not o.committed]
    if suggestion.needs_replan and promised:
        who = "、".join(f"{o.operator}さん（提案{o.suggestion_id}）" for o in promised)
        st.warning(
            f"この提案の一部のオペレータは承認済みの別の提案で移動が約束されています: {who}。"
            "再計算してください。",
            icon=":material/sync_problem:",
        )
        if state.can("approver") and st.button(
            "再計算", key=f"{key}_replan", icon=":material/refresh:"
        ):
            try:
                replanned()[suggestion.id] = state.client().replan(suggestion.id)
            except ApiError as exc:
                show_error(exc)
    if pending and suggestion.status == "pending":
        who = "、".join(f"{o.operator}さん（提案{o.suggestion_id}）" for o in pending)
        st.info(
            f"承認待ちの別の提案にも含まれるオペレータがいます: {who}。"
            "どちらかを承認すると、もう一方は再計算が必要になります。",
            icon=":material/group:",
        )


def _act(suggestion_id: str, action: str, reason: str) -> None:
    try:
        approval = state.client().act(suggestion_id, action, reason=reason)
    except ApiError as exc:
        show_error(exc)
        return
    decisions()[suggestion_id] = approval
    st.rerun()


DECIDED_TO_MOVE = ("approved", "modified")
EXECUTION_BUTTONS = {"executing": "実行開始", "completed": "完了", "failed": "失敗"}
EXECUTION_ICONS = {
    "executing": ":material/play_arrow:",
    "completed": ":material/done_all:",
    "failed": ":material/error:",
}


def _latest_decision(suggestion_id: str) -> Approval | None:
    """The decision recorded for a suggestion decided elsewhere (another page, user)."""
    try:
        page = state.client().approvals(suggestion_id=suggestion_id, limit=1)
    except ApiError:
        return None
    return page.items[0] if page.items else None


def _execution(approval: Approval, key: str) -> None:
    """Where the approved moves stand (承認済み → 実行中 → 完了) and, for approvers, the
    next step: 実行開始, then 完了 or 失敗."""
    current = approval.execution_status
    if current is None:
        return
    steps = ["承認済み", "実行中", "完了"]
    reached = {"pending": 1, "executing": 2, "completed": 3, "failed": 2}[current]
    trail = " → ".join(f"**{step}**" if i < reached else step for i, step in enumerate(steps))
    if current == "failed":
        trail += " ・ **失敗**"
    st.markdown(f"実行状況: {trail}")
    if not state.can("approver"):
        return
    nexts = NEXT_EXECUTION.get(current, [])
    for column, status in zip(st.columns(max(len(nexts), 1)), nexts, strict=False):
        if column.button(
            EXECUTION_BUTTONS[status],
            key=f"{key}_exec_{status}",
            icon=EXECUTION_ICONS[status],
            type="primary" if status != "failed" else "secondary",
            width="stretch",
        ):
            try:
                updated = state.client().set_execution(approval.approval_history_id, status)
            except ApiError as exc:
                show_error(exc)
                return
            decisions()[updated.suggestion_id] = updated
            st.rerun()


def decision_note(approval: Approval) -> None:
    action = label_of(ACTION_LABELS, approval.action_type)
    execution = label_of(EXECUTION_STATUS, approval.execution_status)
    st.success(
        f"{action}しました（{approval.action_user}、{mdhm(approval.created_at)}）。"
        f"承認履歴ID {approval.approval_history_id}・実行状況: {execution}",
        icon=DECISION_ICONS.get(approval.action_type, ":material/check_circle:"),
    )


def _actions(suggestion: Suggestion, key: str) -> None:
    reason = st.text_input("判断理由（任意）", key=f"{key}_reason")
    approve, reject, modify = st.columns(3)
    if approve.button(
        "承認", key=f"{key}_approve", type="primary", width="stretch", icon=":material/check:"
    ):
        _act(suggestion.id, "approve", reason)
    if reject.button("却下", key=f"{key}_reject", width="stretch", icon=":material/close:"):
        _act(suggestion.id, "reject", reason)
    if modify.button("修正", key=f"{key}_modify", width="stretch", icon=":material/edit:"):
        st.session_state[f"{key}_editing"] = not st.session_state.get(f"{key}_editing", False)
    if st.session_state.get(f"{key}_editing"):
        approval = modify_panel(suggestion, key=f"{key}_edit", reason=reason)
        if approval is not None:
            decisions()[suggestion.id] = approval
            st.session_state[f"{key}_editing"] = False
            st.rerun()


def _schedule(suggestion: Suggestion) -> None:
    """Until when each helper helps and what then (a loan returns to where they came
    from), and when their shift ends."""
    lines = [line for change in suggestion.changes for line in change_schedule(change)]
    if lines:
        st.markdown("**応援の期間・勤務終了**")
        st.markdown("\n".join(f"- {line}" for line in lines))


def timeline_rows(steps: Sequence[TimelineStep]) -> list[dict[str, str]]:
    """The card's 今後の予定: one row per later move, in time order."""
    return [
        {
            "時刻": hm(step.at),
            "担当者": step.operator,
            "移動元→移動先": step.route,
            "期間": step_period(step),
        }
        for step in sorted(steps, key=lambda s: (s.at, s.operator))
    ]


def timeline_table(steps: Sequence[TimelineStep], day: DaySummary | None) -> None:
    """The intended timeline of a plan for the rest of the day: shown, never approved."""
    if day is not None:
        st.caption(
            f"本日の残りを{day.intervals}の時間帯に分けた計画です（到着見込みを含む）。"
            f"予定どおりに進むと、納期時点の遅延見込みは全体で{round(day.late_before):,}件"
            f"から{round(day.late_after):,}件になります。承認で実行するのは上の配置変更だけで、"
            "今後の予定はデータの更新に合わせて再計画します。" + day.proof
        )
    if steps:
        st.markdown(f"**今後の予定**（{len(steps)}件）")
        st.dataframe(timeline_rows(steps), hide_index=True)
    elif day is not None:
        st.markdown("**今後の予定**: 上の配置変更の後、予定している移動はありません。")


def suggestion_card(suggestion: Suggestion, *, key: str, sources: Sequence[Source] = ()) -> None:
    """Draw the card; ``key`` makes its widgets unique on the page. The card is read
    again, so it shows what happened since: a decision made elsewhere, the modified
    moves and their recomputed impact, people promised to another suggestion."""
    with contextlib.suppress(ApiError):  # else the card as it was is still worth showing
        suggestion = state.client().suggestion(suggestion.id)
    decided = decisions().get(suggestion.id)
    status = decided.action_type if decided is not None else suggestion.status
    with st.container(border=True):
        st.markdown(f"#### :material/assignment: 配置変更提案 `{suggestion.id}`")
        st.caption(
            f"状態: {label_of(SUGGESTION_STATUS, status)} ・ 作成 {mdhm(suggestion.created_at)}"
            f" ・ 有効期限 {mdhm(suggestion.expires_at)}（対象工程の納期まで）"
        )
        _overlaps(suggestion, key)
        st.markdown("**配置変更**")
        changes_list(suggestion.changes)
        _schedule(suggestion)
        if suggestion.day is not None:
            timeline_table(suggestion.timeline, suggestion.day)
            # its figures above are the day's; these are the first moves' alone
            st.markdown("**影響（今の移動だけの場合）**")
            st.caption(
                "今後の予定を行わず、上の配置変更だけで各工程の納期まで進めた場合の見込みです。"
            )
        else:
            st.markdown("**影響**")
        impact_metrics(suggestion.impact)
        st.markdown(f"**理由**: {suggestion.reason}")
        _rules_and_cases(suggestion, sources)
        sources_list(sources)
        if decided is None and suggestion.status in DECIDED_TO_MOVE:
            decided = _latest_decision(suggestion.id)
        if decided is not None:
            decision_note(decided)
            _execution(decided, key)
        elif suggestion.status == "pending" and state.can("approver"):
            _actions(suggestion, key)
        elif suggestion.status == "pending":
            st.caption("承認・却下・修正は承認者以上の権限で行えます。")
    newer = replanned().get(suggestion.id)
    if newer is not None:  # the re-plan, as a card of its own right below this one
        st.success(f"再計算しました: 新しい提案 `{newer.id}` を下に表示します。")
        suggestion_card(newer, key=f"{key}_replanned")

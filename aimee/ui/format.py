"""Japanese labels and formatting of API figures. Nothing here computes a
figure of its own: it names, rounds and sorts what the API returned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from aimee.ui.models import Change, IntendedMove, PlannedMove, QueueProgress, TimelineStep

ROLE_RANK = {"viewer": 0, "approver": 1, "admin": 2}

SUGGESTION_STATUS = {
    "pending": "承認待ち",
    "approved": "承認済み",
    "rejected": "却下",
    "modified": "修正して承認",
    "expired": "期限切れ",
}
ACTION_LABELS = {"approved": "承認", "rejected": "却下", "modified": "修正して承認"}
EXECUTION_STATUS = {
    "pending": "未実行",
    "executing": "実行中",
    "completed": "完了",
    "failed": "失敗",
}
NEXT_EXECUTION = {"pending": ["executing"], "executing": ["completed", "failed"]}
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_ICONS = {
    "high": ":red[:material/error:]",
    "medium": ":orange[:material/warning:]",
    "low": ":blue[:material/info:]",
}
SEVERITY_ORDER = ("high", "medium", "low")
ALERT_TYPES = {
    "delay_risk": "遅延リスク",
    "productivity_drop": "生産性低下",
    "skill_gap": "スキル不足",
}
ALERT_STATUS = {"open": "未確認", "acknowledged": "確認済み", "resolved": "解消"}
INTENT_LABELS = {
    "deadline_optimization": "納期対応（配置最適化）",
    "delay_risk_detection": "遅延リスクの確認",
    "impact_analysis": "影響分析",
    "skill_search": "スキル検索",
    "status_inquiry": "状況確認",
    "general": "一般",
}
PAST_CASE_CATEGORY = "過去事例"
SEVERITY_COLOURS = {"high": "#fde2e1", "medium": "#fff1d6", "low": "#e3edfb"}
"""Cell backgrounds of the severity column (light, so dark text stays readable)."""


def hm(moment: datetime | None) -> str:
    """HH:MM rounded to the nearest minute, as the chat says it (so 16:45:40 and a
    14.3-minute margin before 17:00 read 16:46 and 14 minutes on every surface)."""
    if moment is None:
        return "—"
    return f"{moment + timedelta(seconds=30):%H:%M}"


def mdhm(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%m/%d %H:%M}"


def tasks(value: float | None) -> str:
    return "—" if value is None else f"{round(value):,}件"


def label_of(mapping: dict[str, str], key: str | None) -> str:
    if key is None:
        return "—"
    return mapping.get(key, key)


def queue_situation(queue: QueueProgress) -> str:
    """One line on where a queue stands, from the API's figures of it."""
    late = queue.late_tasks_at_deadline or 0
    if queue.stale:
        return f"進捗が{hm(queue.snapshot_time)}から更新されていません"
    never = queue.projected_completion is None and queue.waiting > 0
    if never and (late < 1 or queue.staff_count == 0):
        return "担当者がいません"
    if late >= 1:
        # never done although there are staff: they go home first (or have no speed)
        unfinished = "（今の担当では終わりません）" if never else ""
        return f"納期時点で約{late}件が残る見込み{unfinished}"
    if queue.waiting == 0:
        return "待ちなし"
    if queue.margin_minutes is not None:
        margin = max(0, round(queue.margin_minutes))
        return f"完了見込み{hm(queue.projected_completion)}（余裕{margin}分）"
    return "納期に間に合う見込み"


def floor_total(queues: Sequence[QueueProgress]) -> int:
    """全体: the sum of ``late_tasks_at_deadline`` over every queue of /progress (the
    definition the API's chat and cards use too)."""
    return sum(q.late_tasks_at_deadline or 0 for q in queues)


def severity_counts(queues: Sequence[QueueProgress]) -> dict[str, int]:
    """Alerts raised now per severity over the queues (the alerts page counts the same)."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for queue in queues:
        for alert in queue.alerts:
            counts[alert.severity] = counts.get(alert.severity, 0) + 1
    return counts


def similarity(value: float) -> str:
    return f"{value:.2f}"


# --- loans (応援) and shift ends: one wording for the card, 配置の推移's table and chart ---


def place_back(site: str | None, process: str | None, here: str) -> str:
    """Where a helper goes back to, as the card names it: the process alone at the same
    site as ``here`` (補正), else with its site (札幌の補正); empty when not known."""
    if process is None:
        return ""
    return process if site in (None, here) else f"{site}の{process}"


def shift_note(shift_end: datetime | None) -> str:
    """（勤務は21:00まで）, or nothing when the shift end is not known."""
    return "" if shift_end is None else f"（勤務は{hm(shift_end)}まで）"


def loan_note(until: datetime | None, back_to: str, shift_end: datetime | None) -> str:
    """How long a helper helps and what then, with their shift end:
    「17:10まで応援、その後補正へ戻る（勤務は21:00まで）」, 「勤務終了の17:00まで応援（補正へは
    戻りません）」 when the shift ends first, 「移動先で勤務終了の21:00まで」 for a move that
    is not a loan, and nothing when neither is known."""
    if until is not None and back_to:
        if shift_end is not None and shift_end <= until:
            return f"勤務終了の{hm(shift_end)}まで応援（{back_to}へは戻りません）"
        return f"{hm(until)}まで応援、その後{back_to}へ戻る{shift_note(shift_end)}"
    if until is not None:
        if shift_end is not None and shift_end <= until:
            return f"勤務終了の{hm(shift_end)}まで"
        return f"{hm(until)}まで{shift_note(shift_end)}"
    if shift_end is not None:
        return f"移動先で勤務終了の{hm(shift_end)}まで"
    return ""


def return_note(at: datetime, back_to: str, shift_end: datetime | None) -> str:
    """A loan carried out: 「17:10に補正へ戻る（勤務は21:00まで）」."""
    return f"{hm(at)}に{back_to}へ戻る{shift_note(shift_end)}"


def planned_note(move: PlannedMove) -> str:
    """A move ahead of 配置の推移 (an approved move, or the return of a loan carried out) in
    the card's words: 「17:10まで応援、その後補正へ戻る（勤務は21:00まで）」."""
    if move.at is not None:  # a loan carried out: back to where the plan took them from
        here = move.source.location if move.source else move.target.location
        return return_note(
            move.at, place_back(move.target.location, move.target.process, here), move.shift_end
        )
    back = (
        ""
        if move.source is None
        else place_back(move.source.location, move.source.process, move.target.location)
    )
    return loan_note(move.until if back else None, back, move.shift_end)


def change_schedule(change: Change) -> list[str]:
    """Per operator of a change, how long they help and what then (``loan_note``);
    empty for a permanent move of people whose shift end is not known."""
    back = place_back(change.from_, change.from_process, change.to)
    until = change.until if back else None  # an idle operator's move is never a loan
    lines = []
    for index, name in enumerate(change.operators):
        note = loan_note(until, back, change.shift_end_of(index))
        if note:
            lines.append(f"{name}さん: {note}")
    return lines


def period_note(
    *,
    until: datetime | None,
    back_to: str,
    shift_end: datetime | None,
    returning: bool = False,
    idle_after: bool = False,
) -> str:
    """The 期間 of a move of the intended timeline: a loan (``back_to``: where they go back
    at ``until``) in ``loan_note``'s words; a stint that ends with a move elsewhere; or a
    stay until the shift ends."""
    home = "元の担当に戻り、" if returning else ""
    if until is not None and back_to and not returning:
        return loan_note(until, back_to, shift_end)
    if until is not None:
        if shift_end is not None and shift_end <= until:
            return f"{home}勤務終了の{hm(shift_end)}まで"
        then = "その後の予定なし" if idle_after else "その後は次の予定"
        return f"{home}{hm(until)}まで（{then}）"
    stay = f"勤務終了の{hm(shift_end)}まで" if shift_end is not None else "そのまま"
    return home + stay


def step_period(step: TimelineStep) -> str:
    """The 期間 of a later move listed by the card's 今後の予定."""
    back = place_back(step.from_, step.from_process, step.to) if step.back else ""
    return period_note(
        until=step.until,
        back_to=back,
        shift_end=step.shift_end,
        returning=step.returning,
        idle_after=step.idle_after,
    )


def intended_note(move: IntendedMove) -> str:
    """The 期間 of a move 配置の推移 shows as intended (not approved)."""
    back = ""
    if move.back and move.source is not None:
        back = place_back(move.source.location, move.source.process, move.target.location)
    return period_note(until=move.until, back_to=back, shift_end=move.shift_end)

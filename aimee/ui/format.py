"""Japanese labels and formatting of API figures. Nothing here computes a
figure of its own: it names, rounds and sorts what the API returned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from aimee.ui.models import QueueProgress

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

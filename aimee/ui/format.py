"""Japanese labels and formatting of API figures. Nothing here computes a
figure of its own: it names, rounds and sorts what the API returned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
RISK_MARGIN_MINUTES = 15.0
"""Finishing less than this before the deadline counts as a medium risk."""


def hm(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%H:%M}"


def mdhm(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%m/%d %H:%M}"


def tasks(value: float | None) -> str:
    return "—" if value is None else f"{round(value):,}件"


def label_of(mapping: dict[str, str], key: str | None) -> str:
    if key is None:
        return "—"
    return mapping.get(key, key)


@dataclass(frozen=True)
class Risk:
    rank: int
    """2 high, 1 medium, 0 low."""
    label: str
    reason: str


def queue_risk(queue: QueueProgress) -> Risk:
    """How worried to be about a queue, from the API's forecast of it."""
    late = queue.late_tasks_at_deadline or 0.0
    if queue.projected_completion is None and queue.waiting > 0:
        return Risk(2, "高", "担当者がいません")
    if late >= 1:
        return Risk(2, "高", f"納期時点で約{round(late)}件が残る見込み")
    if queue.deadline is not None and queue.projected_completion is not None:
        margin = (queue.deadline - queue.projected_completion).total_seconds() / 60
        if margin < RISK_MARGIN_MINUTES:
            return Risk(1, "中", f"完了見込み{hm(queue.projected_completion)}（納期直前）")
    return Risk(0, "低", "納期に間に合う見込み")


RISK_LABELS = {2: "高", 1: "中", 0: "低"}


def by_risk(queues: list[QueueProgress]) -> list[QueueProgress]:
    """Most worrying first, then the nearest deadline."""
    return sorted(
        queues,
        key=lambda q: (
            -queue_risk(q).rank,
            -(q.late_tasks_at_deadline or 0.0),
            q.deadline or datetime.max,
            q.label,
        ),
    )


def similarity(value: float) -> str:
    return f"{value:.2f}"

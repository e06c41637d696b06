"""AnswerContexts for the seed's example, computed by hand."""

from __future__ import annotations

from datetime import datetime

from aimee.llm.context import (
    AnswerContext,
    KnowhowFacts,
    MoveFacts,
    QueueChange,
    QueueFacts,
    SuggestionFacts,
)

NOW = datetime(2025, 10, 23, 15, 40)


def sapporo() -> QueueFacts:
    return QueueFacts(
        location="札幌",
        business_id="523201",
        process="エントリ1",
        waiting=120,
        deadline=datetime(2025, 10, 23, 16, 0),
        minutes_left=20,
        staff_count=4,
        rate_per_hour=300,
        projected_completion=datetime(2025, 10, 23, 16, 4),
        late_tasks=20,
    )


def seed_context(message: str = "札幌のエントリ1工程が遅延しています") -> AnswerContext:
    return AnswerContext(
        message=message,
        intent_type="deadline_optimization",
        now=NOW,
        queues=[sapporo()],
        suggestion=SuggestionFacts(
            suggestion_id="SGT20251023-A7F3D9E1",
            moves=[
                MoveFacts("高山麻由子", "盛岡", "エントリ1", "札幌", "エントリ1", 4, 36, 90),
            ],
            late_before=20,
            late_after=0,
            productivity="+30%",
            delay="-4分",
            changes=[
                QueueChange(
                    "札幌",
                    "エントリ1",
                    20,
                    0,
                    datetime(2025, 10, 23, 16, 4),
                    datetime(2025, 10, 23, 15, 59),
                ),
                QueueChange("盛岡", "エントリ1", 0, 0, None, None),
            ],
            target=QueueChange(
                "札幌",
                "エントリ1",
                20,
                0,
                datetime(2025, 10, 23, 16, 4),
                datetime(2025, 10, 23, 15, 59, 36),
            ),
        ),
        knowhow=[
            KnowhowFacts(
                "納期20分前は3名移動", "納期の20分前に…3名以上の移動を検討する。", "納期対応", 0.89
            ),
        ],
    )

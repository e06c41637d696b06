"""The chat contract's intent types (``intent.intent_type`` of the chat API)."""

from __future__ import annotations

from typing import Literal, get_args

IntentType = Literal[
    "deadline_optimization",
    "delay_risk_detection",
    "impact_analysis",
    "skill_search",
    "status_inquiry",
    "general",
]
INTENT_TYPES: tuple[IntentType, ...] = get_args(IntentType)

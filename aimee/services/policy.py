"""The operation's policy, built once from the settings (``Policy.from_settings``)
and passed to every use case: what a plan may do (the planner's ``Rules``), when
an alert is raised (``Thresholds``) and how long the planner may search."""

from __future__ import annotations

from dataclasses import dataclass

from aimee.config import Settings
from aimee.planner import Rules
from aimee.services.alert_rules import Thresholds


@dataclass(frozen=True)
class Policy:
    rules: Rules
    thresholds: Thresholds
    time_limit_s: float
    """Planner time limit, seconds."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The rules every surface uses, from the ``AIMEE_`` policy settings."""
        return cls(
            rules=Rules(
                min_skill_level=settings.min_skill_level,
                max_moves=settings.max_moves,
                switch_minutes=settings.switch_minutes,
                margin_minutes=settings.margin_minutes,
                loans=settings.plan_loans,
            ),
            thresholds=Thresholds(
                completion_margin_minutes=settings.margin_minutes,
                imminent_minutes=settings.alert_imminent_minutes,
                late_share_high=settings.alert_late_share_high,
                productivity_ratio=settings.alert_productivity_ratio,
                productivity_medium=settings.alert_productivity_medium,
                productivity_high=settings.alert_productivity_high,
                min_observed_minutes=settings.alert_min_observed_minutes,
                understaffed_share=settings.alert_understaffed_share,
                min_skill_level=settings.min_skill_level,
            ),
            time_limit_s=settings.planner_time_limit_s,
        )

"""The API's responses as the dashboard reads them. Defined here, not imported
from ``aimee.api``, so that the UI process needs nothing but HTTP; unknown
fields are ignored so that the API can grow without breaking the UI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Me(_Model):
    user_name: str
    role: str
    role_label: str
    site: str | None = None


class RaisedAlert(_Model):
    alert_type: str
    severity: str


class QueueProgress(_Model):
    location: str
    business_id: str
    process: str
    snapshot_time: datetime
    deadline: datetime | None
    minutes_to_deadline: float | None
    waiting: int
    staff_count: int
    staff_speed_per_hour: float
    projected_completion: datetime | None
    late_tasks_at_deadline: int | None
    margin_minutes: float | None
    stale: bool
    severity: str | None
    alerts: list[RaisedAlert]
    business_name: str | None = None

    @property
    def label(self) -> str:
        return f"{self.location}/{self.business_id}/{self.process}"

    @property
    def business(self) -> str:
        """The business as the chat names it: 「業務523201・SS」 (its id alone without a name)."""
        named = f"・{self.business_name}" if self.business_name else ""
        return f"業務{self.business_id}{named}"


class SnapshotPoint(_Model):
    snapshot_time: datetime
    waiting: int
    deadline: datetime | None


class QueueHistory(_Model):
    location: str
    business_id: str
    process: str
    points: list[SnapshotPoint]


class QueueInterval(_Model):
    start: datetime
    end: datetime
    arrivals: int
    processed: int
    forecast_arrivals: float | None = None
    forecast_processed: float | None = None
    staff: int
    waiting_end: int


class ProjectedPoint(_Model):
    time: datetime
    waiting: float
    waiting_with_plan: float | None = None


class QueueDay(_Model):
    location: str
    business_id: str
    process: str
    now: datetime
    deadline: datetime | None = None
    plan_id: str | None = None
    intervals: list[QueueInterval]
    projection: list[ProjectedPoint]


class QueueRef(_Model):
    location: str
    business_id: str
    process: str

    @property
    def label(self) -> str:
        return f"{self.location}の{self.process}（{self.business_id}）"


class StaffSegment(_Model):
    operator_id: int
    name: str
    home: str
    queue: QueueRef
    start: datetime
    end: datetime
    ongoing: bool


class PlannedMove(_Model):
    operator_id: int
    name: str
    home: str
    source: QueueRef | None = None
    target: QueueRef
    suggestion_id: str
    at: datetime | None = None
    """When it happens (None: once carried out); a loan's return: when the loan ends."""
    until: datetime | None = None
    """A loan: the helper leaves ``target`` then."""
    returns: bool = False
    shift_end: datetime | None = None


class IntendedMove(_Model):
    """A move the latest plan for the rest of the day intends, not approved."""

    operator_id: int
    name: str
    home: str
    source: QueueRef | None = None
    target: QueueRef
    suggestion_id: str
    at: datetime
    until: datetime | None = None
    back: bool = False
    first: bool = False
    """A first move waiting for approval (else: the intended timeline)."""
    shift_end: datetime | None = None


class StaffTimeline(_Model):
    day_start: datetime
    now: datetime
    segments: list[StaffSegment]
    planned: list[PlannedMove]
    intended: list[IntendedMove] = Field(default_factory=list)
    intended_made_at: datetime | None = None


class Skill(_Model):
    process_name: str
    skill_level: int
    experience_months: int
    average_speed: float


class Assignment(_Model):
    location: str
    business_id: str
    process: str


class OperatorInfo(_Model):
    operator_id: int
    operator_name: str
    location_name: str
    assignment: Assignment | None
    skills: list[Skill]
    reading: str = ""
    """The name's reading (hiragana) from the API: lists of people sort by it (50音順)."""

    @property
    def sort_key(self) -> tuple[str, str]:
        """50音 order (by reading; the name when the API gave none)."""
        return (self.reading or self.operator_name, self.operator_name)


class Change(_Model):
    from_: str = Field(alias="from")
    from_business_id: str | None = None
    from_process: str | None = None
    to: str
    process: str
    business_id: str = ""
    count: int
    operators: list[str]
    operator_ids: list[int] = Field(default_factory=list)
    until: datetime | None = None
    """A loan: the helpers leave the destination then and go back (None: permanent)."""
    shift_ends: list[datetime | None] = Field(default_factory=list)
    """When each operator's shift ends (as ``operators``; empty: none known)."""

    @property
    def route(self) -> str:
        """札幌の補正 → 札幌のエントリ1: the queue left, never just 「札幌 → 札幌」."""
        origin = self.from_ if self.from_process is None else f"{self.from_}の{self.from_process}"
        return f"{origin} → {self.to}の{self.process}"

    def shift_end_of(self, index: int) -> datetime | None:
        return self.shift_ends[index] if index < len(self.shift_ends) else None


class TimelineStep(_Model):
    """A later move of a plan for the rest of the day (the intended timeline)."""

    at: datetime
    operator: str
    operator_id: int
    from_: str = Field(alias="from")
    from_business_id: str | None = None
    from_process: str | None = None
    to: str
    business_id: str
    process: str
    until: datetime | None = None
    back: bool = False
    returning: bool = False
    idle_after: bool = False
    shift_end: datetime | None = None

    @property
    def route(self) -> str:
        """「盛岡の補正 → 品川のエントリ2」; with the businesses when only they differ
        (「盛岡の補正（523202） → 盛岡の補正（523201）」, not a move to where one is)."""
        origin = self.from_ if self.from_process is None else f"{self.from_}の{self.from_process}"
        target = f"{self.to}の{self.process}"
        if origin == target and self.from_business_id != self.business_id:
            origin += f"（{self.from_business_id}）"
            target += f"（{self.business_id}）"
        return f"{origin} → {target}"


class DaySummary(_Model):
    late_before: float
    late_after: float
    switches: int
    optimal: bool
    solve_ms: float
    intervals: int
    gap: float | None = None
    proof: str = ""


class Impact(_Model):
    productivity: str
    delay: str
    quality: str
    late_tasks_before: float = 0.0
    late_tasks_after: float = 0.0
    target: str = ""


class Overlap(_Model):
    operator: str
    suggestion_id: str
    committed: bool


class Suggestion(_Model):
    id: str
    changes: list[Change]
    impact: Impact
    reason: str
    rules_used: list[str]
    status: str
    created_at: datetime
    expires_at: datetime
    overlaps: list[Overlap] = []
    needs_replan: bool = False
    timeline: list[TimelineStep] = Field(default_factory=list)
    """A plan for the rest of the day: the moves planned after ``changes`` (not approved)."""
    day: DaySummary | None = None


class DayPlanStatus(_Model):
    """A plan for the rest of the day being made (``POST /plan/day``), or made."""

    id: str
    state: str
    progress: float
    started_at: datetime
    time_limit_s: float
    message: str = ""
    suggestion_id: str | None = None
    suggestion: Suggestion | None = None
    timeline: list[TimelineStep] = Field(default_factory=list)
    day: DaySummary | None = None


class Objective(_Model):
    before: float
    after: float


class Preview(_Model):
    suggestion_id: str
    changes: list[Change]
    impact: Impact
    reason: str
    objective: Objective
    floor_late_before: int
    floor_late_after: int


class Source(_Model):
    title: str
    content: str
    similarity: float
    category: str


class Intent(_Model):
    intent_type: str
    entities: dict[str, str | int]
    requires_action: bool


class ChatReply(_Model):
    """One chat turn, assembled from the stream's ``meta`` and ``done`` events."""

    response: str
    suggestion: Suggestion | None
    intent: Intent | None = None
    sources: list[Source] = Field(default_factory=list)
    answer_source: str = "template"


class Outcome(_Model):
    """One queue of an approved plan: what was predicted and what happened."""

    location: str
    business_id: str
    process: str
    role: str
    operators_moved: int
    deadline: datetime
    predicted_late_without: float
    predicted_late: float
    predicted_completion: datetime | None = None
    actual_late: int | None = None
    actual_completion: datetime | None = None
    observed_at: datetime | None = None
    recorded_at: datetime | None = None
    state: str


class Approval(_Model):
    approval_history_id: int
    suggestion_id: str
    changes: Any
    impact: Any
    action_type: str
    action_user: str
    feedback_reason: str | None
    execution_status: str | None
    created_at: datetime
    outcomes: list[Outcome] = Field(default_factory=list)


class ApprovalPage(_Model):
    total: int
    items: list[Approval]


class KnowledgeDoc(_Model):
    document_id: int
    title: str
    content: str
    category: str
    source: str
    updated_at: datetime


class KnowledgePage(_Model):
    total: int
    items: list[KnowledgeDoc]


class KnowledgeHit(_Model):
    document_id: int
    title: str
    content: str
    category: str
    source: str
    similarity: float
    retrievers: list[str]


class Alert(_Model):
    alert_id: int
    alert_type: str
    severity: str
    location: str | None = None
    business_id: str | None = None
    process: str | None = None
    message: str
    status: str
    suggestion_id: str | None = None
    open_suggestion_id: str | None = None
    created_at: datetime
    acknowledged_by: str | None = None


class AlertPage(_Model):
    total: int
    items: list[Alert]

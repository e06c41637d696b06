"""Request filters and response bodies (``XFilter`` in, ``XPublic`` out)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class OperatorFilterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str | None = Field(None, max_length=50, description="拠点 (例: 札幌)")
    process: str | None = Field(None, max_length=100, description="工程 (例: エントリ1)")
    min_skill: int | None = Field(None, ge=1, le=5, description="最低スキルレベル 1-5")
    business_id: str | None = Field(None, max_length=10, description="現在担当している業務ID")
    include_invalid: bool = False
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class SkillPublic(BaseModel):
    process_name: str
    skill_level: int
    experience_months: int
    average_speed: float = Field(description="tasks per hour")


class AssignmentPublic(BaseModel):
    location: str
    business_id: str
    process: str
    since: datetime


class OperatorPublic(BaseModel):
    operator_id: int
    operator_name: str
    location_name: str
    is_valid: bool
    assignment: AssignmentPublic | None
    skills: list[SkillPublic]


class ProgressFilterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str | None = Field(None, max_length=50)
    business_id: str | None = Field(None, max_length=10)
    process: str | None = Field(None, max_length=100)


class QueueProgressPublic(BaseModel):
    location: str
    business_id: str
    process: str
    snapshot_id: int
    snapshot_time: datetime
    deadline: datetime | None
    minutes_to_deadline: float | None
    waiting: int
    entry_count: int
    correction_waiting: int
    staff_count: int
    staff_speed_per_hour: float = Field(
        description="tasks/hour the assigned staff are expected to process "
        "(recorded speeds x observed efficiency)"
    )
    nominal_speed_per_hour: float = Field(description="recorded speeds of the assigned staff")
    expected_arrivals: int = Field(description="tasks expected to arrive before the deadline")
    projected_completion: datetime | None = Field(
        description="when the waiting tasks are done at the expected rate; "
        "null when nobody is assigned and tasks are waiting"
    )
    late_tasks_at_deadline: float | None = Field(
        description="tasks (arrivals included) expected to be left at the deadline"
    )

"""Request filters and response bodies (``XFilter`` in, ``XPublic`` out)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2_147_483_647
"""Ids and offsets are INT in the tables: larger values (and non-positive ids) are
refused with a 422 before they reach the database (SQLite cannot bind integers
beyond 64 bits at all)."""

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorPublic(BaseModel):
    """Every 4xx/5xx body: a message a person understands and, where useful, the details."""

    error: str = Field(description="日本語のエラーメッセージ")
    detail: Any = Field(
        None, description="項目ごとの誤り（field, message, type）など。ないときは null"
    )


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "リクエストの内容を解釈できません",
    401: "認証が必要です（トークンがない、または無効）",
    403: "権限が足りません",
    404: "見つかりません",
    409: "現在の状態では実行できません（理由はメッセージに）",
    422: "入力内容に誤りがあります（項目ごとの誤りは detail に）",
    503: "データベースに接続できません",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can answer with."""
    return {code: {"model": ErrorPublic, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


class OperatorFilterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: str | None = Field(None, max_length=50, description="拠点 (例: 札幌)")
    process: str | None = Field(None, max_length=100, description="工程 (例: エントリ1)")
    min_skill: int | None = Field(None, ge=1, le=5, description="最低スキルレベル 1-5")
    business_id: str | None = Field(None, max_length=10, description="現在担当している業務ID")
    include_invalid: bool = False
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_ID)


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


class RaisedAlertPublic(BaseModel):
    alert_type: Literal["delay_risk", "productivity_drop", "skill_gap"]
    severity: Literal["high", "medium", "low"]


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
    late_tasks_at_deadline: int | None = Field(
        description="tasks (arrivals included) expected to be left at the deadline when nobody "
        "moves; the floor total (全体) is the sum of this over every queue"
    )
    margin_minutes: float | None = Field(
        description="minutes between the projected completion and the deadline "
        "(negative: after it); null when the work is never done"
    )
    stale: bool = Field(description="no snapshot in the last hour: the figures rest on an old one")
    severity: Literal["high", "medium", "low"] | None = Field(
        description="the highest severity among the alerts the rules raise for this queue now"
    )
    alerts: list[RaisedAlertPublic] = Field(
        description="the alerts the rules raise for this queue now (what the next scan "
        "stores), most severe first"
    )
    business_name: str | None = Field(
        None, description="the business's name in the master data (業務名, e.g. SS); null: none"
    )

"""Progress per queue."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from aimee.api.deps import NowDep, PolicyDep, SessionDep
from aimee.api.schemas import ProgressFilterQuery, QueueProgressPublic, error_responses
from aimee.errors import NotFound
from aimee.services import intraday
from aimee.services import progress as service

router = APIRouter(tags=["progress"])


@router.get("/progress", response_model=list[QueueProgressPublic])
def list_progress(
    session: SessionDep,
    query: Annotated[ProgressFilterQuery, Query()],
    now: NowDep,
    policy: PolicyDep,
) -> list[QueueProgressPublic]:
    """Every queue's latest snapshot with its forecast and the severity the alert
    rules give it now, most urgent first (severity, then minutes to the deadline)."""
    rows = service.current_progress(session, now=now, policy=policy, **query.model_dump())
    return [QueueProgressPublic(**asdict(row)) for row in rows]


class SnapshotPointPublic(BaseModel):
    snapshot_time: datetime
    waiting: int
    entry_count: int
    correction_waiting: int
    deadline: datetime | None


class QueueHistoryPublic(BaseModel):
    location: str
    business_id: str
    process: str
    points: list[SnapshotPointPublic]


@router.get(
    "/progress/{location}/{business_id}/{process}/history",
    response_model=QueueHistoryPublic,
    responses=error_responses(404),
)
def queue_history(
    now: NowDep,
    location: str,
    business_id: str,
    process: str,
    session: SessionDep,
    since: Annotated[
        datetime | None,
        Query(description="この時刻以降のスナップショット（省略時は当日0時以降）"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> QueueHistoryPublic:
    """One queue's snapshots up to the current business time, oldest first (the
    newest ``limit``): the backlog burn-down, by default of the current business
    day (since local midnight), however much history the database keeps."""
    if since is None:
        since = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = service.queue_history(session, (location, business_id, process), since=since, until=now)
    if not rows:
        raise NotFound(f"{location}/{business_id}/{process}の進捗データは見つかりません")
    return QueueHistoryPublic(
        location=location,
        business_id=business_id,
        process=process,
        points=[
            SnapshotPointPublic(
                snapshot_time=row.snapshot_time,
                waiting=row.total_waiting or 0,
                entry_count=row.entry_count or 0,
                correction_waiting=row.correction_waiting or 0,
                deadline=row.expected_completion_time,
            )
            for row in rows[-limit:]
            if row.snapshot_time is not None
        ],
    )


class IntervalPublic(BaseModel):
    start: datetime
    end: datetime
    arrivals: int = Field(description="この15分間に届いた件数（実績）")
    processed: int = Field(description="この15分間に処理した件数（実績）")
    forecast_arrivals: float | None = Field(description="区間の開始時点の予測（直前1時間の到着率）")
    forecast_processed: float | None = Field(
        description="区間の開始時点の予測（その時の担当者の登録速度×直前1時間のペース）"
    )
    staff: int = Field(description="この区間に担当した人数")
    waiting_end: int = Field(description="区間の終わりの残件数")


class ProjectedPointPublic(BaseModel):
    time: datetime
    waiting: float = Field(description="今の体制での残件数の見込み")
    waiting_with_plan: float | None = Field(description="未完了の提案どおりの体制での見込み")


class QueueDayPublic(BaseModel):
    location: str
    business_id: str
    process: str
    now: datetime
    deadline: datetime | None
    plan_id: str | None = Field(description="この工程の未完了の提案（承認待ち・実行前）")
    intervals: list[IntervalPublic]
    projection: list[ProjectedPointPublic]


@router.get(
    "/progress/{location}/{business_id}/{process}/intraday",
    response_model=QueueDayPublic,
    responses=error_responses(404),
)
def queue_intraday(
    now: NowDep,
    policy: PolicyDep,
    location: str,
    business_id: str,
    process: str,
    session: SessionDep,
) -> QueueDayPublic:
    """One queue's day in 15-minute intervals (arrivals and processed, each next to
    the forecast made at the interval's start) and the rest of the day projected with
    the current staff and with the queue's open plan (services/intraday.py)."""
    day = intraday.queue_day(
        session,
        (location, business_id, process),
        now=now,
        switch_minutes=policy.rules.switch_minutes,
    )
    if day is None:
        raise NotFound(f"{location}/{business_id}/{process}の本日の進捗データは見つかりません")
    return QueueDayPublic(
        location=location,
        business_id=business_id,
        process=process,
        now=day.now,
        deadline=day.deadline,
        plan_id=day.plan_id,
        intervals=[IntervalPublic(**asdict(i)) for i in day.intervals],
        projection=[ProjectedPointPublic(**asdict(p)) for p in day.projection],
    )

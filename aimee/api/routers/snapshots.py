"""Snapshot ingestion: the progress system posts what it observed."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import AdminUser, ComponentsDep, NowDep, SettingsDep
from aimee.api.schemas import ErrorPublic, error_responses
from aimee.services import imports

router = APIRouter(tags=["progress"])

MAX_BATCH = 10_000

_DESCRIPTIONS = {column.name: column.description for column in imports.SNAPSHOT_COLUMNS}


class SnapshotIn(BaseModel):
    """One observation of one queue, in the seed's ``progress_snapshots`` columns.
    Ranges and known sites/processes are checked row by row by the service."""

    model_config = ConfigDict(extra="forbid")

    snapshot_id: int | None = Field(None, description=_DESCRIPTIONS["snapshot_id"])
    snapshot_time: datetime = Field(description=_DESCRIPTIONS["snapshot_time"])
    location_name: str = Field(description=_DESCRIPTIONS["location_name"])
    business_id: str = Field(description=_DESCRIPTIONS["business_id"])
    process_name: str = Field(description=_DESCRIPTIONS["process_name"])
    expected_completion_time: datetime = Field(
        description=_DESCRIPTIONS["expected_completion_time"]
    )
    total_waiting: int = Field(description=_DESCRIPTIONS["total_waiting"])
    entry_count: int | None = Field(None, description=_DESCRIPTIONS["entry_count"])
    correction_waiting: int | None = Field(None, description=_DESCRIPTIONS["correction_waiting"])


class SnapshotBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    snapshots: list[SnapshotIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestResult(BaseModel):
    received: int = Field(description="受信した件数")
    stored: int = Field(description="新たに登録した件数")
    duplicates: int = Field(description="登録済みと同じ内容のため登録しなかった件数")


@router.post(
    "/progress/snapshots",
    response_model=IngestResult,
    responses={
        **error_responses(403, 409),
        422: {"model": ErrorPublic, "description": "誤りのある行の一覧（何も登録されません）"},
    },
)
def ingest_snapshots(
    batch: SnapshotBatch,
    components: ComponentsDep,
    settings: SettingsDep,
    _admin: AdminUser,
    now: NowDep,
) -> IngestResult:
    """Store a batch of snapshots, all or nothing (admin). Idempotent: a
    snapshot already stored with the same values (same ``snapshot_id``, or same
    site/business/process/time) is counted as a duplicate, not stored again."""
    report = imports.ingest_snapshots(
        components.sessions,
        [snapshot.model_dump(exclude_none=True) for snapshot in batch.snapshots],
        now=now,
        timezone=settings.timezone,
    )
    return IngestResult(received=report.rows, stored=report.inserted, duplicates=report.unchanged)

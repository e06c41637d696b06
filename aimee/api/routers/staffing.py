"""The staffing timeline: who worked where today, and the moves planned."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from aimee.api.deps import NowDep, SessionDep
from aimee.services import staffing

router = APIRouter(tags=["progress"])


class QueuePublic(BaseModel):
    location: str
    business_id: str
    process: str


class SegmentPublic(BaseModel):
    operator_id: int
    name: str
    home: str = Field(description="本人の所属拠点")
    queue: QueuePublic
    start: datetime
    end: datetime
    ongoing: bool = Field(description="今もこの工程にいる")


class PlannedMovePublic(BaseModel):
    operator_id: int
    name: str
    home: str
    source: QueuePublic | None
    target: QueuePublic
    suggestion_id: str
    at: datetime | None = Field(
        None,
        description="移動する時刻（null: 承認済みの移動の実行時）。"
        "実行済みの応援の戻りはその終了時刻",
    )
    until: datetime | None = Field(None, description="応援の終了時刻（null: 移動したまま）")
    returns: bool = Field(False, description="応援の後、移動元へ戻る（勤務時間内）")
    shift_end: datetime | None = Field(None, description="本人の本日の勤務終了時刻")


class IntendedMovePublic(BaseModel):
    operator_id: int
    name: str
    home: str
    source: QueuePublic | None
    target: QueuePublic
    suggestion_id: str
    at: datetime = Field(description="移動する予定の時刻")
    until: datetime | None = Field(None, description="次の工程へ移る時刻（null: そのまま）")
    back: bool = Field(False, description="until に移動元へ戻る")
    first: bool = Field(description="承認待ちの最初の移動（false: 今後の予定）")
    shift_end: datetime | None = None


class TimelinePublic(BaseModel):
    day_start: datetime
    now: datetime
    segments: list[SegmentPublic]
    planned: list[PlannedMovePublic] = Field(
        description="承認済みで実行前の移動と、実行済みの応援の戻り予定"
    )
    intended: list[IntendedMovePublic] = Field(
        default_factory=list,
        description="最新の本日の残りの計画（時間帯別）の移動で、承認されていないもの: "
        "承認待ちの最初の移動と、今後の予定（データの更新に合わせて再計画）",
    )
    intended_made_at: datetime | None = Field(
        None, description="intended の計画を作成した時刻（その時点のデータで計画）"
    )


def _queue(key: tuple[str, str, str]) -> QueuePublic:
    return QueuePublic(location=key[0], business_id=key[1], process=key[2])


def _move(m: staffing.PlannedMove | staffing.IntendedMove) -> dict[str, Any]:
    """The fields an approved and an intended move share, as the API gives them."""
    return {
        "operator_id": m.operator_id,
        "name": m.name,
        "home": m.home,
        "source": None if m.source is None else _queue(m.source),
        "target": _queue(m.target),
        "suggestion_id": m.suggestion_id,
        "at": m.at,
        "until": m.until,
        "shift_end": m.shift_end,
    }


@router.get("/staffing", response_model=TimelinePublic)
def staffing_timeline(
    session: SessionDep,
    now: NowDep,
    location: Annotated[
        str | None, Query(max_length=50, description="この拠点の人、またはこの拠点で働いた人")
    ] = None,
) -> TimelinePublic:
    """Today's stints per operator (from the assignment history), the moves promised
    to approved plans not carried out yet, and the moves the latest plan for the rest of
    the day intends (not approved)."""
    found = staffing.timeline(session, now=now, location=location)
    return TimelinePublic(
        day_start=found.day_start,
        now=found.now,
        segments=[
            SegmentPublic(
                operator_id=s.operator_id,
                name=s.name,
                home=s.home,
                queue=_queue(s.queue),
                start=s.start,
                end=s.end,
                ongoing=s.ongoing,
            )
            for s in found.segments
        ],
        planned=[PlannedMovePublic(**_move(m), returns=m.returns) for m in found.planned],
        intended=[
            IntendedMovePublic(**_move(m), back=m.back, first=m.first) for m in found.intended
        ],
        intended_made_at=found.intended_made_at,
    )

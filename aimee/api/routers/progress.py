"""Progress per queue."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from aimee.api.deps import SessionDep
from aimee.api.schemas import ProgressFilterQuery, QueueProgressPublic
from aimee.services import progress as service

router = APIRouter(tags=["progress"])


@router.get("/progress", response_model=list[QueueProgressPublic])
def list_progress(
    session: SessionDep, query: Annotated[ProgressFilterQuery, Query()]
) -> list[QueueProgressPublic]:
    """The latest snapshot of every queue with its forecast at the staff's speed."""
    rows = service.current_progress(session, **query.model_dump())
    return [QueueProgressPublic(**asdict(row)) for row in rows]

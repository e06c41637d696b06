"""Liveness and readiness."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from aimee import __version__
from aimee.api.deps import EngineDep, NowDep
from aimee.api.schemas import error_responses
from aimee.store import migrate

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str
    schema_revision: str | None
    now: datetime


@router.get(
    "/health",
    response_model=HealthPublic,
    responses=error_responses(503),
)
def health(engine: EngineDep, now: NowDep) -> HealthPublic | JSONResponse:
    """``ok`` when the database answers; 503 with the reason otherwise."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        return JSONResponse(
            status_code=503,
            content={
                "error": "データベースに接続できません",
                "detail": {
                    "status": "error",
                    "version": __version__,
                    "database": type(exc).__name__,
                },
            },
        )
    return HealthPublic(
        status="ok",
        version=__version__,
        database=engine.dialect.name,
        schema_revision=revision,
        now=now,
    )

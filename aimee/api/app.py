"""The FastAPI application factory and its start-up wiring."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.exc import SQLAlchemyError

from aimee import __version__, bootstrap, memory
from aimee.api.body_limit import BodyLimit
from aimee.api.deps import current_user
from aimee.api.errors import install_error_handlers
from aimee.api.rate_limit import install_rate_limit
from aimee.api.routers import (
    alerts,
    approvals,
    chat,
    exports,
    health,
    knowledge,
    me,
    operators,
    plan,
    progress,
    snapshots,
    staffing,
    suggestions,
)
from aimee.api.security import install_security
from aimee.config import Settings, get_settings
from aimee.logs import configure_logging
from aimee.store.db import transaction

API_PREFIX = "/api/v1"
PROTECTED_ROUTERS = (
    me,
    operators,
    progress,
    plan,
    chat,
    knowledge,
    suggestions,
    approvals,
    alerts,
    snapshots,
    exports,
    staffing,
)

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Bring the know-how index in line with the database before serving."""
    parts: bootstrap.Components = app.state.components
    try:
        with transaction(parts.sessions) as session:
            report = parts.knowledge.sync(session)
            parts.chat.warm_up(session)
        log.info("know-how index: %s", report)
    except SQLAlchemyError as exc:
        log.warning("know-how index not synced, the database is unavailable: %s", exc)
    yield
    parts.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)  # each uvicorn worker process starts here
    memory.limit_arenas()  # request threads share two malloc arenas: RSS tracks use
    parts = bootstrap.build(settings)
    app = FastAPI(
        title="AIMEE API",
        version=__version__,
        description="Intraday staff reallocation: progress, plans, chat, approvals, alerts.",
        lifespan=lifespan,
    )
    app.state.components = parts  # reached through api.deps.ComponentsDep
    install_error_handlers(app)
    install_rate_limit(app)
    app.add_middleware(  # innermost: CORS and the security headers wrap its answers too
        BodyLimit,
        api_prefix=API_PREFIX,
        limit=settings.max_body_bytes,
        larger={"/progress/snapshots": settings.max_ingest_bytes},
    )
    install_security(app, settings, api_prefix=API_PREFIX)
    app.include_router(health.router, prefix=API_PREFIX)  # the only open endpoint
    for module in PROTECTED_ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX, dependencies=[Depends(current_user)])
    return app

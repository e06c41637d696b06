"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from aimee import __version__
from aimee.api.errors import install_error_handlers
from aimee.api.routers import health, operators, plan, progress
from aimee.config import Settings, get_settings
from aimee.store.db import create_db_engine, session_factory

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="AIMEE API",
        version=__version__,
        description="Intraday staff reallocation: progress, plans, chat, approvals, alerts.",
    )
    engine = create_db_engine(settings.effective_database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    install_error_handlers(app)
    for router in (health.router, operators.router, progress.router, plan.router):
        app.include_router(router, prefix=API_PREFIX)
    return app

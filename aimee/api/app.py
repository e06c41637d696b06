"""The FastAPI application factory and its start-up wiring."""

from __future__ import annotations

import gc
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import SQLAlchemyError

from aimee import __version__, bootstrap, memory
from aimee.api.body_limit import BodyLimit
from aimee.api.deps import current_user
from aimee.api.errors import install_error_handlers
from aimee.api.routers import (
    alerts,
    approvals,
    auth,
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
from aimee.api.turn_gate import TurnGate
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

REQUEST_THREADS = 100
"""Threads for sync endpoints and dependencies (anyio's default is 40). Writers queued
on the embedded database wait in these threads; a writer that holds the lock still
needs one to validate its response, so with as many queued writers as threads it
would wait out the busy timeout (seen with 50 concurrent writes at 40)."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the request thread pool, and bring the know-how index in line with the
    database before serving."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    parts: bootstrap.Components = app.state.components
    try:
        with transaction(parts.sessions) as session:
            report = parts.knowledge.sync(session)
            parts.chat.warm_up(session)
        log.info("know-how index: %s", report)
    except SQLAlchemyError as exc:
        log.warning("know-how index not synced, the database is unavailable: %s", exc)
    settle_garbage_collector()
    yield
    parts.engine.dispose()


def settle_garbage_collector() -> None:
    """Leave what start-up built (the embedding model, the dictionary, the indexes:
    ~190,000 objects) out of the garbage collector's full passes. Each full pass walked
    them all: one took 153 ms in the middle of a chat answer, 3.9 ms once they are frozen
    (gc callbacks over 70 answers on the demo day). They live as long as the process."""
    gc.collect()
    gc.freeze()


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
        docs_url=None,  # FastAPI's pages load Swagger UI and ReDoc from a CDN: ours are local
        redoc_url=None,
    )
    install_docs(app)
    app.state.components = parts  # reached through api.deps.ComponentsDep
    app.state.chat_gate = TurnGate()  # reached through api.turn_gate.chat_turn
    install_error_handlers(app)
    app.add_middleware(  # innermost: CORS and the security headers wrap its answers too
        BodyLimit,
        api_prefix=API_PREFIX,
        limit=settings.max_body_bytes,
        larger={"/progress/snapshots": settings.max_ingest_bytes},
        anonymous={"/auth/login": 4_096},  # a user name and a password
    )
    install_security(app, settings, api_prefix=API_PREFIX)
    app.include_router(health.router, prefix=API_PREFIX)  # open: liveness and readiness
    app.include_router(auth.router, prefix=API_PREFIX)  # open: sign-in (logout checks itself)
    for module in PROTECTED_ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX, dependencies=[Depends(current_user)])
    return app


DOCS_PATHS = ("/docs", "/redoc")
METHODS = ("get", "post", "put", "patch", "delete")
DOCS_STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "section{border-top:1px solid #ddd;padding:.5rem 0}code{font-size:1rem}"
    ".m{display:inline-block;min-width:4.5rem;font-weight:bold;text-transform:uppercase}"
    "td,th{text-align:left;padding:.1rem .6rem .1rem 0;vertical-align:top}p{margin:.3rem 0}"
)


def install_docs(app: FastAPI) -> None:
    """/docs (and /redoc): the endpoints read from the OpenAPI schema, as one page of
    plain HTML with nothing loaded from another host; the schema itself is /openapi.json."""

    async def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(docs_page(request.app.openapi()))

    for path in DOCS_PATHS:
        app.add_api_route(path, docs, include_in_schema=False, response_class=HTMLResponse)


def docs_page(schema: dict[str, object]) -> str:
    """The schema's paths as HTML: method, path, summary, parameters, body and answers."""
    e = html.escape
    info = schema.get("info", {})
    assert isinstance(info, dict)
    title = e(str(info.get("title", "API")))
    parts = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>",
        f"<style>{DOCS_STYLE}</style></head><body>",
        f"<h1>{title} <small>{e(str(info.get('version', '')))}</small></h1>",
        f"<p>{e(str(info.get('description', '')))}</p>",
        "<p>The machine-readable schema: <a href=/openapi.json>/openapi.json</a> (OpenAPI; "
        "load it into any OpenAPI client). Endpoints under /api/v1 other than /health need "
        "<code>Authorization: Bearer &lt;token&gt;</code>.</p>",
    ]
    paths = schema.get("paths", {})
    assert isinstance(paths, dict)
    for path, operations in paths.items():
        for method in METHODS:
            op = operations.get(method)
            if op is None:
                continue
            parts.append(f"<section><p><span class=m>{method}</span><code>{e(path)}</code></p>")
            summary = op.get("summary") or ""
            description = op.get("description") or ""
            parts.append(f"<p><b>{e(summary)}</b></p>" if summary else "")
            parts.append(f"<p>{e(description)}</p>" if description else "")
            params = op.get("parameters", [])
            if params:
                rows = "".join(
                    f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p.get('in', ''))}</td>"
                    f"<td>{'required' if p.get('required') else ''}</td>"
                    f"<td>{e(str(p.get('description') or ''))}</td></tr>"
                    for p in params
                )
                parts.append(f"<table>{rows}</table>")
            body = op.get("requestBody", {}).get("content", {})
            if body:
                parts.append(f"<p>Body: {e(', '.join(body))}</p>")
            answers = ", ".join(
                f"{code} {r.get('description', '')}" for code, r in op.get("responses", {}).items()
            )
            parts.append(f"<p>Answers: {e(answers)}</p></section>")
    parts.append("</body></html>")
    return "".join(parts)

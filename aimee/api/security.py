"""Browser-facing hardening: CORS only for configured origins, and security
headers on every response.

The headers are added by a pure ASGI middleware that touches only the
``http.response.start`` message, so streamed bodies (server-sent events, file
downloads) pass through untouched. Headers an endpoint sets itself are kept.

Content-Security-Policy: the API serves JSON, so ``default-src 'none';
frame-ancestors 'none'`` (nothing may load, nothing may frame it). The docs
(/docs, /redoc) are plain HTML pages built here from the OpenAPI schema, with no
script and nothing from another host: they may only use their own inline style.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aimee.config import Settings

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
DOCS_PATHS = ("/docs", "/redoc")
COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, *, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    def headers_for(self, path: str) -> list[tuple[str, str]]:
        headers = list(COMMON_HEADERS)
        docs = any(path == p or path.startswith(p + "/") for p in DOCS_PATHS)
        headers.append(("Content-Security-Policy", DOCS_CSP if docs else API_CSP))
        if path == self.api_prefix or path.startswith(self.api_prefix + "/"):
            headers.append(("Cache-Control", "no-store"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security(app: FastAPI, settings: Settings, *, api_prefix: str) -> None:
    """CORS when ``AIMEE_CORS_ORIGINS`` is set (none at all otherwise), then the
    security headers outermost, so that CORS preflight answers get them too."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After", "Content-Disposition"],
            allow_credentials=False,  # bearer tokens, no cookies
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, api_prefix=api_prefix)

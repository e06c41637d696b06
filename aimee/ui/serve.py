"""The dashboard as Streamlit serves it: ``app.py`` wrapped in an ASGI app whose
responses say that no other site may frame it (clickjacking) or sniff its types,
behind the sign-in gate (``/signin``, ``/signout``; ``sign_in_gate.py``).
``streamlit run aimee/ui/serve.py`` finds ``app`` and serves it (the launcher does)."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.starlette import App

from aimee.ui.sign_in_gate import ROUTES, SignInGate

HEADERS = (
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


class FrameGuard:
    """Pure ASGI middleware: the headers above on every HTTP response (streamed
    bodies and the websocket pass through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = App(
    Path(__file__).with_name("app.py"),
    routes=ROUTES,
    middleware=[Middleware(FrameGuard), Middleware(SignInGate)],
)

"""Bounded request bodies, refused before anything reads or parses them.

A pure ASGI middleware in front of the app. For a request with a body under the
API prefix:

- without an ``Authorization`` header it answers 401 at once: every endpoint that
  takes a body needs a token, so an anonymous upload is never read (a wrong token
  is still found by the usual check, after a body that is at most the limit). The
  one exception is the sign-in (``anonymous``: path → its own, small limit);
- a ``Content-Length`` above the limit is answered 413 at once;
- otherwise the body is read here, up to the limit (413 as soon as a chunked body
  goes over it), and handed to the app as it came.

The limit is ``AIMEE_MAX_BODY_BYTES`` (1 MB), and ``AIMEE_MAX_INGEST_BYTES`` (16 MB)
for snapshot ingestion."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NEEDS_TOKEN = "認証が必要です。Authorization: Bearer <トークン> を付けてください。"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        api_prefix: str,
        limit: int,
        larger: dict[str, int],
        anonymous: dict[str, int],
    ) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.limit = limit
        self.larger = {api_prefix + path: size for path, size in larger.items()}
        self.anonymous = {api_prefix + path: size for path, size in anonymous.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in BODY_METHODS
            or not path.startswith(self.api_prefix + "/")
        ):
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}
        if b"authorization" not in headers and path not in self.anonymous:
            await _answer(send, 401, NEEDS_TOKEN, {"WWW-Authenticate": "Bearer"})
            return
        limit = self.anonymous.get(path) or self.larger.get(path, self.limit)
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # a disconnect, when the client goes away
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    await _answer(
        send,
        413,
        f"リクエストが大きすぎます（上限 {_megabytes(limit)}）。データを分けて送ってください。",
    )


async def _answer(
    send: Send, status: int, message: str, extra: dict[str, str] | None = None
) -> None:
    payload = json.dumps({"error": message, "detail": None}, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read
        *((name.lower().encode(), value.encode()) for name, value in (extra or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})

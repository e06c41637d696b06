"""Bounded requests: bodies are refused before anything reads or parses them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from aimee.api.body_limit import BodyLimit
from tests.api.conftest import auth

MB = 1_000_000


def _scope(headers: list[tuple[bytes, bytes]], path: str = "/api/v1/chat/message") -> Scope:
    return {"type": "http", "method": "POST", "path": path, "headers": headers}


def _run(middleware: BodyLimit, scope: Scope, chunks: list[bytes]) -> tuple[list[Message], int]:
    """The messages sent back, and how many body chunks were read."""
    sent: list[Message] = []
    read = 0

    async def receive() -> Message:
        nonlocal read
        read += 1
        more = read < len(chunks)
        return {"type": "http.request", "body": chunks[read - 1], "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return sent, read


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body and answers with its size."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


LIMITED = BodyLimit(
    _echo,
    api_prefix="/api/v1",
    limit=1000,
    larger={"/progress/snapshots": 5000},
    anonymous={"/auth/login": 100},
)
TOKEN = [(b"authorization", b"Bearer aimee_x")]


def test_an_anonymous_body_is_never_read() -> None:
    sent, read = _run(LIMITED, _scope([(b"content-length", b"200000000")]), [b"x" * 10])
    assert (sent[0]["status"], read) == (401, 0)
    assert "認証が必要です" in json.loads(sent[1]["body"])["error"]


def test_only_the_sign_in_takes_an_anonymous_body_and_a_small_one() -> None:
    login = _scope([], "/api/v1/auth/login")
    assert _run(LIMITED, login, [b"x" * 100])[0][1]["body"] == b"100"
    sent, read = _run(LIMITED, _scope([(b"content-length", b"101")], "/api/v1/auth/login"), [b""])
    assert (sent[0]["status"], read) == (413, 0)
    assert _run(LIMITED, _scope([], "/api/v1/auth/logout"), [b"x"])[0][0]["status"] == 401


def test_a_declared_size_over_the_limit_is_refused_unread() -> None:
    sent, read = _run(LIMITED, _scope([*TOKEN, (b"content-length", b"1001")]), [b"x" * 1001])
    assert (sent[0]["status"], read) == (413, 0)


def test_a_chunked_body_is_cut_off_at_the_limit() -> None:
    sent, read = _run(LIMITED, _scope(TOKEN), [b"x" * 600] * 10)
    assert (sent[0]["status"], read) == (413, 2)  # stopped at the second chunk, not the tenth
    assert json.loads(sent[1]["body"])["error"].startswith(
        "リクエストが大きすぎます（上限 0.001 MB）"
    )


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    sent, _ = _run(LIMITED, _scope(TOKEN), [b"x" * 400, b"x" * 500])
    assert (sent[0]["status"], sent[1]["body"]) == (200, b"900")
    ingest = _scope(TOKEN, "/api/v1/progress/snapshots")
    assert _run(LIMITED, ingest, [b"x" * 4000])[0][1]["body"] == b"4000"  # its larger limit
    health = {**_scope([]), "method": "GET", "path": "/api/v1/health"}
    assert _run(LIMITED, health, [b""])[0][0]["status"] == 200  # no body, no token needed here


def test_through_http(client: TestClient, anonymous: TestClient, tokens: dict[str, str]) -> None:
    big = json.dumps({"message": "札幌は？", "context": {"x": "y" * (2 * MB)}})
    refused = anonymous.post("/api/v1/chat/message", content=big)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert refused.headers["X-Frame-Options"] == "DENY"  # the security headers wrap it
    too_big = client.post("/api/v1/chat/message", content=big, headers=auth(tokens["viewer"]))
    assert too_big.status_code == 413
    assert too_big.json()["error"] == (
        "リクエストが大きすぎます（上限 1 MB）。データを分けて送ってください。"
    )

    def chunked() -> Iterator[bytes]:
        for _ in range(3):
            yield b" " * MB

    streamed = client.post(
        "/api/v1/chat/message", content=chunked(), headers=auth(tokens["viewer"])
    )
    assert streamed.status_code == 413

    crowded = {"message": "札幌は？", "context": {f"k{i}": i for i in range(51)}}
    answer = client.post("/api/v1/chat/message", json=crowded, headers=auth(tokens["viewer"]))
    assert answer.status_code == 422
    assert "context は50項目・8KBまでです（51項目" in json.dumps(answer.json(), ensure_ascii=False)

"""Security basics through HTTP: hashed tokens compared in constant time, the
chat rate limit (429 + Retry-After), CORS off by default, security headers, and
no token or user text in the logs above DEBUG."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.api.access_log import DropQueryString, strip_query, uvicorn_log_config
from aimee.api.app import create_app
from aimee.api.security import API_CSP, DOCS_CSP
from aimee.cache import MemoryCache
from aimee.config import Settings
from aimee.services import users
from aimee.services.rate_limit import RateLimiter
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW

SEED_MESSAGE = "札幌のエントリ1工程が遅延しています"
UI_ORIGIN = "https://aimee-ui.example.com"
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def chat_limit(demo_app: FastAPI) -> Iterator[Callable[[int], None]]:
    """Give the shared app, for this test only, a chat limiter with a fresh
    count, the given limit and a clock 15.5 s into a minute. (Restored by hand:
    monkeypatch.setattr cannot restore attributes of Starlette's State.)"""
    original = demo_app.state.components

    def install(limit: int) -> None:
        limiter = RateLimiter(MemoryCache(), name="chat", limit=limit, clock=lambda: 6015.5)
        demo_app.state.components = replace(original, chat_limiter=limiter)

    yield install
    demo_app.state.components = original


# --- tokens -----------------------------------------------------------------


def test_no_plaintext_token_is_stored(demo_sqlite_url: str, tokens: dict[str, str]) -> None:
    database = Path(demo_sqlite_url.removeprefix("sqlite:///"))
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    stored = b"".join(p.read_bytes() for p in files)  # the database and any journal
    for token in tokens.values():
        assert token.encode() not in stored
        assert users.hash_token(token).encode() in stored


def test_tokens_are_looked_up_by_hash_and_compared_in_constant_time(
    client: TestClient, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups: list[str] = []
    comparisons: list[tuple[Any, Any]] = []
    by_hash, compare = users.repo.by_token_hash, hmac.compare_digest

    def spy_lookup(session: Any, digest: str) -> Any:
        lookups.append(digest)
        return by_hash(session, digest)

    def spy_compare(a: Any, b: Any) -> bool:
        comparisons.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(users.repo, "by_token_hash", spy_lookup)
    monkeypatch.setattr(users.hmac, "compare_digest", spy_compare)
    assert client.get("/api/v1/me").status_code == 200
    digest = hashlib.sha256(tokens["admin"].encode()).hexdigest()
    assert lookups == [digest]
    assert comparisons == [(digest, digest)]


# --- rate limit ---------------------------------------------------------------


def test_chat_over_the_limit_is_429_with_retry_after(
    client: TestClient, tokens: dict[str, str], chat_limit: Callable[[int], None]
) -> None:
    chat_limit(2)
    assert client.post("/api/v1/chat/message", json={"message": SEED_MESSAGE}).status_code == 200
    with client.stream("POST", "/api/v1/chat/stream", json={"message": SEED_MESSAGE}) as stream:
        assert stream.status_code == 200
        stream.read()
    for path in ("/api/v1/chat/message", "/api/v1/chat/stream"):
        refused = client.post(path, json={"message": SEED_MESSAGE})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "45"  # 6015.5 s: 44.5 s to the minute's end
        assert refused.json() == {
            "error": "送信が多すぎます。45秒後にもう一度お試しください。",
            "detail": None,
        }
    other_token = client.post(
        "/api/v1/chat/message", json={"message": SEED_MESSAGE}, headers=auth(tokens["viewer"])
    )
    assert other_token.status_code == 200
    assert client.get("/api/v1/me").status_code == 200  # only the chat is limited


def test_authentication_comes_before_the_limit(
    anonymous: TestClient, chat_limit: Callable[[int], None]
) -> None:
    chat_limit(1)
    for _ in range(3):
        response = anonymous.post("/api/v1/chat/message", json={"message": SEED_MESSAGE})
        assert response.status_code == 401


def test_the_limit_comes_from_the_settings(demo_app: FastAPI) -> None:
    parts = demo_app.state.components
    assert Settings().chat_rate_limit == 30  # the default
    assert parts.chat_limiter.limit == parts.settings.chat_rate_limit
    assert parts.chat_limiter.cache is parts.cache  # shared with other workers


def test_the_rate_limit_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/chat/message", "/api/v1/chat/stream"):
        assert "Retry-After" in paths[path]["post"]["responses"]["429"]["headers"]


# --- CORS ----------------------------------------------------------------------


def preflight(client: TestClient, origin: str) -> Any:
    return client.options(
        "/api/v1/me",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


def test_no_cors_by_default(client: TestClient) -> None:
    assert "access-control-allow-origin" not in preflight(client, UI_ORIGIN).headers
    simple = client.get("/api/v1/me", headers={"Origin": UI_ORIGIN})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers


@pytest.fixture(scope="module")
def cors_client(
    demo_sqlite_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("cors_data"),
        database_url=demo_sqlite_url,
        now=DEMO_NOW,
        cors_origins=[UI_ORIGIN],
    )
    with TestClient(create_app(settings), headers=auth(tokens["viewer"])) as client:
        yield client


def test_a_configured_origin_is_allowed_and_no_other(cors_client: TestClient) -> None:
    allowed = preflight(cors_client, UI_ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == UI_ORIGIN
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers
    refused = preflight(cors_client, "https://evil.example.com")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    simple = cors_client.get("/api/v1/me", headers={"Origin": UI_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == UI_ORIGIN
    assert "retry-after" in simple.headers["access-control-expose-headers"].lower()
    other = cors_client.get("/api/v1/me", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers


# --- security headers ----------------------------------------------------------


def assert_api_headers(headers: Any) -> None:
    for name, value in COMMON.items():
        assert headers[name] == value, name
    assert headers["content-security-policy"] == API_CSP
    assert headers["cache-control"] == "no-store"


def test_security_headers_on_json_and_errors(client: TestClient, anonymous: TestClient) -> None:
    responses = {
        "json": client.get("/api/v1/me"),
        "health": anonymous.get("/api/v1/health"),
        "401": anonymous.get("/api/v1/me"),
        "422": client.get("/api/v1/operators", params={"min_skill": 9}),
        "404": client.get("/api/v1/no-such-endpoint"),
        "download": client.get("/api/v1/exports/operators", params={"format": "csv"}),
    }
    assert {name: r.status_code for name, r in responses.items()} == {
        "json": 200,
        "health": 200,
        "401": 401,
        "422": 422,
        "404": 404,
        "download": 200,
    }
    for name, response in responses.items():
        assert_api_headers(response.headers), name


def test_security_headers_on_the_event_stream(
    client: TestClient, chat_limit: Callable[[int], None]
) -> None:
    chat_limit(10)
    with client.stream("POST", "/api/v1/chat/stream", json={"message": SEED_MESSAGE}) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert_api_headers(stream.headers)
        assert "event: done" in stream.read().decode()


def test_docs_stay_usable(anonymous: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = anonymous.get(path)
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == DOCS_CSP  # its own style, no script
        assert page.headers["x-frame-options"] == "DENY"
    schema = anonymous.get("/openapi.json")
    assert schema.headers["content-security-policy"] == API_CSP


# --- logs ------------------------------------------------------------------------


def test_no_token_or_user_text_in_logs_above_debug(
    client: TestClient,
    anonymous: TestClient,
    tokens: dict[str, str],
    chat_limit: Callable[[int], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat_limit(1)
    message = "合言葉はみかん畑のフクロウ、札幌のエントリ1の残件数は？"
    query = "ひみつの検索語ペンギン"
    bad_token = "aimee_" + "z" * 43
    caplog.set_level(logging.DEBUG)
    assert client.post("/api/v1/chat/message", json={"message": message}).status_code == 200
    assert client.post("/api/v1/chat/message", json={"message": message}).status_code == 429
    assert client.get("/api/v1/knowledge/search", params={"q": query}).status_code == 200
    assert anonymous.get("/api/v1/me", headers=auth(bad_token)).status_code == 401
    assert client.get("/api/v1/me").status_code == 200
    secrets = [message, "みかん畑のフクロウ", query, bad_token, tokens["admin"]]
    # httpx logs the test client's own requests (query included): not the server's logs
    server_records = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert server_records  # the capture works: the rate limit was logged at INFO
    for record in server_records:
        if record.levelno >= logging.INFO:
            text = record.getMessage() + str(record.exc_info or "")
            assert not [s for s in secrets if s in text], record


def test_the_access_log_drops_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/v1/knowledge/search?q=ひみつ&limit=5", "1.1", 200),
        None,
    )
    assert DropQueryString().filter(record)
    formatted = uvicorn.logging.AccessFormatter(
        '%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False
    ).format(record)
    assert formatted == '127.0.0.1:5000 - "GET /api/v1/knowledge/search HTTP/1.1" 200 OK'
    assert strip_query("/api/v1/me") == "/api/v1/me"
    assert strip_query("/a?b=1#c") == "/a"
    other = logging.LogRecord("x", logging.INFO, __file__, 1, "%s?", ("a?b",), None)
    assert DropQueryString().filter(other) and other.args == ("a?b",)


def test_serve_installs_the_access_log_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    from aimee.cli import server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_, **kwargs: calls.append(kwargs))
    server._serve(Settings(log_level="INFO"), "127.0.0.1", 8000, 2, alert_worker=False)
    [kwargs] = calls
    config = kwargs["log_config"]
    assert config == uvicorn_log_config()
    [name] = config["loggers"]["uvicorn.access"]["filters"]
    assert config["filters"][name]["()"] == "aimee.api.access_log.DropQueryString"
    assert config["loggers"]["uvicorn.access"]["handlers"] == ["access"]

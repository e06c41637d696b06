"""Schemathesis over every operation and method of the OpenAPI schema, as an
admin, as a viewer and without a token, on a writable copy of the demo day.

The property: no response is a 5xx, every 4xx is JSON with a readable Japanese
``error`` (the handlers of aimee/api/errors.py), and every response conforms to
the schema (status code, content type, body, headers) with schemathesis's
built-in checks. Relaxed, and why:

- ``validate-formats``: the API serves naive local business times
  (``2025-10-23T15:40:00``, README: "all stored times are naive local times"),
  which RFC 3339's ``date-time`` format rejects for lacking an offset.
- ``positive_data_acceptance``: schema-valid requests that the domain refuses on
  purpose (an unknown site in a snapshot, ``modify`` without changes, a blank
  chat message, a ``from``/``to`` that is not a date) are correct 4xx answers.
- ``negative_data_rejection``: pydantic's lax mode, FastAPI's default, accepts
  ``false`` for a number and a number for a datetime (Unix time); harmless.

Each run is deterministic (fixed seed, derandomized, no example database); the
module takes about a minute on two cores.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import Case, CheckContext, Response
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema

from aimee.api.app import create_app
from aimee.config import Settings
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW

SEED = 20251023
RELAXED_CHECKS = {
    "response_schema_conformance": {"validate-formats": False},
    "positive_data_acceptance": {"enabled": False},
    "negative_data_rejection": {"enabled": False},
}
FuzzCase = Case[Any]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

pytestmark = pytest.mark.filterwarnings(
    # Scenarios with absurd numbers (priority 1e307) overflow in the planner's numpy
    # arithmetic; POST /plan answers them with a 422 (see routers/plan.py).
    "ignore:overflow encountered:RuntimeWarning"
)


def fuzz_config(*, max_examples: int, phases: list[str]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                name: {"enabled": name in phases}
                for name in ("examples", "coverage", "fuzzing", "stateful")
            },
            "checks": RELAXED_CHECKS,
        }
    )


ADMIN_CONFIG = fuzz_config(max_examples=10, phases=["examples", "coverage", "fuzzing"])
"""The admin reaches every handler: boundary values, unexpected methods, then random input."""
VIEWER_CONFIG = fuzz_config(max_examples=5, phases=["fuzzing"])
"""Same handlers, refused (403) where approver or admin is needed."""
OPEN_PATHS = {"/api/v1/health", "/api/v1/auth/methods", "/api/v1/auth/oidc/start"}
"""Operations anyone may call (they never answer 401); the sign-in itself does answer one."""
ANONYMOUS_CONFIG = fuzz_config(max_examples=3, phases=["fuzzing"])
"""Every protected operation answers 401 before looking at the input."""


@pytest.fixture(scope="module")
def fuzz_url(
    demo_sqlite_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A copy of the demo day (users and tokens included): fuzzing writes."""
    source = demo_sqlite_url.removeprefix("sqlite:///")
    target = tmp_path_factory.mktemp("fuzz") / "aimee.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def fuzz_app(fuzz_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz_data"),
        database_url=fuzz_url,
        now=DEMO_NOW,
        planner_time_limit_s=2,
        chat_rate_limit=0,  # fuzz the chat itself, not its limiter
    )
    yield create_app(settings)
    asgi.shutdown_lifespans()  # schemathesis starts the app's lifespan and keeps it running


def load(app: FastAPI, config: schemathesis.Config) -> OpenApiSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


@pytest.fixture(scope="module")
def admin_schema(fuzz_app: FastAPI) -> OpenApiSchema:
    return load(fuzz_app, ADMIN_CONFIG)


@pytest.fixture(scope="module")
def viewer_schema(fuzz_app: FastAPI) -> OpenApiSchema:
    return load(fuzz_app, VIEWER_CONFIG)


@pytest.fixture(scope="module")
def anonymous_schema(fuzz_app: FastAPI) -> OpenApiSchema:
    return load(fuzz_app, ANONYMOUS_CONFIG)


@pytest.fixture(autouse=True)
def _schemathesis_node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy loader renames the test through ``node._nodeid``,
    which pytest 9.2 no longer has; give it one to rename."""
    request.node._nodeid = request.node.nodeid


def readable_errors(ctx: CheckContext, response: Response, case: FuzzCase) -> bool | None:
    """No 5xx; every 4xx is ``{"error": <Japanese message>, "detail": ...}``.
    A HEAD answer has no body by definition (HTTP), so only its status is checked."""
    status = response.status_code
    assert status < 500, f"server error {status}: {response.text[:500]}"
    if status < 400 or response.request.method == "HEAD":
        return None
    try:
        body: Any = response.json()
    except ValueError:
        raise AssertionError(f"{status} body is not JSON: {response.text[:200]!r}") from None
    assert isinstance(body, dict), f"{status} body is not an object: {body!r}"
    message = body.get("error")
    assert isinstance(message, str), f"{status} body has no error message: {body!r}"
    assert JAPANESE.search(message), f"{status} error is not a Japanese message: {message!r}"
    return None


def check(case: FuzzCase, headers: dict[str, str] | None = None) -> None:
    case.call_and_validate(headers=headers, additional_checks=[readable_errors])


as_admin = schemathesis.pytest.from_fixture("admin_schema")
as_viewer = schemathesis.pytest.from_fixture("viewer_schema")
without_token = schemathesis.pytest.from_fixture("anonymous_schema")


@as_admin.parametrize()
def test_fuzz_as_admin(case: FuzzCase, tokens: dict[str, str]) -> None:
    check(case, auth(tokens["admin"]))


@as_viewer.parametrize()
def test_fuzz_as_viewer(case: FuzzCase, tokens: dict[str, str]) -> None:
    check(case, auth(tokens["viewer"]))


@without_token.parametrize()
def test_fuzz_without_a_token(case: FuzzCase) -> None:
    check(case)


def test_the_schema_documents_the_error_bodies(fuzz_app: FastAPI) -> None:
    """What the fuzzing checks responses against: every documented 4xx/5xx body is
    an ``ErrorPublic``, and every operation behind the token documents its 401."""
    schema = fuzz_app.openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error_ref = {"$ref": "#/components/schemas/ErrorPublic"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    body = response["content"]["application/json"]["schema"]
                    assert body == error_ref, (method, path, status)
            if path not in OPEN_PATHS:
                assert "401" in responses, (method, path)

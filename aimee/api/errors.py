"""One place that turns errors into ``{"error": ..., "detail": ...}`` responses
with a message a person understands (Japanese, for the UI's users)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from aimee.api.schemas import ERROR_DESCRIPTIONS, ErrorPublic
from aimee.errors import AimeeError, Busy, TooManyRequests
from aimee.store.db import is_busy

log = logging.getLogger(__name__)

_MESSAGES: dict[str, str] = {
    "missing": "必須項目です",
    "extra_forbidden": "使用できない項目です",
    "int_parsing": "整数を指定してください",
    "int_type": "整数を指定してください",
    "float_parsing": "数値を指定してください",
    "float_type": "数値を指定してください",
    "bool_parsing": "true または false を指定してください",
    "string_type": "文字列を指定してください",
    "datetime_parsing": "日時をISO 8601形式（例: 2025-10-23T15:40:00）で指定してください",
    "datetime_from_date_parsing": "日時をISO 8601形式（例: 2025-10-23T15:40:00）で指定してください",
    "json_invalid": "JSONとして読み取れません",
    "model_attributes_type": "オブジェクトを指定してください",
    "list_type": "配列を指定してください",
    "dict_type": "オブジェクトを指定してください",
    "string_unicode": "文字として読み取れない値です（ペアになっていないサロゲートなど）",
    "string_pattern_mismatch": "形式が正しくありません",
    "int_from_float": "整数を指定してください",
    "finite_number": "有限の数値を指定してください",
    "bool_type": "true または false を指定してください",
    "datetime_type": "日時をISO 8601形式（例: 2025-10-23T15:40:00）で指定してください",
    "date_parsing": "日付をISO 8601形式（例: 2025-10-23）で指定してください",
    "date_from_datetime_parsing": "日付をISO 8601形式（例: 2025-10-23）で指定してください",
}


_COMPARISONS: dict[str, str] = {
    "greater_than_equal": "以上",
    "greater_than": "より大きい値",
    "less_than_equal": "以下",
    "less_than": "未満",
}


def _with_context(kind: str, ctx: dict[str, Any]) -> str | None:
    """Messages that name the limit or the choices from the error's context."""
    if kind in _COMPARISONS:
        return f"{next(iter(ctx.values()), '')}{_COMPARISONS[kind]}を指定してください"
    if kind in {"string_too_long", "too_long"}:
        return f"長すぎます（最大{ctx.get('max_length', '')}）"
    if kind in {"string_too_short", "too_short"}:
        return f"短すぎます（最小{ctx.get('min_length', '')}）"
    if kind in {"literal_error", "enum"}:
        return f"次のいずれかを指定してください: {ctx.get('expected', '')}"
    if kind in {"value_error", "assertion_error"} and ctx.get("error"):
        return str(ctx["error"])  # our validators' own (Japanese) words, without "Value error, "
    return None


def _japanese(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return _with_context(kind, err.get("ctx") or {}) or str(err.get("msg", "値が正しくありません"))


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "request"


def validation_payload(errors: list[dict[str, Any]]) -> dict[str, Any]:
    detail = [
        {"field": _field(err.get("loc", ())), "message": _japanese(err), "type": err.get("type")}
        for err in errors
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in detail)
    return {"error": f"入力内容に誤りがあります（{summary}）", "detail": detail}


def _http_message(request: Request, status_code: int) -> str:
    """Starlette's and FastAPI's own errors (unknown URL, method, unreadable body)."""
    if status_code == 404:
        return f"{request.url.path} は見つかりません（URLを確認してください）"
    if status_code == 405:
        return f"{request.url.path} では {request.method} メソッドは使用できません"
    if status_code == 400:
        return "リクエストの本文を読み取れません（JSONとUTF-8を確認してください）"
    return f"リクエストを処理できません（HTTP {status_code}）"


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette's own ``Allow``
    names only the first route that matched the path)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def _document_errors(schema: dict[str, Any]) -> None:
    """Make the OpenAPI schema say what the handlers send: every 422 is an
    ``ErrorPublic``, an operation with a body can answer 400 (not JSON or UTF-8),
    and every operation behind the bearer token can answer 401."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorPublic"] = ErrorPublic.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    error = {
        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorPublic"}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:  # FastAPI's default describes its own body, not ours
                described = responses["422"].get("description", "Validation Error")
                responses["422"] = {
                    "description": ERROR_DESCRIPTIONS[422]
                    if described == "Validation Error"
                    else described,
                    "content": error,
                }
            if "requestBody" in operation and "400" not in responses:
                responses["400"] = {"description": ERROR_DESCRIPTIONS[400], "content": error}
            if operation.get("security") and "401" not in responses:
                responses["401"] = {"description": ERROR_DESCRIPTIONS[401], "content": error}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def _install_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document_errors(generate())  # generate() caches the schema on the app
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


DATABASE_BUSY = "ほかの更新が重なって混み合っています。数秒後にもう一度お試しください。"
BUSY_RETRY_AFTER_S = 2


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers and document their responses in the OpenAPI schema."""
    _install_openapi(app)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in {204, 304}:  # no body allowed
            return Response(status_code=exc.status_code, headers=exc.headers)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": _http_message(request, exc.status_code), "detail": exc.detail},
            headers=headers or None,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content=validation_payload(list(exc.errors())))

    @app.exception_handler(AimeeError)
    async def _domain(_: Request, exc: AimeeError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        if isinstance(exc, Busy | TooManyRequests):  # when to try again
            headers = {"Retry-After": str(exc.retry_after_s)}
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": exc.message, "detail": exc.detail},
            headers=headers,
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)  # every pooled connection stuck on a silent server
    async def _database_down(_: Request, exc: Exception) -> JSONResponse:
        if is_busy(exc):  # up, but another write held it longer than this one could wait
            log.info("database busy: %s", getattr(exc, "orig", exc))
            return JSONResponse(
                status_code=503,
                content={"error": DATABASE_BUSY, "detail": None},
                headers={"Retry-After": str(BUSY_RETRY_AFTER_S)},
            )
        log.warning("database unavailable: %s", getattr(exc, "orig", exc))
        return JSONResponse(
            status_code=503,
            content={
                "error": "データベースに接続できません。しばらくしてから再度お試しください。",
                "detail": None,
            },
        )

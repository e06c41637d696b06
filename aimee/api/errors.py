"""One place that turns errors into ``{"error": ..., "detail": ...}`` responses
with a message a person understands (Japanese, for the UI's users)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from aimee.errors import AimeeError

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
}


def _japanese(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        limit = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "以上",
            "greater_than": "より大きい値",
            "less_than_equal": "以下",
            "less_than": "未満",
        }
        return f"{limit}{words[kind]}を指定してください"
    if kind in {"string_too_long", "too_long"}:
        return f"長すぎます（最大{ctx.get('max_length', '')}）"
    if kind in {"string_too_short", "too_short"}:
        return f"短すぎます（最小{ctx.get('min_length', '')}）"
    if kind in {"literal_error", "enum"}:
        return f"次のいずれかを指定してください: {ctx.get('expected', '')}"
    return str(err.get("msg", "値が正しくありません"))


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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content=validation_payload(list(exc.errors())))

    @app.exception_handler(AimeeError)
    async def _domain(_: Request, exc: AimeeError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": exc.message, "detail": exc.detail},
            headers=headers,
        )

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc.orig)
        return JSONResponse(
            status_code=503,
            content={
                "error": "データベースに接続できません。しばらくしてから再度お試しください。",
                "detail": None,
            },
        )

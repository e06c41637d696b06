"""The dashboard's only way to the data: the AIMEE API over HTTP.

Every failure becomes an ``ApiError`` whose message is Japanese and meant for
the person at the screen (never a stack trace): the API's own ``error`` text
when it sent one, else a message for the status or for the network failure.
Reads are retried once when the connection fails, so that a restarting API
costs a moment, not an error."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from aimee.ui import models as m

API = "/api/v1"
DEFAULT_API_URL = "http://127.0.0.1:8000"
RETRY_PAUSE_S = 0.5

STATUS_MESSAGES = {
    401: "ログインが必要です（トークンが無効か失効しています）。",
    403: "この操作を行う権限がありません。",
    404: "対象が見つかりません。",
    409: "他の操作と競合したため実行できませんでした。",
    422: "入力内容に誤りがあります。",
}

T = TypeVar("T")
Params = Mapping[str, str | int | float | None]


class ApiError(Exception):
    """A failed API call, with a message for the user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class StreamEvent:
    kind: str
    data: dict[str, Any]


def make_http(base_url: str, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """One connection pool per API address (chat answers may take a while)."""
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=httpx.Timeout(60.0, connect=5.0),
        transport=transport,
    )


def parse_sse(lines: Iterable[str]) -> Iterator[StreamEvent]:
    """Server-sent events from response lines (``event:``/``data:``, blank line ends one)."""
    kind, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield StreamEvent(kind, json.loads("\n".join(data)))
            kind, data = "message", []
        elif line.startswith("event:"):
            kind = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].strip())
    if data:
        yield StreamEvent(kind, json.loads("\n".join(data)))


def _error_from(response: httpx.Response) -> ApiError:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return ApiError(body["error"], status)
    if status >= 500:
        message = (
            f"APIサーバーでエラーが発生しました（HTTP {status}）。"
            "しばらくしてから再度お試しください。"
        )
        return ApiError(message, status)
    fallback = f"リクエストに失敗しました（HTTP {status}）。"
    return ApiError(STATUS_MESSAGES.get(status, fallback), status)


class ApiClient:
    """Typed calls to the API as one user (the bearer of ``token``)."""

    def __init__(self, http: httpx.Client, token: str | None = None) -> None:
        self._http = http
        self.token = token

    @property
    def base_url(self) -> str:
        return str(self._http.base_url)

    def with_token(self, token: str | None) -> ApiClient:
        return ApiClient(self._http, token)

    # --- plumbing -------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {} if not self.token else {"Authorization": f"Bearer {self.token}"}

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except httpx.TimeoutException:
            raise ApiError(
                "APIサーバーの応答がありません（タイムアウト）。しばらくしてから再度お試しください。"
            ) from None
        except httpx.TransportError:
            raise ApiError(
                f"APIサーバー（{self.base_url}）に接続できません。"
                "起動しているか確認し、しばらくしてから再度お試しください。"
            ) from None

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        def once() -> httpx.Response:
            with self._translated():
                return self._http.request(method, API + path, headers=self._headers(), **kwargs)

        try:
            return once()
        except ApiError:
            if method != "GET":
                raise
        time.sleep(RETRY_PAUSE_S)  # a read may try again once: the API may be restarting
        return once()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if response.status_code >= 400:
            raise _error_from(response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError("APIの応答を読み取れませんでした。", response.status_code) from None

    def _typed(self, kind: type[T] | Any, method: str, path: str, **kwargs: Any) -> T:
        data = self._call(method, path, **kwargs)
        try:
            result: T = TypeAdapter(kind).validate_python(data)
        except ValidationError:
            raise ApiError("APIの応答の形式が想定と異なります。") from None
        return result

    @staticmethod
    def _params(params: Params) -> dict[str, str | int | float]:
        return {k: v for k, v in params.items() if v is not None and v != ""}

    # --- endpoints ------------------------------------------------------------

    def me(self) -> m.Me:
        return self._typed(m.Me, "GET", "/me")

    def progress(self) -> list[m.QueueProgress]:
        return self._typed(list[m.QueueProgress], "GET", "/progress")

    def queue_history(
        self, location: str, business_id: str, process: str, *, since: datetime | None = None
    ) -> m.QueueHistory:
        path = "/progress/" + "/".join(quote(p, safe="") for p in (location, business_id, process))
        params = self._params({"since": None if since is None else since.isoformat()})
        return self._typed(m.QueueHistory, "GET", path + "/history", params=params)

    def staffing(self, *, location: str | None = None) -> m.StaffTimeline:
        """Who worked where today, and the moves approved but not carried out yet."""
        params = self._params({"location": location})
        return self._typed(m.StaffTimeline, "GET", "/staffing", params=params)

    def queue_day(self, location: str, business_id: str, process: str) -> m.QueueDay:
        """One queue's day in 15-minute intervals, forecast vs actual, and the rest of it."""
        path = "/progress/" + "/".join(quote(p, safe="") for p in (location, business_id, process))
        return self._typed(m.QueueDay, "GET", path + "/intraday")

    def operators(self, *, location: str | None = None) -> list[m.OperatorInfo]:
        params = self._params({"location": location, "limit": 1000})
        return self._typed(list[m.OperatorInfo], "GET", "/operators", params=params)

    def chat_stream(self, message: str, session_id: str) -> Iterator[StreamEvent]:
        body = {"message": message, "session_id": session_id}
        with (
            self._translated(),
            self._http.stream(
                "POST", API + "/chat/stream", json=body, headers=self._headers()
            ) as response,
        ):
            if response.status_code >= 400:
                response.read()
                raise _error_from(response)
            try:
                yield from parse_sse(response.iter_lines())
            except ValueError:
                raise ApiError("チャットの応答を読み取れませんでした。") from None

    def plan_day(self) -> m.DayPlanStatus:
        """Start (or join) the plan for the rest of the day on the current data."""
        return self._typed(m.DayPlanStatus, "POST", "/plan/day")

    def day_plan(self, job_id: str, *, wait_s: float = 0.0) -> m.DayPlanStatus:
        """Where a plan for the rest of the day stands (waiting up to ``wait_s`` for it)."""
        params = self._params({"wait_s": wait_s or None})
        return self._typed(m.DayPlanStatus, "GET", f"/plan/day/{quote(job_id)}", params=params)

    def suggestions(self, *, status: str | None = None, limit: int = 100) -> list[m.Suggestion]:
        params = self._params({"status": status, "limit": limit})
        return self._typed(list[m.Suggestion], "GET", "/suggestions", params=params)

    def suggestion(self, suggestion_id: str) -> m.Suggestion:
        return self._typed(m.Suggestion, "GET", f"/suggestions/{quote(suggestion_id)}")

    def replan(self, suggestion_id: str) -> m.Suggestion:
        return self._typed(m.Suggestion, "POST", f"/suggestions/{quote(suggestion_id)}/replan")

    def preview(self, suggestion_id: str, changes: list[dict[str, Any]]) -> m.Preview:
        path = f"/suggestions/{quote(suggestion_id)}/preview"
        return self._typed(m.Preview, "POST", path, json={"changes": changes})

    def act(
        self,
        suggestion_id: str,
        action: str,
        *,
        reason: str | None = None,
        changes: list[dict[str, Any]] | None = None,
    ) -> m.Approval:
        body: dict[str, Any] = {"action": action, "feedback_reason": reason or None}
        if changes is not None:
            body["changes"] = changes
        path = f"/approvals/{quote(suggestion_id)}/action"
        return self._typed(m.Approval, "POST", path, json=body)

    def approvals(self, **filters: str | int | None) -> m.ApprovalPage:
        params = self._params({"limit": 200, **filters})
        return self._typed(m.ApprovalPage, "GET", "/approvals", params=params)

    def set_execution(self, approval_history_id: int, status: str) -> m.Approval:
        path = f"/approvals/{approval_history_id}/execution"
        return self._typed(m.Approval, "PATCH", path, json={"status": status})

    def knowledge(self, *, category: str | None = None) -> m.KnowledgePage:
        params = self._params({"category": category, "limit": 1000})
        return self._typed(m.KnowledgePage, "GET", "/knowledge", params=params)

    def search_knowledge(self, query: str, *, k: int = 3) -> list[m.KnowledgeHit]:
        params = self._params({"q": query, "k": k})
        return self._typed(list[m.KnowledgeHit], "GET", "/knowledge/search", params=params)

    def save_knowledge(self, fields: Mapping[str, str], document_id: int | None = None) -> None:
        if document_id is None:
            self._call("POST", "/knowledge", json=dict(fields))
        else:
            self._call("PUT", f"/knowledge/{document_id}", json=dict(fields))

    def delete_knowledge(self, document_id: int) -> None:
        self._call("DELETE", f"/knowledge/{document_id}")

    def alerts(self) -> m.AlertPage:
        """Open and acknowledged alerts, most severe first."""
        params = self._params({"status": "active", "limit": 500})
        return self._typed(m.AlertPage, "GET", "/alerts", params=params)

    def chat_feedback(
        self,
        *,
        session_id: str,
        question: str,
        answer: str,
        good: bool,
        intent_type: str | None,
        suggestion_id: str | None,
    ) -> None:
        """Keep a thumbs up or down on an answer."""
        body = {
            "session_id": session_id,
            "question": question,
            "answer": answer,
            "rating": "up" if good else "down",
            "intent_type": intent_type,
            "suggestion_id": suggestion_id,
        }
        self._call("POST", "/chat/feedback", json=body)

    def acknowledge(self, alert_id: int) -> None:
        self._call("POST", f"/alerts/{alert_id}/acknowledge")

    def alert_suggestion(self, alert_id: int) -> m.Suggestion:
        return self._typed(m.Suggestion, "POST", f"/alerts/{alert_id}/suggestion")

    def export(self, kind: str, fmt: str = "csv", **bounds: str | None) -> bytes:
        """A download (``/exports/{kind}``) as file bytes; ``bounds``: from/to."""
        params = self._params({"format": fmt, **bounds})
        response = self._send("GET", f"/exports/{kind}", params=params)
        if response.status_code >= 400:
            raise _error_from(response)
        return response.content

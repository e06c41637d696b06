"""The API client on a fake transport: Japanese errors, one retry for reads,
server-sent events, and the streamed chat turn."""

from __future__ import annotations

import httpx
import pytest

from aimee.ui.chat import StreamedTurn
from aimee.ui.client import ApiClient, ApiError, StreamEvent, make_http, parse_sse

SUGGESTION = {
    "id": "SGT20251023-ABCDEF12",
    "changes": [
        {
            "from": "盛岡",
            "to": "札幌",
            "process": "エントリ1",
            "business_id": "523201",
            "count": 2,
            "operators": ["高山麻由子", "竹下朱美"],
            "operator_ids": [17, 23],
        }
    ],
    "impact": {"productivity": "+25%", "delay": "-30分", "quality": "維持"},
    "reason": "…",
    "rules_used": [],
    "status": "pending",
    "created_at": "2025-10-23T15:40:00",
    "expires_at": "2025-10-24T15:40:00",
}


def client_for(handler: httpx.MockTransport) -> ApiClient:
    return ApiClient(make_http("http://api.test", transport=handler), "aimee_token")


def test_the_apis_own_message_is_kept() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer aimee_token"
        return httpx.Response(409, json={"error": "提案Xは既に承認済みです", "detail": None})

    with pytest.raises(ApiError) as caught:
        client_for(httpx.MockTransport(handler)).act("X", "approve")
    assert (caught.value.message, caught.value.status) == ("提案Xは既に承認済みです", 409)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "この操作を行う権限がありません。"),
        (
            502,
            "APIサーバーでエラーが発生しました（HTTP 502）。しばらくしてから再度お試しください。",
        ),
    ],
)
def test_statuses_without_a_message_get_one(status: int, message: str) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, text="<html>oops</html>"))
    with pytest.raises(ApiError, match=message.replace("（", ".").replace("）", ".")):
        client_for(transport).progress()


def test_a_read_is_retried_once_when_the_connection_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("aimee.ui.client.RETRY_PAUSE_S", 0.0)
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(
            200, json={"user_name": "a", "role": "viewer", "role_label": "閲覧者"}
        )

    assert client_for(httpx.MockTransport(handler)).me().role == "viewer"
    assert calls == ["/api/v1/me", "/api/v1/me"]


def test_a_write_is_not_retried_and_the_failure_reads_well() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ApiError, match=r"APIサーバー（http://api.test）に接続できません"):
        client_for(httpx.MockTransport(handler)).act("X", "reject")
    assert calls == ["POST"]


def test_an_unexpected_body_is_a_readable_error() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json={"unexpected": True}))
    with pytest.raises(ApiError, match="APIの応答の形式が想定と異なります。"):
        client_for(transport).me()


def test_server_sent_events_are_parsed() -> None:
    lines = ["event: meta", 'data: {"a": 1}', "", "event: delta", 'data: {"text": "札幌"}', ""]
    assert list(parse_sse(lines)) == [
        StreamEvent("meta", {"a": 1}),
        StreamEvent("delta", {"text": "札幌"}),
    ]


def test_the_chat_stream_over_http() -> None:
    body = (
        'event: meta\ndata: {"intent": null, "suggestion": null, "sources": []}\n\n'
        'event: delta\ndata: {"text": "こんにちは"}\n\n'
        'event: done\ndata: {"response": "こんにちは", "answer_source": "template"}\n\n'
    )
    transport = httpx.MockTransport(
        lambda _: httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})
    )
    kinds = [e.kind for e in client_for(transport).chat_stream("やあ", "s")]
    assert kinds == ["meta", "delta", "done"]


def test_a_streamed_turn_assembles_the_reply_and_honours_replace() -> None:
    events = [
        StreamEvent("meta", {"intent": None, "suggestion": SUGGESTION, "sources": []}),
        StreamEvent("delta", {"text": "LLMの"}),
        StreamEvent("delta", {"text": "回答"}),
        StreamEvent("replace", {"text": "テンプレートの回答"}),
        StreamEvent("done", {"response": "テンプレートの回答", "answer_source": "template"}),
    ]
    turn = StreamedTurn(events)
    assert list(turn.text()) == ["LLMの", "回答"]
    reply = turn.reply()
    assert reply.response == "テンプレートの回答"
    assert reply.suggestion is not None
    assert reply.suggestion.changes[0].from_ == "盛岡"
    assert reply.suggestion.changes[0].operators == ["高山麻由子", "竹下朱美"]


def test_a_stream_cut_before_any_answer_is_an_error() -> None:
    turn = StreamedTurn([StreamEvent("meta", {"suggestion": None, "sources": []})])
    assert list(turn.text()) == []
    with pytest.raises(ApiError, match="途中で途切れました"):
        turn.reply()


def test_chat_feedback_is_posted_once_with_its_context() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        import json

        seen.append({"path": request.url.path, **json.loads(request.content)})
        return httpx.Response(
            201, json={"feedback_id": 1, "rating": "down", "created_at": "2025-10-23T15:40:00"}
        )

    client_for(httpx.MockTransport(handler)).chat_feedback(
        session_id="ui-1",
        question="札幌の進捗は？",
        answer="札幌のエントリ1は…",
        good=False,
        intent_type="status_inquiry",
        suggestion_id=None,
    )
    assert seen == [
        {
            "path": "/api/v1/chat/feedback",
            "session_id": "ui-1",
            "question": "札幌の進捗は？",
            "answer": "札幌のエントリ1は…",
            "rating": "down",
            "intent_type": "status_inquiry",
            "suggestion_id": None,
        }
    ]

"""The chat through HTTP on the demo day (no LLM: the template composer)."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from aimee.llm.wording import MAX_LISTED
from aimee.services.chat import KNOWHOW_MIN_SIMILARITY

SEED_MESSAGE = "札幌のエントリ1工程が遅延しています"


def post(client: TestClient, message: str, session_id: str = "t1") -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/chat/message", json={"message": message, "session_id": session_id, "context": {}}
    )
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def test_the_seeds_example(client: TestClient) -> None:
    body = post(client, SEED_MESSAGE)
    assert body["intent"]["intent_type"] == "deadline_optimization"
    assert body["intent"]["entities"]["location"] == "札幌"
    assert body["intent"]["entities"]["process"] == "エントリ1"
    assert body["intent"]["requires_action"] is True
    text = body["response"]
    assert "残り20分" in text and "残タスク120件" in text
    suggestion = body["suggestion"]
    assert re.fullmatch(r"SGT20251023-[0-9A-F]{8}", suggestion["id"])
    assert suggestion["status"] == "pending"
    # 20 late tasks. One operator would finish exactly at 16:00; the plan aims to finish
    # AIMEE_MARGIN_MINUTES (10) before the deadline, so more help comes, all into 札幌.
    assert {(c["to"], c["process"]) for c in suggestion["changes"]} == {("札幌", "エントリ1")}
    assert sum(c["count"] for c in suggestion["changes"]) > 1
    assert suggestion["impact"]["late_tasks_before"] == 20.0
    assert suggestion["impact"]["late_tasks_after"] == 0.0
    assert suggestion["impact"]["delay"].startswith("-")  # done earlier than 16:04
    assert any("納期の10分前までに終えることを目標" in r for r in suggestion["rules_used"])
    # the answer lists the first MAX_LISTED moves (with loans the plan may use all ten)
    names = [name for change in suggestion["changes"] for name in change["operators"]]
    listed = [name for name in names if f"{name}さん" in text]
    assert len(listed) == min(len(names), MAX_LISTED)
    # only notes similar enough are cited (KNOWHOW_MIN_SIMILARITY); here the seed's own case
    assert [s["title"] for s in body["sources"]] == ["過去事例: 月末の札幌エントリ1遅延"]
    for source in body["sources"]:
        assert source["title"] in text
        assert KNOWHOW_MIN_SIMILARITY <= source["similarity"] <= 1
    stored = client.get(f"/api/v1/suggestions/{suggestion['id']}")
    assert stored.status_code == 200
    assert stored.json()["changes"] == suggestion["changes"]


def test_a_follow_up_uses_the_previous_turn(client: TestClient) -> None:
    first = post(client, SEED_MESSAGE, session_id="follow")
    donor = first["suggestion"]["changes"][0]["from"]
    second = post(client, f"その場合、{donor}は大丈夫？", session_id="follow")
    assert second["intent"]["intent_type"] == "impact_analysis"
    assert donor in second["response"]
    assert "遅延見込み" in second["response"]


def test_status_and_skill_search(client: TestClient) -> None:
    status = post(client, "梅田のエントリ1の残件数は？")
    assert status["intent"]["intent_type"] == "status_inquiry"
    assert "梅田のエントリ1" in status["response"]
    skills = post(client, "エントリ1のLv4以上で経験3年以上の人は？")
    assert skills["intent"]["intent_type"] == "skill_search"
    assert "条件に合うオペレータは" in skills["response"]
    operator_lines = [
        line for line in skills["response"].splitlines() if re.search(r"エントリ1 Lv\d・経験", line)
    ]
    assert operator_lines
    for line in operator_lines:
        level, months = re.search(r"Lv(\d)・経験(\d+)ヶ月", line).groups()  # type: ignore[union-attr]
        assert int(level) >= 4 and int(months) >= 36


def test_delay_risk_lists_the_late_queues(client: TestClient) -> None:
    body = post(client, "納期に間に合わない工程はある？")
    assert body["intent"]["intent_type"] == "delay_risk_detection"
    assert "間に合わない見込みの工程は" in body["response"]
    assert body["suggestion"] is None


def test_bad_messages_are_422_with_a_readable_message(client: TestClient) -> None:
    for bad in ({"message": ""}, {"message": "   "}, {"message": "あ" * 2001}, {"message": 123}):
        response = client.post("/api/v1/chat/message", json=bad)
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["field"] == "message"
    blank = client.post("/api/v1/chat/message", json={"message": " "})
    assert "メッセージを入力してください" in blank.json()["error"]


def test_streaming_sends_meta_then_the_answer(client: TestClient) -> None:
    with client.stream(
        "POST", "/api/v1/chat/stream", json={"message": SEED_MESSAGE, "session_id": "s"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n")[1][6:]))
        for block in raw.strip().split("\n\n")
    ]
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done"
    assert events[0][1]["suggestion"]["id"].startswith("SGT")
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert streamed == events[-1][1]["response"]
    assert events[-1][1]["answer_source"] == "template"


def test_feedback_is_stored_with_the_user(client: TestClient, demo_app: object) -> None:
    from sqlalchemy import select

    from aimee.store.models import ChatFeedback

    body = {
        "session_id": "fb",
        "question": "札幌の進捗は？",
        "answer": "札幌のエントリ1は残り20分です。",
        "rating": "up",
        "intent_type": "status_inquiry",
    }
    response = client.post("/api/v1/chat/feedback", json=body)
    assert response.status_code == 201
    feedback_id = response.json()["feedback_id"]
    with demo_app.state.components.sessions() as session:  # type: ignore[attr-defined]
        row = session.scalar(select(ChatFeedback).where(ChatFeedback.feedback_id == feedback_id))
    assert row is not None
    assert (row.user_name, row.rating, row.question) == ("test-admin", 1, "札幌の進捗は？")
    bad = client.post("/api/v1/chat/feedback", json={**body, "rating": "meh"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "rating"

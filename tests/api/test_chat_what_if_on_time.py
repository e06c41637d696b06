"""Two requests that named a queue the data then answered about something else, through
HTTP on the demo day; expected figures come from /progress, never from the chat's facts."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from tests.api.test_chat import post


def test_adding_people_to_a_queue_on_time_already_gets_a_verdict(client: TestClient) -> None:
    both = [  # 盛岡のエントリ1 of each business: on time on the demo day
        q
        for q in client.get("/api/v1/progress").json()
        if (q["location"], q["process"]) == ("盛岡", "エントリ1")
    ]
    assert both and all(q["late_tasks_at_deadline"] == 0 for q in both)
    body = post(client, "盛岡のエントリ1に2人増やしたらどうなる？", "on-time-add")
    assert body["request"]["kind"] == "what_if" and body["suggestion"] is None
    first = body["response"].split("。")[0]
    assert first.startswith("盛岡のエントリ1は今のままでも納期に間に合う見込みです")
    done = [datetime.fromisoformat(q["projected_completion"]) + timedelta(seconds=30) for q in both]
    assert any(f"完了見込み{d:%H:%M}" in first for d in done)
    assert "2名増やしても遅延見込みは0件のままで、変わりません。" in body["response"]
    assert "配置変更は不要" not in body["response"]  # a what-if's verdict, not a plan's


def test_queues_named_by_their_deadline_in_a_delay_question(client: TestClient) -> None:
    due = [
        q
        for q in client.get("/api/v1/progress").json()
        if datetime.fromisoformat(q["deadline"]).strftime("%H:%M") == "17:40"
    ]
    late = [q for q in due if q["late_tasks_at_deadline"]]
    assert due and late  # the demo day: some due then, not all on time
    body = post(client, "17時40分締めの工程、全部大丈夫？", "due-1740")
    assert body["request"]["kind"] == "delay_risk"
    targets = {(t["location"], t["process"]) for t in body["request"]["slots"]["targets"]}
    assert targets == {(q["location"], q["process"]) for q in due}
    text = body["response"]
    assert f"間に合わない見込みの工程は{len(late)}件です" in text
    others = [
        q
        for q in client.get("/api/v1/progress").json()
        if q not in due and q["late_tasks_at_deadline"]
    ]
    assert others and not any(f"{q['location']}の{q['process']}（" in text for q in others)

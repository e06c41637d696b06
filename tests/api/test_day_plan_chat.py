"""The plan for the rest of the day in the chat (「今日の残りどう回す？」), through HTTP: an
approver's question starts the job (or finds the one on the same data) and the answer
states its figures, the moves to approve with their loans and the intended timeline, as
the card carries them; anyone else sees a plan made, or is told who can make one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.cache.memory import MemoryCache
from aimee.llm.responder import Responder
from aimee.services.chat import ChatService
from aimee.services.conversation import ConversationMemory
from aimee.services.day_plan import DayPlanner
from aimee.services.day_plan_solve import at_once
from tests.api.conftest import auth, components_with, day_planner
from tests.conftest import DEMO_NOW

ASK = "今日の残りどう回す？"


@contextmanager
def chat_over(app: FastAPI, planner: DayPlanner, *, wait_s: float | None = None) -> Iterator[None]:
    """The app's chat with ``planner`` (its own conversations)."""
    parts = app.state.components
    chat = ChatService(
        memory=ConversationMemory(MemoryCache()),
        knowledge=parts.knowledge,
        responder=Responder(),
        policy=parts.policy,
        day_plans=planner,
        day_plan_wait_s=wait_s,
    )
    with components_with(app, chat=chat, day_plans=planner):
        yield


def _ask(client: TestClient, text: str, session_id: str = "day") -> dict[str, Any]:
    reply = client.post("/api/v1/chat/message", json={"message": text, "session_id": session_id})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_an_approver_s_question_makes_the_plan_and_the_answer_states_it(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    planner = day_planner(app, at_once)
    with chat_over(app, planner), TestClient(app, headers=auth(tokens["approver"])) as client:
        body = _ask(client, ASK)
        assert body["request"]["kind"] == "plan" and body["request"]["horizon"] == "day"
        assert body["intent"]["intent_type"] == "deadline_optimization"
        card = body["suggestion"]
        assert card is not None and card["day"] is not None and card["status"] == "pending"
        day, timeline = card["day"], card["timeline"]
        answer = body["response"]
        first = answer.splitlines()[0]
        before, after = round(day["late_before"]), round(day["late_after"])
        moved = [name for c in card["changes"] for name in c["operators"]]
        assert first.startswith(f"本日の残りの計画: 今{len(moved)}名を動かし")
        assert f"その後{len(timeline)}件の移動" in first
        figures = f"{before:,}件→0件" if after == 0 else f"{before:,}件から{after:,}件"
        assert figures in first
        assert all(f"{name}さん" in answer for name in moved)
        loans = [c for c in card["changes"] if c["until"] is not None]
        assert len(answer.split("まで応援")) - 1 >= len(loans) > 0  # the demo day lends
        assert f"今後の予定（{len(timeline)}件）" in answer
        assert card["id"] in answer  # the card to approve is named
        # the same card as the planner's own page shows
        job = client.post("/api/v1/plan/day").json()
        assert job["suggestion_id"] == card["id"] and job["day"] == day
        again = _ask(client, "本日の残りの配置計画は？", session_id="again")
        assert again["suggestion"]["id"] == card["id"]
        assert planner.solves == 1


def test_a_viewer_sees_a_plan_made_but_cannot_start_one(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    planner = day_planner(app, at_once)
    with chat_over(app, planner), TestClient(app) as client:
        viewer, approver = auth(tokens["viewer"]), auth(tokens["approver"])
        client.headers.update(viewer)
        refused = _ask(client, ASK)
        assert refused["suggestion"] is None and planner.solves == 0
        assert "承認者以上" in refused["response"]
        english = _ask(client, "Plan the rest of the day", session_id="en")["response"]
        assert english.startswith("No plan for the rest of the day has been made yet")
        client.headers.update(approver)
        made = _ask(client, ASK, session_id="approver")["suggestion"]
        client.headers.update(viewer)
        seen = _ask(client, ASK, session_id="viewer")
        assert seen["suggestion"]["id"] == made["id"] and planner.solves == 1
        assert seen["response"].startswith("本日の残りの計画: ")


def test_a_plan_still_being_made_says_so_and_is_stated_once_done(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    waiting: list[Callable[[], None]] = []
    planner = day_planner(app, waiting.append)
    headers = auth(tokens["approver"])
    with chat_over(app, planner, wait_s=0), TestClient(app, headers=headers) as client:
        running = _ask(client, ASK)
        assert running["suggestion"] is None
        assert running["response"].startswith("本日の残りの計画を計算しています（")
        waiting.pop()()
        done = _ask(client, ASK)
        assert done["suggestion"] is not None and planner.solves == 1
        assert done["response"].startswith("本日の残りの計画: ")


def test_in_english(day_app: tuple[FastAPI, dict[str, str]]) -> None:
    app, tokens = day_app
    planner = day_planner(app, at_once)
    headers = auth(tokens["approver"])
    with chat_over(app, planner), TestClient(app, headers=headers) as client:
        body = _ask(client, "Plan the rest of the day, please")
        assert body["request"]["horizon"] == "day"
        day = body["suggestion"]["day"]
        assert body["response"].startswith("Plan for the rest of the day: ")
        assert (
            f"from {round(day['late_before']):,} to {round(day['late_after']):,}"
            in (body["response"])
        )


def test_a_plan_made_on_newer_data_replaces_the_pending_one(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    planner = day_planner(app, at_once)
    parts = app.state.components
    headers = auth(tokens["approver"])
    with chat_over(app, planner), TestClient(app, headers=headers) as client:
        older = _ask(client, ASK)["suggestion"]
        later = parts.settings.model_copy(update={"now": DEMO_NOW + timedelta(minutes=5)})
        with components_with(app, settings=later):
            newer = _ask(client, ASK, session_id="later")["suggestion"]
            assert newer["id"] != older["id"] and newer["status"] == "pending"
            assert client.get(f"/api/v1/suggestions/{older['id']}").json()["status"] == ("expired")
            refused = client.post(
                f"/api/v1/approvals/{older['id']}/action", json={"action": "approve"}
            )
            assert refused.status_code == 409
            assert "本日の残りの計画に置き換えられました" in refused.json()["error"]
            # the newer card no longer lists the older one's people as wanted elsewhere
            assert not client.get(f"/api/v1/suggestions/{newer['id']}").json()["overlaps"]


def test_one_chat_turn_waits_for_a_plan_and_the_others_answer_at_once(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    """A turn waiting for the plan holds one of the chat's few slots: while one waits,
    another asking gets 「計算しています」 at once instead of holding a second."""
    app, _tokens = day_app
    waiting: list[Callable[[], None]] = []
    planner = day_planner(app, waiting.append)
    with app.state.components.sessions() as session:
        job = planner.request(session, now=DEMO_NOW + timedelta(minutes=9), user="boss")
    waited: list[bool] = []
    first = threading.Thread(target=lambda: waited.append(planner.wait_in_chat(job.id, 60)))
    first.start()
    deadline = time.monotonic() + 10
    while planner.chat_waiters_free():  # until the first turn waits
        assert time.monotonic() < deadline, "the first turn never waited"
    assert planner.wait_in_chat(job.id, 60) is False  # answered at once
    waiting.pop()()  # the solve: the first turn's wait ends
    first.join(timeout=30)
    assert waited == [True]
    assert planner.wait_in_chat(job.id, 60) is True  # done: nothing to wait for


def test_follow_ups_of_a_day_plan_say_what_they_cover(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    planner = day_planner(app, at_once)
    parts = app.state.components
    later = parts.settings.model_copy(update={"now": DEMO_NOW + timedelta(minutes=20)})
    headers = auth(tokens["approver"])
    with (
        chat_over(app, planner),
        components_with(app, settings=later),
        TestClient(app, headers=headers) as client,
    ):
        card = _ask(client, ASK, session_id="follow")["suggestion"]
        leaving_later = [
            s
            for s in card["timeline"]
            if s["from"] == "盛岡" and s["from_process"] and not s["returning"]
        ]
        donor = _ask(client, "その場合、盛岡は大丈夫？", session_id="follow")
        assert donor["request"]["kind"] == "donor_check"
        text = donor["response"]
        assert f"この確認は今の移動（提案{card['id']}）だけが対象です。" in text
        if leaving_later:
            assert f"ここから{len(leaving_later)}名が移ります" in text
            assert f"{leaving_later[0]['operator']}さん→" in text
        else:
            assert "今後の予定でも、ここから移る人はいません。" in text
        capped = _ask(client, "じゃあ2名までなら？", session_id="follow")
        assert capped["request"]["kind"] == "plan" and capped["request"]["horizon"] is None
        assert "これは今の移動だけの案です" in capped["response"]


def test_a_rejected_newest_plan_leaves_no_intended_timeline(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    """配置の推移 draws the newest day plan's timeline: rejected, it draws none, not an older
    approved plan's stale one."""
    app, tokens = day_app
    planner = day_planner(app, at_once)
    parts = app.state.components
    headers = auth(tokens["approver"])
    first_at = parts.settings.model_copy(update={"now": DEMO_NOW + timedelta(minutes=30)})
    then_at = parts.settings.model_copy(update={"now": DEMO_NOW + timedelta(minutes=35)})
    with chat_over(app, planner), TestClient(app, headers=headers) as client:
        with components_with(app, settings=first_at):
            older = _ask(client, ASK, session_id="older")["suggestion"]
            approved = client.post(
                f"/api/v1/approvals/{older['id']}/action", json={"action": "approve"}
            )
            assert approved.status_code == 200, approved.text
        with components_with(app, settings=then_at):
            newer = _ask(client, ASK, session_id="newer")["suggestion"]
            staffing = client.get("/api/v1/staffing").json()
            assert staffing["intended_made_at"] == then_at.now.isoformat()  # the newest
            rejected = client.post(
                f"/api/v1/approvals/{newer['id']}/action", json={"action": "reject"}
            )
            assert rejected.status_code == 200, rejected.text
            staffing = client.get("/api/v1/staffing").json()
            assert staffing["intended"] == [] and staffing["intended_made_at"] is None

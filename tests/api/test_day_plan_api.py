"""The plan for the rest of the day through HTTP: started by an approver, solved as a job
(followed while it runs, shared by requests on the same data), its first moves a pending
suggestion carrying the intended timeline, approved as any other, and drawn by 配置の推移."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from aimee.cache.base import get_json, set_json
from aimee.cache.memory import MemoryCache
from aimee.services.day_plan import STALE_AFTER_S
from aimee.services.day_plan_solve import at_once, solve_apart
from aimee.store.db import transaction
from tests.api.conftest import DAY_PLAN_LIMIT_S, auth, components_with, day_planner
from tests.conftest import DEMO_NOW

LIMIT_S = DAY_PLAN_LIMIT_S
LATER = DEMO_NOW + timedelta(minutes=1)


def test_a_job_runs_in_the_background_and_is_shared_by_requests_on_the_same_data(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    waiting: list[Callable[[], None]] = []
    shared = MemoryCache()
    # the job runs when the test says so, its solve in a process of its own (the default)
    planner = day_planner(app, waiting.append, shared, solve_apart)
    with (
        components_with(app, day_plans=planner),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        started = client.post("/api/v1/plan/day")
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["state"] == "running" and 0.0 <= job["progress"] < 1.0
        assert job["started_at"] == DEMO_NOW.isoformat() and job["suggestion"] is None
        again = client.post("/api/v1/plan/day")
        assert again.status_code == 202 and again.json()["id"] == job["id"]
        assert planner.solves == 1 and len(waiting) == 1
        viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
        assert client.get(f"/api/v1/plan/day/{job['id']}", headers=viewer).json()["state"] == (
            "running"
        )
        waiting.pop()()  # the solve
        done = client.get(f"/api/v1/plan/day/{job['id']}", params={"wait_s": 5}).json()
        assert done["state"] == "done" and done["progress"] == 1.0

    other = day_planner(app, waiting.append, shared)  # another API process
    with (
        components_with(app, day_plans=other),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        assert client.get(f"/api/v1/plan/day/{job['id']}").json() == done
        same = client.post("/api/v1/plan/day")  # the same data: that plan, no new solve
        assert same.status_code == 200 and same.json()["id"] == job["id"]
        assert planner.solves + other.solves == 1 and not waiting


def test_viewers_cannot_start_one_and_an_unknown_job_is_404(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    with TestClient(app, headers=auth(tokens["viewer"])) as client:
        refused = client.post("/api/v1/plan/day")
        assert refused.status_code == 403 and "承認者" in refused.json()["error"]
        missing = client.get("/api/v1/plan/day/DP-NOPE")
        assert missing.status_code == 404 and "見つかりません" in missing.json()["error"]
        assert client.get("/api/v1/plan/day/x", params={"wait_s": 11}).status_code == 422


def _later_than_first(card: dict[str, Any]) -> None:
    firsts = {i for c in card["changes"] for i in c["operator_ids"]}
    for step in card["timeline"]:
        assert step["at"] > LATER.isoformat()
        assert step["until"] is None or step["until"] > step["at"]
        assert not (step["returning"] and step["back"])  # home is not a loan to go back from
        assert not step["back"] or step["until"] is not None
        if step["returning"]:  # back on their own queue: a loan of the first moves or later
            assert step["operator_id"] in firsts or any(
                s["operator_id"] == step["operator_id"] and s["at"] < step["at"]
                for s in card["timeline"]
            )


def test_the_first_moves_are_a_suggestion_with_the_timeline_and_approving_approves_them(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app
    # a minute after the other tests' plans: 配置の推移 draws the newest plan for the day
    later = app.state.components.settings.model_copy(update={"now": LATER})
    with (
        components_with(app, day_plans=day_planner(app, at_once), settings=later),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        made = client.post("/api/v1/plan/day").json()
        assert made["state"] == "done", made
        card = made["suggestion"]
        assert card is not None and card["id"] == made["suggestion_id"]
        assert card["status"] == "pending" and card["changes"]
        day = card["day"]
        assert day == made["day"] and day["intervals"] > 0
        assert day["gap"] == 0.0 if day["optimal"] else day["gap"] is None or 0 < day["gap"] <= 1
        assert day["proof"]
        assert day["late_after"] < day["late_before"]
        assert card["timeline"] == made["timeline"] and card["timeline"]
        _later_than_first(card)
        assert "承認するのは今の移動だけ" in card["reason"]
        stored = client.get(f"/api/v1/suggestions/{card['id']}").json()
        assert stored["timeline"] == card["timeline"] and stored["day"] == day
        # a loan of the first moves comes back when the timeline brings the helper back
        for change in card["changes"]:
            for operator_id in change["operator_ids"]:
                back = [
                    s
                    for s in card["timeline"]
                    if s["operator_id"] == operator_id and s["returning"]
                ]
                if change["until"] is not None:
                    assert back and back[0]["at"] >= change["until"]

        # the queues its first moves help link to it (alerts, 工程の推移)
        to = card["changes"][0]
        path = f"/api/v1/progress/{to['to']}/{to['business_id']}/{to['process']}/intraday"
        assert client.get(path).json()["plan_id"] == card["id"]

        staffing = client.get("/api/v1/staffing").json()
        moved = {i for c in card["changes"] for i in c["operator_ids"]}
        intended = staffing["intended"]
        assert staffing["intended_made_at"] == LATER.isoformat()
        assert {m["operator_id"] for m in intended if m["first"]} == moved
        assert len([m for m in intended if not m["first"]]) == len(card["timeline"])
        assert staffing["planned"] == []

        approved = client.post(f"/api/v1/approvals/{card['id']}/action", json={"action": "approve"})
        assert approved.status_code == 200, approved.text
        assert approved.json()["changes"] == card["changes"]  # the first moves, nothing later
        staffing = client.get("/api/v1/staffing").json()
        assert {m["operator_id"] for m in staffing["planned"]} == moved
        assert all(not m["first"] for m in staffing["intended"])  # the rest stays intended
        assert len(staffing["intended"]) == len(card["timeline"])

        # carried out: each loan's way back is listed once, as the approved plan's return
        history = approved.json()["approval_history_id"]
        for status in ("executing", "completed"):
            done = client.patch(f"/api/v1/approvals/{history}/execution", json={"status": status})
            assert done.status_code == 200, done.text
        staffing = client.get("/api/v1/staffing").json()

        def key(m: dict[str, Any]) -> tuple[int, str, str | None]:
            return (m["operator_id"], json.dumps(m["target"], sort_keys=True), m["at"])

        returns = {key(m) for m in staffing["planned"] if m["at"] is not None}
        assert {r[0] for r in returns} == {
            op
            for c in card["changes"]
            if c["until"] is not None
            for op, end in zip(c["operator_ids"], c["shift_ends"], strict=True)
            if end is None or end > c["until"]  # still at work when the loan ends
        }
        assert not returns & {key(m) for m in staffing["intended"]}


def test_a_modified_day_plan_keeps_the_loans_its_card_stated(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    """Dropping one person from the card keeps the others' loans as the timeline has them
    (back early, or not back at all), not re-derived as lasting to the deadline."""
    app, tokens = day_app
    later = app.state.components.settings.model_copy(update={"now": LATER + timedelta(minutes=1)})
    with (
        components_with(app, day_plans=day_planner(app, at_once), settings=later),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        card = client.post("/api/v1/plan/day").json()["suggestion"]
        moves = [(c, op) for c in card["changes"] for op in c["operator_ids"]]
        assert len(moves) >= 2, card["changes"]
        deadline = {
            (q["location"], q["business_id"], q["process"]): q["deadline"]
            for q in client.get("/api/v1/progress").json()
        }
        kept = moves[:-1]
        stated = {op: c["until"] for c, op in kept}
        # the case the fix is for: a kept loan that does not last to its deadline
        assert any(
            c["from_business_id"] is not None
            and c["until"] != deadline[c["to"], c["business_id"], c["process"]]
            for c, _ in kept
        ), card["changes"]
        edited = [
            {
                "to": c["to"],
                "business_id": c["business_id"],
                "process": c["process"],
                "operator_ids": [op],
            }
            for c, op in kept
        ]
        done = client.post(
            f"/api/v1/approvals/{card['id']}/action", json={"action": "modify", "changes": edited}
        )
        assert done.status_code == 200, done.text
        approved = {op: c["until"] for c in done.json()["changes"] for op in c["operator_ids"]}
        assert approved == stated


def test_a_failed_plan_says_so_and_the_next_request_plans_again(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    app, tokens = day_app

    def broken(*_args: Any) -> Any:
        raise RuntimeError("solver crashed")

    shared = MemoryCache()
    with (
        components_with(app, day_plans=day_planner(app, at_once, shared, broken)),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        failed = client.post("/api/v1/plan/day")
        assert failed.status_code == 200
        body = failed.json()
        assert body["state"] == "failed" and body["suggestion"] is None
        assert "計画を作成できませんでした" in body["message"]
        assert "solver" not in body["message"]  # the cause is logged, not shown
    retry = day_planner(app, at_once, shared)
    with (
        components_with(app, day_plans=retry),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        again = client.post("/api/v1/plan/day").json()
        assert again["id"] != body["id"] and again["state"] == "done"
        assert retry.solves == 1


class _Interleaved(MemoryCache):
    """A cache that lets another request in just after a job has claimed its data's key."""

    def __init__(self) -> None:
        super().__init__()
        self.after_claim: Callable[[], None] | None = None

    def add(self, key: str, value: str, ttl_s: float) -> bool:
        claimed = super().add(key, value, ttl_s)
        hook, self.after_claim = self.after_claim, None
        if hook is not None and claimed and key.startswith("dayplan:data:"):
            hook()
        return claimed


def test_two_requests_at_once_on_the_same_data_share_one_solve(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    """Another request arriving while the first claims the data gets the same job (the
    job's record is written before the data's key, so it is never taken for forgotten)."""
    app, _tokens = day_app
    shared, waiting = _Interleaved(), []
    first, second = (
        day_planner(app, waiting.append, shared),
        day_planner(app, waiting.append, shared),
    )
    sessions = app.state.components.sessions
    answers = []

    def meanwhile() -> None:
        with transaction(sessions) as session:
            answers.append(second.request(session, now=LATER, user="b"))

    shared.after_claim = meanwhile
    with transaction(sessions) as session:
        answers.append(first.request(session, now=LATER, user="a"))
    assert len({a.id for a in answers}) == 1
    assert first.solves + second.solves == 1 and len(waiting) == 1


def test_a_job_lost_mid_solve_reads_as_failed_and_is_planned_again(
    day_app: tuple[FastAPI, dict[str, str]],
) -> None:
    """Its API process was restarted mid-solve: no "99%" for an hour."""
    app, tokens = day_app
    shared, waiting = MemoryCache(), []
    planner = day_planner(app, waiting.append, shared)
    with (
        components_with(app, day_plans=planner),
        TestClient(app, headers=auth(tokens["approver"])) as client,
    ):
        job = client.post("/api/v1/plan/day").json()
        key = f"dayplan:job:{job['id']}"
        record = get_json(shared, key)
        assert record is not None and record["state"] == "running"
        record["wall_start"] -= LIMIT_S + STALE_AFTER_S + 1  # started that long ago
        set_json(shared, key, record, 3600)
        lost = client.get(f"/api/v1/plan/day/{job['id']}").json()
        assert lost["state"] == "failed" and "途中で止まりました" in lost["message"]
        again = client.post("/api/v1/plan/day").json()
        assert again["id"] != job["id"] and again["state"] == "running"
        assert planner.solves == 2

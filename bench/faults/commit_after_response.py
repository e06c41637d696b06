"""Fault: the request's COMMIT fails after the endpoint has returned.

A MariaDB restart, a lost connection or a process killed at the wrong moment
can make the COMMIT of a request fail or never happen. The client must then not
be told 200: an approval answered 200 has to be in ``approval_history``.

Unlike the other scripts this one runs the app in-process (FastAPI's
TestClient, the same ASGI stack uvicorn runs) because it injects the fault
inside SQLAlchemy: on its own world (database
``aimee_fault_commit_after_response`` with the demo day) it

1. traces one approval at the ASGI level and prints the order of
   ``http.response.start`` and the request transaction's COMMIT;
2. makes the COMMIT of the request's own transaction raise OperationalError
   (as a dropped MariaDB connection would) during one approval, and compares
   the answer with ``approval_history`` and the suggestion's status, read
   straight from MariaDB.

What counts as loss (exit 1): the approval answered 200 (with an
``approval_history_id``) while no such row exists, or the suggestion is not
in the state the answer claims. A 503 with nothing stored passes.

Run:  .venv/bin/python bench/faults/commit_after_response.py
Touches neither MariaDB's nor Redis's availability.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from common import SEED_QUESTION, Timeline, World, main_guard, verdict, world
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import SessionTransaction


@contextmanager
def patched_commit(replacement: Callable[..., Any]) -> Iterator[None]:
    original = SessionTransaction.commit
    SessionTransaction.commit = replacement  # type: ignore[method-assign]
    try:
        yield
    finally:
        SessionTransaction.commit = original  # type: ignore[method-assign]


def new_suggestion(client: TestClient, session_id: str) -> str:
    body = client.post(
        "/api/v1/chat/message", json={"message": SEED_QUESTION, "session_id": session_id}
    )
    body.raise_for_status()
    return str(body.json()["suggestion"]["id"])


def trace_order(app: FastAPI, token: str, suggestion_id: str) -> list[str]:
    """One approval through the raw ASGI app: the order of what was sent and committed."""
    events: list[str] = []
    original = SessionTransaction.commit

    def traced(self: SessionTransaction, *args: Any, **kwargs: Any) -> Any:
        if self._parent is None:  # the request's transaction, not a flush's subtransaction
            events.append("COMMIT")
        return original(self, *args, **kwargs)

    path = f"/api/v1/approvals/{suggestion_id}/action"
    body = json.dumps({"action": "reject", "feedback_reason": "trace"}).encode()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            events.append(f"response sent ({message['status']})")

    scope = {
        "type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
        "headers": [(b"authorization", f"Bearer {token}".encode()),
                    (b"content-type", b"application/json")],
        "query_string": b"", "root_path": "", "scheme": "http", "server": ("test", 80),
        "client": ("test", 1), "http_version": "1.1", "asgi": {"version": "3.0"}, "app": app,
    }  # fmt: skip
    with patched_commit(traced):
        asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return events


def run(_: argparse.Namespace) -> int:
    timeline = Timeline()
    problems: list[str] = []
    with world("commit_after_response") as w:
        token = w.token("fault_commit", "approver")
        os.environ.update({k: v for k, v in w.env.items() if k.startswith("AIMEE_")})
        from aimee.api.app import create_app
        from aimee.config import get_settings

        get_settings.cache_clear()
        app = create_app()
        timeline.log("world ready; app created in-process")
        with TestClient(
            app, headers={"Authorization": f"Bearer {token}"}, raise_server_exceptions=False
        ) as client:
            events = trace_order(app, token, new_suggestion(client, "trace"))
            timeline.log("one approval at the ASGI level: " + " -> ".join(events))
            sent = next(i for i, e in enumerate(events) if e.startswith("response sent"))
            if events.index("COMMIT") > sent:
                print("  the response is sent before the request's transaction commits")
            suggestion_id = new_suggestion(client, "fault")
            original = SessionTransaction.commit

            def failing(self: SessionTransaction, *args: Any, **kwargs: Any) -> Any:
                if self._parent is None:
                    raise OperationalError("COMMIT", {}, Exception("Lost connection during COMMIT"))
                return original(self, *args, **kwargs)

            with patched_commit(failing):
                response = client.post(
                    f"/api/v1/approvals/{suggestion_id}/action", json={"action": "approve"}
                )
            timeline.log(f"approval with a failing COMMIT answered {response.status_code}")
            problems += compare(w, suggestion_id, response.status_code, response.json())
    return verdict(problems, "commit_after_response")


def compare(w: World, suggestion_id: str, status: int, body: dict[str, Any]) -> list[str]:
    rows = w.query(
        "SELECT approval_history_id, action_type FROM approval_history WHERE suggestion_id = %s",
        (suggestion_id,),
    )
    state = w.query("SELECT status FROM suggestions WHERE suggestion_id = %s", (suggestion_id,))
    print(f"  answer: {status} {json.dumps(body, ensure_ascii=False)[:110]}")
    print(f"  approval_history rows: {rows}; suggestion status: {state[0][0]}")
    if status == 200:
        if not any(r[0] == body.get("approval_history_id") for r in rows):
            return [
                f"LOST: answered 200 with approval_history_id {body.get('approval_history_id')}, "
                f"but approval_history has {rows} and the suggestion is {state[0][0]}"
            ]
        return []
    if rows or state[0][0] != "pending":
        return [f"answered {status} but stored {rows} / {state[0][0]}"]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    args = parser.parse_args()
    main_guard(lambda: run(args))


if __name__ == "__main__":
    main()

"""The plan for the rest of the day through the API: how long `POST /plan/day` takes to
answer, how long the plan takes, what it holds, and the chat's latency while plans are being
solved in the background (the budget: p95 < 150 ms).

Builds the demo day in a temporary data dir and starts the app (no LLM), then:
1. `POST /plan/day` and follow it with `GET /plan/day/{id}?wait_s=10` until done: answer
   time, solve time, first moves (loans that return), later moves, late tasks before/after;
2. chat turns with nothing else running, then the same turns while a thread keeps
   planning the day back to back (each minute of business time is new data): p50/p95.

    .venv/bin/python bench/day_plan.py [--rounds 6] [--limit 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
MESSAGES = [
    "札幌のエントリ1工程が遅延しています",
    "梅田のSSのエントリ1、間に合わないので応援を出して",
    "納期に間に合わない工程はある？",
    "那覇のエントリ2は間に合う？",
    "高山さんを札幌のエントリ1に移したらどうなる？",
    "補正ができる人は？",
    "札幌の進捗は？",
    "応援を出すときの基準は？",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def chat_round(client: TestClient, rounds: int, tag: str) -> list[float]:
    timings = []
    for round_ in range(rounds):
        for text in MESSAGES:
            t0 = time.perf_counter()
            response = client.post(
                "/api/v1/chat/message", json={"message": text, "session_id": f"{tag}-{round_}"}
            )
            timings.append((time.perf_counter() - t0) * 1000)
            response.raise_for_status()
    return timings


def describe(name: str, values: list[float]) -> None:
    print(
        f"  {name:<34} n={len(values):>3}  p50 {statistics.median(values):6.1f} ms  "
        f"p95 {percentile(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
    )


def one_plan(client: TestClient) -> None:
    t0 = time.perf_counter()
    started = client.post("/api/v1/plan/day")
    answered = (time.perf_counter() - t0) * 1000
    job = started.json()
    while job["state"] == "running":
        job = client.get(f"/api/v1/plan/day/{job['id']}", params={"wait_s": 10}).json()
    total = time.perf_counter() - t0
    print(f"POST /plan/day answered {started.status_code} in {answered:.0f} ms")
    day = job["day"] or {}
    card = job.get("suggestion") or {}
    firsts = [
        (name, change.get("until"))
        for change in card.get("changes", [])
        for name in change["operators"]
    ]
    print(
        f"plan {job['state']} after {total:.2f} s (solve {day.get('solve_ms', 0):.0f} ms, "
        f"{day.get('intervals')} intervals, optimal {day.get('optimal')}): "
        f"{len(firsts)} first moves ({sum(1 for _, u in firsts if u)} loans that "
        f"return), {len(job['timeline'])} later moves, {day.get('switches')} switches; "
        f"late tasks at the deadlines {day.get('late_before')} -> {day.get('late_after')}"
    )
    again = time.perf_counter()
    same = client.post("/api/v1/plan/day")
    print(
        f"the same data again: {same.status_code} in "
        f"{(time.perf_counter() - again) * 1000:.0f} ms, same job {same.json()['id'] == job['id']}"
    )


def chat_while_planning(app: Any, client: TestClient, rounds: int) -> None:
    from aimee.store.db import transaction

    chat_round(client, 1, "warm")
    quiet = chat_round(client, rounds, "quiet")
    planner = app.state.components.day_plans
    sessions = app.state.components.sessions
    stop = threading.Event()
    solved = []

    def keep_planning() -> None:
        minute = 1
        while not stop.is_set():
            with transaction(sessions) as session:
                status = planner.request(
                    session, now=DEMO_NOW + timedelta(minutes=minute), user="bench"
                )
            planner.wait(status.id, 60)
            solved.append(status.id)
            minute += 1

    worker = threading.Thread(target=keep_planning, daemon=True)
    worker.start()
    time.sleep(0.5)  # the first solve under way
    busy = chat_round(client, rounds, "busy")
    stop.set()
    worker.join(60)
    print("chat latency (no LLM):")
    describe("nothing else running", quiet)
    describe(f"day plans solving ({len(solved)} done)", busy)
    from aimee.services import day_plan_solve

    pool = day_plan_solve._pool
    pids = [os.getpid(), *(pool._processes if pool is not None else {})]
    print(
        "RSS: "
        + ", ".join(f"{'API' if pid == os.getpid() else 'solver'} {rss(pid)}" for pid in pids)
    )


def rss(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return f"{int(line.split()[1]) / 1024:.0f} MB"
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--limit", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AIMEE_DATA_DIR"] = folder
        os.environ["AIMEE_NOW"] = DEMO_NOW.isoformat()
        os.environ["AIMEE_CHAT_RATE_LIMIT"] = "0"
        os.environ["AIMEE_PLAN_RATE_LIMIT"] = "0"
        os.environ["AIMEE_DAY_PLAN_TIME_LIMIT_S"] = str(args.limit)
        from aimee.api.app import create_app
        from aimee.config import get_settings
        from aimee.services import setup, users
        from aimee.store.db import create_db_engine, session_factory, transaction

        settings = get_settings()
        engine = create_db_engine(settings.effective_database_url)
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        with transaction(session_factory(engine)) as session:
            token = users.add_user(session, "bench", "approver", now=DEMO_NOW)[1]
        app = create_app(settings)
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            one_plan(client)
            chat_while_planning(app, client, args.rounds)


if __name__ == "__main__":
    main()

"""Chat latency per intent with no LLM (template answers), through HTTP (ASGI).

Builds the demo day in a temporary data dir, starts the app once (model and
know-how loaded at start-up, as in production), then sends a mix of messages
and prints p50/p95/max per intent.

    .venv/bin/python bench/chat_latency.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime

from fastapi.testclient import TestClient

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
MESSAGES = {
    "deadline_optimization": [
        "札幌のエントリ1工程が遅延しています",
        "梅田のSSのエントリ1、間に合わないので応援を出して",
    ],
    "delay_risk_detection": ["納期に間に合わない工程はある？", "那覇のエントリ2は間に合う？"],
    "impact_analysis": ["高山さんを札幌のエントリ1に移したらどうなる？"],
    "skill_search": ["補正ができる人は？", "エントリ1のLv4以上で経験2年以上の人"],
    "status_inquiry": ["札幌の進捗は？", "梅田のエントリ1の残件数"],
    "general": ["応援を出すときの基準は？", "何ができるの？"],
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AIMEE_DATA_DIR"] = folder
        os.environ["AIMEE_NOW"] = DEMO_NOW.isoformat()
        os.environ["AIMEE_CHAT_RATE_LIMIT"] = "0"  # the bench sends hundreds a minute
        from aimee.api.app import create_app
        from aimee.config import get_settings
        from aimee.services import setup, users
        from aimee.store.db import create_db_engine, session_factory, transaction

        settings = get_settings()
        engine = create_db_engine(settings.effective_database_url)
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        with transaction(session_factory(engine)) as session:
            token = users.add_user(session, "bench", "viewer", now=DEMO_NOW)[1]
        started = time.perf_counter()
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(settings), headers=headers) as client:
            ready = time.perf_counter() - started
            print(f"start-up (index and model warm-up): {ready:.1f} s")
            timings: dict[str, list[float]] = {intent: [] for intent in MESSAGES}
            for round_ in range(args.rounds):
                for intent, texts in MESSAGES.items():
                    for text in texts:
                        t0 = time.perf_counter()
                        response = client.post(
                            "/api/v1/chat/message",
                            json={"message": text, "session_id": f"bench-{round_}"},
                        )
                        elapsed = (time.perf_counter() - t0) * 1000
                        response.raise_for_status()
                        got = response.json()["intent"]["intent_type"]
                        if got != intent:
                            print(f"  note: {text!r} was understood as {got}")
                        timings[intent].append(elapsed)
        print(f"{'intent':<24}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
        everything = []
        for intent, values in timings.items():
            everything += values
            print(
                f"{intent:<24}{len(values):>5}{statistics.median(values):>10.1f}"
                f"{percentile(values, 0.95):>10.1f}{max(values):>10.1f}"
            )
        print(
            f"{'all':<24}{len(everything):>5}{statistics.median(everything):>10.1f}"
            f"{percentile(everything, 0.95):>10.1f}{max(everything):>10.1f}"
        )


if __name__ == "__main__":
    main()

"""Fault: Redis stops in the middle of a run, then comes back.

Sets up its own world (database ``aimee_fault_redis_down`` with the demo day,
``AIMEE_REDIS_URL`` pointing at the machine's Redis), starts ``aimee serve``
and keeps clients busy over HTTP: chat turns (the seed question, each in a
new ``session_id``, so every turn writes a new conversation key to the cache)
and reads of ``GET /api/v1/progress`` and ``/health``. After ``--before``
seconds it stops Redis (``redis-cli shutdown nosave``), keeps the clients
going for ``--outage`` seconds, starts Redis again with the machine's command
and watches for ``--after`` seconds. It also follows three conversations
across the outage (seed question, then 「その場合、盛岡は大丈夫？」) and prints
whether the follow-up still saw the first turn: conversation memory lives in
the cache, so losing it while Redis is down is expected degradation, not loss.

What counts as loss (exit 1):
  * any request not answered 2xx, or slower than ``--bound`` seconds;
  * a chat answer that does not state the seed figures (120件, 20分);
  * no answers during the outage, or no chat answers after it;
  * after Redis is back, no new conversation key of this run appears in Redis
    within ``--after`` seconds (the cache retries Redis after a 10 s cool-down);
  * the API process died.

Run:  .venv/bin/python bench/faults/redis_down.py [--outage 12] [--clients 3]
It stops the machine's shared Redis for the outage: not while tests run.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from common import (
    API,
    SEED_FIGURES,
    SEED_QUESTION,
    Call,
    Load,
    Redis,
    Result,
    Server,
    Timeline,
    auth,
    chat_body,
    latency_summary,
    main_guard,
    run_tag,
    verdict,
    world,
)

FOLLOW_UP = "その場合、盛岡は大丈夫？"
PHASES = ("before", "during", "after")


def problem_of(result: Result) -> str | None:
    """Why a result counts as loss (None when it is fine)."""
    if result.status is None:
        return f"no answer: {result.error}"
    if not 200 <= result.status < 300:
        return f"HTTP {result.status}: {str(result.body)[:160]}"
    if result.endpoint == "POST /chat/message":
        text = result.body.get("response", "") if isinstance(result.body, dict) else ""
        missing = [f for f in SEED_FIGURES if f not in text]
        if missing:
            return f"answer lacks {missing}: {text[:120]}"
    return None


def kept_context(client: httpx.Client, session_id: str) -> str:
    """Send the follow-up; 'kept' when it was read as a follow-up of the seed turn."""
    response = client.post("/chat/message", json=chat_body(session_id, FOLLOW_UP))
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    intent: dict[str, Any] = response.json()["intent"]
    followed = intent["intent_type"] == "impact_analysis" and "process" in intent["entities"]
    return "kept" if followed else f"lost (read as {intent['intent_type']} {intent['entities']})"


@dataclass
class Run:
    """What happened: the marks on the timeline, every request, the key counts."""

    tag: str
    marks: dict[str, float] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    keys_before: int = 0
    key_samples: list[tuple[float, int]] = field(default_factory=list)
    memory: dict[str, str] = field(default_factory=dict)
    alive: bool = False
    degraded_logs: int = 0

    def phase(self, r: Result) -> str:
        if r.sent_at < self.marks["stop"]:
            return "before"
        return "during" if r.sent_at < self.marks["up"] else "after"


def outage(run: Run, args: argparse.Namespace, timeline: Timeline, probe: httpx.Client) -> None:
    """Stop Redis for ``--outage`` seconds (following conversations across it)."""
    key_pattern = f"aimee:conversation:*:{run.tag}-*"
    for name in ("control", "across"):
        probe.post("/chat/message", json=chat_body(f"{run.tag}-memo-{name}", SEED_QUESTION))
    run.memory["both turns before the outage"] = kept_context(probe, f"{run.tag}-memo-control")
    time.sleep(args.before)
    run.keys_before = Redis.count_keys(key_pattern)
    timeline.log(f"conversation keys of this run in Redis: {run.keys_before}")
    run.marks["stop"] = timeline.now()
    timeline.log("stopping Redis (redis-cli shutdown nosave)")
    Redis.stop()
    run.marks["down"] = timeline.now()
    timeline.log(f"Redis down (PING fails) after {run.marks['down'] - run.marks['stop']:.2f} s")
    time.sleep(args.outage / 2)
    run.memory["first turn before, follow-up during"] = kept_context(
        probe, f"{run.tag}-memo-across"
    )
    probe.post("/chat/message", json=chat_body(f"{run.tag}-memo-during", SEED_QUESTION))
    time.sleep(args.outage / 2)
    run.marks["start"] = timeline.now()
    timeline.log("starting Redis")
    Redis.start()
    run.marks["up"] = timeline.now()
    timeline.log(f"Redis answers PING ({run.marks['up'] - run.marks['start']:.2f} s to start)")
    end = run.marks["up"] + args.after
    while timeline.now() < end:
        run.key_samples.append((timeline.now(), Redis.count_keys(key_pattern)))
        time.sleep(0.5)
    run.memory["first turn during, follow-up after"] = kept_context(probe, f"{run.tag}-memo-during")


def inject(args: argparse.Namespace, timeline: Timeline) -> Run:
    run = Run(tag=f"fault-redis-{run_tag()}")
    with world("redis_down") as w:
        token = w.token("fault_redis", "approver")
        server = Server(w, workers=args.workers)
        timeline.log(f"world ready (database {w.database}); starting the API")
        took = server.start()
        timeline.log(f"API up on {server.url} in {took:.1f} s ({args.workers} worker(s))")
        chat = Call("POST", "/chat/message", lambda n: chat_body(f"{run.tag}-{n}"))
        reads = [Call("GET", "/progress"), Call("GET", "/health")]
        load = Load(server.url, token, timeline, timeout_s=args.bound + 5, pause_s=0.02)
        probe = httpx.Client(base_url=server.url + API, headers=auth(token), timeout=30)
        try:
            load.start([[chat]] * args.clients + [reads])
            outage(run, args, timeline, probe)
        finally:
            load.stop()
            probe.close()
            if not Redis.up():
                Redis.start()
            run.alive = server.alive()
            run.degraded_logs = server.log_count("Redis unavailable")
            server.stop()
    run.results = load.sorted_results()
    return run


def report(run: Run, args: argparse.Namespace) -> list[str]:
    m = run.marks
    print()
    print(
        f"Redis outage: {m['up'] - m['stop']:.1f} s "
        f"(stop at {m['stop']:.2f} s, PING again at {m['up']:.2f} s)"
    )
    print("requests by phase (by send time: before the stop / during / after PING):")
    for name in PHASES:
        in_phase = [r for r in run.results if run.phase(r) == name]
        statuses = Counter(str(r.status) for r in in_phase)
        print(f"  {name:6}: {len(in_phase):4} requests, statuses {dict(statuses)}")
        for endpoint in ("POST /chat/message", "GET /progress", "GET /health"):
            lat = [r.seconds for r in in_phase if r.endpoint == endpoint]
            print(f"     {endpoint:19} {latency_summary(lat)}")
    first_key = next(((t, n) for t, n in run.key_samples if n > 0), None)
    print()
    print(f"API log: {run.degraded_logs} 'Redis unavailable' warning(s) (in-process fallback)")
    if first_key is None:
        print(f"conversation keys in Redis after the restart: none within {args.after:g} s")
    else:
        print(
            f"conversation keys in Redis after the restart: first seen "
            f"{first_key[0] - m['up']:.1f} s after PING, {run.key_samples[-1][1]} at the end"
        )
    print("conversation memory (seed question, then the follow-up, same session):")
    for label, outcome in run.memory.items():
        print(f"  {label:38} {outcome}")
    return judge(run, args, first_key)


def judge(run: Run, args: argparse.Namespace, first_key: tuple[float, int] | None) -> list[str]:
    problems = []
    bad = [(r, p) for r in run.results if (p := problem_of(r))]
    for r, p in bad[:10]:
        print(f"  bad: t={r.sent_at:.2f} s {r.endpoint}: {p}")
    if bad:
        problems.append(f"{len(bad)} request(s) not answered 2xx with the figures")
    slow = [r for r in run.results if r.status is not None and r.seconds > args.bound]
    if slow:
        problems.append(f"{len(slow)} request(s) slower than {args.bound:g} s")
    if not any(run.phase(r) == "during" and r.status == 200 for r in run.results):
        problems.append("no answer during the outage")
    if not any(run.phase(r) == "after" and r.endpoint == "POST /chat/message" for r in run.results):
        problems.append("no chat answer after Redis came back")
    if run.keys_before <= 0:
        problems.append("no conversation key in Redis before the outage (cache not on Redis?)")
    if first_key is None:
        problems.append("the cache did not use Redis again after it came back")
    if not run.alive:
        problems.append("the API process died")
    return problems


def run_fault(args: argparse.Namespace) -> int:
    run = inject(args, Timeline())
    return verdict(report(run, args), "redis_down")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=float, default=5, help="seconds of load before")
    parser.add_argument("--outage", type=float, default=12, help="seconds Redis stays down")
    parser.add_argument("--after", type=float, default=15, help="seconds watched after")
    parser.add_argument("--clients", type=int, default=3, help="chatting client threads")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--bound", type=float, default=5, help="max seconds per request")
    args = parser.parse_args()
    main_guard(lambda: run_fault(args))


if __name__ == "__main__":
    main()

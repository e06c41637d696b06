"""Load benchmark of the HTTP API: virtual users with think time, each mixing
chat turns, dashboard reads and approvals, at one or more user counts.

    .venv/bin/python bench/load.py --spawn [--users 50,200] [--duration 60] [--scale 1000000]
    .venv/bin/python bench/load.py --url http://HOST:8000 --tokens-file tokens.txt [--users 50]

Each virtual user has its own token and chat session and loops: pick an action
(weights below), send it, wait a think time (``--think`` × uniform 0.5-1.5 s).
Actions: a chat turn (``POST /api/v1/chat/message``, a Japanese question from
MESSAGES: delays that make the planner compute a suggestion, status, delay risk,
skills, impact, know-how, follow-ups), a dashboard read (``GET /progress``,
``/alerts``, ``/progress/{location}/{business}/{process}/history``,
``/suggestions``) or an approval (``POST /approvals/{id}/action`` of a suggestion
its own chat produced). An answer counts as an error when it is a 5xx, a
timeout, a connection error or an unexpected 4xx; a 409 on an approval (already
decided, or its operators promised to another approved move) is an expected
outcome. Requests started during the ramp-up (``--ramp``) are not counted.

--spawn builds its own world and removes it at the end: a fresh MariaDB database
(``--mysql-admin-url``) loaded with ``aimee init --demo --scale N --now
2025-10-23T15:40:00``, the machine's Redis (``--redis-url``), a ChromaDB server
(``chroma run``) and ``aimee serve --workers 2 --no-worker`` with AIMEE_NOW fixed
and AIMEE_CHAT_RATE_LIMIT=0: the per-token chat limit is off, so that only the
server's capacity is measured. One approver token per virtual user is created
with the function behind ``aimee user add`` (200 CLI runs would take minutes).
With --url, give one token per user (``--tokens-file``, one per line), e.g.
``for i in $(seq 200); do aimee user add load-$i --role approver; done > tokens.txt``;
mind that server's AIMEE_CHAT_RATE_LIMIT (429s count as errors).

Prints per endpoint: count, answers by kind, p50/p95/p99 in ms; chat per intent;
overall throughput and errors; and the target: chat p95 <= 150 ms with 0 errors
at 50 users. ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.deploy_stack import (  # noqa: E402
    Service,
    clean_env,
    free_port,
    run_aimee,
    start_chroma,
    venv_command,
    wait_healthy,
)

API = "/api/v1"
DEMO_NOW = "2025-10-23T15:40:00"
MYSQL_ADMIN_URL = "mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
REDIS_URL = "redis://127.0.0.1:6379/13"
CHAT_TARGET_P95_MS = 150.0
TARGET_USERS = 50
KEEPALIVE_EXPIRY_S = 2.0
"""Below uvicorn's 5 s keep-alive timeout: reusing a connection the server is closing
at that moment would count as a connection error that no user would see."""

MESSAGES = [
    "札幌のエントリ1工程が遅延しています",
    "梅田のSSのエントリ1、間に合わないので応援を出して",
    "品川の補正が全然終わらない。誰か応援に入れられない？",
    "盛岡の進捗は？",
    "札幌のエントリ1、残り何件？",
    "梅田は何人で回してますか",
    "那覇のエントリ2は間に合う？",
    "今日納期に間に合わなさそうなところはありますか",
    "補正ができる人は？",
    "エントリ２のスキルLv３以上の人は誰がいる？",
    "高山さんを札幌のエントリ1に移したらどうなる？",
    "応援を出すときの基準は？",
]
FOLLOW_UPS = ["その場合、盛岡は大丈夫？", "品川の進捗は？"]
ACTIONS = {
    "chat": 0.30,
    "progress": 0.20,
    "alerts": 0.15,
    "history": 0.15,
    "suggestions": 0.10,
    "approve": 0.10,
}
ENDPOINTS = {
    "chat": "POST /chat/message",
    "progress": "GET /progress",
    "alerts": "GET /alerts",
    "history": "GET /progress/{l}/{b}/{p}/history",
    "suggestions": "GET /suggestions",
    "approve": "POST /approvals/{id}/action",
}
EXPECTED = {"approve": {409}}
"""Answers that are outcomes, not errors, per action."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Stats:
    """Latencies and outcomes per endpoint (and per chat intent)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    samples: dict[str, str] = field(default_factory=dict)
    """The first error message of each endpoint and kind."""

    def record(self, key: str, ms: float | None, outcome: str, sample: str = "") -> None:
        if ms is not None:
            self.latencies[key].append(ms)
        self.outcomes[key][outcome] += 1
        if outcome not in {"ok", "expected"}:
            self.samples.setdefault(f"{key} {outcome}", sample[:200])

    def errors(self, key: str | None = None) -> int:
        keys = [key] if key else list(ENDPOINTS.values())
        return sum(
            n for k in keys for o, n in self.outcomes[k].items() if o not in {"ok", "expected"}
        )

    def count(self, key: str) -> int:
        return sum(self.outcomes[key].values())


@dataclass
class VirtualUser:
    token: str
    session: str
    rng: random.Random
    pending: list[str] = field(default_factory=list)
    """Suggestions this user's chat made, not decided yet."""
    asked_delay: bool = False


@dataclass
class Run:
    """One load level against one server."""

    client: httpx.AsyncClient
    queues: list[tuple[str, str, str]]
    stats: Stats
    counting_from: float
    until: float
    think_s: float

    def counting(self, started: float) -> bool:
        return self.counting_from <= started < self.until

    async def call(
        self, action: str, user: VirtualUser, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        """One request, timed and classified; None when it failed to complete."""
        key = ENDPOINTS[action]
        headers = {"Authorization": f"Bearer {user.token}"}
        started = time.monotonic()
        try:
            response = await self.client.request(method, url, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            if self.counting(started):
                self.stats.record(key, None, "timeout", repr(exc))
            return None
        except httpx.TransportError as exc:
            if self.counting(started):
                self.stats.record(key, None, "connection", repr(exc))
            return None
        ms = (time.monotonic() - started) * 1000
        if self.counting(started):
            self.stats.record(key, ms, classify(action, response.status_code), response.text)
            if action == "chat" and response.status_code == 200:
                intent = response.json()["intent"]["intent_type"]
                self.stats.record(f"  chat: {intent}", ms, "ok")
        return response


def classify(action: str, status: int) -> str:
    if status < 400:
        return "ok"
    if status in EXPECTED.get(action, set()):
        return "expected"
    if status >= 500:
        return "5xx"
    return "429" if status == 429 else "4xx"


async def act(run: Run, user: VirtualUser, action: str) -> None:
    if action == "chat":
        message = user.rng.choice(FOLLOW_UPS if user.asked_delay else MESSAGES)
        user.asked_delay = "遅延" in message or "間に合わない" in message
        body = {"message": message, "session_id": user.session}
        response = await run.call("chat", user, "POST", f"{API}/chat/message", json=body)
        if response is not None and response.status_code == 200:
            suggestion = response.json().get("suggestion")
            if suggestion and suggestion.get("status") == "pending":
                user.pending.append(suggestion["id"])
    elif action == "approve":
        suggestion = user.pending.pop(0)
        body = {"action": "approve", "feedback_reason": "負荷試験"}
        await run.call("approve", user, "POST", f"{API}/approvals/{suggestion}/action", json=body)
    elif action == "history":
        location, business, process = user.rng.choice(run.queues)
        path = "/".join(quote(part, safe="") for part in (location, business, process))
        await run.call("history", user, "GET", f"{API}/progress/{path}/history")
    else:
        await run.call(action, user, "GET", f"{API}/{action}")


async def user_loop(run: Run, user: VirtualUser, start_at: float) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    names, weights = list(ACTIONS), list(ACTIONS.values())
    while time.monotonic() < run.until:
        action = user.rng.choices(names, weights)[0]
        if action == "approve" and not user.pending:
            action = "suggestions"
        await act(run, user, action)
        await asyncio.sleep(run.think_s * user.rng.uniform(0.5, 1.5))


async def measure(
    url: str, tokens: list[str], users: int, args: argparse.Namespace, seed: int
) -> tuple[Stats, float]:
    """Run ``users`` virtual users; the stats and the measured seconds."""
    limits = httpx.Limits(
        max_connections=users + 10,
        max_keepalive_connections=users + 10,
        keepalive_expiry=KEEPALIVE_EXPIRY_S,
    )
    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits) as client:
        headers = {"Authorization": f"Bearer {tokens[0]}"}
        progress = (await client.get(f"{API}/progress", headers=headers)).raise_for_status()
        queues = [(q["location"], q["business_id"], q["process"]) for q in progress.json()]
        now = time.monotonic()
        start, end = now + args.ramp, now + args.ramp + args.duration
        run = Run(client, queues, Stats(), counting_from=start, until=end, think_s=args.think)
        run_id = secrets.token_hex(3)
        virtual = [
            VirtualUser(tokens[i % len(tokens)], f"load-{run_id}-{i}", random.Random(seed + i))
            for i in range(users)
        ]
        await asyncio.gather(
            *(user_loop(run, user, now + args.ramp * i / users) for i, user in enumerate(virtual))
        )
    return run.stats, args.duration


def report(stats: Stats, users: int, seconds: float) -> dict[str, Any]:
    """Print the table of one load level; return its figures."""
    keys = list(ENDPOINTS.values()) + sorted(k for k in stats.outcomes if k.startswith("  "))
    total = sum(stats.count(k) for k in ENDPOINTS.values())
    errors = stats.errors()
    print(
        f"\n== {users} users, {seconds:g} s measured: {total:,} requests, "
        f"{total / seconds:.1f} req/s, {errors} errors"
    )
    print(
        f"{'endpoint':42} {'count':>7} {'ok':>7} {'409':>5} {'errors':>7} "
        f"{'p50':>7} {'p95':>7} {'p99':>7}  (ms)"
    )
    figures: dict[str, Any] = {"users": users, "requests": total, "errors": errors}
    figures["throughput_rps"] = round(total / seconds, 1)
    figures["endpoints"] = {}
    for key in keys:
        values, outcome = stats.latencies[key], stats.outcomes[key]
        if not stats.count(key):
            continue
        row = {
            "count": stats.count(key),
            "ok": outcome["ok"],
            "expected": outcome["expected"],
            "errors": stats.errors(key) if not key.startswith("  ") else 0,
            **{f"p{q}": round(percentile(values, q / 100), 1) for q in (50, 95, 99)},
        }
        figures["endpoints"][key.strip()] = row
        print(
            f"{key:42} {row['count']:>7} {row['ok']:>7} {row['expected']:>5} {row['errors']:>7} "
            f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f}"
        )
    for what, sample in stats.samples.items():
        print(f"  first error {what}: {sample}")
    return figures


def verdict(figures: list[dict[str, Any]]) -> None:
    """The target: chat without LLM, p95 <= 150 ms and no errors at 50 users."""
    at_target = [f for f in figures if f["users"] == TARGET_USERS]
    if not at_target:
        print(f"\ntarget not measured (it is stated at {TARGET_USERS} users)")
        return
    chat = at_target[0]["endpoints"].get(ENDPOINTS["chat"], {})
    p95, errors = chat.get("p95", float("inf")), at_target[0]["errors"]
    met = p95 <= CHAT_TARGET_P95_MS and errors == 0
    print(
        f"\ntarget at {TARGET_USERS} users: chat p95 <= {CHAT_TARGET_P95_MS:g} ms and 0 errors: "
        f"{'MET' if met else 'NOT MET'} (chat p95 {p95} ms, {errors} errors)"
    )


# -- --spawn ----------------------------------------------------------------------------


@contextmanager
def spawned(args: argparse.Namespace, users: int) -> Iterator[tuple[str, list[str]]]:
    """A fresh database, a Chroma server and `aimee serve`; the URL and the tokens."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(args.mysql_admin_url)
    database = f"aimee_bench_load_{secrets.token_hex(4)}"
    url = make_url(args.mysql_admin_url).set(database=database).render_as_string(False)
    folder = Path(tempfile.mkdtemp(prefix="aimee_load_"))
    with ExitStack() as stack:
        if not args.keep:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        with admin.begin() as connection:
            connection.execute(
                text(f"CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            )
        stack.callback(drop_database, admin, database, args.keep)
        env = clean_env(AIMEE_DATABASE_URL=url, AIMEE_DATA_DIR=str(folder / "data"))
        started = time.monotonic()
        run_aimee(["init", "--demo", "--scale", str(args.scale), "--now", DEMO_NOW], env, 900)
        print(
            f"database {database}: {args.scale:,} snapshots in {time.monotonic() - started:.0f} s"
        )
        tokens = make_tokens(url, users)
        chroma_url = start_chroma(folder / "chroma", folder, stack)
        env.update(
            AIMEE_REDIS_URL=args.redis_url,
            AIMEE_CHROMA_URL=chroma_url,
            AIMEE_NOW=DEMO_NOW,
            AIMEE_CHAT_RATE_LIMIT="0",
            AIMEE_LOG_LEVEL="WARNING",
        )
        api_port = free_port()
        serve = [venv_command("aimee"), "serve", "--port", str(api_port)]
        api = Service("api", [*serve, "--workers", str(args.workers), "--no-worker"], env, folder)
        stack.callback(api.start().stop)
        base = f"http://127.0.0.1:{api_port}"
        took = wait_healthy(api, f"{base}{API}/health")
        print(
            f"aimee serve --workers {args.workers} --no-worker on {base} ready in {took:.0f} s "
            "(AIMEE_CHAT_RATE_LIMIT=0: chat rate limit off; Redis, Chroma server, AIMEE_NOW fixed)"
        )
        yield base, tokens
    print(f"logs: {folder}" if args.keep else "stopped and removed")


def make_tokens(database_url: str, count: int) -> list[str]:
    """``count`` approver tokens, as ``aimee user add load-N --role approver`` makes them."""
    from aimee.services import users
    from aimee.store.db import create_db_engine, session_factory, transaction

    engine = create_db_engine(database_url)
    with transaction(session_factory(engine)) as session:
        now = datetime.fromisoformat(DEMO_NOW)
        tokens = [
            users.add_user(session, f"load-{i}", "approver", now=now)[1] for i in range(count)
        ]
    engine.dispose()
    return tokens


def drop_database(admin: Any, database: str, keep: bool) -> None:
    from sqlalchemy import text

    if keep:
        print(f"database {database} kept")
        return
    with admin.begin() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
    admin.dispose()


# -- main -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="an API already running (needs --tokens-file)")
    where.add_argument("--spawn", action="store_true", help="start a world of its own")
    parser.add_argument("--tokens-file", type=Path, help="one API token per line (--url)")
    parser.add_argument("--users", default="50,200", help="virtual users per run, e.g. 50,200")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per run")
    parser.add_argument("--ramp", type=float, default=5, help="ramp-up seconds (not counted)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    parser.add_argument("--timeout", type=float, default=30, help="request timeout (s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1_000_000, help="--spawn: snapshot rows")
    parser.add_argument("--workers", type=int, default=2, help="--spawn: API worker processes")
    parser.add_argument("--mysql-admin-url", default=MYSQL_ADMIN_URL, help="--spawn")
    parser.add_argument("--redis-url", default=REDIS_URL, help="--spawn")
    parser.add_argument("--keep", action="store_true", help="--spawn: keep database and logs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.user_counts = [int(n) for n in args.users.split(",")]
    if args.url and not args.tokens_file:
        parser.error("--url needs --tokens-file")
    return args


def run_levels(url: str, tokens: list[str], args: argparse.Namespace) -> list[dict[str, Any]]:
    if len(tokens) < max(args.user_counts):
        print(f"warning: {len(tokens)} tokens for {max(args.user_counts)} users: tokens shared")
    figures = []
    for users in args.user_counts:
        cpu = time.process_time()
        stats, seconds = asyncio.run(measure(url, tokens, users, args, args.seed))
        figures.append(report(stats, users, seconds))
        used = time.process_time() - cpu
        figures[-1]["client_cpu_s"] = round(used, 1)
        print(f"(this client used {used:.1f} s of CPU in {seconds + args.ramp:g} s)")
    return figures


def main() -> None:
    args = parse_args()
    print(
        f"load: users {args.user_counts}, {args.duration:g} s each after a {args.ramp:g} s "
        f"ramp, think {args.think:g} s; mix {ACTIONS}"
    )
    if args.spawn:
        with spawned(args, max(args.user_counts)) as (url, tokens):
            figures = run_levels(url, tokens, args)
    else:
        tokens = [t.strip() for t in args.tokens_file.read_text().splitlines() if t.strip()]
        figures = run_levels(args.url, tokens, args)
    verdict(figures)
    if args.json:
        settings = {k: getattr(args, k) for k in ("url", "spawn", "duration", "ramp", "think")}
        if args.spawn:
            settings.update(scale=args.scale, workers=args.workers)
        result = {"settings": settings, "mix": ACTIONS, "levels": figures}
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

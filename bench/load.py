"""Load benchmark of the HTTP API: virtual users with think time, each mixing
chat turns, dashboard reads and approvals, at one or more user counts.

    .venv/bin/python bench/load.py --sqlite --baseline REV      # issue 18, side by side
    .venv/bin/python bench/load.py --spawn [--users 50,200] [--duration 60] [--scale 1000000]
    .venv/bin/python bench/load.py --url http://HOST:8000 --tokens-file tokens.txt [--users 50]

--sqlite measures the default ``aimee serve`` as a user starts it: the demo day on
SQLite (``aimee init --demo``, AIMEE_NOW fixed), the in-process cache, no LLM, the
alert scan on, AIMEE_CHAT_RATE_LIMIT=0; all chat (``--mix chat``), at three levels
(``--levels``, users:mean think seconds): 50 users each sending a message every 5-15 s,
200 likewise, and saturation (50 users, no pause). The code measured is that of git
revision ``--new`` (default HEAD: ``git archive`` into a temporary folder, run with
``PYTHONPATH`` pointing there, with its own ``aimee init`` and its own default ``aimee
serve``; ``--new worktree``: the files as they are, uncommitted changes included). With
``--baseline REV`` the same world is built a second time for revision REV, and every
level runs on both, interleaved (``--rounds``, alternating which goes first), so that
both see the same machine. ``--redis`` adds the new version a second time with its
workers sharing Redis (``--redis-url``'s server, database 12); either way ``aimee serve``
starts one worker per core (without Redis they share a SQLite cache file, before
38d8a34 one worker). With ``--profile``
it first prints where a chat answer spends its time, for each version
(``bench/chat_profile.py``). Then, per level and version: answers/s, p50/p95/p99,
errors, and the RSS of each server process (now and peak), and the issue's targets.

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
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
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
    mix: dict[str, float] = field(default_factory=lambda: dict(ACTIONS))

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
    names, weights = list(run.mix), list(run.mix.values())
    while time.monotonic() < run.until:
        action = user.rng.choices(names, weights)[0]
        if action == "approve" and not user.pending:
            action = "suggestions"
        await act(run, user, action)
        await asyncio.sleep(run.think_s * user.rng.uniform(0.5, 1.5))


SETTLE_S = 180.0
"""After an overload the server still works through requests whose clients gave up:
the next run starts once it answers promptly again, waiting at most this long."""


async def settle(client: httpx.AsyncClient) -> None:
    """Wait until ``/health`` answers within half a second (or ``SETTLE_S`` passed)."""
    until = time.monotonic() + SETTLE_S
    while time.monotonic() < until:
        started = time.monotonic()
        with suppress(httpx.TransportError):
            await client.get(f"{API}/health", timeout=SETTLE_S)
        if time.monotonic() - started < 0.5:
            return
        await asyncio.sleep(1)


async def measure(
    url: str,
    tokens: list[str],
    users: int,
    args: argparse.Namespace,
    seed: int,
    think_s: float | None = None,
) -> tuple[Stats, float]:
    """Run ``users`` virtual users; the stats and the measured seconds."""
    think_s = args.think if think_s is None else think_s
    limits = httpx.Limits(
        max_connections=users + 10,
        max_keepalive_connections=users + 10,
        keepalive_expiry=KEEPALIVE_EXPIRY_S,
    )
    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits) as client:
        headers = {"Authorization": f"Bearer {tokens[0]}"}
        await settle(client)
        progress = await client.get(f"{API}/progress", headers=headers, timeout=SETTLE_S)
        progress.raise_for_status()
        queues = [(q["location"], q["business_id"], q["process"]) for q in progress.json()]
        now = time.monotonic()
        start, end = now + args.ramp, now + args.ramp + args.duration
        run = Run(
            client, queues, Stats(), counting_from=start, until=end, think_s=think_s, mix=args.mix
        )
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


@dataclass
class Server:
    """One `aimee serve` of the --sqlite world."""

    label: str
    url: str
    tokens: list[str]
    service: Service
    data_dir: Path

    def processes(self) -> list[dict[str, Any]]:
        """RSS now and at its peak (MB) of each process of the server (its process group)."""
        assert self.service.process is not None
        group = self.service.process.pid
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) != group:  # pgrp
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            memory = {
                line.split(":")[0]: int(line.split()[1]) // 1024
                for line in status.splitlines()
                if line.startswith(("VmRSS:", "VmHWM:"))
            }
            pid = int(stat.parent.name)
            found.append(
                {
                    "pid": pid,
                    "role": "server" if pid == group else "worker",
                    "rss_mb": memory.get("VmRSS", 0),
                    "peak_mb": memory.get("VmHWM", 0),
                }
            )
        return sorted(found, key=lambda p: (p["role"] != "server", p["pid"]))

    def worker_rss(self) -> dict[str, int]:
        """The largest API worker's RSS now and at peak: a worker process when uvicorn
        supervises several, else the one server process."""
        processes = self.processes()
        workers = [p for p in processes if p["role"] == "worker" and p["rss_mb"] > 100]
        chosen = workers or [p for p in processes if p["role"] == "server"]
        return {
            "workers": len(workers) or 1,
            "rss_mb": max((p["rss_mb"] for p in chosen), default=0),
            "peak_mb": max((p["peak_mb"] for p in chosen), default=0),
            "total_mb": sum(p["rss_mb"] for p in processes),
        }


def baseline_code(revision: str, folder: Path) -> Path:
    """The ``aimee`` package of ``revision``, extracted into ``folder``."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "aimee"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


@contextmanager
def sqlite_world(
    args: argparse.Namespace,
    users: int,
    stack: ExitStack,
    label: str,
    code: Path | None,
    redis_url: str | None = None,
) -> Iterator[Server]:
    """The demo day on SQLite and the default `aimee serve` of ``code`` (None: this tree),
    with the in-process cache, or sharing Redis at ``redis_url``."""
    folder = Path(tempfile.mkdtemp(prefix=f"aimee_load_{label.replace(' ', '_')}_"))
    if not args.keep:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
    data = folder / "data"
    env = clean_env(AIMEE_DATA_DIR=str(data))
    env.pop("PYTHONPATH", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    run_aimee(["init", "--demo", "--now", DEMO_NOW], env, 300)
    url = f"sqlite:///{(data / 'aimee.sqlite3').resolve()}"
    tokens = tokens_of(code, url, users)
    env.update(AIMEE_NOW=DEMO_NOW, AIMEE_CHAT_RATE_LIMIT="0", AIMEE_LOG_LEVEL="WARNING")
    if redis_url:
        env["AIMEE_REDIS_URL"] = redis_url
    port = free_port()
    argv = [venv_command("aimee"), "serve", "--port", str(port)]
    api = Service(f"api-{label.replace(' ', '-')}", argv, env, folder)
    stack.callback(api.start().stop)
    base = f"http://127.0.0.1:{port}"
    took = wait_healthy(api, f"{base}{API}/health")
    server = Server(label, base, tokens, api, data)
    print(
        f"{label}: aimee serve (default options) on {base} ready in {took:.0f} s, "
        f"{server.worker_rss()['workers']} API worker(s)"
        + (f", code from {code}" if code is not None else ", the working tree")
    )
    yield server
    if args.keep:
        print(f"{label} logs: {folder}")


def tokens_of(code: Path | None, database_url: str, count: int) -> list[str]:
    """``make_tokens`` run by the code of ``code`` (None: this tree), whose schema the
    database has."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("AIMEE_")}
    env.pop("PYTHONPATH", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    script = (
        "import sys\n"
        "from datetime import datetime\n"
        "from aimee.services import users\n"
        "from aimee.store.db import create_db_engine, session_factory, transaction\n"
        f"engine = create_db_engine({database_url!r})\n"
        "with transaction(session_factory(engine)) as session:\n"
        f"    now = datetime.fromisoformat({DEMO_NOW!r})\n"
        f"    for i in range({count}):\n"
        "        print(users.add_user(session, f'load-{i}', 'approver', now=now)[1])\n"
    )
    done = subprocess.run(  # not from the repository's root, whose aimee/ would come first
        [sys.executable, "-c", script],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"making tokens failed:\n{done.stderr[-3000:]}")
    return done.stdout.split()


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


# -- --sqlite: side by side ------------------------------------------------------------

ISSUE_LEVELS = "50:10,200:10,50:0"
"""users:mean think seconds; think 10 is a message every 5-15 s, 0 is saturation."""
TARGETS = {
    "p95 at 50 users, a message every 5-15 s (ms)": ("p95", 50, 10.0, "<=", 150.0),
    "answers/s at saturation (50 users, no pause)": ("answers_per_s", 50, 0.0, ">=", 40.0),
    "p95 at 200 users, a message every 5-15 s (ms)": ("p95", 200, 10.0, "<=", 300.0),
}
WORKER_RSS_BUDGET_MB = 500


def merge(into: Stats, more: Stats) -> None:
    for key, values in more.latencies.items():
        into.latencies[key].extend(values)
    for key, outcomes in more.outcomes.items():
        for outcome, n in outcomes.items():
            into.outcomes[key][outcome] += n
    for key, sample in more.samples.items():
        into.samples.setdefault(key, sample)


def level_figures(stats: Stats, seconds: float) -> dict[str, Any]:
    key = ENDPOINTS["chat"]
    values = stats.latencies[key]
    return {
        "requests": sum(stats.count(k) for k in ENDPOINTS.values()),
        "answers_per_s": round(stats.outcomes[key]["ok"] / seconds, 1),
        "errors": stats.errors(),
        **{f"p{q}": round(percentile(values, q / 100), 1) for q in (50, 95, 99)},
        "samples": dict(stats.samples),
    }


def compare(servers: list[Server], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every level on every server, interleaved: ``--rounds`` runs of ``--duration`` s each,
    the order alternating."""
    results = []
    for users, think in args.levels:
        merged = {server.label: Stats() for server in servers}
        cpu = time.process_time()
        for r in range(args.rounds):
            order = servers if r % 2 == 0 else servers[::-1]
            for server in order:
                stats, _ = asyncio.run(
                    measure(server.url, server.tokens, users, args, args.seed + r, think)
                )
                merge(merged[server.label], stats)
        seconds = args.duration * args.rounds
        row: dict[str, Any] = {"users": users, "think_s": think, "versions": {}}
        for server in servers:
            figures = level_figures(merged[server.label], seconds)
            figures["memory"] = server.worker_rss()
            row["versions"][server.label] = figures
        row["client_cpu_s"] = round(time.process_time() - cpu, 1)
        print_level(row)
        results.append(row)
    return results


def print_level(row: dict[str, Any]) -> None:
    pace = "no pause" if not row["think_s"] else f"a message every {row['think_s'] * 0.5:g}-"
    pace += "" if not row["think_s"] else f"{row['think_s'] * 1.5:g} s"
    print(f"\n== {row['users']} users, {pace} (all chat)")
    print(
        f"{'version':22} {'answers/s':>9} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} "
        f"{'workers':>7} {'RSS/worker':>10} {'peak':>6} {'all procs':>9}"
    )
    for label, f in row["versions"].items():
        m = f["memory"]
        print(
            f"{label:22} {f['answers_per_s']:>9.1f} {f['p50']:>7.1f} {f['p95']:>7.1f} "
            f"{f['p99']:>7.1f} {f['errors']:>6} {m['workers']:>7} {m['rss_mb']:>7} MB "
            f"{m['peak_mb']:>6} {m['total_mb']:>6} MB"
        )
        for what, sample in f["samples"].items():
            print(f"  {label} first error {what}: {sample}")
    print(f"(this client used {row['client_cpu_s']:.1f} s of CPU)")


def targets(results: list[dict[str, Any]], label: str) -> bool:
    """The issue's targets for one version; True when all are met."""
    met_all = True
    print(f"\ntargets ({label}):")
    for name, (field_name, users, think, op, limit) in TARGETS.items():
        row = next((r for r in results if r["users"] == users and r["think_s"] == think), None)
        if row is None:
            print(f"  {name}: not measured")
            continue
        value = row["versions"][label][field_name]
        errors = row["versions"][label]["errors"]
        met = (value <= limit if op == "<=" else value >= limit) and errors == 0
        met_all &= met
        print(f"  {name} {op} {limit:g}: {value} ({errors} errors) {'MET' if met else 'NOT MET'}")
    peak = max((r["versions"][label]["memory"]["peak_mb"] for r in results), default=0)
    met = peak <= WORKER_RSS_BUDGET_MB
    verdict_text = "MET" if met else "NOT MET"
    print(f"  RSS per worker <= {WORKER_RSS_BUDGET_MB} MB: peak {peak} MB {verdict_text}")
    return met_all and met


def run_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    """Build the --sqlite world for each version (the baseline first), profile, compare."""
    import subprocess

    users = max(u for u, _ in args.levels)
    with ExitStack() as stack:
        versions: list[tuple[str, Path | None]] = []
        for role, revision in (("base", args.baseline), ("new", args.new)):
            if not revision:
                continue
            if revision == "worktree":  # the files as they are, uncommitted changes included
                versions.append(("worktree", None))
                continue
            if (Path(revision) / "aimee").is_dir():  # a folder holding an aimee package
                versions.append((f"{role} {Path(revision).name}", Path(revision).resolve()))
                continue
            commit = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short=9", revision],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            folder = Path(tempfile.mkdtemp(prefix=f"aimee_{role}_"))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            versions.append((f"{role} {commit}", baseline_code(revision, folder)))
        servers = [
            stack.enter_context(sqlite_world(args, users, stack, label, code))
            for label, code in versions
        ]
        code_of = dict(versions)
        if args.redis:  # the new version again, its workers sharing Redis (its own db)
            label, code = versions[-1]
            redis_url = args.redis_url.rsplit("/", 1)[0] + "/12"
            servers.append(
                stack.enter_context(
                    sqlite_world(args, users, stack, f"{label} redis", code, redis_url)
                )
            )
        profiles = {}
        if args.profile:
            from bench.chat_profile import print_table, run_profile

            for server in servers:
                if server.label not in code_of:  # the same code on Redis: profiled above
                    continue
                code = code_of[server.label]
                if server.label == versions[-1][0] and len(versions) > 1:  # new: also cold
                    profiles[f"{server.label} (new msgs)"] = run_profile(
                        code, server.data_dir, args.profile, cold=True
                    )
                profiles[server.label] = run_profile(code, server.data_dir, args.profile)
            print_table(profiles)
        results = compare(servers, args)
        for server in servers:
            targets(results, server.label)
    return {"profiles": profiles, "levels": results}


# -- main -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="an API already running (needs --tokens-file)")
    where.add_argument("--spawn", action="store_true", help="start a world of its own")
    where.add_argument(
        "--sqlite", action="store_true", help="the default aimee serve on the SQLite demo day"
    )
    parser.add_argument("--tokens-file", type=Path, help="one API token per line (--url)")
    parser.add_argument("--users", default="50,200", help="virtual users per run, e.g. 50,200")
    parser.add_argument("--levels", help=f"users:think per level (--sqlite default {ISSUE_LEVELS})")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per run")
    parser.add_argument("--ramp", type=float, default=5, help="ramp-up seconds (not counted)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    parser.add_argument("--mix", choices=("mixed", "chat"), help="actions (--sqlite: chat)")
    parser.add_argument("--rounds", type=int, default=2, help="--sqlite: interleaved runs")
    parser.add_argument("--baseline", help="--sqlite: also measure this git revision")
    parser.add_argument(
        "--redis",
        action="store_true",
        help="--sqlite: also the new version with AIMEE_REDIS_URL (--redis-url's host, db 12), "
        "where aimee serve starts a worker per core",
    )
    parser.add_argument(
        "--new",
        default="HEAD",
        help="--sqlite: the revision measured (default HEAD; 'worktree': the files as they "
        "are; a folder holding an aimee package: that code)",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="--sqlite: profile N rounds first"
    )
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
    mix = args.mix or ("chat" if args.sqlite else "mixed")
    args.mix = {"chat": 1.0} if mix == "chat" else dict(ACTIONS)
    levels = args.levels or (ISSUE_LEVELS if args.sqlite else None)
    args.levels = (
        [(int(u), float(t)) for u, t in (level.split(":") for level in levels.split(","))]
        if levels
        else [(u, args.think) for u in args.user_counts]
    )
    if args.url and not args.tokens_file:
        parser.error("--url needs --tokens-file")
    if (args.baseline or args.profile or args.new != "HEAD") and not args.sqlite:
        parser.error("--baseline and --profile go with --sqlite")
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
    if args.sqlite:
        print(
            f"load: levels {args.levels} (users:think s), {args.duration:g} s x {args.rounds} "
            f"rounds each after a {args.ramp:g} s ramp; mix {args.mix}"
        )
        result = run_sqlite(args)
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(
        f"load: users {args.user_counts}, {args.duration:g} s each after a {args.ramp:g} s "
        f"ramp, think {args.think:g} s; mix {args.mix}"
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
        result = {"settings": settings, "mix": args.mix, "levels": figures}
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""Shared pieces of the fault scripts: a throwaway world (MariaDB database with
the demo day, data dir, tokens), the API as a subprocess, control of the
machine's MariaDB and Redis, and printing.

Every script builds its world with :func:`world`, starts :class:`Server`,
injects its fault, and ends with :func:`ensure_services` in a ``finally`` so
that MariaDB and Redis are never left stopped.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pymysql

REPO = Path(__file__).resolve().parents[2]
AIMEE = REPO / ".venv" / "bin" / "aimee"
API = "/api/v1"
DEMO_NOW = "2025-10-23T15:40:00"
SEED_QUESTION = "札幌のエントリ1工程が遅延しています"
SEED_FIGURES = ("120件", "20分")
"""What the answer to the seed question must state (tasks waiting, minutes left)."""

MARIADB_HOST, MARIADB_PORT = "127.0.0.1", 3306
REDIS_URL = "redis://127.0.0.1:6379/0"
MARIADB_START = ["start-stop-daemon", "--start", "--oknodo", "--background"]
MARIADB_START += ["--exec", "/usr/sbin/mariadbd"]
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


# --------------------------------------------------------------------------- printing


class Timeline:
    """Prints events with the seconds since the script started."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.t0

    def log(self, message: str) -> None:
        print(f"[{self.now():7.2f} s] {message}", flush=True)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> str:
    """``n=…, p50 … ms, p95 … ms, max … ms``."""
    if not seconds:
        return "n=0"
    ms = [s * 1000 for s in seconds]
    return (
        f"n={len(ms)}, p50 {statistics.median(ms):.0f} ms, "
        f"p95 {percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms"
    )


def verdict(problems: Sequence[str], name: str) -> int:
    """Print PASS or the problems; the process exit code (0 or 1)."""
    print()
    if problems:
        print(f"FAIL {name}:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"PASS {name}")
    return 0


# --------------------------------------------------------------------------- services


def run_quiet(cmd: Sequence[str], timeout_s: float = 60.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout_s, check=False)


def wait_until(check: Callable[[], bool], timeout_s: float, interval_s: float = 0.2) -> bool:
    """Call ``check()`` until it is true or the time is up."""
    deadline = time.monotonic() + timeout_s
    while True:
        with suppress(Exception):
            if check():
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)


class MariaDB:
    """The machine's MariaDB (127.0.0.1:3306, root without password)."""

    @staticmethod
    def connect(database: str | None = None, timeout_s: int = 3) -> pymysql.Connection[Any]:
        """A connection that gives up after ``timeout_s`` at every step (a
        frozen server accepts TCP connections but never greets)."""
        return pymysql.connect(
            host=MARIADB_HOST,
            port=MARIADB_PORT,
            user="root",
            database=database,
            charset="utf8mb4",
            connect_timeout=timeout_s,
            read_timeout=timeout_s,
            write_timeout=timeout_s,
            autocommit=True,
        )

    @classmethod
    def up(cls) -> bool:
        try:
            with cls.connect() as conn, conn.cursor() as cur:
                cur.execute("SELECT 1")
                return bool(cur.fetchone() == (1,))
        except pymysql.MySQLError:
            return False

    @classmethod
    def query(cls, database: str, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
        with cls.connect(database, timeout_s=30) as conn, conn.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())

    @staticmethod
    def pids() -> list[int]:
        out = run_quiet(["pgrep", "-x", "mariadbd"]).stdout
        return [int(p) for p in out.split()]

    @classmethod
    def stop(cls, *, kill: bool = False) -> None:
        """Shut down cleanly (``mariadb-admin shutdown``) or SIGKILL the server."""
        if kill:
            for pid in cls.pids():
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        else:
            run_quiet(["mariadb-admin", "-uroot", "shutdown"], timeout_s=120)
        if not wait_until(lambda: not cls.pids(), 60):
            raise RuntimeError("mariadbd did not stop")

    @classmethod
    def freeze(cls) -> None:
        """SIGSTOP the server: it keeps its sockets but answers nothing (as a
        network partition or a stuck host would)."""
        for pid in cls.pids():
            os.kill(pid, signal.SIGSTOP)

    @classmethod
    def thaw(cls) -> None:
        for pid in cls.pids():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    @classmethod
    def start(cls, timeout_s: float = 90.0) -> float:
        """Start the server; seconds until it answers ``SELECT 1``."""
        started = time.monotonic()
        run_quiet(MARIADB_START)
        if not wait_until(cls.up, timeout_s, 0.1):
            raise RuntimeError(f"MariaDB did not answer within {timeout_s:g} s")
        return time.monotonic() - started


class Redis:
    """The machine's Redis (127.0.0.1:6379)."""

    @staticmethod
    def cli(*args: str) -> str:
        return run_quiet(["redis-cli", *args], timeout_s=10).stdout.strip()

    @classmethod
    def up(cls) -> bool:
        return cls.cli("ping") == "PONG"

    @classmethod
    def count_keys(cls, pattern: str) -> int:
        """Keys matching ``pattern`` (SCAN, not KEYS); -1 when Redis is down."""
        if not cls.up():
            return -1
        out = cls.cli("--scan", "--pattern", pattern)
        return len([line for line in out.splitlines() if line])

    @classmethod
    def stop(cls) -> None:
        cls.cli("shutdown", "nosave")
        if not wait_until(lambda: not cls.up(), 15):
            raise RuntimeError("redis-server did not stop")

    @classmethod
    def start(cls, timeout_s: float = 30.0) -> float:
        started = time.monotonic()
        Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
        Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
        run_quiet(REDIS_START)
        if not wait_until(cls.up, timeout_s, 0.1):
            raise RuntimeError(f"Redis did not answer within {timeout_s:g} s")
        return time.monotonic() - started


def ensure_services() -> None:
    """Start MariaDB and Redis again if either is down (call in ``finally``)."""
    MariaDB.thaw()  # harmless when it was not frozen
    if not MariaDB.up():
        print("ensure_services: MariaDB is down, starting it", flush=True)
        MariaDB.start()
    if not Redis.up():
        print("ensure_services: Redis is down, starting it", flush=True)
        Redis.start()


def require_services() -> None:
    """Start missing services before a run, as .ci/run does."""
    ensure_services()
    if not (MariaDB.up() and Redis.up()):
        raise SystemExit("MariaDB or Redis is not available")


# --------------------------------------------------------------------------- world


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class World:
    """A database with the demo day, a data dir, and the environment for ``aimee``."""

    name: str
    database: str
    data_dir: Path
    env: dict[str, str]

    def aimee(self, *args: str, timeout_s: float = 300.0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(AIMEE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"aimee {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def token(self, user: str, role: str = "approver") -> str:
        """Create a user; its API token (the last line ``aimee user add`` prints)."""
        lines = self.aimee("user", "add", user, "--role", role).stdout.strip().splitlines()
        return lines[-1].strip()

    def query(self, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
        return MariaDB.query(self.database, sql, args)


@contextmanager
def world(name: str, extra_env: dict[str, str] | None = None) -> Iterator[World]:
    """A fresh database ``aimee_fault_<name>`` migrated and loaded with the demo
    day (now = 2025-10-23 15:40), a temporary data dir; dropped afterwards."""
    database = f"aimee_fault_{name}"
    data_dir = Path(tempfile.mkdtemp(prefix=f"aimee_fault_{name}_"))
    env = {
        **os.environ,
        "AIMEE_DATABASE_URL": (
            f"mysql+pymysql://root@{MARIADB_HOST}:{MARIADB_PORT}/{database}?charset=utf8mb4"
        ),
        "AIMEE_REDIS_URL": REDIS_URL,
        "AIMEE_NOW": DEMO_NOW,
        "AIMEE_DATA_DIR": str(data_dir),
        "AIMEE_LOG_LEVEL": "WARNING",
        # the chat limit still counts through the cache, but never refuses the load
        "AIMEE_CHAT_RATE_LIMIT": "100000",
        **(extra_env or {}),
    }
    w = World(name=name, database=database, data_dir=data_dir, env=env)
    _drop_database(database)
    with MariaDB.connect(timeout_s=30) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    try:
        w.aimee("init")
        w.aimee("init", "--demo", "--now", DEMO_NOW)
        yield w
    finally:
        with suppress(Exception):
            ensure_services()
        _drop_database(database)
        shutil.rmtree(data_dir, ignore_errors=True)


def _drop_database(database: str) -> None:
    with suppress(pymysql.MySQLError), MariaDB.connect(timeout_s=30) as conn, conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{database}`")


def run_tag() -> str:
    """A short random tag that keeps this run's session ids apart from others'."""
    return uuid.uuid4().hex[:8]


# --------------------------------------------------------------------------- the API


@dataclass
class Server:
    """``aimee serve`` in its own process group (so SIGKILL reaches every worker)."""

    world: World
    port: int = field(default_factory=free_port)
    workers: int = 1
    log_name: str = "serve.log"
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.world.data_dir / self.log_name

    def start(self, timeout_s: float = 120.0) -> float:
        """Start and wait for a 200 from /health; the seconds that took."""
        started = time.monotonic()
        cmd = [str(AIMEE), "serve", "--port", str(self.port), "--no-worker"]
        if self.workers > 1:
            cmd += ["--workers", str(self.workers)]
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {self.starts + 1}: {' '.join(cmd)}\n".encode())
            self.proc = subprocess.Popen(
                cmd,
                env=self.world.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        if not wait_until(self.healthy, timeout_s, 0.2):
            tail = self.log_tail()
            self.stop()
            raise RuntimeError(f"the API did not become healthy in {timeout_s:g} s:\n{tail}")
        return time.monotonic() - started

    def healthy(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"the API exited:\n{self.log_tail()}")
        try:
            return httpx.get(self.url + API + "/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def group_pids(self) -> list[int]:
        """Processes still in the server's process group."""
        if self.proc is None:
            return []
        out = run_quiet(["pgrep", "-g", str(self.proc.pid)]).stdout
        return [int(p) for p in out.split()]

    def kill(self) -> None:
        """SIGKILL the whole process group (supervisor and workers)."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        wait_until(lambda: not self.group_pids(), 10, 0.05)

    def stop(self) -> None:
        """SIGTERM the group, SIGKILL after 15 s."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=15)
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def exceptions(self) -> Counter[str]:
        """The last line of every traceback in the log (exception type and message,
        cut at 120 characters), counted."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return Counter()
        found: Counter[str] = Counter()
        inside = False
        for i, line in enumerate(lines):
            if line.startswith("Traceback (most recent call last)"):
                inside = True
            elif inside and line and not line.startswith((" ", "\t")):
                following = next((x for x in lines[i + 1 :] if x.strip()), "")
                if not following.startswith(("The above exception", "During handling")):
                    found[line[:120]] += 1
                inside = False
        return found

    def log_count(self, needle: str) -> int:
        try:
            return self.log_path.read_text(errors="replace").count(needle)
        except OSError:
            return 0


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def chat_body(session_id: str, message: str = SEED_QUESTION) -> dict[str, str]:
    return {"message": message, "session_id": session_id}


# --------------------------------------------------------------------------- load


@dataclass(frozen=True)
class Call:
    """One request of a client loop; ``body`` builds the JSON body from a
    sequence number unique in the run."""

    method: str
    path: str
    body: Callable[[int], dict[str, Any]] | None = None

    @property
    def endpoint(self) -> str:
        return self.method + " " + self.path.split("?")[0]


@dataclass
class Result:
    call: Call
    sent_at: float
    """Seconds since the timeline's start."""
    seconds: float
    status: int | None
    """None: no HTTP answer (``error`` says why)."""
    body: Any = None
    error: str | None = None

    @property
    def endpoint(self) -> str:
        return self.call.endpoint


class Load:
    """Client threads, each cycling through its list of calls until stopped.
    Every request is kept as a Result; a request open past ``timeout_s`` ends
    as an httpx timeout (the scripts count it as a hang)."""

    def __init__(
        self, base_url: str, token: str, timeline: Timeline, timeout_s: float, pause_s: float = 0
    ) -> None:
        self.base_url, self.token = base_url, token
        self.timeline, self.timeout_s, self.pause_s = timeline, timeout_s, pause_s
        self.results: list[Result] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._numbers = count()
        self._threads: list[threading.Thread] = []

    def start(self, loops: Sequence[Sequence[Call]]) -> None:
        for i, calls in enumerate(loops):
            thread = threading.Thread(target=self._loop, args=(list(calls),), name=f"client{i}")
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def sorted_results(self) -> list[Result]:
        with self._lock:
            return sorted(self.results, key=lambda r: r.sent_at)

    def _loop(self, calls: list[Call]) -> None:
        with httpx.Client(
            base_url=self.base_url + API, headers=auth(self.token), timeout=self.timeout_s
        ) as client:
            while not self._stop.is_set():
                for call in calls:
                    if self._stop.is_set():
                        break
                    self._one(client, call)
                    if self.pause_s:
                        time.sleep(self.pause_s)

    def _one(self, client: httpx.Client, call: Call) -> None:
        body = None if call.body is None else call.body(next(self._numbers))
        sent = self.timeline.now()
        started = time.monotonic()
        try:
            response = client.request(call.method, call.path, json=body)
        except httpx.HTTPError as exc:
            result = Result(call, sent, time.monotonic() - started, None, error=repr(exc))
        else:
            try:
                payload: Any = response.json()
            except ValueError:
                payload = response.text[:500]
            result = Result(call, sent, time.monotonic() - started, response.status_code, payload)
        with self._lock:
            self.results.append(result)


def main_guard(run: Any) -> None:
    """Run ``run()`` (which returns an exit code); MariaDB and Redis are
    started again whatever happens."""
    code = 1
    try:
        require_services()
        code = int(run())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    finally:
        ensure_services()
    sys.exit(code)

"""Run the layout of docs/deploy.md on one machine: the page's code blocks, child
processes, a database made by the page's SQL, a round-robin HTTP proxy and the
page's nginx configuration. Used by scripts/scale_out_check.py, bench/load.py
and tests/test_deploy_docs.py."""

from __future__ import annotations

import http.client
import itertools
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

ENV_PREFIX = "AIMEE_"
ROOT = Path(__file__).resolve().parents[1]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
MYSQL_ADMIN_URL = "mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
STARTUP_TIMEOUT_S = 180.0


# -- docs/deploy.md ---------------------------------------------------------------------


def code_blocks(markdown: str, language: str | None = None) -> list[str]:
    """The fenced code blocks of a Markdown text (only those in ``language`` if given)."""
    blocks = re.findall(r"^```([\w-]*)\n(.*?)^```", markdown, flags=re.M | re.S)
    return [body for lang, body in blocks if language is None or lang == language]


def doc_sql(doc: str) -> list[str]:
    """The SQL statements of the database set-up block."""
    (block,) = code_blocks(doc, "sql")
    return [s.strip() for s in block.split(";") if s.strip()]


def doc_command(doc: str, starts_with: str) -> str:
    """The one shell line of the page that starts with ``starts_with``."""
    lines = [
        line.strip()
        for block in code_blocks(doc, "sh")
        for line in block.splitlines()
        if line.strip().startswith(starts_with)
    ]
    if len(lines) != 1:
        raise ValueError(f"expected one line starting with {starts_with!r}, found {lines}")
    return lines[0]


def render_nginx_config(
    doc: str, *, api_upstreams: list[str], api_port: int, ui_port: int, dashboard_port: int
) -> str:
    """The page's nginx block for this machine: the upstream servers replaced by
    ``api_upstreams`` (host:port), the two servers listening on loopback ports, the
    dashboard proxied to ``ui_port``. Everything else is kept as written."""
    (block,) = code_blocks(doc, "nginx")
    servers = "".join(
        f"    server {upstream} max_fails=3 fail_timeout=10s;\n" for upstream in api_upstreams
    )
    block, count = re.subn(r"(?m)^\s*server\s+[\d.]+:8000\b.*;\n", "", block)
    if count == 0:
        raise ValueError("no upstream server lines found in the nginx block")
    block = block.replace("    least_conn;\n", "    least_conn;\n" + servers, 1)
    ports = iter([api_port, dashboard_port])
    block = re.sub(r"listen 80;", lambda _: f"listen 127.0.0.1:{next(ports)};", block)
    return block.replace("127.0.0.1:8501", f"127.0.0.1:{ui_port}")


def nginx_main_config(site: str, prefix: Path) -> str:
    """A complete nginx.conf around a site block, everything under ``prefix``;
    ``X-Upstream`` names the instance that answered (for the checks only)."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"    access_log {prefix}/access.log;\n"
        f"    client_body_temp_path {prefix}/body;\n    proxy_temp_path {prefix}/proxy;\n"
        f"    fastcgi_temp_path {prefix}/fastcgi;\n    uwsgi_temp_path {prefix}/uwsgi;\n"
        f"    scgi_temp_path {prefix}/scgi;\n"
        "    add_header X-Upstream $upstream_addr always;\n"
        f"{site}\n}}\n"
    )


def replace_all(value: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        value = value.replace(old, new)
    return value


# -- processes --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def venv_command(name: str) -> str:
    """A console script of this virtualenv (``aimee``, ``chroma``)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise SystemExit(f"{path} not found: run with the project's .venv/bin/python")
    return str(path)


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any AIMEE_* variable, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    return {**env, **settings}


class Service:
    """A child process in its own process group, output to a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.argv, self.env = name, argv, env
        self.log = logs / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.upstream = ""
        """host:port of a server, when it is one."""

    def start(self) -> Service:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.started = time.monotonic()
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, timeout_s: float = 20.0) -> None:
        """SIGTERM to the process group (uvicorn's workers included), then SIGKILL."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with suppress(ProcessLookupError):  # workers left by a supervisor that died first
            os.killpg(self.process.pid, signal.SIGKILL)


def run_aimee(args: list[str], env: dict[str, str], timeout_s: float = 300) -> str:
    """Run ``aimee ARGS``; return stdout; raise with the output when it fails."""
    done = subprocess.run(
        [venv_command("aimee"), *args],
        env={**env, "COLUMNS": "200"},  # rich wraps at 80 otherwise
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"aimee {shlex.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def add_user(name: str, role: str, env: dict[str, str]) -> str:
    """``aimee user add NAME --role ROLE``; the token is the last line on stdout."""
    done = subprocess.run(
        [venv_command("aimee"), "user", "add", name, "--role", role],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def wait_until(
    probe: Callable[[], bool],
    timeout_s: float,
    what: str,
    alive: Callable[[], bool] = lambda: True,
) -> float:
    """Poll ``probe`` until it is true; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if not alive():
            raise RuntimeError(f"{what}: the process exited")
        try:
            if probe():
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what}: not ready after {timeout_s:.0f} s")


def wait_healthy(service: Service, url: str, timeout_s: float = STARTUP_TIMEOUT_S) -> float:
    """Wait for ``GET url`` to answer 200 while ``service`` runs."""
    return wait_until(
        lambda: httpx.get(url, timeout=2).status_code == 200,
        timeout_s,
        f"{service.name} ({url})",
        lambda: service.alive,
    )


def rss_mb(pid: int) -> float:
    """Resident memory of one process (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def start_chroma(path: Path, logs: Path, stack: ExitStack) -> str:
    """``chroma run`` on a free loopback port over ``path``, stopped with ``stack``;
    its URL once it answers."""
    port = free_port()
    argv = [venv_command("chroma"), "run", "--path", str(path)]
    chroma = Service(
        "chroma", [*argv, "--host", "127.0.0.1", "--port", str(port)], dict(os.environ), logs
    )
    stack.callback(chroma.start().stop)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(chroma, f"{url}/api/v2/heartbeat", 60)
    return url


# -- the database -----------------------------------------------------------------------


@dataclass
class Database:
    """A database and its two users made by the page's SQL, dropped by ``drop``."""

    admin_url: str
    name: str = field(default_factory=lambda: f"aimee_scale_{secrets.token_hex(4)}")
    owner: str = field(default_factory=lambda: f"aimee_o_{secrets.token_hex(4)}")
    app: str = field(default_factory=lambda: f"aimee_a_{secrets.token_hex(4)}")
    owner_password: str = field(default_factory=lambda: secrets.token_hex(12))
    app_password: str = field(default_factory=lambda: secrets.token_hex(12))
    databases: list[str] = field(default_factory=list)

    def statements(self, doc: str, database: str, *, users: bool) -> list[str]:
        """The page's SQL for ``database`` with this run's names and passwords
        (without the CREATE USER statements when not ``users``)."""
        replacements = {
            "aimee_db": database,
            "'aimee_owner'": f"'{self.owner}'",
            "'aimee_app'": f"'{self.app}'",
            "'10.0.1.%'": "'127.0.0.1'",
            "CHANGE_ME_OWNER": self.owner_password,
            "CHANGE_ME_APP": self.app_password,
        }
        return [
            replace_all(statement, replacements)
            for statement in doc_sql(doc)
            if users or not statement.upper().startswith("CREATE USER")
        ]

    def create(self, doc: str, database: str, *, users: bool) -> None:
        """Run the page's SQL for ``database`` (``drop`` removes it, even half made)."""
        self.databases.append(database)
        engine = create_engine(self.admin_url)
        try:
            with engine.begin() as connection:
                for statement in self.statements(doc, database, users=users):
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def url(self, *, owner: bool, database: str | None = None) -> str:
        user, password = (
            (self.owner, self.owner_password) if owner else (self.app, self.app_password)
        )
        server = make_url(self.admin_url)
        return (
            f"mysql+pymysql://{user}:{password}@{server.host}:{server.port or 3306}"
            f"/{database or self.name}?charset=utf8mb4"
        )

    def count(self, database: str, table: str) -> int:
        engine = create_engine(self.admin_url)
        try:
            with engine.connect() as connection:
                return int(connection.scalar(text(f"SELECT COUNT(*) FROM {database}.{table}")))
        finally:
            engine.dispose()

    def drop(self, attempts: int = 12) -> None:
        """Drop the databases and users (retrying while the server restarts)."""
        engine = create_engine(self.admin_url)
        try:
            for attempt in range(attempts):
                try:
                    with engine.begin() as connection:
                        for database in self.databases:
                            connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
                        for user in (self.owner, self.app):
                            connection.execute(text(f"DROP USER IF EXISTS '{user}'@'127.0.0.1'"))
                    return
                except OperationalError:
                    if attempt == attempts - 1:
                        raise
                    time.sleep(5)
        finally:
            engine.dispose()


# -- the load balancer ------------------------------------------------------------------

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "server",
    "date",
}


class RoundRobinProxy:
    """Forwards each request to the next upstream in turn (nginx's round robin
    without retries), streaming the response body as it arrives."""

    def __init__(self, upstreams: list[str]) -> None:
        self._upstreams = itertools.cycle(upstreams)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def next_upstream(self) -> str:
        with self._lock:
            return next(self._upstreams)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def forward(self) -> None:
                upstream = proxy.next_upstream()
                host, port = upstream.rsplit(":", 1)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                connection = http.client.HTTPConnection(host, int(port), timeout=120)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    response = connection.getresponse()
                    self.send_response(response.status, response.reason)
                    for name, value in response.getheaders():
                        if name.lower() not in HOP_BY_HOP:
                            self.send_header(name, value)
                    self.send_header("X-Upstream", upstream)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    while chunk := response.read1(65536):
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except ConnectionRefusedError:
                    self.send_error(502, f"upstream {upstream} refused the connection")
                except (BrokenPipeError, ConnectionResetError):
                    return
                finally:
                    connection.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward  # noqa: N815

        return Handler

    @contextmanager
    def running(self) -> Iterator[str]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.url
        finally:
            self.server.shutdown()
            self.server.server_close()

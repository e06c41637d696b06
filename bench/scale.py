"""Reads on a large database: the demo day plus earlier working days, a million
progress snapshots by default (``aimee init --demo --scale N``).

Builds the scaled demo database (SQLite in a temporary file; with --mariadb also
MariaDB, in a fresh database ``aimee_bench_scale`` dropped at the end unless
--keep), prints how long the generation took, then p50/p95 over repeated runs
of the reads the API and the alert worker make at the demo's "now": the latest
snapshot per queue, the situation behind a plan, the master data of the chat's
gazetteer, one queue's burn-down (as the history endpoint reads it), an alert
scan (rolled back, so that every run is the first) and, with --chat, the chat's
deadline question (template answer, through the chat service).

    .venv/bin/python bench/scale.py [--rows 1000000] [--runs 20] [--mariadb]
                                    [--no-sqlite] [--reuse] [--keep] [--chat]

--reuse keeps using a database left by an earlier run with --keep when it holds
exactly --rows snapshots (SQLite: the file named in the output).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from aimee.api.routers import progress as progress_router
from aimee.config import Settings, get_settings
from aimee.services import setup
from aimee.services.alerts import scan
from aimee.services.policy import Policy
from aimee.services.progress import current_progress
from aimee.services.scenarios import build_situation
from aimee.store import migrate
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import master, progress

NOW = datetime(2025, 10, 23, 15, 40)
SEED = 7
SEED_QUEUE = ("札幌", "523201", "エントリ1")
POLICY = Policy.from_settings(Settings.model_construct())
"""The default policy (what an unconfigured deployment uses)."""
SEED_MESSAGE = "札幌のエントリ1工程が遅延しています"
SQLITE_FILE = Path(tempfile.gettempdir()) / "aimee_bench_scale.sqlite3"
MARIADB_SERVER = "mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
MARIADB_DATABASE = "aimee_bench_scale"

Read = Callable[[Session], object]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def snapshot_count(engine: Engine) -> int | None:
    """Rows in progress_snapshots, or None without a schema."""
    if migrate.current_revision(engine) is None:
        return None
    with transaction(session_factory(engine)) as session:
        return int(session.scalar(select(func.count()).select_from(ProgressSnapshot)) or 0)


def build(engine: Engine, rows: int, *, reuse: bool) -> None:
    """Migrate and load the scaled demo day, unless --reuse finds it there."""
    if reuse and snapshot_count(engine) == rows:
        print(f"  reusing the database: {rows:,} snapshots")
        return
    setup.apply_migrations(engine)
    started = time.perf_counter()
    shown = 0.0

    def progress_line(table: str, done: int, total: int) -> None:
        nonlocal shown
        if time.perf_counter() - shown >= 1 or done == total:
            shown = time.perf_counter()
            print(f"\r  loading {table}: {done:,}/{total:,}".ljust(60), end="", flush=True)

    summary = setup.load_demo(
        engine, seed=SEED, now=NOW, reset=True, scale=rows, on_progress=progress_line
    )
    elapsed = time.perf_counter() - started
    loaded = sum(summary.counts.values())
    print(
        "\r" + " " * 60 + "\r"
        f"  generated and loaded {loaded:,} rows ({rows:,} snapshots) in {elapsed:.1f} s: "
        f"{rows / elapsed:,.0f} snapshots/s"
    )


def reads(engine: Engine, *, chat: bool) -> dict[str, Read]:
    midnight = NOW.replace(hour=0, minute=0)
    cases: dict[str, Read] = {
        "latest_snapshots": lambda s: progress.latest_snapshots(s, as_of=NOW),
        "build_situation": lambda s: build_situation(s, now=NOW, rules=POLICY.rules),
        "master_data": master.master_data,
        "queue_history (business day)": lambda s: progress.queue_history(
            s, SEED_QUEUE, since=midnight
        ),
        "history endpoint": lambda s: progress_router.queue_history(
            NOW, *SEED_QUEUE, session=s, since=midnight
        ),
        "/progress": lambda s: current_progress(s, now=NOW, policy=POLICY),
        "alert scan (rolled back)": lambda s: scan(s, NOW, POLICY),
    }
    if chat:
        cases["chat: deadline question"] = _chat_read(engine)
    return cases


def _chat_read(engine: Engine) -> Read:
    """The chat service over this database, know-how indexed in the data dir."""
    from aimee import bootstrap

    os.environ["AIMEE_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    get_settings.cache_clear()
    components = bootstrap.build(get_settings())
    with transaction(components.sessions) as session:
        components.knowledge.reindex(session)
        components.chat.warm_up(session)
    turns = iter(range(1_000_000))

    def ask(session: Session) -> object:
        reply = components.chat.reply(
            session, SEED_MESSAGE, f"bench-{next(turns)}", now=NOW, user="bench"
        )
        assert reply.suggestion is not None, "the deadline question got no suggestion"
        return reply

    return ask


@contextmanager
def rolled_back(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session, session.begin() as outer:
        yield session
        outer.rollback()


def measure(engine: Engine, runs: int, *, chat: bool) -> None:
    sessions = session_factory(engine)
    print(f"  {'read':<30}{'first ms':>10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, read in reads(engine, chat=chat).items():
        times = []
        for _ in range(runs + 1):  # the first run (cold caches) is shown apart
            with rolled_back(sessions) as session:
                started = time.perf_counter()
                read(session)
                times.append((time.perf_counter() - started) * 1000)
        first, rest = times[0], times[1:]
        print(
            f"  {label:<30}{first:>10.1f}{statistics.median(rest):>9.1f}"
            f"{percentile(rest, 0.95):>9.1f}{max(rest):>9.1f}"
        )


def run_sqlite(args: argparse.Namespace) -> None:
    print(f"SQLite ({SQLITE_FILE})")
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    engine = create_db_engine(f"sqlite:///{SQLITE_FILE}")
    try:
        build(engine, args.rows, reuse=args.reuse)
        measure(engine, args.runs, chat=args.chat)
    finally:
        engine.dispose()
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def run_mariadb(args: argparse.Namespace) -> None:
    server = create_engine(args.mariadb_url)
    with server.connect() as connection:
        version = connection.scalar(text("SELECT VERSION()"))
        if not args.reuse:
            connection.execute(text(f"DROP DATABASE IF EXISTS {MARIADB_DATABASE}"))
        connection.execute(
            text(
                f"CREATE DATABASE IF NOT EXISTS {MARIADB_DATABASE} "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        )
    url = server.url.set(database=MARIADB_DATABASE)
    print(f"MariaDB {version} ({url.render_as_string()})")
    engine = create_db_engine(url.render_as_string(hide_password=False))
    try:
        build(engine, args.rows, reuse=args.reuse)
        measure(engine, args.runs, chat=args.chat)
    finally:
        engine.dispose()
        if not args.keep:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {MARIADB_DATABASE}"))
        server.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="progress snapshots in all")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each read")
    parser.add_argument("--mariadb", action="store_true", help="also on MariaDB")
    parser.add_argument("--mariadb-url", default=MARIADB_SERVER, help="the server (no database)")
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false", help="skip SQLite")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--chat", action="store_true", help="also the chat's deadline question")
    args: Any = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aimee_bench_", ignore_cleanup_errors=True) as data:
        os.environ["AIMEE_NOW"] = NOW.isoformat()  # the business clock of the history endpoint
        os.environ["AIMEE_DATA_DIR"] = data  # the chat's know-how index
        get_settings.cache_clear()
        if args.sqlite:
            run_sqlite(args)
        if args.mariadb:
            run_mariadb(args)


if __name__ == "__main__":
    main()

"""Set-up and servers: init, serve, demo, ui, worker."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from aimee.cli.common import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    app,
    cli_settings,
    console,
    parse_now,
    require_schema,
    sessions_for,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from aimee.config import Settings
    from aimee.services.day_plan import DayPlanner
    from aimee.services.worker import AlertWorker


@app.command()
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Fill the database with the demo day.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the demo day.")] = 7,
    now: Annotated[
        str | None, typer.Option(help="The demo's current time (ISO 8601); default: now.")
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Replace existing data with the demo day.")
    ] = False,
    scale: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="With --demo: total progress snapshot rows, today's demo day plus "
            "earlier working days (e.g. 1000000 for benchmarks).",
        ),
    ] = None,
) -> None:
    """Create or upgrade the database; with --demo, fill it with a realistic day."""
    settings = cli_settings()
    demo_now = parse_now(now)
    if scale is not None and not demo:
        console.print("[red]error:[/red] --scale needs --demo")
        raise typer.Exit(2)
    _init(settings, demo=demo, seed=seed, now=demo_now, reset=reset, scale=scale)


def _init(
    settings: Settings,
    *,
    demo: bool,
    seed: int,
    now: datetime | None,
    reset: bool,
    scale: int | None = None,
) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from aimee import clock
    from aimee.clock import to_local_naive
    from aimee.errors import AimeeError
    from aimee.services import setup
    from aimee.store.db import create_db_engine

    engine = create_db_engine(settings.effective_database_url)
    with console.status("Applying database migrations…"):
        revision = setup.apply_migrations(engine)
    console.print(f"Database ready at revision {revision}: {engine.url.render_as_string()}")
    if not demo:
        return
    if not reset and not setup.is_empty(engine):
        console.print(
            "[red]error:[/red] the database already holds data; "
            "use --reset to replace it with the demo day"
        )
        raise typer.Exit(1)
    demo_now = to_local_naive(now, settings.timezone) if now else clock.now(settings)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Generating the demo day", total=None)

        def advance(table: str, done: int, total: int) -> None:
            progress.update(task, description=f"Loading {table}", completed=done, total=total)

        try:
            summary = setup.load_demo(
                engine, seed=seed, now=demo_now, reset=reset, scale=scale, on_progress=advance
            )
        except AimeeError as exc:  # data present without --reset, --scale too small
            progress.stop()
            console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(1) from None
    counts = ", ".join(f"{count} {table}" for table, count in summary.counts.items())
    console.print(f"Demo day loaded (now = {summary.now:%Y-%m-%d %H:%M}): {counts}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="API worker processes; default: one per core, as memory allows "
            f"({WORKER_MB} MB each). Without AIMEE_REDIS_URL they share conversations and "
            "rate limits in a SQLite file under the data dir (AIMEE_CACHE_DIR).",
        ),
    ] = None,
    alert_worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Scan for alerts every AIMEE_ALERT_INTERVAL_S seconds alongside the API.",
        ),
    ] = True,
) -> None:
    """Run the API (FastAPI under uvicorn); OpenAPI docs at /docs."""
    settings = cli_settings()
    require_schema(settings)
    workers = workers if workers is not None else default_workers()
    if workers > 1 and settings.redis_url is None and settings.cache_dir is None:
        # Worker processes read their settings from the environment: they share one
        # cache file, so a follow-up reaching another worker knows its conversation.
        cache_dir = (settings.data_dir / "cache").resolve()
        os.environ["AIMEE_CACHE_DIR"] = str(cache_dir)
        settings = settings.model_copy(update={"cache_dir": cache_dir})
    _serve(settings, host, port, workers, alert_worker=alert_worker)


WORKER_MB = 500
"""The budget of one API worker: the embedding model, the know-how index and the
dictionary take ~460 MB after warm-up (README, "memory")."""
RESERVE_MB = 1024
"""Memory left to the database, the alert scan's process and the rest of the machine."""


def default_workers(cpus: int | None = None, available_mb: int | None = None) -> int:
    """API workers for this machine: one per core this process may run on, as many as
    the available memory holds at ``WORKER_MB`` each beside ``RESERVE_MB``; at least one.
    Each worker is a process with its own GIL, so a second core serves answers instead
    of waiting for the first one's lock. The workers share one cache (Redis, or else a
    SQLite file): with a cache per process a follow-up (「その場合、盛岡は大丈夫？」)
    reaching another worker would lose what it follows."""
    cpus = cpus if cpus is not None else _usable_cpus()
    available_mb = available_mb if available_mb is not None else _available_mb()
    by_memory = (available_mb - RESERVE_MB) // WORKER_MB if available_mb is not None else cpus
    return max(1, min(cpus, by_memory))


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _available_mb() -> int | None:
    """MemAvailable of /proc/meminfo in MB; None where there is no such file."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


API_HEALTH = "/api/v1/health"
UI_HEALTH = "/_stcore/health"
READY_WAIT_S = 180.0
READY_POLL_S = 0.5


def wait_until_ready(
    url: str,
    *,
    attempts: int = int(READY_WAIT_S / READY_POLL_S),
    get: Callable[[str], int] | None = None,
    pause: Callable[[float], None] = time.sleep,
) -> bool:
    """Ask ``url`` until it answers 200 (True) or ``attempts`` run out (False)."""
    ask = get or _status_of
    for attempt in range(attempts):
        if ask(url) == 200:
            return True
        if attempt + 1 < attempts:
            pause(READY_POLL_S)
    return False


def _status_of(url: str) -> int:
    import httpx

    try:
        return httpx.get(url, timeout=2.0).status_code
    except httpx.HTTPError:
        return 0


def announce_when_ready(
    url: str, banner: str, *, then: Callable[[], None] | None = None
) -> threading.Thread:
    """Print ``banner`` (the addresses to open) once the API answers ``url``, after
    running ``then``, from a daemon thread."""

    def announce() -> None:
        if wait_until_ready(url):
            if then is not None:
                then()
            console.print(banner, soft_wrap=True)
        else:
            console.print(
                f"The API did not answer {url} within {READY_WAIT_S:.0f} s; see the log above.",
                soft_wrap=True,
            )

    thread = threading.Thread(target=announce, name="aimee-ready", daemon=True)
    thread.start()
    return thread


def _serve(
    settings: Settings, host: str, port: int, workers: int, *, alert_worker: bool = True
) -> None:
    import uvicorn

    from aimee.api.access_log import uvicorn_log_config

    scanner = _alert_worker(settings) if alert_worker else None
    if scanner is not None:  # one thread in this (supervising) process, however many workers
        scanner.start()
    console.print(
        f"API on http://{host}:{port}  (docs: http://{host}:{port}/docs), "
        f"{workers} worker{'s' if workers > 1 else ''}"
        + (", alert scan in this process" if scanner is not None else "")
    )
    try:
        uvicorn.run(
            "aimee.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
            log_config=uvicorn_log_config(),  # the access log without query strings
        )
    finally:
        if scanner is not None:
            scanner.stop()


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port of the API.")] = DEFAULT_PORT,
    seed: Annotated[int, typer.Option(help="Random seed of the demo day.")] = 7,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Replace existing data with a new demo day.")
    ] = False,
    ui_port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8501,
    ui: Annotated[bool, typer.Option(help="Start the dashboard with the API.")] = True,
    speed: Annotated[
        float, typer.Option(min=0.1, max=600, help="Business time runs this many times as fast.")
    ] = 1.0,
) -> None:
    """Set up the demo day when the data dir is empty, then run the API and the
    dashboard together, with the floor moving on as time passes (Ctrl-C stops all)."""
    busy = _busy_ports(host, [("API", port), *([("dashboard", ui_port)] if ui else [])])
    if busy:
        console.print(_busy_message(busy, port, ui_port), soft_wrap=True)
        raise typer.Exit(1)
    settings = cli_settings()
    from aimee import clock
    from aimee.services import setup
    from aimee.services.live_floor import LiveFloor
    from aimee.services.policy import Policy
    from aimee.store.db import create_db_engine

    engine = create_db_engine(settings.effective_database_url)
    if fresh or setup.is_empty(engine):
        _init(settings, demo=True, seed=seed, now=None, reset=fresh)
    else:
        setup.apply_migrations(engine)
        console.print("Using the existing data (run `aimee demo --fresh` for a new demo day).")
    token, password = _demo_credentials(settings)
    clock.run(speed)
    floor = LiveFloor(
        sessions_for(settings), Policy.from_settings(settings).rules, speed=speed, seed=seed
    )
    floor.start()
    dashboards: list[subprocess.Popen[bytes]] = []

    def start_ui() -> None:
        """Once the API answers: a dashboard opened earlier could only say it is down."""
        from aimee.ui.launcher import start_dashboard

        dashboards.append(start_dashboard(host, ui_port, f"http://{host}:{port}"))
        if not wait_until_ready(f"http://{host}:{ui_port}{UI_HEALTH}"):
            console.print(
                f"[red]The dashboard did not answer on port {ui_port}; see its log above.[/red] "
                "The API below works without it."
            )

    dashboard_line = (
        f"  Dashboard: http://{host}:{ui_port}  (sign in as 'demo', password: {password})\n"
    )
    banner = (
        f"\n[bold]AIMEE demo is ready[/bold] (business time x{speed:g} "
        f"from {clock.now(settings):%H:%M})\n"
        + (dashboard_line if ui else "")
        + f"  API:       http://{host}:{port}  (docs: http://{host}:{port}/docs)\n"
        f"  API token of the demo approver 'demo': {token}\n  Ctrl-C stops the demo.\n"
    )
    console.print(
        "Starting the API (it loads its language models, about 15 s); "
        "the addresses follow when it answers."
    )
    announce_when_ready(f"http://{host}:{port}{API_HEALTH}", banner, then=start_ui if ui else None)
    try:
        # One worker: the demo's business clock (``clock.run(speed)``) and its moving
        # floor live in this process, which a worker process started by uvicorn would
        # not share; a demo serves one presenter.
        _serve(settings, host, port, 1)
    finally:
        floor.stop()
        if dashboards:
            from aimee.ui.launcher import stop_dashboard

            stop_dashboard(dashboards[0])


@app.command()
def ui(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8501,
    api_url: Annotated[
        str | None,
        typer.Option(help="The API the dashboard talks to (default: AIMEE_API_URL)."),
    ] = None,
) -> None:
    """Run the dashboard (Streamlit); it talks to the API at --api-url only."""
    from aimee.ui.launcher import dashboard_env, streamlit_command
    from aimee.ui.state import api_url as configured_api_url

    api_url = api_url or configured_api_url()

    console.print(f"Dashboard on http://{host}:{port}  (API: {api_url})")
    try:
        subprocess.run(streamlit_command(host, port), env=dashboard_env(api_url), check=False)
    except KeyboardInterrupt:
        console.print("Dashboard stopped.")


def _busy_ports(host: str, ports: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The (name, port) pairs another process already listens on at ``host``."""
    import socket

    busy = []
    for name, number in ports:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As uvicorn and Streamlit bind: a port in TIME_WAIT counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, number))
            except OSError:
                busy.append((name, number))
    return busy


def _busy_message(busy: list[tuple[str, int]], port: int, ui_port: int) -> str:
    taken = " and ".join(f"{number} ({name})" for name, number in busy)
    verb = "are" if len(busy) > 1 else "is"
    options = f"--port {port + 100} --ui-port {ui_port + 100}"
    return (
        f"[red]error:[/red] port {taken} {verb} already in use (another AIMEE still running?); "
        f'choose others: aimee demo {options}  (or make demo ARGS="{options}")'
    )


def _demo_credentials(settings: Settings) -> tuple[str, str]:
    """A fresh token and dashboard password for the demo approver 'demo' (created on
    first use): each run prints its own, the last run's stop working."""
    import secrets

    from aimee import clock
    from aimee.services import sign_in, users
    from aimee.store.db import transaction

    password = secrets.token_urlsafe(9)  # 12 characters, typed by hand in a demo
    with transaction(sessions_for(settings)) as session:
        token = users.rotate_token(session, "demo", "approver", now=clock.now(settings))
        sign_in.set_password(session, "demo", password, now=clock.utc_now())
    return token, password


def _alert_worker(settings: Settings) -> AlertWorker:
    from aimee import clock
    from aimee.cache import create_cache
    from aimee.services.day_plan import DayPlanner
    from aimee.services.day_plan_solve import at_once
    from aimee.services.notifications import Notifier
    from aimee.services.policy import Policy
    from aimee.services.worker import AlertWorker

    sessions = sessions_for(settings)
    cache = create_cache(settings.redis_url, disk_dir=settings.cache_dir)
    policy = Policy.from_settings(settings)
    replan = None
    if settings.day_plan_replan_minutes > 0:  # solved in the round, in the solver process
        planner = DayPlanner(
            sessions, cache, policy=policy, time_limit_s=settings.day_plan_time_limit_s, run=at_once
        )
        after = timedelta(minutes=settings.day_plan_replan_minutes)
        replan = partial(_replan_day, planner, after)
    return AlertWorker(
        sessions,
        cache,
        interval_s=settings.alert_interval_s,
        policy=policy,
        now=lambda: clock.now(settings),
        notifier=Notifier.from_settings(settings),
        replan_day=replan,
    )


def _replan_day(planner: DayPlanner, after: timedelta, session: Session, now: datetime) -> object:
    return planner.replan_due(session, now=now, after=after)


@app.command()
def worker() -> None:
    """Run the alert scan alone, every AIMEE_ALERT_INTERVAL_S seconds (Ctrl-C stops).

    Several workers and API processes sharing Redis scan once per interval between them."""
    import signal
    from contextlib import suppress

    settings = cli_settings()
    scanner = _alert_worker(settings)
    signal.signal(signal.SIGTERM, lambda *_: scanner.stop(timeout_s=0))
    console.print(f"Alert scan every {settings.alert_interval_s:g} s (Ctrl-C stops).")
    with suppress(KeyboardInterrupt):
        scanner.run()
    console.print("Alert worker stopped.")

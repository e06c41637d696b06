"""The ``aimee`` command. Each command imports only what it uses, so that
``aimee plan`` answers without loading the web or chat stack."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from aimee.config import Settings
    from aimee.planner import Scenario
    from aimee.services.worker import AlertWorker

app = typer.Typer(
    name="aimee",
    help="AIMEE: see which queue will miss its deadline and move the right operators in time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _settings() -> Settings:
    from aimee.config import ConfigError, get_settings

    try:
        settings = get_settings()
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.root.level))
    return settings


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        console.print(f"[red]error:[/red] --now: not an ISO 8601 time: {value!r}")
        raise typer.Exit(2) from None


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
) -> None:
    """Create or upgrade the database; with --demo, fill it with a realistic day."""
    settings = _settings()
    demo_now = _parse_now(now)
    _init(settings, demo=demo, seed=seed, now=demo_now, reset=reset)


def _init(settings: Settings, *, demo: bool, seed: int, now: datetime | None, reset: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from aimee import clock
    from aimee.clock import to_local_naive
    from aimee.errors import Conflict
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
    demo_now = to_local_naive(now, settings.timezone) if now else clock.now()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("Generating the demo day", total=None)

        def advance(table: str, done: int, total: int) -> None:
            progress.update(task, description=f"Loading {table}", completed=done, total=total)

        try:
            summary = setup.load_demo(
                engine, seed=seed, now=demo_now, reset=reset, on_progress=advance
            )
        except Conflict as exc:
            progress.stop()
            console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(1) from None
    counts = ", ".join(f"{count} {table}" for table, count in summary.counts.items())
    console.print(f"Demo day loaded (now = {summary.now:%Y-%m-%d %H:%M}): {counts}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    workers: Annotated[int, typer.Option(min=1, help="Number of worker processes.")] = 1,
    alert_worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Scan for alerts every AIMEE_ALERT_INTERVAL_S seconds alongside the API.",
        ),
    ] = True,
) -> None:
    """Run the API (FastAPI under uvicorn); OpenAPI docs at /docs."""
    settings = _settings()
    _require_schema(settings)
    _serve(host, port, workers, settings.log_level, alert_worker=alert_worker)


def _require_schema(settings: Settings) -> None:
    from aimee.store import migrate
    from aimee.store.db import create_db_engine

    engine = create_db_engine(settings.effective_database_url)
    if migrate.current_revision(engine) != migrate.head_revision():
        console.print("[red]error:[/red] the database schema is not up to date: run `aimee init`")
        raise typer.Exit(1)


def _serve(
    host: str, port: int, workers: int, log_level: str, *, alert_worker: bool = True
) -> None:
    import uvicorn

    scanner = _alert_worker(_settings()) if alert_worker else None
    if scanner is not None:  # one thread in this (supervising) process, however many workers
        scanner.start()
    console.print(f"API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    try:
        uvicorn.run(
            "aimee.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level.lower(),
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
    settings = _settings()
    from aimee import clock
    from aimee.services import setup
    from aimee.services.live_floor import LiveFloor
    from aimee.store.db import create_db_engine

    engine = create_db_engine(settings.effective_database_url)
    if fresh or setup.is_empty(engine):
        _init(settings, demo=True, seed=seed, now=None, reset=fresh)
    else:
        setup.apply_migrations(engine)
        console.print("Using the existing data (run `aimee demo --fresh` for a new demo day).")
    token = _demo_token(settings)
    clock.run(speed)
    floor = LiveFloor(_sessions(settings), speed=speed, seed=seed)
    floor.start()
    dashboard = None
    if ui:
        from aimee.ui.launcher import start_dashboard

        dashboard = start_dashboard(host, ui_port, f"http://{host}:{port}")
    try:
        dashboard_line = f"  Dashboard: http://{host}:{ui_port}  (log in with the token below)\n"
        console.print(
            f"\n[bold]AIMEE demo[/bold] (business time x{speed:g} from {clock.now():%H:%M})\n"
            + (dashboard_line if ui else "")
            + f"  API:       http://{host}:{port}  (docs: http://{host}:{port}/docs)\n"
            f"  Token of the demo approver 'demo': {token}\n  Ctrl-C stops the demo.\n",
            soft_wrap=True,
        )
        _serve(host, port, 1, settings.log_level)
    finally:
        floor.stop()
        if dashboard is not None:
            from aimee.ui.launcher import stop_dashboard

            stop_dashboard(dashboard)


@app.command()
def ui(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8501,
    api_url: Annotated[
        str, typer.Option(help="The API the dashboard talks to.")
    ] = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
) -> None:
    """Run the dashboard (Streamlit); it talks to the API at --api-url only."""
    import subprocess

    from aimee.ui.launcher import dashboard_env, streamlit_command

    console.print(f"Dashboard on http://{host}:{port}  (API: {api_url})")
    try:
        subprocess.run(streamlit_command(host, port), env=dashboard_env(api_url), check=False)
    except KeyboardInterrupt:
        console.print("Dashboard stopped.")


def _demo_token(settings: Settings) -> str:
    """A fresh token for the demo approver (created on first use)."""
    from aimee import clock
    from aimee.services import users
    from aimee.store.db import transaction

    with transaction(_sessions(settings)) as session:
        return users.rotate_token(session, "demo", "approver", now=clock.now())


@app.command()
def plan(
    scenario: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="Scenario JSON file (default: current data)."
        ),
    ] = None,
    location: Annotated[str | None, typer.Option(help="Focus site, on current data.")] = None,
    business_id: Annotated[str | None, typer.Option(help="Focus business.")] = None,
    process: Annotated[str | None, typer.Option(help="Focus process.")] = None,
    time_limit: Annotated[
        float | None, typer.Option(min=0.01, help="Solver time limit in seconds.")
    ] = None,
    print_scenario: Annotated[
        bool, typer.Option("--print-scenario", help="Print the scenario instead of planning.")
    ] = False,
) -> None:
    """Compute the optimal reallocation; prints the plan as JSON on stdout.

    With --scenario, plans that file (DESIGN.md's contract); without it, plans the
    current data in the database, optionally around focus queues."""
    from aimee.planner import plan as make_plan

    settings = _settings()
    parsed = (
        _load_scenario(scenario) if scenario else _current_scenario(location, business_id, process)
    )
    if print_scenario:
        _print_json(parsed.model_dump(mode="json"))
        return
    result = make_plan(parsed, time_limit_s=time_limit or settings.planner_time_limit_s)
    _print_json(result.model_dump(mode="json", by_alias=True))


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _load_scenario(path: Path) -> Scenario:
    from pydantic import ValidationError

    from aimee.planner import Scenario

    try:
        return Scenario.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        console.print(f"[red]error:[/red] {path}: not valid JSON ({exc})")
        raise typer.Exit(2) from None
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(part) for part in err["loc"]) or "scenario"
            console.print(f"[red]error:[/red] {field}: {err['msg']}")
        raise typer.Exit(2) from None


def _current_scenario(
    location: str | None, business_id: str | None, process: str | None
) -> Scenario:
    from aimee.services.scenarios import ScenarioFilter, build_scenario
    from aimee.store.db import create_db_engine, session_factory, transaction

    settings = _settings()
    _require_schema(settings)
    engine = create_db_engine(settings.effective_database_url)
    with transaction(session_factory(engine)) as session:
        return build_scenario(session, ScenarioFilter(location, business_id, process))


@app.command()
def simulate(
    policy: Annotated[
        list[str] | None,
        typer.Option(help="optimal, greedy (the seed's method) or none; repeat to compare."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the simulated day.")] = 1,
    replan_every: Annotated[float, typer.Option(min=1, help="Minutes between plans.")] = 10.0,
    arrival_scale: Annotated[
        float, typer.Option(min=0, help="Multiply arrival rates (stress test).")
    ] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Replay the rest of the day under each policy and compare late tasks and moves."""
    from dataclasses import asdict

    from rich.progress import BarColumn, Progress, TextColumn
    from rich.table import Table

    from aimee.planner.simulator import POLICIES, SimConfig
    from aimee.services.simulation import simulate_day
    from aimee.store.db import create_db_engine, session_factory, transaction

    policies = policy or list(POLICIES)
    unknown = [name for name in policies if name not in POLICIES]
    if unknown:
        console.print(
            f"[red]error:[/red] --policy: unknown {unknown[0]!r} (use {', '.join(POLICIES)})"
        )
        raise typer.Exit(2)
    settings = _settings()
    _require_schema(settings)
    engine = create_db_engine(settings.effective_database_url)
    with (
        Progress(TextColumn("{task.description}"), BarColumn(), console=console) as progress,
        transaction(session_factory(engine)) as session,
    ):
        tasks = {name: progress.add_task(f"simulating {name}", total=None) for name in policies}
        results = simulate_day(
            session,
            policies,
            seed=seed,
            config=SimConfig(replan_every_minutes=replan_every),
            arrival_scale=arrival_scale,
            on_step=lambda name, done, total: progress.update(
                tasks[name], completed=done, total=total
            ),
        )
    if as_json:
        _print_json([asdict(r) for r in results])
        return
    table = Table(title=f"Rest of the day, seed {seed}, arrivals x{arrival_scale:g}")
    for column in ("policy", "deadlines missed", "late tasks", "moves", "planning s"):
        table.add_column(column, justify="left" if column == "policy" else "right")
    for r in results:
        table.add_row(
            r.policy,
            str(r.deadlines_missed),
            str(r.late_tasks),
            str(r.moves),
            f"{r.plan_seconds:.2f}",
        )
    Console().print(table)


user_app = typer.Typer(help="API users, roles and tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _sessions(settings: Settings) -> sessionmaker[Session]:
    from aimee.store.db import create_db_engine, session_factory

    _require_schema(settings)
    return session_factory(create_db_engine(settings.effective_database_url))


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (shown as the approver).")],
    role: Annotated[str, typer.Option(help="viewer, approver or admin.")] = "viewer",
) -> None:
    """Create a user; the last line printed is the new API token (shown once)."""
    from aimee import clock
    from aimee.errors import AimeeError
    from aimee.services import users
    from aimee.store.db import transaction

    settings = _settings()
    try:
        with transaction(_sessions(settings)) as session:
            user, token = users.add_user(session, name, role, now=clock.now())
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    console.print(f"User {user.user_name!r} ({user.role}) created. Token (shown once):")
    sys.stdout.write(token + "\n")


@user_app.command("list")
def user_list() -> None:
    """List users, roles and whether their token is revoked."""
    from rich.table import Table

    from aimee.services import users
    from aimee.store.db import transaction

    table = Table("name", "role", "created", "revoked")
    with transaction(_sessions(_settings())) as session:
        for user in users.list_users(session):
            table.add_row(
                user.user_name,
                user.role,
                f"{user.created_at:%Y-%m-%d %H:%M}",
                "" if user.revoked_at is None else f"{user.revoked_at:%Y-%m-%d %H:%M}",
            )
    Console().print(table)


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(help="User whose token stops working.")],
) -> None:
    """Revoke a user's token."""
    from aimee import clock
    from aimee.errors import AimeeError
    from aimee.services import users
    from aimee.store.db import transaction

    try:
        with transaction(_sessions(_settings())) as session:
            users.revoke(session, name, now=clock.now())
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    console.print(f"Token of {name!r} revoked.")


knowledge_app = typer.Typer(help="Manager know-how.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@knowledge_app.command("reindex")
def knowledge_reindex() -> None:
    """Rebuild the know-how index (vector store and BM25) from the database."""
    from aimee.knowledge import KnowledgeIndex
    from aimee.services.knowledge import KnowledgeService
    from aimee.store.db import create_db_engine, session_factory, transaction

    settings = _settings()
    _require_schema(settings)
    engine = create_db_engine(settings.effective_database_url)
    service = KnowledgeService(KnowledgeIndex.from_settings(settings))
    with console.status("Embedding the know-how…"), transaction(session_factory(engine)) as session:
        report = service.reindex(session)
    console.print(f"Know-how index rebuilt: {report}")


@app.command()
def chat(
    message: Annotated[str, typer.Argument(help="日本語のメッセージ")],
    session_id: Annotated[str, typer.Option("--session", help="Conversation id.")] = "cli",
    as_json: Annotated[bool, typer.Option("--json", help="Print the full reply as JSON.")] = False,
) -> None:
    """Run one chat turn against the database (no server needed)."""
    from aimee import bootstrap, clock
    from aimee.store.db import transaction

    settings = _settings()
    _require_schema(settings)
    parts = bootstrap.build(settings)
    with transaction(parts.sessions) as session:
        parts.knowledge.sync(session)
    with transaction(parts.sessions) as session:
        reply = parts.chat.reply(session, message, session_id, now=clock.now(), user=None)
    if as_json:
        from dataclasses import asdict

        data = asdict(reply)
        data["suggestion"] = reply.suggestion.model_dump(mode="json") if reply.suggestion else None
        data["intent"] = reply.intent.model_dump(mode="json")
        _print_json(data)
        return
    Console().print(reply.response)
    if reply.suggestion is not None:
        Console().print(f"\n[bold]提案 {reply.suggestion.id}[/bold] ({reply.suggestion.status})")


def _alert_worker(settings: Settings) -> AlertWorker:
    from aimee.cache import create_cache
    from aimee.services.worker import AlertWorker

    return AlertWorker(
        _sessions(settings), create_cache(settings.redis_url), interval_s=settings.alert_interval_s
    )


@app.command()
def worker() -> None:
    """Run the alert scan alone, every AIMEE_ALERT_INTERVAL_S seconds (Ctrl-C stops).

    Several workers and API processes sharing Redis scan once per interval between them."""
    import signal
    from contextlib import suppress

    settings = _settings()
    scanner = _alert_worker(settings)
    signal.signal(signal.SIGTERM, lambda *_: scanner.stop(timeout_s=0))
    console.print(f"Alert scan every {settings.alert_interval_s:g} s (Ctrl-C stops).")
    with suppress(KeyboardInterrupt):
        scanner.run()
    console.print("Alert worker stopped.")


alerts_app = typer.Typer(help="Alerts: delay risk, productivity drop, skill gap.")
app.add_typer(alerts_app, name="alerts", no_args_is_help=True)


@alerts_app.command("scan")
def alerts_scan(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Scan every queue once now and print the open alerts."""
    from dataclasses import asdict

    from rich.table import Table
    from sqlalchemy.exc import IntegrityError

    from aimee import clock
    from aimee.services import alerts
    from aimee.store.db import transaction

    settings = _settings()
    try:
        with transaction(_sessions(settings)) as session:
            summary = alerts.scan(session, clock.now())
    except IntegrityError:  # the unique live-alert key: a worker scanned at the same moment
        console.print("[red]error:[/red] another scan ran at the same time; run it again")
        raise typer.Exit(1) from None
    if as_json:
        _print_json({**asdict(summary), "open": summary.open})
        return
    table = Table(title=f"Alerts at {summary.now:%Y-%m-%d %H:%M}")
    for column in ("id", "severity", "type", "status"):
        table.add_column(column, no_wrap=True)
    table.add_column("message", ratio=1, overflow="fold")
    for alert in summary.live:
        table.add_row(
            str(alert.alert_id), alert.severity, alert.alert_type, alert.status, alert.message
        )
    out = Console()
    out.print(f"Scanned {summary.describe()}")
    out.print(table)


if __name__ == "__main__":
    app()

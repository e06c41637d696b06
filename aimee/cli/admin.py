"""Administration and one-off turns: users, know-how, chat, alerts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from aimee.cli.common import (
    app,
    cli_settings,
    console,
    print_json,
    require_schema,
    sessions_for,
)

if TYPE_CHECKING:
    pass


user_app = typer.Typer(
    help="Users: roles, dashboard passwords and API tokens.", no_args_is_help=True
)
app.add_typer(user_app, name="user")


def _read_password() -> str:
    """Asked twice without echo on a terminal; otherwise the first line of stdin
    (``printf '%s\\n' "$PASSWORD" | aimee user add …``), so no password lands in argv."""
    from aimee.errors import BadRequest
    from aimee.services.sign_in import check_password_rules

    if sys.stdin.isatty():
        password = str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    else:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    try:
        check_password_rules(password)
    except BadRequest as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    return password


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (shown as the approver).")],
    role: Annotated[str, typer.Option(help="viewer, approver or admin.")] = "viewer",
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Also set a dashboard password: asked on a terminal, else read from stdin.",
        ),
    ] = False,
    site: Annotated[
        str | None,
        typer.Option(help="The site the user manages: 「うち」 in the chat means it."),
    ] = None,
) -> None:
    """Create a user; the last line printed is the new API token (shown once)."""
    from aimee import clock
    from aimee.errors import AimeeError
    from aimee.services import sign_in, users
    from aimee.store.db import transaction

    settings = cli_settings()
    secret = _read_password() if password else None
    try:
        with transaction(sessions_for(settings)) as session:
            user, token = users.add_user(session, name, role, now=clock.now(settings), site=site)
            if secret is not None:
                sign_in.set_password(session, name, secret, now=clock.utc_now())
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    signs_in = " Signs in to the dashboard with the password." if secret else ""
    console.print(f"User {user.user_name!r} ({user.role}) created.{signs_in} Token (shown once):")
    sys.stdout.write(token + "\n")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="User whose dashboard password is set.")],
) -> None:
    """Set or reset a user's dashboard password (asked on a terminal, else read from
    stdin); the user's open dashboard sessions end."""
    from aimee import clock
    from aimee.errors import AimeeError
    from aimee.services import sign_in
    from aimee.store.db import transaction

    settings = cli_settings()
    secret = _read_password()
    try:
        with transaction(sessions_for(settings)) as session:
            sign_in.set_password(session, name, secret, now=clock.utc_now())
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    console.print(f"Password of {name!r} set; their dashboard sessions were ended.")


@user_app.command("site")
def user_site(
    name: Annotated[str, typer.Argument(help="User whose site is set.")],
    site: Annotated[str | None, typer.Argument(help="The site they manage.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Clear the site on record.")] = False,
) -> None:
    """Record the site a user manages (「うち」 in their chat means it), or clear it."""
    from aimee.errors import AimeeError
    from aimee.services import users
    from aimee.store.db import transaction

    if (site is None) == (not clear):
        console.print("[red]error:[/red] give a SITE, or --clear to clear it (not both)")
        raise typer.Exit(2)
    try:
        with transaction(sessions_for(cli_settings())) as session:
            user = users.set_site(session, name, site)
            recorded = user.site
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    console.print(f"Site of {name!r}: {recorded or 'none'}.")


@user_app.command("list")
def user_list() -> None:
    """List users, roles and whether their token is revoked."""
    from rich.table import Table

    from aimee.services import users
    from aimee.store.db import transaction

    table = Table("name", "role", "site", "password", "created", "revoked")
    with transaction(sessions_for(cli_settings())) as session:
        for user in users.list_users(session):
            table.add_row(
                user.user_name,
                user.role,
                user.site or "",
                "yes" if user.password_hash else "no",
                f"{user.created_at:%Y-%m-%d %H:%M}",
                "" if user.revoked_at is None else f"{user.revoked_at:%Y-%m-%d %H:%M}",
            )
    Console().print(table)


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(help="User whose token stops working.")],
) -> None:
    """Revoke a user: the API token and the dashboard sign-in stop working."""
    from aimee import clock
    from aimee.errors import AimeeError
    from aimee.services import users
    from aimee.store.db import transaction

    try:
        settings = cli_settings()
        with transaction(sessions_for(settings)) as session:
            users.revoke(session, name, now=clock.now(settings))
    except AimeeError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    console.print(f"User {name!r} revoked: the token and the dashboard sign-in stop working.")


knowledge_app = typer.Typer(help="Manager know-how.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@knowledge_app.command("reindex")
def knowledge_reindex() -> None:
    """Rebuild the know-how index (vector store and BM25) from the database."""
    from aimee.knowledge import KnowledgeIndex
    from aimee.services.knowledge import KnowledgeService
    from aimee.store.db import create_db_engine, session_factory, transaction

    settings = cli_settings()
    require_schema(settings)
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
    site: Annotated[
        str | None, typer.Option(help="The asker's own site (「うち」 in the message).")
    ] = None,
) -> None:
    """Run one chat turn against the database (no server needed)."""
    from aimee import bootstrap, clock
    from aimee.store.db import transaction

    settings = cli_settings()
    require_schema(settings)
    parts = bootstrap.build(settings)
    with transaction(parts.sessions) as session:
        parts.knowledge.sync(session)
    with transaction(parts.sessions) as session:
        reply = parts.chat.reply(
            session, message, session_id, now=clock.now(settings), user=None, home_site=site
        )
    if as_json:
        from dataclasses import asdict

        data = asdict(reply)
        data["suggestion"] = reply.suggestion.model_dump(mode="json") if reply.suggestion else None
        data["intent"] = reply.intent.model_dump(mode="json")
        print_json(data)
        return
    Console().print(reply.response)
    if reply.suggestion is not None:
        Console().print(f"\n[bold]提案 {reply.suggestion.id}[/bold] ({reply.suggestion.status})")


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
    from aimee.services.policy import Policy
    from aimee.store.db import transaction

    settings = cli_settings()
    try:
        with transaction(sessions_for(settings)) as session:
            summary = alerts.scan(session, clock.now(settings), Policy.from_settings(settings))
    except IntegrityError:  # the unique live-alert key: a worker scanned at the same moment
        console.print("[red]error:[/red] another scan ran at the same time; run it again")
        raise typer.Exit(1) from None
    if as_json:
        print_json({**asdict(summary), "open": summary.open})
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


@app.command()
def outcomes(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Record the outcomes that are due now (carried-out plans whose queues' deadlines
    have passed) and print predicted vs actual. The alert worker does this every round."""
    from rich.table import Table

    from aimee import clock
    from aimee.services import outcomes as outcome_service
    from aimee.store.db import transaction

    settings = cli_settings()
    now = clock.now(settings)
    with transaction(sessions_for(settings)) as session:
        recorded = [
            outcome_service.to_public(row, "completed", now).model_dump()
            | {"approval_history_id": row.approval_history_id}
            for row in outcome_service.record_due(session, now)
        ]
    if as_json:
        print_json(recorded)
        return
    table = Table(title=f"Outcomes recorded at {now:%Y-%m-%d %H:%M}")
    for column in ("decision", "queue", "role", "late predicted", "late actual", "done"):
        table.add_column(column, no_wrap=True)
    for item in recorded:
        done = item["actual_completion"]
        table.add_row(
            str(item["approval_history_id"]),
            f"{item['location']}/{item['business_id']}/{item['process']}",
            item["role"],
            f"{item['predicted_late']:g}",
            "no data" if item["actual_late"] is None else str(item["actual_late"]),
            "not done" if done is None else f"{done:%H:%M}",
        )
    Console().print(table if recorded else "No outcome was due.")

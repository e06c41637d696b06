"""Shared pieces of the ``aimee`` command: the Typer app, the console, settings
and JSON output. Each command module imports only what its commands use, so
that ``aimee plan`` answers without loading the web or chat stack."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from aimee.logs import configure_logging

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from aimee.config import Settings

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


def main() -> None:
    """Run the command; a database that cannot be reached is one line naming the
    setting, not a traceback (whichever command found it)."""
    try:
        app()
    except Exception as exc:
        if not _is_database_unreachable(exc):
            raise
        console.print(f"[red]error:[/red] {_unreachable_message(exc)}", soft_wrap=True)
        raise SystemExit(1) from None


def _is_database_unreachable(exc: BaseException) -> bool:
    """An error of the database driver on connecting (SQLAlchemy is imported only
    by the commands that use it, so its classes are not imported here)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return type(exc).__module__.startswith("sqlalchemy") and bool(
        names & {"OperationalError", "InterfaceError"}
    )


def _unreachable_message(exc: BaseException) -> str:
    from sqlalchemy.engine import make_url

    from aimee.config import get_settings

    try:
        url = make_url(get_settings().effective_database_url).render_as_string(hide_password=True)
    except Exception:  # the settings themselves are reported by cli_settings
        url = "?"
    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
    return f"cannot reach the database {url} (AIMEE_DATABASE_URL): {reason}"


def cli_settings() -> Settings:
    from aimee.config import ConfigError, get_settings

    try:
        settings = get_settings()
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    return settings


def parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        console.print(f"[red]error:[/red] --now: not an ISO 8601 time: {value!r}")
        raise typer.Exit(2) from None


def require_schema(settings: Settings) -> None:
    from aimee.store import migrate
    from aimee.store.db import create_db_engine

    engine = create_db_engine(settings.effective_database_url)
    if migrate.current_revision(engine) != migrate.head_revision():
        console.print("[red]error:[/red] the database schema is not up to date: run `aimee init`")
        raise typer.Exit(1)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def sessions_for(settings: Settings) -> sessionmaker[Session]:
    from aimee.store.db import create_db_engine, session_factory

    require_schema(settings)
    return session_factory(create_db_engine(settings.effective_database_url))

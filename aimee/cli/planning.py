"""Planning from the command line: plan and simulate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from aimee.cli.common import (
    app,
    cli_settings,
    console,
    print_json,
    require_schema,
)

if TYPE_CHECKING:
    from aimee.planner import Scenario


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

    With --scenario, plans that file (docs/planner.md's contract); without it, plans the
    current data in the database, optionally around focus queues, aimed at
    AIMEE_MARGIN_MINUTES before each deadline and stated at the deadline, as the
    dashboard and the chat state it."""
    from aimee.planner import plan as make_plan
    from aimee.planner import plan_with_margin

    settings = cli_settings()
    parsed = (
        _load_scenario(scenario) if scenario else _current_scenario(location, business_id, process)
    )
    if print_scenario:
        print_json(parsed.model_dump(mode="json"))
        return
    solve = make_plan if scenario else plan_with_margin
    result = solve(parsed, time_limit_s=time_limit or settings.planner_time_limit_s)
    print_json(result.model_dump(mode="json", by_alias=True))


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
    from aimee import clock
    from aimee.services.policy import Policy
    from aimee.services.scenarios import ScenarioFilter, build_scenario
    from aimee.store.db import create_db_engine, session_factory, transaction

    settings = cli_settings()
    require_schema(settings)
    engine = create_db_engine(settings.effective_database_url)
    with transaction(session_factory(engine)) as session:
        return build_scenario(
            session,
            ScenarioFilter(location, business_id, process),
            rules=Policy.from_settings(settings).rules,
            now=clock.now(settings),
        )


@app.command()
def simulate(
    policy: Annotated[
        list[str] | None,
        typer.Option(
            help="optimal (the snapshot plan), greedy (the seed's method), none, or "
            "timephased (the first moves of the time-phased plan); repeat to compare "
            "(default: optimal, greedy, none)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the simulated day.")] = 1,
    replan_every: Annotated[float, typer.Option(min=1, help="Minutes between plans.")] = 10.0,
    arrival_scale: Annotated[
        float, typer.Option(min=0, help="Multiply arrival rates (stress test).")
    ] = 1.0,
    shifts: Annotated[
        bool,
        typer.Option(
            "--shifts",
            help="Give a quarter of the operators a 17:00 and a quarter an 18:00 shift end.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Replay the rest of the day under each policy and compare late tasks and moves."""
    from dataclasses import asdict

    from rich.progress import BarColumn, Progress, TextColumn
    from rich.table import Table

    from aimee import clock
    from aimee.planner.simulator import POLICIES, SimConfig
    from aimee.services.policy import Policy
    from aimee.services.simulation import simulate_day
    from aimee.store.db import create_db_engine, session_factory, transaction

    policies = policy or ["optimal", "greedy", "none"]
    unknown = [name for name in policies if name not in POLICIES]
    if unknown:
        console.print(
            f"[red]error:[/red] --policy: unknown {unknown[0]!r} (use {', '.join(POLICIES)})"
        )
        raise typer.Exit(2)
    settings = cli_settings()
    require_schema(settings)
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
            now=clock.now(settings),
            rules=Policy.from_settings(settings).rules,
            config=SimConfig(replan_every_minutes=replan_every),
            arrival_scale=arrival_scale,
            shifts=shifts,
            on_step=lambda name, done, total: progress.update(
                tasks[name], completed=done, total=total
            ),
        )
    if as_json:
        print_json([asdict(r) for r in results])
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

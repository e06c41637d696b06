"""Replay the rest of the day from the database's current situation under each policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.planner import Rules
from aimee.planner.simulator import POLICIES, SimConfig, SimResult, simulate
from aimee.services.scenarios import build_situation


def simulate_day(
    session: Session,
    policies: Sequence[str],
    *,
    seed: int,
    now: datetime,
    rules: Rules,
    config: SimConfig | None = None,
    arrival_scale: float = 1.0,
    on_step: Callable[[str, int, int], None] | None = None,
) -> list[SimResult]:
    """One result per policy, all on the same seeded random day.

    The simulation starts from the tasks waiting now (not the forecast) and
    draws arrivals around each queue's recent arrival rate; speeds include the
    observed efficiency of each operator's site, as the planner sees them.
    ``arrival_scale`` multiplies the arrival rates (a stress test: a busier day)."""
    unknown = [name for name in policies if name not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policy {unknown[0]!r}; choose from {', '.join(POLICIES)}")
    situation = build_situation(session, now=now, rules=rules)
    start = situation.scenario.model_copy(
        update={
            "queues": [
                q.model_copy(update={"waiting": situation.figures[q.id].waiting})
                for q in situation.scenario.queues
            ]
        }
    )
    rates = {key: f.observed.arrival_rate * arrival_scale for key, f in situation.figures.items()}
    results = []
    for name in policies:

        def step(done: int, total: int, name: str = name) -> None:
            if on_step is not None:
                on_step(name, done, total)

        results.append(
            simulate(
                start,
                rates,
                POLICIES[name](),
                policy_name=name,
                seed=seed,
                config=config,
                on_step=step,
            )
        )
    return results

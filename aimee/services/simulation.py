"""Replay the rest of the day from the database's current situation under each policy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time

from sqlalchemy.orm import Session

from aimee.planner import Rules, Scenario
from aimee.planner.domain import QueueId
from aimee.planner.simulator import POLICIES, SimConfig, SimResult, simulate
from aimee.services.scenarios import build_situation

SHIFT_ENDS = (time(17, 0), time(18, 0))
"""Until the database holds shifts: with ``shifts``, operators whose id is 0 mod 4 leave at
17:00 and those whose id is 1 mod 4 at 18:00; the others stay until every deadline."""


def with_shift_ends(scenario: Scenario) -> Scenario:
    """``scenario`` with the SHIFT_ENDS above for operators that have no shift end."""
    day = scenario.now.date()
    operators = []
    for op in scenario.operators:
        slot = op.id % 4
        if op.shift_end is None and slot < len(SHIFT_ENDS):
            end = datetime.combine(day, SHIFT_ENDS[slot], tzinfo=scenario.now.tzinfo)
            operators.append(op.model_copy(update={"shift_end": end}))
        else:
            operators.append(op)
    return scenario.model_copy(update={"operators": operators})


def start_of_day(
    session: Session,
    *,
    now: datetime,
    rules: Rules,
    arrival_scale: float = 1.0,
    shifts: bool = False,
) -> tuple[Scenario, Mapping[QueueId, float]]:
    """The situation now (tasks waiting now, not the forecast) and each queue's recent
    arrival rate times ``arrival_scale``: where a simulated day starts."""
    situation = build_situation(session, now=now, rules=rules)
    start = situation.scenario.model_copy(
        update={
            "queues": [
                q.model_copy(update={"waiting": situation.figures[q.id].waiting})
                for q in situation.scenario.queues
            ]
        }
    )
    if shifts:
        start = with_shift_ends(start)
    rates = {key: f.observed.arrival_rate * arrival_scale for key, f in situation.figures.items()}
    return start, rates


def simulate_day(
    session: Session,
    policies: Sequence[str],
    *,
    seed: int,
    now: datetime,
    rules: Rules,
    config: SimConfig | None = None,
    arrival_scale: float = 1.0,
    shifts: bool = False,
    on_step: Callable[[str, int, int], None] | None = None,
) -> list[SimResult]:
    """One result per policy, all on the same seeded random day.

    The simulation starts from the tasks waiting now (not the forecast) and
    draws arrivals around each queue's recent arrival rate; speeds include the
    observed efficiency of each operator's site, as the planner sees them.
    ``arrival_scale`` multiplies the arrival rates (a stress test: a busier day);
    ``shifts`` gives some operators a 17:00 or 18:00 shift end (SHIFT_ENDS)."""
    unknown = [name for name in policies if name not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policy {unknown[0]!r}; choose from {', '.join(POLICIES)}")
    start, rates = start_of_day(
        session, now=now, rules=rules, arrival_scale=arrival_scale, shifts=shifts
    )
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

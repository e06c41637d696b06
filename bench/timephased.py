"""Time-phased plan: solve times and results on the demo floor and on 1,000 operators x 50 queues.

The demo floor is the demo day at 15:40 (tasks waiting now, recent arrival rates, a quarter of
the operators leaving at 17:00 and a quarter at 18:00); the large floor is bench/planner.py's
random generator with arrival rates of 0-60 tasks/hour per queue and the same shift ends.
Prints the grid's size, the time, late tasks before (nobody moves) and after, the proven
lower bound, switches, and for the demo the first moves (the loans that return, and a check
that nobody is planned after their shift).

    .venv/bin/python bench/timephased.py [--demo-limit 5] [--large-limit 30] [--skip-large]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planner import Shape, generate  # bench/planner.py

from aimee.planner import Rules, Scenario, plan
from aimee.planner.domain import QueueId
from aimee.planner.forecast import expected_arrivals
from aimee.planner.phase_grid import build_grid
from aimee.planner.timephased import PhasedPlan, plan_timeline
from aimee.services import setup
from aimee.services.simulation import start_of_day, with_shift_ends
from aimee.store.db import create_db_engine, session_factory, transaction

DEMO_NOW = datetime(2025, 10, 23, 15, 40)


def demo_floor() -> tuple[Scenario, dict[QueueId, float]]:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        with transaction(session_factory(engine)) as session:
            start, rates = start_of_day(session, now=DEMO_NOW, rules=Rules(), shifts=True)
        engine.dispose()
    return start, dict(rates)


def large_floor(seed: int) -> tuple[Scenario, dict[QueueId, float]]:
    scenario = with_shift_ends(generate(Shape(1000, 50, 10), seed))
    rng = random.Random(seed)
    return scenario, {q.id: rng.uniform(0, 60) for q in scenario.queues}


def report(name: str, scenario: Scenario, rates: dict[QueueId, float], limit: float) -> PhasedPlan:
    grid = build_grid(scenario, rates)
    n_x = sum(1 for row in grid.minutes.values() for v in row if v > 0)
    started = time.perf_counter()
    result = plan_timeline(scenario, rates, time_limit_s=limit)
    seconds = time.perf_counter() - started
    bound = "none" if result.objective_bound is None else f"{result.objective_bound:.1f}"
    print(
        f"{name}: {len(scenario.operators)} operators x {len(scenario.queues)} queues x "
        f"{grid.n_intervals} intervals ({n_x} operator-queue-interval variables); "
        f"{seconds:.2f} s (limit {limit:g} s), status {result.status}, optimal {result.optimal}"
    )
    print(
        f"  late tasks (priority-weighted): {result.objective_before:.1f} if nobody moves -> "
        f"{result.objective:.1f}; proven lower bound {bound}; {result.switches} switches "
        f"({result.switches / max(1, len(scenario.operators)):.2f} per person), "
        f"{len(result.first_moves)} first moves "
        f"({sum(m.returns for m in result.first_moves)} loans that return)"
    )
    return result


def check_demo(scenario: Scenario, result: PhasedPlan) -> None:
    names = {op.id: op for op in scenario.operators}
    gone = [
        (op_id, s)
        for op_id, segments in result.timeline.items()
        for s in segments
        if s.queue is not None
        and names[op_id].shift_end is not None
        and s.start >= names[op_id].shift_end  # type: ignore[operator]
    ]
    print(f"  segments planned after a shift end: {len(gone)}")
    for move in result.first_moves[:8]:
        op = names[move.operator_id]
        shift = f", shift ends {op.shift_end:%H:%M}" if op.shift_end else ""
        deadline = {q.id: q.deadline for q in scenario.queues}[move.to]
        ends = [t for t in (move.until, op.shift_end, deadline) if t is not None]
        until = f" until {min(ends):%H:%M}"
        back = f", back at {move.until:%H:%M}" if move.returns and move.until else ""
        origin = "/".join(move.from_) if move.from_ else "idle"
        print(f"  {op.name} ({op.id}{shift}): {origin} -> {'/'.join(move.to)}{until}{back}")


def snapshot_loans(scenario: Scenario, rates: dict[QueueId, float]) -> None:
    """The snapshot plan on the same floor, with and without loans (arrivals folded in)."""
    queues = [
        q.model_copy(
            update={
                "waiting": round(
                    q.waiting + expected_arrivals(rates.get(q.id, 0.0), scenario.now, q.deadline)
                )
            }
        )
        for q in scenario.queues
    ]
    floor = scenario.model_copy(update={"queues": queues})
    for loans in (False, True):
        rules = floor.rules.model_copy(update={"loans": loans})
        result = plan(floor.model_copy(update={"rules": rules}))
        returning = sum(m.until is not None for m in result.moves)
        print(
            f"  snapshot plan, loans {'on' if loans else 'off'}: late {result.objective.before:.1f}"
            f" -> {result.objective.after:.1f}, {len(result.moves)} moves "
            f"({returning} loans with until), {result.solve_ms:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo-limit", type=float, default=5.0)
    parser.add_argument("--large-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    scenario, rates = demo_floor()
    check_demo(scenario, report("demo floor", scenario, rates, args.demo_limit))
    snapshot_loans(scenario, rates)
    if not args.skip_large:
        scenario, rates = large_floor(args.seed)
        report("large floor", scenario, rates, args.large_limit)


if __name__ == "__main__":
    main()

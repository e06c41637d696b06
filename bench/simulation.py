"""Simulated demo day: the optimizer against the seed's method and doing nothing.

Builds the demo day in a temporary SQLite database, then replays the rest of
the day for several seeds and arrival levels (x1 is the demo day as generated;
x2 and x3 are busier days), and prints late tasks, missed deadlines and moves.

    .venv/bin/python bench/simulation.py [--seeds 5] [--scales 1 2 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from aimee.planner import Rules
from aimee.planner.simulator import SimResult
from aimee.services import setup
from aimee.services.simulation import simulate_day
from aimee.store.db import create_db_engine, session_factory, transaction

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
RULES = Rules()
"""The planner contract's defaults (docs/planner.md): margin 0, as the simulator's baseline."""
POLICIES = ("optimal", "greedy", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0, 3.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        print(f"demo day at {DEMO_NOW:%Y-%m-%d %H:%M}, {args.seeds} seeds per row")
        header = (
            f"{'arrivals':>8} {'policy':>8} {'late tasks (mean)':>18} {'missed (mean)':>14} "
            f"{'moves (mean)':>13} {'plan s/day':>11}"
        )
        print(header)
        print("-" * len(header))
        for scale in args.scales:
            runs: dict[str, list[SimResult]] = {name: [] for name in POLICIES}
            for seed in range(1, args.seeds + 1):
                with transaction(session_factory(engine)) as session:
                    for result in simulate_day(
                        session, POLICIES, seed=seed, now=DEMO_NOW, rules=RULES, arrival_scale=scale
                    ):
                        runs[result.policy].append(result)
            for name in POLICIES:
                rs = runs[name]
                print(
                    f"{'x' + format(scale, 'g'):>8} {name:>8} "
                    f"{statistics.mean(r.late_tasks for r in rs):>18.1f} "
                    f"{statistics.mean(r.deadlines_missed for r in rs):>14.2f} "
                    f"{statistics.mean(r.moves for r in rs):>13.1f} "
                    f"{statistics.mean(r.plan_seconds for r in rs):>11.2f}"
                )
            optimal = sum(r.late_tasks for r in runs["optimal"])
            greedy = sum(r.late_tasks for r in runs["greedy"])
            wins = sum(
                o.late_tasks < g.late_tasks
                for o, g in zip(runs["optimal"], runs["greedy"], strict=True)
            )
            ties = sum(
                o.late_tasks == g.late_tasks
                for o, g in zip(runs["optimal"], runs["greedy"], strict=True)
            )
            print(
                f"{'':>8} margin: optimal has {greedy - optimal} fewer late tasks than greedy "
                f"over {args.seeds} days (fewer on {wins}, equal on {ties})"
            )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.1f} s")

"""Simulated demo day: the policies compared over seeded days, with confidence intervals.

Builds the demo day in a temporary SQLite database, then replays the rest of the day for
several seeds and arrival levels (x1 is the demo day as generated; higher is busier), with
the simulator's speed noise, and prints per policy the missed deadlines, late tasks,
switches per person and planning time per day (means with 95% confidence intervals over the
seeds), then each policy's late tasks against the first one's, paired by seed.

    .venv/bin/python bench/simulation.py [--seeds 5] [--scales 1 2 3]
    .venv/bin/python bench/simulation.py --policies optimal timephased --seeds 20 \\
        --scales 1 1.5 2 --shifts          # issue 19: snapshot vs time-phased
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from aimee.planner import Rules
from aimee.planner.simulator import POLICIES, SimResult, simulate
from aimee.services import setup
from aimee.services.simulation import start_of_day
from aimee.store.db import create_db_engine, session_factory, transaction

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
RULES = Rules()
"""The planner contract's defaults (docs/planner.md): margin 0, as the simulator's baseline."""
DEFAULT_POLICIES = ("optimal", "greedy", "none")
T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
    10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110,
    18: 2.101, 19: 2.093, 20: 2.086, 24: 2.064, 29: 2.045, 39: 2.023, 49: 2.010,
}  # fmt: skip
"""Student's t, 97.5th percentile, by degrees of freedom (the next lower entry is used)."""


def ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of its 95% confidence interval (t-distribution)."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, math.nan
    df = len(values) - 1
    t = T_975[max(k for k in T_975 if k <= df)] if df < 60 else 1.96
    return mean, t * statistics.stdev(values) / math.sqrt(len(values))


def fmt(values: Sequence[float], digits: int = 1) -> str:
    mean, half = ci(values)
    return f"{mean:.{digits}f} ± {half:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0, 3.0])
    parser.add_argument("--policies", nargs="+", default=list(DEFAULT_POLICIES))
    parser.add_argument(
        "--shifts", action="store_true", help="some operators leave at 17:00 or 18:00"
    )
    args = parser.parse_args()
    unknown = [name for name in args.policies if name not in POLICIES]
    if unknown:
        parser.error(f"unknown policy {unknown[0]!r}; choose from {', '.join(POLICIES)}")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=7, now=DEMO_NOW)
        shifts = ", shift ends 17:00/18:00 for half of the operators" if args.shifts else ""
        print(
            f"demo day at {DEMO_NOW:%Y-%m-%d %H:%M}, seeds {seeds.start}-{seeds.stop - 1} "
            f"({args.seeds} days per row){shifts}; mean ± 95% CI over the days"
        )
        header = (
            f"{'arrivals':>8} {'policy':>16} {'missed deadlines':>17} {'late tasks':>17} "
            f"{'switches/person':>16} {'plan s/day':>13}"
        )
        print(header)
        print("-" * len(header))
        for scale in args.scales:
            with transaction(session_factory(engine)) as session:
                start, rates = start_of_day(
                    session, now=DEMO_NOW, rules=RULES, arrival_scale=scale, shifts=args.shifts
                )
            people = max(1, len(start.operators))
            runs: dict[str, list[SimResult]] = {name: [] for name in args.policies}
            for seed in seeds:
                for name in args.policies:
                    result = simulate(start, rates, POLICIES[name](), policy_name=name, seed=seed)
                    runs[name].append(result)
            for name in args.policies:
                rs = runs[name]
                print(
                    f"{'x' + format(scale, 'g'):>8} {name:>16} "
                    f"{fmt([r.deadlines_missed for r in rs], 2):>17} "
                    f"{fmt([r.late_tasks for r in rs]):>17} "
                    f"{fmt([r.moves / people for r in rs], 3):>16} "
                    f"{fmt([r.plan_seconds for r in rs], 2):>13}"
                )
            _paired(runs, args.policies)


def _paired(runs: dict[str, list[SimResult]], policies: Sequence[str]) -> None:
    """Each policy against the first, paired by seed (the same random day)."""
    base = runs[policies[0]]
    for name in policies[1:]:
        other = runs[name]
        diff = [o.late_tasks - b.late_tasks for o, b in zip(other, base, strict=True)]
        missed = [o.deadlines_missed - b.deadlines_missed for o, b in zip(other, base, strict=True)]
        total = sum(b.late_tasks for b in base)
        change = 100.0 * sum(diff) / total if total else math.nan
        fewer = sum(d < 0 for d in diff)
        more = sum(d > 0 for d in diff)
        print(
            f"{'':>8} {name} − {policies[0]}: late tasks {fmt(diff)} per day "
            f"({change:+.0f}%; fewer on {fewer}, more on {more} of {len(diff)} days), "
            f"missed deadlines {fmt(missed, 2)}"
        )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.1f} s")

"""Planner benchmark: quality against the seed's greedy rule and brute force, and solve times.

Run: .venv/bin/python bench/planner.py [--quick] [--seed N] [--time-limit S]
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.planner import Scenario, constraints, greedy_plan, plan
from aimee.planner.exhaustive import brute_force
from aimee.planner.milp import OBJECTIVE_TOLERANCE

SITES = ["札幌", "盛岡", "品川", "大阪", "福岡", "仙台", "名古屋", "広島", "金沢", "那覇"]
PROCESSES = ["エントリ1", "エントリ2", "補正", "検証", "照合"]
NOW = datetime(2025, 10, 23, 15, 40)


@dataclass(frozen=True)
class Shape:
    operators: int
    queues: int
    sites: int
    max_moves: int = 10


def _skills(rng: random.Random, home_process: str | None) -> dict[str, dict[str, Any]]:
    count = rng.randint(1, 3)
    processes = set(rng.sample(PROCESSES, count))
    if home_process is not None:
        processes.add(home_process)
    skills = {}
    for process in sorted(processes):
        level = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 3, 1])[0]
        speed = (30.0 + 15.0 * level) * rng.uniform(0.8, 1.2)
        skills[process] = {
            "level": level,
            "speed": round(speed, 1),
            "experience_months": 6 * level + rng.randint(0, 24),
        }
    return skills


def _queue_keys(rng: random.Random, shape: Shape) -> list[dict[str, str]]:
    sites = SITES[: shape.sites]
    businesses = math.ceil(shape.queues / (len(sites) * len(PROCESSES))) + 1
    triples = list(
        itertools.product(sites, [f"5232{b:02d}" for b in range(1, businesses + 1)], PROCESSES)
    )
    rng.shuffle(triples)
    return [{"location": s, "business_id": b, "process": p} for s, b, p in triples[: shape.queues]]


def generate(shape: Shape, seed: int) -> Scenario:
    """A random scenario: deadlines 10-240 min away, about half the queues short of staff."""
    rng = random.Random(seed)
    keys = _queue_keys(rng, shape)
    minutes = [rng.uniform(10, 240) for _ in keys]
    operators = []
    base = [0.0] * len(keys)
    for op_id in range(1, shape.operators + 1):
        home = rng.randrange(len(keys))
        roll = rng.random()
        assigned: dict[str, str] | None = keys[home]
        if roll < 0.05:
            assigned = None
        elif roll < 0.08:
            assigned = {
                "location": keys[home]["location"],
                "business_id": "999999",
                "process": "補正",
            }
        skills = _skills(rng, keys[home]["process"] if assigned is keys[home] else None)
        if assigned is keys[home]:
            base[home] += skills[keys[home]["process"]]["speed"] / 60 * minutes[home]
        operators.append(
            {
                "id": op_id,
                "name": f"オペレータ{op_id:05d}",
                "location": keys[home]["location"],
                "locked": rng.random() < 0.1,
                "assigned": assigned,
                "skills": skills,
            }
        )
    queues = [
        {
            **key,
            "waiting": round(base[i] * rng.uniform(0.6, 1.4)) if base[i] else rng.randint(0, 60),
            "deadline": (NOW + timedelta(minutes=round(minutes[i]))).isoformat(),
            "priority": 2.0 if rng.random() < 0.2 else 1.0,
        }
        for i, key in enumerate(keys)
    ]
    return Scenario.model_validate(
        {
            "now": NOW.isoformat(),
            "queues": queues,
            "operators": operators,
            "rules": {"max_moves": shape.max_moves},
        }
    )


def quality(instances: int, seed: int) -> None:
    rng = random.Random(seed)
    same = greedy_worse = greedy_below_none = 0
    late_opt, late_greedy, late_none = [], [], []
    for i in range(instances):
        shape = Shape(
            operators=rng.randint(2, 5),
            queues=rng.randint(1, 3),
            sites=3,
            max_moves=rng.randint(1, 4),
        )
        scenario = generate(shape, seed * 100_000 + i)
        result = plan(scenario)
        moves = {m.operator_id: m.to.id for m in result.moves}
        exact = brute_force(scenario)
        assert not constraints.violations(scenario, result.moves)
        value = result.objective.after
        fewest = len(moves) == len(exact.moves)
        same += abs(value - exact.objective) <= OBJECTIVE_TOLERANCE and fewest and result.optimal
        greedy = greedy_plan(scenario).objective.after
        late_opt.append(value)
        late_greedy.append(greedy)
        late_none.append(result.objective.before)
        greedy_worse += greedy > value + OBJECTIVE_TOLERANCE
        greedy_below_none += greedy > result.objective.before + OBJECTIVE_TOLERANCE
    print(f"(a) quality on {instances} random small instances (2-5 operators, 1-3 queues)")
    print(f"    optimizer proven and == brute force (objective, fewest moves): {same}/{instances}")
    print(f"    greedy strictly worse than the optimizer:                       {greedy_worse}")
    print(
        f"    greedy strictly worse than doing nothing:                       {greedy_below_none}"
    )
    print("    mean priority-weighted late tasks:")
    print(
        f"      none {statistics.mean(late_none):8.2f}   greedy {statistics.mean(late_greedy):8.2f}"
        f"   optimizer {statistics.mean(late_opt):8.2f}"
    )


def _bound(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def timing(shapes: list[Shape], seeds: int, seed: int, time_limit: float) -> None:
    print(f"(b) plan() wall time, time limit {time_limit:g} s, {seeds} instances per shape")
    print("    (late = priority-weighted late tasks; bound = proven lower bound on the optimum)")
    header = f"    {'operators':>9} {'queues':>6} {'max_moves':>9} {'time s':>7} {'optimal':>7}"
    print(
        header + f" {'late none':>10} {'greedy':>10} {'optimizer':>10} {'bound':>10} {'moves':>5}"
    )
    for n, shape in enumerate(shapes):
        for k in range(seeds):
            scenario = generate(shape, seed + 1000 * n + k)
            started = time.perf_counter()
            result = plan(scenario, time_limit_s=time_limit)
            elapsed = time.perf_counter() - started
            assert not constraints.violations(scenario, result.moves)
            greedy = greedy_plan(scenario).objective.after
            print(
                f"    {shape.operators:>9} {shape.queues:>6} {shape.max_moves:>9} {elapsed:>7.2f}"
                f" {result.optimal!s:>7} {result.objective.before:>10.1f} {greedy:>10.1f}"
                f" {result.objective.after:>10.1f} {_bound(result.objective_bound):>10}"
                f" {len(result.moves):>5}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer and smaller instances")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    quality(30 if args.quick else 200, args.seed)
    shapes = [Shape(100, 50, 5), Shape(1000, 50, 5), Shape(1000, 100, 5), Shape(10_000, 200, 10)]
    if not args.quick:
        shapes += [Shape(1000, 50, 5, max_moves=100), Shape(10_000, 200, 10, max_moves=200)]
    timing(shapes, 1 if args.quick else 3, args.seed, args.time_limit)


if __name__ == "__main__":
    main()

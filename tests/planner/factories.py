"""Small builders for planner scenarios (dicts in the JSON shape of docs/planner.md)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from aimee.planner import Scenario

NOW = datetime(2025, 10, 23, 15, 40)

SAPPORO = ("札幌", "523201", "エントリ1")
MORIOKA = ("盛岡", "523201", "エントリ1")
SHINAGAWA = ("品川", "523201", "エントリ1")


def key(queue: tuple[str, str, str]) -> dict[str, str]:
    return {"location": queue[0], "business_id": queue[1], "process": queue[2]}


def queue(
    at: tuple[str, str, str], waiting: int, minutes: float, priority: float = 1.0
) -> dict[str, Any]:
    """A queue whose deadline is `minutes` after NOW."""
    return {
        **key(at),
        "waiting": waiting,
        "deadline": (NOW + timedelta(minutes=minutes)).isoformat(),
        "priority": priority,
    }


def skill(level: int, speed: float, months: int = 12) -> dict[str, Any]:
    return {"level": level, "speed": speed, "experience_months": months}


def operator(
    op_id: int,
    at: tuple[str, str, str] | None,
    skills: dict[str, dict[str, Any]],
    *,
    locked: bool = False,
    name: str | None = None,
) -> dict[str, Any]:
    return {
        "id": op_id,
        "name": name or f"オペレータ{op_id}",
        "location": at[0] if at is not None else "札幌",
        "locked": locked,
        "assigned": key(at) if at is not None else None,
        "skills": skills,
    }


def entry1(
    op_id: int, at: tuple[str, str, str] | None, level: int, speed: float, **kw: Any
) -> dict[str, Any]:
    """An operator with only the エントリ1 skill."""
    months = kw.pop("months", 12)
    return operator(op_id, at, {"エントリ1": skill(level, speed, months)}, **kw)


def scenario(
    queues: list[dict[str, Any]], operators: list[dict[str, Any]], **rules: Any
) -> Scenario:
    return Scenario.model_validate(
        {"now": NOW.isoformat(), "queues": queues, "operators": operators, "rules": rules}
    )


def seed_example() -> Scenario:
    """The seed's case: 札幌/523201/エントリ1 has 120 waiting, 20 minutes left, staff at
    300 tasks/hour (5/min); skilled operators wait in 盛岡 (two) and 品川 (one) at 90/hour
    (the seed's 1.5 tasks/min per person), their own queues comfortably on time."""
    return scenario(
        [queue(SAPPORO, 120, 20), queue(MORIOKA, 40, 80), queue(SHINAGAWA, 20, 80)],
        [
            *(entry1(i, SAPPORO, 3, 75.0) for i in range(1, 5)),
            entry1(17, MORIOKA, 4, 90.0, months=36, name="高山麻由子"),
            entry1(23, MORIOKA, 3, 90.0, months=24, name="竹下朱美"),
            entry1(31, SHINAGAWA, 4, 90.0, months=48, name="上野由香利"),
            entry1(32, SHINAGAWA, 3, 60.0),
        ],
    )


SITES = ["札幌", "盛岡", "品川", "大阪"]
PROCESSES = ["エントリ1", "エントリ2", "補正"]


def random_scenario(seed: int, n_operators: int, n_queues: int, max_moves: int) -> Scenario:
    """A seeded random scenario: skills on 1-2 processes, speeds on a coarse grid (ties happen),
    deadlines 0-90 minutes away, some idle or locked operators."""
    rng = random.Random(seed)
    keys = [(site, "523201", proc) for site in SITES for proc in PROCESSES]
    rng.shuffle(keys)
    keys = keys[:n_queues]
    queues = [
        queue(k, rng.randint(0, 150), rng.randint(0, 90), rng.choice([0.5, 1.0, 1.0, 2.0]))
        for k in keys
    ]
    operators = []
    for op_id in range(1, n_operators + 1):
        where = rng.choice([*keys, None])
        skills = {
            proc: skill(rng.randint(1, 5), rng.choice([0.0, 30.0, 45.0, 60.0, 90.0]))
            for proc in rng.sample(PROCESSES, rng.randint(1, 2))
        }
        operators.append(operator(op_id, where, skills, locked=rng.random() < 0.15))
    return scenario(queues, operators, max_moves=max_moves)

"""Generate a deterministic demo day: operators, skills, assignments, the day's
progress snapshots up to ``now`` and manager know-how.

The history is generated backwards from the state at ``now`` so that the seed's
worked example holds exactly: 札幌 / 523201 / エントリ1 has 120 tasks waiting,
its deadline is 20 minutes away, its staff process about 5 tasks per minute, and
skilled エントリ1 operators exist in 盛岡 and 品川.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aimee.demo.knowhow import DEMO_KNOWHOW
from aimee.demo.names import unique_names

SITES: dict[str, int] = {"札幌": 32, "盛岡": 26, "品川": 34, "梅田": 28, "那覇": 20}
BUSINESSES: dict[str, str] = {"523201": "SS", "523202": "KP"}
SITE_BUSINESSES: dict[str, tuple[str, ...]] = {
    "札幌": ("523201",),
    "盛岡": ("523201", "523202"),
    "品川": ("523201", "523202"),
    "梅田": ("523201", "523202"),
    "那覇": ("523201",),
}
# Tasks per hour of a level-3 operator; speed grows with skill level.
PROCESS_BASE_SPEED: dict[str, float] = {
    "エントリ1": 75.0,
    "エントリ2": 70.0,
    "補正": 40.0,
    "検証": 55.0,
}
PROCESSES = tuple(PROCESS_BASE_SPEED)
# Share of the waiting tasks that came back for correction.
CORRECTION_SHARE: dict[str, float] = {
    "エントリ1": 0.03,
    "エントリ2": 0.04,
    "補正": 1.0,
    "検証": 0.05,
}
EXPERIENCE_MONTHS: dict[int, tuple[int, int]] = {
    1: (1, 6),
    2: (6, 18),
    3: (18, 36),
    4: (30, 60),
    5: (48, 120),
}
# Minutes from "now" to each queue's deadline, spread through the rest of the day.
DEADLINE_OFFSETS_MIN = (
    35,
    45,
    55,
    70,
    80,
    90,
    105,
    120,
    140,
    160,
    180,
    210,
    240,
    270,
    300,
)

DAY_LENGTH_MIN = 400  # the work day started 6 h 40 min before "now"
SNAPSHOT_INTERVAL_MIN = 10
AFTERNOON_MIN = 120  # arrivals slow down in the last two hours before "now"

SEED_QUEUE = ("札幌", "523201", "エントリ1")
SEED_QUEUE_WAITING = 120
SEED_QUEUE_DEADLINE_MIN = 20
SEED_QUEUE_SPEEDS = (78.0, 76.0, 74.0, 72.0)  # 300 tasks/hour = 5 tasks/minute
SURGE_QUEUE = ("梅田", "523202", "エントリ1")
SURGE_TASKS = 180
SURGE_MINUTES_BEFORE_NOW = 60
SLOW_SITE = "那覇"
SLOW_SITE_FACTOR = 0.7
SLOW_SITE_SINCE_MIN_BEFORE_NOW = 120
# Shifts: a quarter of the operators leave at the top of the hour two hours after now's
# (17:00 at 15:40), a quarter an hour later (18:00); the rest work past the last deadline
# (21:00). Shifts are eight hours long. The seed's named operators have the late shift.
SHIFT_HOURS = 8
EARLY_SHIFT_ENDS_AFTER_HOURS = (2, 3)
LATE_SHIFT_ENDS_AFTER_HOURS = 6


@dataclass(frozen=True)
class SeedOperator:
    """Operators named in the seed's worked example."""

    operator_id: int
    name: str
    site: str
    assigned: tuple[str, str, str]
    entry1_level: int
    entry1_months: int
    entry1_speed: float


SEED_OPERATORS = (
    SeedOperator(17, "高山麻由子", "盛岡", ("盛岡", "523201", "エントリ1"), 4, 36, 90.0),
    SeedOperator(23, "竹下朱美", "盛岡", ("盛岡", "523201", "エントリ2"), 3, 24, 76.0),
    SeedOperator(41, "上野由香利", "品川", ("品川", "523201", "エントリ1"), 4, 48, 92.0),
)


@dataclass
class DemoDay:
    """Rows per table, keyed by the tables' column names, in insertion order."""

    now: datetime
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def queue_keys() -> list[tuple[str, str, str]]:
    return [
        (site, business, process)
        for site, businesses in SITE_BUSINESSES.items()
        for business in businesses
        for process in PROCESSES
    ]


def generate_demo_day(seed: int = 7, now: datetime | None = None) -> DemoDay:
    """Build the whole demo day; the same (seed, now) always gives the same rows."""
    now = (now or datetime(2025, 10, 23, 15, 40)).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    operators = _operators(rng)
    capabilities = _capabilities(rng, operators)
    assignments = _assignments(rng, operators, capabilities, now)
    deadlines = _deadlines(rng, now)
    shifts = _shifts(seed, now, operators)
    ends = {row["operator_id"]: row["ends_at"] for row in shifts}
    snapshots = _snapshots(rng, now, deadlines, capabilities, assignments, ends)
    day = DemoDay(now=now)
    day.tables["businesses"] = [
        {"business_id": bid, "business_name": name} for bid, name in BUSINESSES.items()
    ]
    day.tables["operators"] = operators
    day.tables["operator_process_capabilities"] = capabilities
    day.tables["operator_assignments"] = assignments
    day.tables["operator_shifts"] = shifts
    day.tables["progress_snapshots"] = snapshots
    day.tables["knowledge_documents"] = [
        {**entry, "created_at": now, "updated_at": now} for entry in DEMO_KNOWHOW
    ]
    return day


def _operators(rng: random.Random) -> list[dict[str, Any]]:
    sites = [site for site, count in SITES.items() for _ in range(count)]
    rng.shuffle(sites)
    seeded = {op.operator_id: op for op in SEED_OPERATORS}
    for op in SEED_OPERATORS:  # swap the seed's operators onto their sites
        index = op.operator_id - 1
        if sites[index] != op.site:
            swap = next(
                i
                for i, site in enumerate(sites)
                if site == op.site and i + 1 not in seeded and i != index
            )
            sites[index], sites[swap] = sites[swap], sites[index]
    names = iter(unique_names(rng, len(sites), {op.name for op in SEED_OPERATORS}))
    rows = []
    for index, site in enumerate(sites):
        operator_id = index + 1
        name = seeded[operator_id].name if operator_id in seeded else next(names)
        rows.append(
            {
                "operator_id": operator_id,
                "operator_name": name,
                "location_name": site,
                "is_valid": True,
            }
        )
    rows[-1]["is_valid"] = False  # one operator left the company: kept, never planned
    return rows


def _speed(rng: random.Random, process: str, level: int) -> float:
    return round(PROCESS_BASE_SPEED[process] * (0.55 + 0.15 * level) * rng.uniform(0.92, 1.08), 2)


def _capability(
    capability_id: int,
    operator_id: int,
    process: str,
    level: int,
    months: int,
    speed: float,
) -> dict[str, Any]:
    return {
        "capability_id": capability_id,
        "operator_id": operator_id,
        "process_name": process,
        "skill_level": level,
        "experience_months": months,
        "average_speed": speed,
    }


def _capabilities(rng: random.Random, operators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seeded = {op.operator_id: op for op in SEED_OPERATORS}
    rows: list[dict[str, Any]] = []
    for operator in operators:
        operator_id = operator["operator_id"]
        processes = rng.sample(PROCESSES, k=rng.choice((1, 2, 2, 3, 3, 4)))
        for rank, process in enumerate(processes):
            level = rng.choice((2, 3, 3, 4, 4, 5)) if rank == 0 else rng.choice((1, 2, 3, 3, 4))
            months = rng.randint(*EXPERIENCE_MONTHS[level])
            speed = _speed(rng, process, level)
            seed_op = seeded.get(operator_id)
            if seed_op is not None and process == "エントリ1":
                level, months, speed = (
                    seed_op.entry1_level,
                    seed_op.entry1_months,
                    seed_op.entry1_speed,
                )
            rows.append(_capability(len(rows) + 1, operator_id, process, level, months, speed))
        seed_op = seeded.get(operator_id)
        if seed_op is not None:
            for process in sorted({"エントリ1", seed_op.assigned[2]} - set(processes)):
                level = seed_op.entry1_level if process == "エントリ1" else 3
                months = seed_op.entry1_months
                speed = seed_op.entry1_speed if process == "エントリ1" else _speed(rng, process, 3)
                rows.append(_capability(len(rows) + 1, operator_id, process, level, months, speed))
    return rows


def _assignments(
    rng: random.Random,
    operators: list[dict[str, Any]],
    capabilities: list[dict[str, Any]],
    now: datetime,
) -> list[dict[str, Any]]:
    """Each valid operator works on a queue of their own site in their best process;
    the seed's 札幌 エントリ1 staff is exactly four operators at 300 tasks/hour."""
    skills: dict[int, list[dict[str, Any]]] = {}
    for cap in capabilities:
        skills.setdefault(cap["operator_id"], []).append(cap)
    seeded = {op.operator_id: op for op in SEED_OPERATORS}
    seed_staff = [
        op["operator_id"]
        for op in operators
        if op["is_valid"]
        and op["location_name"] == SEED_QUEUE[0]
        and any(c["process_name"] == SEED_QUEUE[2] for c in skills[op["operator_id"]])
    ][: len(SEED_QUEUE_SPEEDS)]
    _set_seed_staff_speeds(seed_staff, skills)
    start = now - timedelta(minutes=DAY_LENGTH_MIN)
    staffed: dict[tuple[str, str, str], int] = {}
    rows = []
    for operator in operators:
        operator_id, site = operator["operator_id"], operator["location_name"]
        if not operator["is_valid"]:
            continue
        if operator_id in seeded:
            queue = seeded[operator_id].assigned
        elif operator_id in seed_staff:
            queue = SEED_QUEUE
        else:
            queue = _least_staffed_queue(rng, site, skills[operator_id], staffed)
        staffed[queue] = staffed.get(queue, 0) + 1
        rows.append(
            {
                "operator_id": operator_id,
                "location_name": queue[0],
                "business_id": queue[1],
                "process_name": queue[2],
                "since": start,
            }
        )
    return rows


def _set_seed_staff_speeds(seed_staff: list[int], skills: dict[int, list[dict[str, Any]]]) -> None:
    if len(seed_staff) != len(SEED_QUEUE_SPEEDS):
        raise RuntimeError(
            "demo generator: 札幌 has too few エントリ1 operators for the seed's example"
        )
    for operator_id, speed in zip(seed_staff, SEED_QUEUE_SPEEDS, strict=True):
        cap = next(c for c in skills[operator_id] if c["process_name"] == SEED_QUEUE[2])
        cap["average_speed"] = speed
        cap["skill_level"] = max(cap["skill_level"], 3)
        cap["experience_months"] = max(cap["experience_months"], EXPERIENCE_MONTHS[3][0])


def _least_staffed_queue(
    rng: random.Random,
    site: str,
    own: list[dict[str, Any]],
    staffed: dict[tuple[str, str, str], int],
) -> tuple[str, str, str]:
    """The queue of the operator's site, in a process they know (level 2+ when they
    have one), that has the fewest staff so far; never the seed's fixed queue."""
    usable = [c for c in own if c["skill_level"] >= 2] or own
    candidates = [
        (site, business, cap["process_name"])
        for business in SITE_BUSINESSES[site]
        for cap in usable
        if (site, business, cap["process_name"]) != SEED_QUEUE
    ] or [(site, SEED_QUEUE[1], "検証")]
    level = {c["process_name"]: c["skill_level"] for c in own}
    return min(candidates, key=lambda q: (staffed.get(q, 0), -level.get(q[2], 0), rng.random()))


def shift_ends(now: datetime) -> tuple[datetime, datetime, datetime]:
    """The demo day's shift ends: the two early ones and the late one."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    early = tuple(hour + timedelta(hours=h) for h in EARLY_SHIFT_ENDS_AFTER_HOURS)
    return early[0], early[1], hour + timedelta(hours=LATE_SHIFT_ENDS_AFTER_HOURS)


def _shifts(seed: int, now: datetime, operators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One shift per operator today. Drawn from a generator of their own (seeded from
    ``seed``), so the other tables are those of a demo day without shifts."""
    rng = random.Random(f"{seed}/shifts")
    seeded = {op.operator_id for op in SEED_OPERATORS}
    ids = [op["operator_id"] for op in operators if op["operator_id"] not in seeded]
    rng.shuffle(ids)
    quarter = len(operators) // 4
    first, second, late = shift_ends(now)
    ends = {operator_id: first for operator_id in ids[:quarter]}
    ends |= {operator_id: second for operator_id in ids[quarter : 2 * quarter]}
    rows = []
    for op in operators:
        end = ends.get(op["operator_id"], late)
        rows.append(
            {
                "operator_id": op["operator_id"],
                "shift_date": now.date(),
                "starts_at": end - timedelta(hours=SHIFT_HOURS),
                "ends_at": end,
            }
        )
    return rows


def _deadlines(rng: random.Random, now: datetime) -> dict[tuple[str, str, str], datetime]:
    deadlines = {}
    for key in queue_keys():
        minutes = SEED_QUEUE_DEADLINE_MIN if key == SEED_QUEUE else rng.choice(DEADLINE_OFFSETS_MIN)
        if key == SURGE_QUEUE:
            minutes = 90
        deadlines[key] = now + timedelta(minutes=minutes)
    return deadlines


def _staff_speeds(
    key: tuple[str, str, str],
    capabilities: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
) -> dict[int, float]:
    """Nominal tasks per hour of each operator assigned to ``key``."""
    staff = {
        a["operator_id"]
        for a in assignments
        if (a["location_name"], a["business_id"], a["process_name"]) == key
    }
    return {
        c["operator_id"]: float(c["average_speed"])
        for c in capabilities
        if c["operator_id"] in staff and c["process_name"] == key[2]
    }


def _capacity(
    speeds: dict[int, float], now: datetime, deadline: datetime, ends: dict[int, datetime]
) -> float:
    """Tasks the staff finish before ``deadline``, each until their shift ends."""
    minutes = (deadline - now).total_seconds() / 60
    if all(ends.get(op, deadline) >= deadline for op in speeds):  # nobody leaves first
        return sum(speeds.values()) * minutes / 60
    return sum(
        speed / 60 * min(minutes, (ends[op] - now).total_seconds() / 60 if op in ends else minutes)
        for op, speed in speeds.items()
    )


def _target_waiting(rng: random.Random, key: tuple[str, str, str], capacity: float) -> int:
    """Tasks waiting at ``now``: most queues comfortable, a few at risk."""
    if key == SEED_QUEUE:
        return SEED_QUEUE_WAITING
    if key == SURGE_QUEUE:
        return round(capacity * 1.35) + 20
    ratio = rng.uniform(0.5, 0.9)
    if key[0] == SLOW_SITE and key[2] == "エントリ1":
        ratio = 0.9
    return max(0, round(capacity * ratio))


def _snapshots(
    rng: random.Random,
    now: datetime,
    deadlines: dict[tuple[str, str, str], datetime],
    capabilities: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
    ends: dict[int, datetime],
) -> list[dict[str, Any]]:
    """The day's snapshots, generated backwards from the tasks waiting at ``now``, which
    are set against what the staff can do before the deadline (each until their shift
    ``ends``)."""
    steps = DAY_LENGTH_MIN // SNAPSHOT_INTERVAL_MIN
    times = [now - timedelta(minutes=SNAPSHOT_INTERVAL_MIN * (steps - k)) for k in range(steps + 1)]
    rows: list[dict[str, Any]] = []
    for key in queue_keys():
        speeds = _staff_speeds(key, capabilities, assignments)
        rate = sum(speeds.values())
        waiting = [0] * (steps + 1)
        waiting[steps] = _target_waiting(rng, key, _capacity(speeds, now, deadlines[key], ends))
        processed = [0] * (steps + 1)
        # Claims come in mostly in the morning; the last two hours bring little.
        morning_rate, afternoon_rate = rate * rng.uniform(0.6, 0.9), rate * rng.uniform(0.1, 0.3)
        for k in range(steps, 0, -1):  # interval k covers (times[k-1], times[k]]
            minutes_before_now = SNAPSHOT_INTERVAL_MIN * (steps - k)
            factor = rng.uniform(0.9, 1.1)
            if key[0] == SLOW_SITE and minutes_before_now < SLOW_SITE_SINCE_MIN_BEFORE_NOW:
                factor *= SLOW_SITE_FACTOR
            processed[k] = round(rate * SNAPSHOT_INTERVAL_MIN / 60 * factor)
            arrival_rate = afternoon_rate if minutes_before_now < AFTERNOON_MIN else morning_rate
            arrivals = round(arrival_rate * SNAPSHOT_INTERVAL_MIN / 60 * rng.uniform(0.7, 1.3))
            if key == SURGE_QUEUE and minutes_before_now == SURGE_MINUTES_BEFORE_NOW:
                arrivals += SURGE_TASKS
            arrivals = min(arrivals, waiting[k] + processed[k])  # waiting never negative
            waiting[k - 1] = waiting[k] + processed[k] - arrivals
        entry_count = 0
        for k, moment in enumerate(times):
            entry_count += processed[k]
            rows.append(
                {
                    "snapshot_time": moment,
                    "location_name": key[0],
                    "business_id": key[1],
                    "process_name": key[2],
                    "expected_completion_time": deadlines[key],
                    "total_waiting": waiting[k],
                    "entry_count": entry_count,
                    "correction_waiting": round(waiting[k] * CORRECTION_SHARE[key[2]]),
                }
            )
    rows.sort(key=lambda row: row["snapshot_time"])
    for snapshot_id, row in enumerate(rows, start=1):
        row["snapshot_id"] = snapshot_id
    return rows

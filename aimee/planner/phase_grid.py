"""The interval grid of the time-phased plan: its rules, and the minutes, arrivals and options
of every operator, queue and interval (the numbers the model and `phase_eval.evaluate` use)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from aimee.planner.constraints import movable, skill_eligible, target_allowed
from aimee.planner.domain import Operator, Queue, QueueId, Scenario
from aimee.planner.forecast import ARRIVAL_CUTOFF_MINUTES
from aimee.planner.phase_eval import evaluate


@dataclass(frozen=True)
class PhaseRules:
    interval_minutes: float = 15.0
    coarse_after_minutes: float | None = 120.0
    """Intervals start ``interval_minutes`` long; after this many minutes they double, and
    double again after twice as long (None: one length throughout). Later intervals are
    re-planned before they come, so only the near ones need the fine grid."""
    min_stay_minutes: float = 30.0
    """An operator who switches into a queue stays at least this long (unless it closes)."""
    max_switches: int = 4
    """Per operator over the rest of the day (a loan that returns is two)."""
    destinations: str = "all"
    """'all': any queue an operator may be moved to; 'needy': only queues late when nobody
    moves (a smaller model that misses chains such as refilling a donor queue)."""
    arrival_cutoff_minutes: float = ARRIVAL_CUTOFF_MINUTES


@dataclass
class Grid:
    """The rest of the day on the interval grid: every number the model and `evaluate` use."""

    scenario: Scenario
    rules: PhaseRules
    starts: list[datetime]
    queue_ids: list[QueueId]
    waiting: dict[QueueId, float]
    arrivals: dict[QueueId, list[float]]
    """Per queue, tasks arriving in each interval."""
    minutes: dict[tuple[int, QueueId], list[float]]
    """(operator, queue) -> m[o,q,t], for every queue the operator may work on."""
    home: dict[int, QueueId | None]
    """Each operator's own queue (None: idle; a queue outside the scenario keeps its id)."""
    forced_home: dict[int, int]
    """operator -> number of first intervals they must stay on their own queue."""
    ends: list[datetime]

    def stay_span(self, t: int) -> range:
        """The intervals after t that start within min_stay_minutes of t's start."""
        limit = self.starts[t] + timedelta(minutes=self.rules.min_stay_minutes)
        stop = t + 1
        while stop < len(self.starts) and self.starts[stop] < limit:
            stop += 1
        return range(t + 1, stop)

    @property
    def n_intervals(self) -> int:
        return len(self.starts)

    def options(self, op_id: int) -> list[QueueId]:
        return [q for (o, q) in self.minutes if o == op_id]


def _intervals(
    now: datetime, end: datetime, cfg: PhaseRules
) -> tuple[list[datetime], list[datetime]]:
    starts: list[datetime] = []
    ends: list[datetime] = []
    moment, length = now, cfg.interval_minutes
    coarse = cfg.coarse_after_minutes
    while moment < end:
        elapsed = (moment - now).total_seconds() / 60.0
        if coarse is not None:
            length = cfg.interval_minutes * (
                1 if elapsed < coarse else 2 if elapsed < 2 * coarse else 4
            )
        starts.append(moment)
        moment = moment + timedelta(minutes=length)
        ends.append(moment)
    return starts, ends


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds() / 60.0)


def build_grid(
    scenario: Scenario,
    arrival_rates: Mapping[QueueId, float],
    rules: PhaseRules | None = None,
    *,
    stay_until: Mapping[int, datetime] | None = None,
) -> Grid:
    cfg = rules or PhaseRules()
    now, prules = scenario.now, scenario.rules
    end = max((q.deadline for q in scenario.queues), default=now)
    starts, ends = _intervals(now, end, cfg)
    queues = {q.id: q for q in scenario.queues}
    arrivals: dict[QueueId, list[float]] = {}
    for q in scenario.queues:
        stop = q.deadline - timedelta(minutes=cfg.arrival_cutoff_minutes)
        rate = arrival_rates.get(q.id, 0.0)
        arrivals[q.id] = [
            rate / 60.0 * _overlap(t0, t1, now, stop) for t0, t1 in zip(starts, ends, strict=True)
        ]
    has_work = {q.id: q.waiting > 0 or sum(arrivals[q.id]) > 0 for q in scenario.queues}
    minutes: dict[tuple[int, QueueId], list[float]] = {}
    home: dict[int, QueueId | None] = {}
    forced: dict[int, int] = {}
    for op in scenario.operators:
        own = op.assigned.id if op.assigned is not None else None
        home[op.id] = own
        shift_end = op.shift_end if op.shift_end is not None else end
        for q in scenario.queues:
            if q.id != own and not _may_go(op, q, scenario):
                continue
            if op.speed(q.process) <= 0 and q.id != own:
                continue
            close = min(q.deadline - timedelta(minutes=prules.margin_minutes), shift_end)
            row = [_overlap(t0, t1, now, close) for t0, t1 in zip(starts, ends, strict=True)]
            if any(v > 0 for v in row) and (q.id == own or has_work[q.id]):
                minutes[(op.id, q.id)] = row
        until = (stay_until or {}).get(op.id)
        if until is not None and own in queues:
            forced[op.id] = sum(1 for t0 in starts if t0 < until)
    grid = Grid(
        scenario=scenario,
        rules=cfg,
        starts=starts,
        queue_ids=[q.id for q in scenario.queues],
        waiting={q.id: float(q.waiting) for q in scenario.queues},
        arrivals=arrivals,
        minutes=minutes,
        home=home,
        forced_home=forced,
        ends=ends,
    )
    if cfg.destinations == "needy":
        late = evaluate(grid, {}).late
        grid.minutes = {
            (o, q): row for (o, q), row in minutes.items() if q == home[o] or late[q] > 0
        }
    return grid


def _may_go(op: Operator, q: Queue, scenario: Scenario) -> bool:
    return (
        movable(op)
        and skill_eligible(op, q.process, scenario.rules)
        and target_allowed(q.key, scenario.rules)
        and q.priority > 0
    )

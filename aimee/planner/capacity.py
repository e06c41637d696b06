"""Pure evaluation of a scenario under a set of moves: the single source of truth for numbers.

Definitions (docs/planner.md, "Capacity and objective"):
- minutes_left(q) = max(0, deadline(q) - now) in minutes;
- an operator who stays on q contributes
  speed(o, q.process) / 60 * max(0, minutes_left(q) - margin);
- an operator moved to q' contributes
  speed(o, q'.process) / 60 * max(0, minutes_left(q') - margin - switch);
  (margin = rules.margin_minutes, 0 unless set: a plan then aims to finish that long before
  each deadline, and "late" counts the tasks not done by then);
- late(q) = max(0, waiting(q) - capacity(q)); objective = sum of priority(q) * late(q).

`moves` maps an operator id to the queue id they are moved to; everybody else stays where they
are (an operator assigned to a queue outside the scenario, or to nothing, contributes nothing).

Extensions, each changing numbers only where present (docs/planner.md, "Loans and shifts"):
- an operator with ``shift_end`` works only until then: every "minutes_left" above is cut at
  ``shift_end - now`` for that operator;
- with ``rules.loans`` a move is a loan until the destination's deadline: the helper then
  returns to the queue they came from, paying ``switch`` again, and contributes there
  speed(o, home.process) / 60 * max(0, end(home) - max(minutes_left(dest), switch) - switch),
  end(home) being the operator's minutes on the home queue (deadline less margin, shift end).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from aimee.planner.domain import Operator, Queue, QueueId, Rules, Scenario

Moves = Mapping[int, QueueId]
"""operator id -> destination queue id."""


def minutes_left(queue: Queue, now: datetime) -> float:
    return max(0.0, (queue.deadline - now).total_seconds() / 60.0)


def working_minutes(queue: Queue, now: datetime, rules: Rules, *, moved: bool) -> float:
    """Minutes an operator can work on `queue` before its deadline (less the margin)."""
    left = max(0.0, minutes_left(queue, now) - rules.margin_minutes)
    return max(0.0, left - rules.switch_minutes) if moved else left


def shift_minutes(operator: Operator, now: datetime) -> float:
    """Minutes until the operator's shift ends (infinite without a shift end)."""
    if operator.shift_end is None:
        return float("inf")
    return max(0.0, (operator.shift_end - now).total_seconds() / 60.0)


def operator_minutes(
    operator: Operator, queue: Queue, now: datetime, rules: Rules, *, moved: bool
) -> float:
    """`working_minutes` cut at the operator's shift end."""
    if operator.shift_end is None:
        return working_minutes(queue, now, rules, moved=moved)
    left = min(
        max(0.0, minutes_left(queue, now) - rules.margin_minutes), shift_minutes(operator, now)
    )
    return max(0.0, left - rules.switch_minutes) if moved else left


def contribution(
    operator: Operator, queue: Queue, now: datetime, rules: Rules, *, moved: bool
) -> float:
    """Tasks `operator` finishes on `queue` before its deadline (less the margin)."""
    minutes = operator_minutes(operator, queue, now, rules, moved=moved)
    return operator.speed(queue.process) / 60.0 * minutes


def loan_return(
    operator: Operator, home: Queue, destination: Queue, now: datetime, rules: Rules
) -> float:
    """Tasks a helper lent to `destination` (until its deadline) still does on `home` after
    coming back; 0 unless ``rules.loans``."""
    if not rules.loans:
        return 0.0
    end = operator_minutes(operator, home, now, rules, moved=False)
    back = max(minutes_left(destination, now), rules.switch_minutes) + rules.switch_minutes
    return operator.speed(home.process) / 60.0 * max(0.0, end - back)


def loss(operator: Operator, home: Queue, destination: Queue, now: datetime, rules: Rules) -> float:
    """What `home` loses when `operator` moves from it to `destination` (all of the stay
    contribution for a permanent move, the loan period's share for a loan)."""
    stay = contribution(operator, home, now, rules, moved=False)
    return stay - loan_return(operator, home, destination, now, rules)


def late(waiting: float, capacity: float) -> float:
    return max(0.0, waiting - capacity)


@dataclass(frozen=True)
class Work:
    """One operator's work on a queue: ``rate`` tasks per hour from ``start`` to ``end``
    minutes from now (``end`` infinite: until the work is done)."""

    rate: float
    start: float = 0.0
    end: float = math.inf


@dataclass(frozen=True)
class Staffing:
    """Who works on a queue after the moves: rates in tasks per hour."""

    capacity: float
    stay_rate: float
    moved_in_rate: float
    works: tuple[Work, ...] = ()
    """Each operator's work on the queue, when someone's is bounded (a shift end, a loan's
    end, a loan's return); empty when everyone works from now (or after switching) on."""

    @property
    def rate(self) -> float:
        return self.stay_rate + self.moved_in_rate


def _position(operator: Operator, moves: Moves) -> tuple[QueueId | None, bool]:
    target = moves.get(operator.id)
    if target is not None:
        return target, True
    return (None if operator.assigned is None else operator.assigned.id), False


def staffing(scenario: Scenario, moves: Moves) -> dict[QueueId, Staffing]:
    """Capacity (tasks before the deadline) and working rates of every scenario queue."""
    queues = {queue.id: queue for queue in scenario.queues}
    now, rules = scenario.now, scenario.rules
    capacity = dict.fromkeys(queues, 0.0)
    stay_rate = dict.fromkeys(queues, 0.0)
    moved_rate = dict.fromkeys(queues, 0.0)
    works: dict[QueueId, list[Work]] = {key: [] for key in queues}
    bounded: set[QueueId] = set()
    for operator in scenario.operators:
        where, moved = _position(operator, moves)
        queue = queues.get(where) if where is not None else None
        if queue is None:
            continue
        shift = shift_minutes(operator, now)
        if shift <= 0:  # gone home: counts nowhere, works at no rate
            continue
        capacity[queue.id] += contribution(operator, queue, now, rules, moved=moved)
        start = rules.switch_minutes if moved else 0.0
        end = shift
        home = None
        if moved and rules.loans and operator.assigned is not None:
            home = queues.get(operator.assigned.id)
        if home is not None:
            capacity[home.id] += loan_return(operator, home, queue, now, rules)
            # the helper leaves the destination at its deadline and is back home after switching
            leaves = max(minutes_left(queue, now), rules.switch_minutes)
            end = min(shift, leaves)
            works[home.id].append(
                Work(operator.speed(home.process), leaves + rules.switch_minutes, shift)
            )
            bounded.add(home.id)
        works[queue.id].append(Work(operator.speed(queue.process), start, end))
        if math.isfinite(end):
            bounded.add(queue.id)
        if moved:
            moved_rate[queue.id] += operator.speed(queue.process)
        else:
            stay_rate[queue.id] += operator.speed(queue.process)
    return {
        key: Staffing(
            capacity[key],
            stay_rate[key],
            moved_rate[key],
            tuple(works[key]) if key in bounded else (),
        )
        for key in queues
    }


def capacities(scenario: Scenario, moves: Moves) -> dict[QueueId, float]:
    return {key: staff.capacity for key, staff in staffing(scenario, moves).items()}


def lateness(scenario: Scenario, moves: Moves) -> dict[QueueId, float]:
    caps = capacities(scenario, moves)
    return {queue.id: late(queue.waiting, caps[queue.id]) for queue in scenario.queues}


def objective(scenario: Scenario, moves: Moves) -> float:
    """Sum over queues of priority x late tasks."""
    lates = lateness(scenario, moves)
    return sum(queue.priority * lates[queue.id] for queue in scenario.queues)


def completion_minutes(
    waiting: float, stay_rate: float, moved_in_rate: float, switch_minutes: float
) -> float | None:
    """Minutes from now until `waiting` tasks are done.

    Staying operators work from now at `stay_rate` tasks/hour; moved-in operators join after
    `switch_minutes` at `moved_in_rate`. None when the tasks are never done (no one works).
    """
    if waiting <= 0:
        return 0.0
    stay_per_min = stay_rate / 60.0
    done_before_switch = stay_per_min * switch_minutes
    if stay_per_min > 0 and done_before_switch >= waiting:
        return waiting / stay_per_min
    total_per_min = (stay_rate + moved_in_rate) / 60.0
    if total_per_min <= 0:
        return None
    return switch_minutes + (waiting - done_before_switch) / total_per_min


def finish_minutes(waiting: float, works: Iterable[Work]) -> float | None:
    """Minutes from now until ``waiting`` tasks are done by these operators, each working
    at their rate between their start and end; None when they are never done (nobody
    works, or everyone stops first: a shift ends, a loan returns)."""
    if waiting <= 0:
        return 0.0
    spans = [w for w in works if w.rate > 0 and w.end > max(w.start, 0.0)]
    times = sorted({0.0, *(max(w.start, 0.0) for w in spans), *(w.end for w in spans)})
    done = 0.0
    for begin, finish in zip(times, [*times[1:], math.inf], strict=True):
        if math.isinf(begin):
            break
        per_minute = sum(w.rate for w in spans if w.start <= begin < w.end) / 60.0
        if per_minute <= 0:
            continue
        if done + per_minute * (finish - begin) >= waiting:
            return begin + (waiting - done) / per_minute
        done += per_minute * (finish - begin)
    return None


def projected_completion(
    queue: Queue, staff: Staffing, now: datetime, switch_minutes: float
) -> datetime | None:
    """When the queue's waiting tasks are done; with bounded work (shift ends, loans) only
    the minutes each operator is there count."""
    if staff.works:
        minutes = finish_minutes(queue.waiting, staff.works)
    else:
        minutes = completion_minutes(
            queue.waiting, staff.stay_rate, staff.moved_in_rate, switch_minutes
        )
    if minutes is None:
        return None
    try:
        return now + timedelta(minutes=minutes)
    except OverflowError:  # beyond the year 9999: as good as never
        return None


@dataclass(frozen=True)
class QueueEvaluation:
    queue: Queue
    capacity: float
    late: float
    rate: float
    completion: datetime | None


def evaluate(scenario: Scenario, moves: Moves) -> list[QueueEvaluation]:
    """Per-queue capacity, late tasks, working rate and projected completion, in scenario order."""
    staff = staffing(scenario, moves)
    switch = scenario.rules.switch_minutes
    result = []
    for queue in scenario.queues:
        s = staff[queue.id]
        result.append(
            QueueEvaluation(
                queue=queue,
                capacity=s.capacity,
                late=late(queue.waiting, s.capacity),
                rate=s.rate,
                completion=projected_completion(queue, s, scenario.now, switch),
            )
        )
    return result

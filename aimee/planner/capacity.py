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
  end(home) being the operator's minutes on the home queue (deadline less margin, shift end);
- ``loan_ends`` (optional, per moved operator) states when a move ends: a time, the helper
  leaves the destination then (at the latest its deadline) and returns home as above, with
  ``max(min(loan end, minutes_left(dest)), switch)`` in place of ``max(minutes_left(dest),
  switch)``, and works on the destination only until then (every "minutes_left(q')" above cut at
  the loan end; a loan whatever ``rules.loans`` says); None, the move is permanent (no return,
  whatever ``rules.loans`` says). Operators it does not name follow ``rules.loans``. A loan end
  at or after the destination's deadline gives exactly the figures of a loan to the deadline
  (a helper from no queue of the scenario then works on as today; one lent for less leaves
  the destination at the loan end, back to nowhere counted).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from aimee.planner.domain import Operator, Queue, QueueId, Rules, Scenario

Moves = Mapping[int, QueueId]
"""operator id -> destination queue id."""

LoanEnds = Mapping[int, datetime | None]
"""moved operator id -> when their move ends: a time, the helper goes back to the queue they
came from then (a loan with a stated end); None, they stay (a permanent move). A moved operator
it does not name follows ``rules.loans`` (a loan to the destination's deadline, or permanent)."""


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
    operator: Operator,
    queue: Queue,
    now: datetime,
    rules: Rules,
    *,
    moved: bool,
    until: float | None = None,
) -> float:
    """`working_minutes` cut at the operator's shift end, and at ``until`` (minutes from
    now: when they leave the queue, a loan's stated end) when given."""
    if until is None and operator.shift_end is None:
        return working_minutes(queue, now, rules, moved=moved)
    left = min(
        max(0.0, minutes_left(queue, now) - rules.margin_minutes),
        shift_minutes(operator, now),
        math.inf if until is None else until,
    )
    return max(0.0, left - rules.switch_minutes) if moved else max(0.0, left)


def contribution(
    operator: Operator,
    queue: Queue,
    now: datetime,
    rules: Rules,
    *,
    moved: bool,
    until: float | None = None,
) -> float:
    """Tasks `operator` finishes on `queue` before its deadline (less the margin), or before
    ``until`` minutes from now when they leave earlier (a loan's stated end)."""
    minutes = operator_minutes(operator, queue, now, rules, moved=moved, until=until)
    return operator.speed(queue.process) / 60.0 * minutes


def stated_end(operator: Operator, now: datetime, loan_ends: LoanEnds | None) -> float | None:
    """Minutes from now until the loan end stated for ``operator`` (None: none stated, or a
    permanent move)."""
    end = None if loan_ends is None else loan_ends.get(operator.id)
    return None if end is None else (end - now).total_seconds() / 60.0


def loan_leaves(
    operator: Operator,
    destination: Queue,
    now: datetime,
    rules: Rules,
    loan_ends: LoanEnds | None = None,
) -> float | None:
    """Minutes from now when a helper moved to ``destination`` leaves it to go back home: at
    their stated loan end (at the latest the destination's deadline), else with
    ``rules.loans`` at the deadline; never before the switch is done. None: they stay (a
    permanent move)."""
    if loan_ends is not None and operator.id in loan_ends:
        end = stated_end(operator, now, loan_ends)
        if end is None:
            return None
        return max(min(end, minutes_left(destination, now)), rules.switch_minutes)
    if not rules.loans:
        return None
    return max(minutes_left(destination, now), rules.switch_minutes)


def loan_return(
    operator: Operator,
    home: Queue,
    destination: Queue,
    now: datetime,
    rules: Rules,
    loan_ends: LoanEnds | None = None,
) -> float:
    """Tasks a helper lent to `destination` (until its deadline, or their stated loan end)
    still does on `home` after coming back; 0 for a permanent move (without ``rules.loans``
    and no stated end, or a stated None)."""
    leaves = loan_leaves(operator, destination, now, rules, loan_ends)
    if leaves is None:
        return 0.0
    end = operator_minutes(operator, home, now, rules, moved=False)
    back = leaves + rules.switch_minutes
    return operator.speed(home.process) / 60.0 * max(0.0, end - back)


def loss(
    operator: Operator,
    home: Queue,
    destination: Queue,
    now: datetime,
    rules: Rules,
    loan_ends: LoanEnds | None = None,
) -> float:
    """What `home` loses when `operator` moves from it to `destination` (all of the stay
    contribution for a permanent move, the loan period's share for a loan)."""
    stay = contribution(operator, home, now, rules, moved=False)
    return stay - loan_return(operator, home, destination, now, rules, loan_ends)


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


def staffing(
    scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None
) -> dict[QueueId, Staffing]:
    """Capacity (tasks before the deadline) and working rates of every scenario queue;
    ``loan_ends`` states when moves end (see `LoanEnds`)."""
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
        lent = stated_end(operator, now, loan_ends) if moved else None
        capacity[queue.id] += contribution(operator, queue, now, rules, moved=moved, until=lent)
        start = rules.switch_minutes if moved else 0.0
        end = shift
        home = None
        # the helper leaves the destination at its deadline (or their loan's stated end)
        leaves = loan_leaves(operator, queue, now, rules, loan_ends) if moved else None
        if leaves is not None and operator.assigned is not None:
            home = queues.get(operator.assigned.id)
        if home is not None and leaves is not None:
            capacity[home.id] += loan_return(operator, home, queue, now, rules, loan_ends)
            # and is back home after switching
            end = min(shift, leaves)
            works[home.id].append(
                Work(operator.speed(home.process), leaves + rules.switch_minutes, shift)
            )
            bounded.add(home.id)
        elif lent is not None and leaves is not None and lent < minutes_left(queue, now):
            # lent from no queue of the scenario: leaves before the deadline, back to nowhere
            # counted (a loan to the deadline or later is counted as today: to the end)
            end = min(shift, leaves)
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


def capacities(
    scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None
) -> dict[QueueId, float]:
    return {key: staff.capacity for key, staff in staffing(scenario, moves, loan_ends).items()}


def lateness(
    scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None
) -> dict[QueueId, float]:
    caps = capacities(scenario, moves, loan_ends)
    return {queue.id: late(queue.waiting, caps[queue.id]) for queue in scenario.queues}


def objective(scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None) -> float:
    """Sum over queues of priority x late tasks."""
    lates = lateness(scenario, moves, loan_ends)
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


def evaluate(
    scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None
) -> list[QueueEvaluation]:
    """Per-queue capacity, late tasks, working rate and projected completion, in scenario
    order; ``loan_ends`` states when moves end (see `LoanEnds`)."""
    staff = staffing(scenario, moves, loan_ends)
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

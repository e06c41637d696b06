"""The seed's method as a baseline policy ("greedy").

For each late queue, most late first: shortage = ceil(late / per-operator capacity), where the
per-operator capacity is the mean contribution a candidate would bring to that queue; then take
that many candidates by skill level, then experience, descending, among unlocked operators with
the skill at min_skill_level or more who have not been moved yet, within max_moves. Like the
seed, it ignores what the donor queue loses: that is what the optimizer is compared against.
"""

from __future__ import annotations

import math

from aimee.planner import capacity
from aimee.planner.constraints import (
    movable,
    skill_eligible,
    target_allowed,
    within_max_moves,
)
from aimee.planner.domain import Operator, Queue, QueueId, Scenario


def _ranked_by_process(scenario: Scenario) -> dict[str, list[Operator]]:
    """Unlocked operators eligible for each process, by skill level then experience."""
    ranked: dict[str, list[Operator]] = {}
    for queue in scenario.queues:
        if queue.process in ranked:
            continue
        eligible = [
            o
            for o in scenario.operators
            if movable(o) and skill_eligible(o, queue.process, scenario.rules)
        ]
        skill = queue.process
        ranked[skill] = sorted(
            eligible,
            key=lambda o: (-o.skills[skill].level, -o.skills[skill].experience_months, o.id),
        )
    return ranked


def _candidates(ranked: list[Operator], queue: Queue, moved: dict[int, QueueId]) -> list[Operator]:
    return [
        operator
        for operator in ranked
        if operator.id not in moved
        and (operator.assigned is None or operator.assigned.id != queue.id)
    ]


def shortage(late: float, per_operator: float) -> int:
    """How many operators the seed's rule asks for: ceil(late / per-operator capacity)."""
    if late <= 0 or per_operator <= 0:
        return 0
    return math.ceil(late / per_operator)


def greedy_moves(scenario: Scenario) -> dict[int, QueueId]:
    """operator id -> destination queue id chosen by the seed's rule."""
    lates = capacity.lateness(scenario, {})
    late_queues = sorted(
        (
            queue
            for queue in scenario.queues
            if lates[queue.id] > 0 and target_allowed(queue.key, scenario.rules)
        ),
        key=lambda queue: -lates[queue.id],
    )
    ranked = _ranked_by_process(scenario)
    moved: dict[int, QueueId] = {}
    for queue in late_queues:
        candidates = _candidates(ranked[queue.process], queue, moved)
        if not candidates:
            continue
        gains = [
            capacity.contribution(o, queue, scenario.now, scenario.rules, moved=True)
            for o in candidates
        ]
        needed = shortage(lates[queue.id], sum(gains) / len(gains))
        for operator in candidates[:needed]:
            if not within_max_moves(len(moved) + 1, scenario.rules):
                return moved
            moved[operator.id] = queue.id
    return moved

"""Among equally good plans, prefer the helpers a manager would pick.

The solver returns one lexicographic optimum (late tasks, then moves); many
optima often exist. This pass swaps each moved operator for an unmoved,
eligible one when the swap keeps the objective (within the solver's
tolerance) and the number of moves, preferring a higher skill level on the
destination's process, then someone from the destination's own site, then
experience and speed (the seed's know-how: 「エントリ工程は経験重視」,
「遅延時は近隣拠点から」). Evaluated incrementally from queue capacities."""

from __future__ import annotations

from collections.abc import Mapping

from aimee.planner import capacity
from aimee.planner.constraints import movable, skill_eligible
from aimee.planner.domain import Operator, Queue, QueueId, Scenario
from aimee.planner.milp import OBJECTIVE_TOLERANCE

MAX_OPERATORS = 5_000
"""Larger scenarios keep the solver's choice (the pass is O(moves x operators))."""


def _preference(operator: Operator, queue: Queue) -> tuple[int, bool, int, float]:
    skill = operator.skills[queue.process]
    return (skill.level, operator.location == queue.location, skill.experience_months, skill.speed)


def prefer_stronger_helpers(scenario: Scenario, moves: Mapping[int, QueueId]) -> dict[int, QueueId]:
    """``moves`` with each helper swapped for a preferred one where nothing is lost."""
    chosen = dict(moves)
    if not chosen or len(scenario.operators) > MAX_OPERATORS:
        return chosen
    queues = {q.id: q for q in scenario.queues}
    operators = {op.id: op for op in scenario.operators}
    now, rules = scenario.now, scenario.rules
    caps = capacity.capacities(scenario, chosen)

    def cost(key: QueueId, cap: float) -> float:
        return queues[key].priority * capacity.late(queues[key].waiting, cap)

    def changes(op: Operator, target: QueueId, *, joining: bool) -> dict[QueueId, float]:
        """Capacity deltas when ``op`` joins (or leaves) ``target`` from its own queue."""
        sign = 1.0 if joining else -1.0
        delta = {target: sign * capacity.contribution(op, queues[target], now, rules, moved=True)}
        home = op.assigned.id if op.assigned is not None else None
        if home is not None and home in queues:
            lost = capacity.loss(op, queues[home], queues[target], now, rules)
            delta[home] = delta.get(home, 0.0) - sign * lost
        return delta

    for op_id, target in sorted(chosen.items()):
        queue = queues[target]
        current = operators[op_id]
        candidates = sorted(
            (
                o
                for o in scenario.operators
                if o.id not in chosen
                and movable(o)
                and skill_eligible(o, queue.process, scenario.rules)
                and (o.assigned is None or o.assigned.id != target)
                and _preference(o, queue) > _preference(current, queue)
            ),
            key=lambda o: _preference(o, queue),
            reverse=True,
        )
        for other in candidates:
            delta: dict[QueueId, float] = {}
            for part in (
                changes(current, target, joining=False),
                changes(other, target, joining=True),
            ):
                for key, value in part.items():
                    delta[key] = delta.get(key, 0.0) + value
            before = sum(cost(key, caps[key]) for key in delta)
            after = sum(cost(key, caps[key] + value) for key, value in delta.items())
            if after <= before + OBJECTIVE_TOLERANCE:
                for key, value in delta.items():
                    caps[key] += value
                del chosen[op_id]
                chosen[other.id] = target
                break
    return chosen

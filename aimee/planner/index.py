"""Array view of a scenario for model building: queues and operators by position.

Every number here comes from `capacity` (same formulas, same float operations), and every
eligibility flag from `constraints`, so the model and the evaluation cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aimee.planner import capacity
from aimee.planner.constraints import movable, skill_eligible, target_allowed
from aimee.planner.domain import QueueId, Scenario

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class ScenarioIndex:
    scenario: Scenario
    queue_ids: list[QueueId]
    queue_pos: dict[QueueId, int]
    processes: list[str]
    waiting: FloatArray
    priority: FloatArray
    move_minutes: FloatArray
    """Minutes a moved-in operator works on each queue: max(0, minutes_left - margin - switch)."""
    process_of: IntArray
    """Process position of each queue."""
    current: IntArray
    """Queue position of each operator, -1 when idle or on a queue outside the scenario."""
    speed: FloatArray
    """(operators x processes) tasks per hour, 0 without a skill entry."""
    eligible: BoolArray
    """(operators x processes) may be moved to a queue of that process with a positive speed."""
    stay: FloatArray
    """Contribution of each operator to their current queue if they stay (0 if none)."""
    base_capacity: FloatArray
    """Capacity of each queue when nobody moves."""
    receivable: BoolArray
    """Queues that may receive operators (`rules.targets`)."""
    left_minutes: FloatArray | None = None
    """Per queue, max(0, minutes_left - margin); None when no operator has a shift end."""
    shift: FloatArray | None = None
    """Per operator, minutes until their shift ends (inf without one); None when nobody has one."""
    loan_after: FloatArray | None = None
    """Per queue, minutes from now until a helper lent to it is back home (with rules.loans:
    max(minutes_left, switch) + switch); None without loans."""
    home_minutes: FloatArray | None = None
    """Per operator, minutes they would work on their own queue (their stay minutes)."""

    @property
    def n_operators(self) -> int:
        return len(self.current)

    @property
    def n_queues(self) -> int:
        return len(self.queue_ids)

    def gain(self, operators: IntArray, queues: IntArray) -> FloatArray:
        """Contribution of each operator moved to the paired queue (same formula as capacity)."""
        speeds = self.speed[operators, self.process_of[queues]]
        if self.shift is None or self.left_minutes is None:
            result: FloatArray = speeds / 60.0 * self.move_minutes[queues]
            return result
        switch = self.scenario.rules.switch_minutes
        minutes = np.maximum(
            0.0, np.minimum(self.left_minutes[queues], self.shift[operators]) - switch
        )
        shifted: FloatArray = speeds / 60.0 * minutes
        return shifted

    def loss(self, operators: IntArray, queues: IntArray) -> FloatArray:
        """What each operator's own queue loses when they go to the paired queue (the
        whole stay contribution, or with loans the loan period's share; capacity.loss)."""
        stay = self.stay[operators]
        if self.loan_after is None or self.home_minutes is None:
            return stay
        home = self.current[operators]
        speeds = self.speed[operators, self.process_of[np.maximum(home, 0)]]
        back = (
            speeds / 60.0 * np.maximum(0.0, self.home_minutes[operators] - self.loan_after[queues])
        )
        result: FloatArray = stay - np.where(home >= 0, back, 0.0)
        return result


def build_index(scenario: Scenario) -> ScenarioIndex:
    now, rules = scenario.now, scenario.rules
    queue_ids = [queue.id for queue in scenario.queues]
    queue_pos = {key: pos for pos, key in enumerate(queue_ids)}
    processes = sorted({queue.process for queue in scenario.queues})
    process_pos = {name: pos for pos, name in enumerate(processes)}
    n_ops, n_proc = len(scenario.operators), len(processes)

    speed = np.zeros((n_ops, n_proc))
    eligible = np.zeros((n_ops, n_proc), dtype=np.bool_)
    current = np.full(n_ops, -1, dtype=np.int64)
    stay = np.zeros(n_ops)
    home_minutes = np.zeros(n_ops)
    for row, operator in enumerate(scenario.operators):
        can_move = movable(operator)
        for process, skill in operator.skills.items():
            col = process_pos.get(process)
            if col is None:
                continue
            speed[row, col] = skill.speed
            eligible[row, col] = (
                can_move and skill.speed > 0 and skill_eligible(operator, process, rules)
            )
        if operator.assigned is not None and operator.assigned.id in queue_pos:
            pos = queue_pos[operator.assigned.id]
            current[row] = pos
            stay[row] = capacity.contribution(
                operator, scenario.queues[pos], now, rules, moved=False
            )
            home_minutes[row] = capacity.operator_minutes(
                operator, scenario.queues[pos], now, rules, moved=False
            )

    staffed = current >= 0
    base_capacity = np.bincount(current[staffed], weights=stay[staffed], minlength=len(queue_ids))
    return ScenarioIndex(
        scenario=scenario,
        queue_ids=queue_ids,
        queue_pos=queue_pos,
        processes=processes,
        waiting=np.array([float(q.waiting) for q in scenario.queues]),
        priority=np.array([q.priority for q in scenario.queues]),
        move_minutes=np.array(
            [capacity.working_minutes(q, now, rules, moved=True) for q in scenario.queues]
        ),
        process_of=np.array([process_pos[q.process] for q in scenario.queues], dtype=np.int64),
        current=current,
        speed=speed,
        eligible=eligible,
        stay=stay,
        base_capacity=base_capacity.astype(np.float64),
        receivable=np.array(
            [target_allowed(q.key, rules) for q in scenario.queues], dtype=np.bool_
        ),
        **_extensions(scenario, home_minutes),
    )


def _extensions(scenario: Scenario, home_minutes: FloatArray) -> dict[str, FloatArray | None]:
    """The arrays of the loans and shifts extensions (None when unused: the model is then
    built exactly as without them)."""
    now, rules = scenario.now, scenario.rules
    shifted = any(op.shift_end is not None for op in scenario.operators)
    left = np.array(
        [max(0.0, capacity.minutes_left(q, now) - rules.margin_minutes) for q in scenario.queues]
    )
    loan_after = np.array(
        [
            max(capacity.minutes_left(q, now), rules.switch_minutes) + rules.switch_minutes
            for q in scenario.queues
        ]
    )
    return {
        "left_minutes": left if shifted else None,
        "shift": np.array([capacity.shift_minutes(op, now) for op in scenario.operators])
        if shifted
        else None,
        "loan_after": loan_after if rules.loans else None,
        "home_minutes": home_minutes if rules.loans else None,
    }

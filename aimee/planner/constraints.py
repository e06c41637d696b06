"""The hard rules of a plan, one short function each.

The predicates (`skill_eligible`, `movable`, `within_max_moves`) are what the solver uses to
build its model; the `*_violations` functions check any list of moves (the optimizer's, the
baseline's, or one a manager modified) and say in Japanese what is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aimee.planner.domain import MoveLike, Operator, QueueKey, Rules, Scenario


def skill_eligible(operator: Operator, process: str, rules: Rules) -> bool:
    """A move to a queue of `process` needs a skill entry with level >= min_skill_level."""
    skill = operator.skills.get(process)
    return skill is not None and skill.level >= rules.min_skill_level


def target_allowed(queue: QueueKey, rules: Rules) -> bool:
    """With `rules.targets` set, operators may only be moved into those queues."""
    return rules.targets is None or any(queue.id == target.id for target in rules.targets)


def movable(operator: Operator) -> bool:
    """Locked operators never move."""
    return not operator.locked


def within_max_moves(move_count: int, rules: Rules) -> bool:
    return move_count <= rules.max_moves


def _operators(scenario: Scenario) -> dict[int, Operator]:
    return {operator.id: operator for operator in scenario.operators}


def reference_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    """Every move names a known operator and a queue of the scenario other than their own."""
    operators = _operators(scenario)
    queue_ids = {queue.id for queue in scenario.queues}
    problems = []
    for move in moves:
        operator = operators.get(move.operator_id)
        if operator is None:
            problems.append(f"オペレータ{move.operator_id}はシナリオに存在しません")
        elif move.to.id not in queue_ids:
            problems.append(f"移動先{move.to.label()}はシナリオの工程にありません")
        elif operator.assigned is not None and operator.assigned.id == move.to.id:
            problems.append(f"{operator.name}は既に{move.to.label()}に配置されています")
    return problems


def skill_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    operators = _operators(scenario)
    rules = scenario.rules
    problems = []
    for move in moves:
        operator = operators.get(move.operator_id)
        if operator is None or skill_eligible(operator, move.to.process, rules):
            continue
        skill = operator.skills.get(move.to.process)
        held = "スキルなし" if skill is None else f"Lv{skill.level}"
        problems.append(
            f"{operator.name}は{move.to.process}のスキルLv{rules.min_skill_level}以上を"
            f"満たしません（{held}）"
        )
    return problems


def locked_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    operators = _operators(scenario)
    problems = []
    for move in moves:
        operator = operators.get(move.operator_id)
        if operator is not None and not movable(operator):
            why = operator.locked_reason or "固定設定"
            problems.append(f"{operator.name}は{why}のため移動できません")
    return problems


def target_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    return [
        f"{move.to.label()}は今回の移動先の対象外です"
        for move in moves
        if not target_allowed(move.to, scenario.rules)
    ]


def max_moves_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    count = len({move.operator_id for move in moves})
    if within_max_moves(count, scenario.rules):
        return []
    return [f"移動人数{count}名が上限{scenario.rules.max_moves}名を超えています"]


def single_queue_violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    """An operator is on at most one queue: at most one move per operator."""
    operators = _operators(scenario)
    counts = Counter(move.operator_id for move in moves)
    problems = []
    for operator_id, count in counts.items():
        if count > 1:
            operator = operators.get(operator_id)
            name = operator.name if operator is not None else str(operator_id)
            problems.append(f"{name}が{count}つの工程に同時に割り当てられています")
    return problems


def violations(scenario: Scenario, moves: Sequence[MoveLike]) -> list[str]:
    """All rule violations of `moves` in `scenario`; empty when the plan is valid."""
    return [
        *reference_violations(scenario, moves),
        *skill_violations(scenario, moves),
        *locked_violations(scenario, moves),
        *target_violations(scenario, moves),
        *max_moves_violations(scenario, moves),
        *single_queue_violations(scenario, moves),
    ]

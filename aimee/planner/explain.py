"""Japanese explanations built only from the scenario and the evaluated plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from aimee.planner import capacity
from aimee.planner.capacity import LoanEnds, Moves, QueueEvaluation
from aimee.planner.constraints import movable, skill_eligible, target_allowed
from aimee.planner.domain import Operator, Queue, QueueId, Scenario

Evaluations = Mapping[QueueId, QueueEvaluation]
_MAX_NAMES = 3


def fmt(value: float) -> str:
    """A number as shown to users: at most one decimal, no trailing '.0'."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _label(key: QueueId) -> str:
    return "/".join(key)


def _source_phrase(operator: Operator, queues: Mapping[QueueId, Queue]) -> str:
    if operator.assigned is None:
        return "待機中から配置"
    if operator.assigned.id not in queues:
        return f"{operator.assigned.label()}から移動"
    return f"{operator.assigned.location}の{operator.assigned.process}から移動"


def _skill_phrase(
    operator: Operator, queue: Queue, gain: float, switch: float, leaves: datetime | None = None
) -> str:
    """``leaves``: when a loan's stated end takes the helper away before the deadline."""
    skill = operator.skills.get(queue.process)
    if skill is None:
        return f"{queue.process}のスキル登録なし（処理件数0件として計算）"
    until = "締切" if leaves is None else f"{leaves:%H:%M}"
    return (
        f"{queue.process}スキルLv{skill.level}・経験{skill.experience_months}ヶ月・"
        f"速度{fmt(skill.speed)}件/時（切替{fmt(switch)}分後から{until}までに最大{fmt(gain)}件処理可能）"
    )


def _target_phrase(
    queue: Queue, before: QueueEvaluation, after: QueueEvaluation, gain: float, arrivals: int
) -> str:
    label = _label(queue.id)
    if after.late < before.late:
        verb = "解消" if after.late == 0 else "削減"
        together = f"（移動{arrivals}名の合計）" if arrivals > 1 else ""
        return f"{label}の遅延見込み{fmt(before.late)}件を{fmt(after.late)}件に{verb}{together}"
    if (
        before.late == after.late == 0
        and before.completion is not None
        and after.completion is not None
        and after.completion < before.completion
    ):
        slack = (queue.deadline - after.completion).total_seconds() / 60
        return (
            f"{label}の完了見込みを{before.completion:%H:%M}から{after.completion:%H:%M}に早め、"
            f"納期までの余裕{fmt(max(0.0, slack))}分を確保"
        )
    without = capacity.late(queue.waiting, after.capacity - gain)
    return (
        f"{label}から移動する人員の穴を補充（この移動がなければ遅延見込み{fmt(without)}件、"
        f"移動後{fmt(after.late)}件）"
    )


def _donor_phrase(operator: Operator, before: Evaluations, after: Evaluations) -> str:
    if operator.assigned is None:
        return "移動元への影響なし（待機中）"
    source = operator.assigned.id
    if source not in after:
        return "移動元は計画対象外の工程のため影響は未評価"
    slack = after[source].capacity - after[source].queue.waiting
    if slack >= 0:
        return f"移動元は残り余裕{fmt(slack)}件を確保"
    return (
        f"移動元は遅延見込み{fmt(after[source].late)}件となります"
        f"（移動前{fmt(before[source].late)}件）"
    )


def move_reason(
    scenario: Scenario,
    operator: Operator,
    target: QueueId,
    before: Evaluations,
    after: Evaluations,
    arrivals: int,
    loan_ends: LoanEnds | None = None,
) -> str:
    """Why `operator` goes to `target`: who they are, what it saves, what the donor keeps
    (a helper with a stated loan end counted until then)."""
    queues = {queue.id: queue for queue in scenario.queues}
    queue = queues[target]
    switch = scenario.rules.switch_minutes
    lent = capacity.stated_end(operator, scenario.now, loan_ends)
    gain = capacity.contribution(
        operator, queue, scenario.now, scenario.rules, moved=True, until=lent
    )
    end = None if loan_ends is None else loan_ends.get(operator.id)
    leaves = end if end is not None and end < queue.deadline else None
    parts = [
        _source_phrase(operator, queues),
        _skill_phrase(operator, queue, gain, switch, leaves),
        _target_phrase(queue, before[target], after[target], gain, arrivals),
        _donor_phrase(operator, before, after),
    ]
    return "。".join(parts)


def move_reasons(
    scenario: Scenario,
    moves: Moves,
    before: Evaluations,
    after: Evaluations,
    loan_ends: LoanEnds | None = None,
) -> dict[int, str]:
    arrivals = Counter(moves.values())
    operators = {operator.id: operator for operator in scenario.operators}
    return {
        op_id: move_reason(
            scenario, operators[op_id], target, before, after, arrivals[target], loan_ends
        )
        for op_id, target in moves.items()
    }


def _names(operators: list[Operator]) -> str:
    shown = "、".join(o.name for o in operators[:_MAX_NAMES])
    rest = len(operators) - _MAX_NAMES
    return shown + (f"ほか{rest}名" if rest > 0 else "")


def _late_targets(scenario: Scenario, still_late: list[Queue]) -> dict[str, list[QueueId]]:
    """Still-late queues the plan may send help to (``rules.targets``) and a moved
    operator could reach in time, by process."""
    targets: dict[str, list[QueueId]] = {}
    for queue in still_late:
        reachable = capacity.working_minutes(queue, scenario.now, scenario.rules, moved=True) > 0
        if reachable and target_allowed(queue.key, scenario.rules):
            targets.setdefault(queue.process, []).append(queue.id)
    return targets


def _could_help(operator: Operator, process: str, targets: list[QueueId]) -> bool:
    here = operator.assigned.id if operator.assigned is not None else None
    return operator.speed(process) > 0 and any(target != here for target in targets)


def _locked_helpers(scenario: Scenario, still_late: list[Queue]) -> list[Operator]:
    """Locked operators who are skilled enough for a queue that stays late."""
    targets = _late_targets(scenario, still_late)
    return [
        o
        for o in scenario.operators
        if not movable(o)
        and any(
            skill_eligible(o, p, scenario.rules) and _could_help(o, p, ids)
            for p, ids in targets.items()
        )
    ]


def _below_level_helpers(scenario: Scenario, still_late: list[Queue]) -> dict[str, list[Operator]]:
    """By process: unlocked operators whose skill entry for it is below
    min_skill_level, who could work on a queue of it that stays late (not their own)."""
    below: dict[str, list[Operator]] = {}
    for process, ids in _late_targets(scenario, still_late).items():
        helpers = [
            o
            for o in scenario.operators
            if movable(o)
            and process in o.skills
            and not skill_eligible(o, process, scenario.rules)
            and _could_help(o, process, ids)
        ]
        if helpers:
            below[process] = helpers
    return below


AT_MAX_MOVES = "移動人数が上限"
"""How the note on a plan that used every move it may starts."""


def rules_applied(
    scenario: Scenario,
    moves: Moves,
    before: Evaluations,
    after: Evaluations,
    loan_ends: LoanEnds | None = None,
) -> list[str]:
    """Which rules bound the plan, in Japanese."""
    rules = scenario.rules
    late_before = sum(e.late for e in before.values())
    late_after = sum(e.late for e in after.values())
    margin = (
        [f"納期の{fmt(rules.margin_minutes)}分前までに終えることを目標に計画しています"]
        if rules.margin_minutes > 0
        else []
    )
    if late_before == 0:
        return [*margin, "全工程が締切に間に合う見込みのため、配置変更は不要です"]
    notes = margin
    still_late = [e.queue for e in after.values() if e.late > 0]
    if still_late and len(moves) >= rules.max_moves:
        notes.append(
            f"{AT_MAX_MOVES}{rules.max_moves}名に達しています（残る遅延見込み{fmt(late_after)}件）"
        )
    locked = _locked_helpers(scenario, still_late)
    if locked:
        notes.append(f"固定または指定の条件により移動しなかった応援可能者: {_names(locked)}")
    for process, unskilled in _below_level_helpers(scenario, still_late).items():
        notes.append(
            f"{process}のスキルがLv{rules.min_skill_level}未満のため候補外とした応援可能者: "
            f"{_names(unskilled)}"
        )
    too_close = [
        q for q in still_late if capacity.working_minutes(q, scenario.now, rules, moved=True) <= 0
    ]
    if too_close:
        labels = "、".join(_label(q.id) for q in too_close[:_MAX_NAMES])
        switch = fmt(rules.switch_minutes)
        notes.append(f"締切まで切替時間{switch}分以内のため応援が間に合わない工程: {labels}")
    if moves:
        notes.append(_switch_cost(scenario, moves, loan_ends))
    else:
        notes.append("遅延見込みを減らせる移動がありません")
    return notes


def _switch_cost(scenario: Scenario, moves: Moves, loan_ends: LoanEnds | None = None) -> str:
    queues = {queue.id: queue for queue in scenario.queues}
    operators = {operator.id: operator for operator in scenario.operators}
    switch = scenario.rules.switch_minutes
    now, rules = scenario.now, scenario.rules
    lost = 0.0
    for op_id, target in moves.items():
        queue, operator = queues[target], operators[op_id]
        lent = capacity.stated_end(operator, now, loan_ends)  # the minutes of the stint
        full = capacity.contribution(operator, queue, now, rules, moved=False, until=lent)
        lost += full - capacity.contribution(operator, queue, now, rules, moved=True, until=lent)
    return (
        f"切替時間{fmt(switch)}分を考慮: "
        f"移動{len(moves)}名の処理可能件数を計{fmt(lost)}件少なく見積もり"
    )

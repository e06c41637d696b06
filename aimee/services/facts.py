"""Turn computed results (situation, plan, operators) into the facts an answer
may state. Every number here comes from the planner's evaluation or the data."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from aimee.llm.context import (
    AnswerContext,
    MoveFacts,
    OperatorFacts,
    QueueChange,
    QueueFacts,
    SuggestionFacts,
)
from aimee.planner import Plan, QueueKey, Scenario
from aimee.planner.domain import QueueId
from aimee.planner.figures import QueueFigures
from aimee.services.scenarios import Situation
from aimee.services.suggestions import (
    SuggestionPublic,
    card_impact,
    primary_target,
    touched_late,
    touched_queues,
)
from aimee.store.repositories.operators import OperatorRecord


def queue_facts(situation: Situation) -> dict[QueueId, QueueFacts]:
    """Every queue of the situation with its figures when nobody moves."""
    return {key: _facts(f, key) for key, f in situation.figures.items()}


def _facts(f: QueueFigures, key: QueueId) -> QueueFacts:
    return QueueFacts(
        location=key[0],
        business_id=key[1],
        process=key[2],
        waiting=f.waiting,
        deadline=f.deadline,
        minutes_left=f.minutes_left,
        staff_count=f.staff_count,
        rate_per_hour=f.rate,
        projected_completion=f.completion,
        late_tasks=f.late,
        expected_arrivals=f.expected_arrivals,
        efficiency=f.efficiency,
    )


def move_facts(scenario: Scenario, plan: Plan) -> list[MoveFacts]:
    operators = {op.id: op for op in scenario.operators}
    facts = []
    for move in plan.moves:
        op = operators[move.operator_id]
        skill = op.skills.get(move.to.process)
        facts.append(
            MoveFacts(
                operator_name=move.operator_name,
                from_location=move.from_.location if move.from_ else None,
                from_process=move.from_.process if move.from_ else None,
                to_location=move.to.location,
                to_process=move.to.process,
                skill_level=skill.level if skill else 0,
                experience_months=skill.experience_months if skill else 0,
                speed=skill.speed if skill else 0.0,
                until=move.until,
                returns=move.returns,
                shift_end=move.shift_end,
            )
        )
    return facts


def queue_changes(plan: Plan, only: Collection[QueueId] | None = None) -> list[QueueChange]:
    """Queues whose numbers the plan changes (or the ``only`` ones), before and after."""
    keys = touched_queues(plan) if only is None else set(only)
    return [
        QueueChange(
            location=o.location,
            process=o.process,
            late_before=o.late_before,
            late_after=o.late_after,
            completion_before=o.projected_completion_before,
            completion_after=o.projected_completion_after,
            deadline=o.deadline,
            business_id=o.business_id,
        )
        for o in plan.queues
        if o.key.id in keys
    ]


def suggestion_facts(
    scenario: Scenario,
    plan: Plan,
    card: SuggestionPublic | None,
    *,
    focus: Sequence[QueueKey] = (),
    only: Collection[QueueId] | None = None,
    floor: Mapping[QueueId, float] | None = None,
) -> SuggestionFacts:
    """What a plan changes: moves, the receiving queue's figures, the touched queues,
    and with ``floor`` (every queue's late tasks now) the floor total before and after."""
    figures = card.impact if card is not None else card_impact(scenario, plan, focus)
    late_before, late_after = touched_late(plan)
    target = primary_target(plan, focus)
    totals = None if floor is None else floor_totals(plan, floor)
    return SuggestionFacts(
        suggestion_id=card.id if card else None,
        moves=move_facts(scenario, plan),
        late_before=late_before,
        late_after=late_after,
        productivity=figures.productivity,
        delay=figures.delay,
        changes=queue_changes(plan, only),
        rules_applied=list(plan.rules_applied),
        target=next(iter(queue_changes(plan, [target])), None) if target else None,
        floor_before=None if totals is None else totals[0],
        floor_after=None if totals is None else totals[1],
    )


def floor_totals(plan: Plan, floor: Mapping[QueueId, float]) -> tuple[int, int]:
    """全体 before and after the plan's moves: each queue's late tasks at its deadline
    (rounded as shown), summed over every queue of ``floor``; the queues of the plan
    take their late tasks after the moves."""
    after = {o.key.id: o.late_after for o in plan.queues}
    return (
        sum(round(late) for late in floor.values()),
        sum(round(after.get(key, late)) for key, late in floor.items()),
    )


def operator_facts(
    records: list[OperatorRecord], process: str | None, assignments: Mapping[int, str]
) -> list[OperatorFacts]:
    """Operators with their skill on ``process`` (or their best skill)."""
    facts = []
    for record in records:
        skills = [s for s in record.skills if process is None or s.process_name == process]
        if not skills:
            continue
        best = skills[0]  # the repository orders skills strongest first
        facts.append(
            OperatorFacts(
                name=record.operator.operator_name or "",
                location=record.operator.location_name or "",
                current=assignments.get(record.operator.operator_id),
                process=best.process_name or "",
                skill_level=best.skill_level or 0,
                experience_months=best.experience_months or 0,
                speed=float(best.average_speed or 0),
            )
        )
    return facts


_Named = TypeVar("_Named", QueueFacts, QueueChange)


def with_business_names(ctx: AnswerContext, names: Mapping[str, str]) -> AnswerContext:
    """``ctx`` with every queue's business named as the master data names it (``names``:
    business id to name), so that answers say 「梅田の検証（業務523201・SS）」: the id, and the
    name managers use."""
    if not names:
        return ctx

    def named(facts: _Named) -> _Named:
        return replace(facts, business_name=names.get(facts.business_id, ""))

    def all_named(items: Sequence[_Named]) -> list[_Named]:
        return [named(item) for item in items]

    s, donor, none_help = ctx.suggestion, ctx.donor, ctx.no_helpful_helpers
    return replace(
        ctx,
        queues=all_named(ctx.queues),
        suggestion=None
        if s is None
        else replace(
            s,
            changes=all_named(s.changes),
            target=None if s.target is None else named(s.target),
        ),
        donor=None if donor is None else replace(donor, queues=all_named(donor.queues)),
        no_helpful_helpers=None
        if none_help is None
        else replace(none_help, queues=all_named(none_help.queues)),
        profiles=[
            replace(p, business_name=names.get(p.current[1], "")) if p.current else p
            for p in ctx.profiles
        ],
    )

"""What a modified suggestion would do, before anyone decides: the edited moves
evaluated on the current data exactly as a ``modify`` approval would evaluate
them (same checks, same figures), without writing anything."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from aimee.errors import NotFound
from aimee.planner import ObjectiveValue
from aimee.services.approvals import (
    ChangeIn,
    check_open,
    edited_moves,
    revalidate,
    stated_loans,
)
from aimee.services.facts import floor_totals
from aimee.services.suggestions import (
    SuggestionChange,
    SuggestionImpact,
    card_impact,
    group_changes,
    stored_plan,
    summary_reason,
)
from aimee.store.repositories import suggestions as suggestion_repo


class SuggestionPreview(BaseModel):
    """The suggestion as it would read after the edit."""

    suggestion_id: str
    changes: list[SuggestionChange]
    impact: SuggestionImpact
    reason: str
    objective: ObjectiveValue
    """Priority-weighted late tasks over every queue, before and after the edited moves."""
    floor_late_before: int
    """全体: late tasks at the deadline over every queue without the moves (the sum of
    ``late_tasks_at_deadline`` over /progress)."""
    floor_late_after: int
    """全体 after the edited moves."""


def preview_modification(
    session: Session, suggestion_id: str, changes: Sequence[ChangeIn], *, now: datetime
) -> SuggestionPreview:
    """The recomputed impact of ``changes``; Conflict with the reason when a
    ``modify`` with them would be refused (decided, expired, stale, rule broken)."""
    row = suggestion_repo.get(session, suggestion_id)
    if row is None:
        raise NotFound(f"提案{suggestion_id}は見つかりません")
    check_open(row, now)
    scenario, stored = stored_plan(row)
    moves = edited_moves(scenario, changes)
    current = revalidate(
        session, row, scenario, stored, moves, now, loan_ends=stated_loans(stored, moves)
    )
    card = card_impact(scenario, current)
    floor_before, floor_after = floor_totals(
        current, {q.key.id: q.late_before for q in current.queues}
    )
    return SuggestionPreview(
        suggestion_id=suggestion_id,
        changes=group_changes(current),
        impact=card,
        reason=summary_reason(current, card),
        objective=current.objective,
        floor_late_before=floor_before,
        floor_late_after=floor_after,
    )

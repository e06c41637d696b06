"""Suggestions know about each other: which of a card's operators are already
promised to an approved suggestion (the card then needs a re-plan), and which also
appear in another suggestion still waiting for a decision (the card warns, naming
them). Read at the time the card is shown, from the commitments and the pending
suggestions, so the card is never out of date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.services.suggestions import Overlap, SuggestionPublic
from aimee.store.models import Suggestion
from aimee.store.repositories import commitments


def _pending(session: Session, now: datetime) -> list[tuple[str, set[int]]]:
    """Suggestions waiting for a decision, with their operators (not their plans: the
    changes column alone, so that this stays cheap however many there are)."""
    rows = session.execute(
        select(Suggestion.suggestion_id, Suggestion.changes).where(
            Suggestion.status == "pending", Suggestion.expires_at > now
        )
    )
    return [
        (sid, {int(i) for c in changes or [] for i in c.get("operator_ids", [])})
        for sid, changes in rows
    ]


def annotate(
    session: Session, cards: list[SuggestionPublic], now: datetime
) -> list[SuggestionPublic]:
    """The cards with their overlaps and whether they need a re-plan."""
    if not cards:
        return cards
    held = commitments.holders(session, now)
    pending = _pending(session, now)
    annotated = []
    for card in cards:
        found: list[Overlap] = []
        for change in card.changes:
            for operator_id, name in zip(change.operator_ids, change.operators, strict=False):
                holder = held.get(operator_id)
                if holder is not None and holder != card.id:
                    found.append(Overlap(operator=name, suggestion_id=holder, committed=True))
                found += [
                    Overlap(operator=name, suggestion_id=sid, committed=False)
                    for sid, ids in pending
                    if sid != card.id and operator_id in ids
                ]
        replan = card.status == "pending" and any(o.committed for o in found)
        annotated.append(card.model_copy(update={"overlaps": found, "needs_replan": replan}))
    return annotated


def annotate_card(session: Session, card: SuggestionPublic, now: datetime) -> SuggestionPublic:
    """One card with its overlaps and whether it needs a re-plan."""
    return annotate(session, [card], now)[0]


def open_plans(session: Session, now: datetime) -> dict[tuple[str, str, str], str]:
    """The open plan for each queue it helps: a suggestion waiting for a decision, or
    an approved one whose people are still promised (newest first wins), so an alert
    on that queue links to it instead of offering a duplicate."""
    held = set(commitments.holders(session, now).values())
    rows = session.scalars(
        select(Suggestion)
        .where(
            ((Suggestion.status == "pending") & (Suggestion.expires_at > now))
            | Suggestion.suggestion_id.in_(held)
        )
        .order_by(Suggestion.created_at.desc(), Suggestion.suggestion_id)
    )
    plans: dict[tuple[str, str, str], str] = {}
    for row in rows:
        rules = ((row.plan or {}).get("scenario") or {}).get("rules") or {}
        for target in rules.get("targets") or []:
            key = (target["location"], target["business_id"], target["process"])
            plans.setdefault(key, row.suggestion_id)
    return plans

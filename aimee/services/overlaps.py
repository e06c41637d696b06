"""Suggestions know about each other: which of a card's operators are already
promised to an approved suggestion (the card then needs a re-plan), and which also
appear in another suggestion still waiting for a decision (the card warns, naming
them). Read at the time the card is shown, from the commitments and the pending
suggestions, so the card is never out of date."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.services.suggestions import Overlap, SuggestionPublic
from aimee.store.models import Suggestion
from aimee.store.repositories import commitments

QueueId = tuple[str, str, str]


class _WrittenOnce:
    """What a suggestion does not change while it is open, remembered per process by
    id: the operators of its changes (rewritten only when a modification closes it)
    and the queues its plan helps (never rewritten). The look-ups below run over every
    open suggestion for each card and alert; a busy day holds thousands, and decoding
    their JSON each time (the plan's holds the whole scenario) grew with every one."""

    def __init__(self, size: int = 20_000) -> None:
        self._items: OrderedDict[str, tuple[frozenset[int], tuple[QueueId, ...]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def of(
        self, session: Session, ids: Sequence[str]
    ) -> dict[str, tuple[frozenset[int], tuple[QueueId, ...]]]:
        with self._lock:
            found = {sid: self._items[sid] for sid in ids if sid in self._items}
        missing = [sid for sid in ids if sid not in found]
        for start in range(0, len(missing), _CHUNK):
            rows = session.execute(
                select(Suggestion.suggestion_id, Suggestion.changes, Suggestion.plan).where(
                    Suggestion.suggestion_id.in_(missing[start : start + _CHUNK])
                )
            )
            for sid, changes, plan in rows:
                found[sid] = (_operators(changes), _targets(plan))
        with self._lock:
            for sid in missing:
                if sid in found:
                    self._items[sid] = found[sid]
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return found


_CHUNK = 500
_WRITTEN = _WrittenOnce()


def _operators(changes: Any) -> frozenset[int]:
    return frozenset(int(i) for c in changes or [] for i in c.get("operator_ids", []))


def _targets(plan: Any) -> tuple[QueueId, ...]:
    rules = ((plan or {}).get("scenario") or {}).get("rules") or {}
    return tuple(
        (t["location"], t["business_id"], t["process"]) for t in rules.get("targets") or []
    )


def _pending(session: Session, now: datetime) -> list[tuple[str, frozenset[int]]]:
    """Suggestions waiting for a decision, with their operators."""
    ids = list(
        session.scalars(
            select(Suggestion.suggestion_id).where(
                Suggestion.status == "pending", Suggestion.expires_at > now
            )
        )
    )
    facts = _WRITTEN.of(session, ids)
    return [(sid, facts[sid][0]) for sid in ids if sid in facts]


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


def open_plan_ids(session: Session, now: datetime) -> list[str]:
    """Open plans, newest first: suggestions waiting for a decision, and approved ones
    whose people are still promised."""
    held = set(commitments.holders(session, now).values())
    return list(
        session.scalars(
            select(Suggestion.suggestion_id)
            .where(
                ((Suggestion.status == "pending") & (Suggestion.expires_at > now))
                | Suggestion.suggestion_id.in_(held)
            )
            .order_by(Suggestion.created_at.desc(), Suggestion.suggestion_id)
        )
    )


def open_plans(session: Session, now: datetime) -> dict[QueueId, str]:
    """The open plan for each queue it helps: a suggestion waiting for a decision, or
    an approved one whose people are still promised (newest first wins), so an alert
    on that queue links to it instead of offering a duplicate."""
    ids = open_plan_ids(session, now)
    facts = _WRITTEN.of(session, ids)
    plans: dict[QueueId, str] = {}
    for sid in ids:
        for key in facts[sid][1] if sid in facts else ():
            plans.setdefault(key, sid)
    return plans

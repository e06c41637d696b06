"""Slots that a request's shape settles beyond what ``nlu.slots`` reads word by word:

- 「品川のKPは触らないで、SSからだけ」: a business (or process) given alone as an origin
  or a spared place is at the site the message names for the others, not the target's;
- 「後藤さんを那覇のE1から品川に貸し出したらE1は？」: the person lent elsewhere leaves
  那覇のE1, and 「E1」 said again is that queue, not 品川's;
- 「菅原くん抜けて盛岡の補正は平気？」 after a plan that sends 菅原: the plan's own people,
  no new change (a donor check of that plan).
"""

from __future__ import annotations

from aimee.nlu.request import QueueRef, Request, RequestKind, Slots
from aimee.nlu.sent_away import sends_away


def at_said_site(slots: Slots) -> Slots:
    """Origins and spared places without a site, at the one site the other origins and
    spared places name (when they name one)."""
    refs = slots.origins + slots.spare
    sites = {r.location for r in refs if r.location}
    if len(sites) != 1 or all(r.location for r in refs):
        return slots
    site = sites.pop()

    def placed(group: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
        return tuple(r if r.location else r.model_copy(update={"location": site}) for r in group)

    return slots.model_copy(update={"origins": placed(slots.origins), "spare": placed(slots.spare)})


def left_queue(kind: RequestKind, slots: Slots, text: str) -> Slots:
    """In a what-if sending someone elsewhere from a queue named with から, a target of
    that queue's process is that queue (the one they leave)."""
    ops = slots.operators
    if kind != "what_if" or ops is None or not ops.move or sends_away(text) != "elsewhere":
        return slots
    left = {o.process: o for o in slots.origins if o.location and o.process}
    if not left or not any(t.process in left for t in slots.targets):
        return slots
    targets = tuple(dict.fromkeys(left.get(t.process or "", t) for t in slots.targets))
    return slots.model_copy(update={"targets": targets, "origins": ()})


def plans_own_people(kind: RequestKind, slots: Slots, last_plan: Request | None) -> Slots:
    """A donor check names the plan's people as the plan moves them: no change of its own."""
    if kind != "donor_check" or last_plan is None or slots.operators is None:
        return slots
    own = {*last_plan.slots.people, *last_plan.answered_about}  # named, or moved by the card
    if not set(slots.people) <= own or slots.operators.about:
        return slots
    return slots.model_copy(update={"operators": None})

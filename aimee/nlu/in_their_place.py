"""「じゃあ遠藤さんなら那覇も間に合う？」 after 「那覇のE2に菅原さんを入れたら？」: another person
in the last change's role (a what-if on the same queue), not a check of the site under it."""

from __future__ import annotations

from aimee.nlu.request import Request, RequestKind, Slots
from aimee.nlu.said import Said
from aimee.nlu.thread_people import IN_THEIR_PLACE


def another_in_their_place(m: Said) -> RequestKind | None:
    """A person not in the last change, named with 「〜さんなら」: a what-if."""
    thread = m.last_plan
    about = m.slots.operators.about if m.slots.operators is not None else ()
    if thread is None or thread.kind != "what_if" or not about:
        return None
    if set(about) <= set(thread.slots.people):
        return None
    return "what_if" if IN_THEIR_PLACE.search(m.text) else None


def their_queue_kept(
    kind: RequestKind, slots: Slots, text: str, last_plan: Request | None
) -> Slots:
    """「…なら那覇も間に合う？」: the site said is the last change's queue there."""
    if kind != "what_if" or last_plan is None or not IN_THEIR_PLACE.search(text):
        return slots
    if not slots.targets or any(t.process or t.business_id for t in slots.targets):
        return slots
    sites = {t.location for t in slots.targets}
    kept = tuple(t for t in last_plan.slots.targets if t.location in sites)
    return slots.model_copy(update={"targets": kept}) if kept else slots

"""The site of a what-if or plan said only by its process: 「山口さんが抜けたら補正どうなる？」
「山口さんをうちのE2に回したら？」「じゃあその人をE1に入れて」 are about the queue at the site
the person works at (the data knows it), when no site is said or carried. 「山口さんをE1から
回したら」: the E1 is theirs too; 「盛岡KPのE1の佐々木さん、抜けたら」 names theirs."""

from __future__ import annotations

from collections.abc import Mapping

from aimee.nlu.gazetteer import Extraction, queue_before
from aimee.nlu.request import QueueRef, Request, RequestKind, Slots


def people_placing(request: Request) -> tuple[str, ...]:
    """The people whose site places a site-less queue of ``request``: a what-if's people
    leave their queue, a plan's are sent or put in (「その人をE1に入れて」); none when a site
    is said."""
    slots = request.slots
    ops = slots.operators
    if request.kind not in ("what_if", "plan") or ops is None or not slots.targets:
        return ()
    if any(t.location for t in slots.targets + slots.origins):
        return ()
    return ops.move + ops.remove if request.kind == "what_if" else ops.move + ops.add


def at_persons_site(request: Request, queue_of: Mapping[str, tuple[str, str, str]]) -> Request:
    """``request`` with its site-less targets (and origins) at the one site where the
    people it moves or takes off work (``queue_of``: a person's full name → the queue they
    work on: site, business id, process), and a what-if's target on the queue the people
    taken off leave said without its business given it (「佐野さん抜けたらE2困る？」)."""
    slots = request.slots
    people = people_placing(request)
    sites = {q[0] if (q := queue_of.get(name)) else None for name in people}
    if people and len(sites) == 1 and None not in sites:
        site = sites.pop()

        def placed(refs: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
            return tuple(r.model_copy(update={"location": site}) for r in refs)

        slots = slots.model_copy(
            update={"targets": placed(slots.targets), "origins": placed(slots.origins)}
        )
    return request.model_copy(update={"slots": _on_queue_left(request.kind, slots, queue_of)})


def _on_queue_left(
    kind: RequestKind, slots: Slots, queue_of: Mapping[str, tuple[str, str, str]]
) -> Slots:
    """A what-if's target at the site and on the process the people taken off work, its
    business unsaid: their queue (not for people sent: 「E1に回したら」 is another E1)."""
    if kind != "what_if" or slots.operators is None or not slots.operators.remove:
        return slots
    left = {queue_of[name] for name in slots.operators.remove if name in queue_of}
    if len(left) != 1:
        return slots
    site, business, process = left.pop()

    def theirs(ref: QueueRef) -> QueueRef:
        unsaid = ref.business_id is None and ref.location == site and ref.process == process
        return ref.model_copy(update={"business_id": business}) if unsaid else ref

    return slots.model_copy(update={"targets": tuple(theirs(t) for t in slots.targets)})


def queue_left(kind: RequestKind, slots: Slots, extraction: Extraction) -> Slots:
    """「盛岡KPのE1の佐々木さん、抜けたら何時終わりになる？」: a what-if that takes people off
    and names no queue to judge is judged on the queue said right before them."""
    ops = slots.operators
    if kind != "what_if" or slots.targets or ops is None or not ops.remove or ops.add or ops.move:
        return slots
    leaving = [m for m in extraction.mentions if m.kind == "operator" and m.label in ops.remove]
    said = [queue_before(extraction, m) for m in leaving]
    queues = [
        QueueRef(location=q.get(0), business_id=q.get(1), process=q.get(2)) for q in said if q
    ]
    return slots.model_copy(update={"targets": tuple(dict.fromkeys(queues))}) if queues else slots

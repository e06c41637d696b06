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


def at_persons_site(request: Request, site_of: Mapping[str, str]) -> Request:
    """``request`` with its site-less targets (and origins) at the one site where the
    people it moves or takes off work (``site_of``: a person's full name → their site)."""
    slots = request.slots
    people = people_placing(request)
    if not people:
        return request
    sites = {site_of.get(name) for name in people}
    site = sites.pop() if len(sites) == 1 else None
    if site is None:
        return request

    def placed(refs: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
        return tuple(r.model_copy(update={"location": site}) for r in refs)

    update = {"targets": placed(slots.targets), "origins": placed(slots.origins)}
    return request.model_copy(update={"slots": slots.model_copy(update=update)})


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

"""The site of a what-if or plan said only by its process: 「山口さんが抜けたら補正どうなる？」
「山口さんをうちのE2に回したら？」「じゃあその人をE1に入れて」 are about the queue at the site
the person works at (the data knows it), when no site is said or carried. 「山口さんをE1から
回したら」: the E1 is theirs too."""

from __future__ import annotations

from collections.abc import Mapping

from aimee.nlu.request import QueueRef, Request


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

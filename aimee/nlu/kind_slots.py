"""The slots a request uses once its kind is known: a donor check's count is the plan's,
a what-if's 「E1から」 is where its people are, a skill search is about one process at one
site; and a process or business given alone as an origin is at the target's site."""

from __future__ import annotations

import re

from aimee.nlu.request import QueueRef, Request, RequestKind, Slots
from aimee.nlu.turn_slots import left_queue, plans_own_people


def at_targets_site(slots: Slots) -> Slots:
    """「札幌のエントリ1、補正から回して」「（那覇の検証の案のあとで）じゃあ補正から」: a
    process or business named as an origin or a spared place, with no site, is at the
    site of the queue helped (when the targets are at one site)."""
    sites = {t.location for t in slots.targets}
    site = sites.pop() if len(sites) == 1 else None
    if site is None:
        return slots
    businesses = {t.business_id for t in slots.targets}
    business = businesses.pop() if len(businesses) == 1 else None
    origin_sites = {(o.location, o.business_id) for o in slots.origins}
    # 「那覇E2、札幌から。…検証の人も残しといて」: spared where help comes from
    one_site, one_business = origin_sites.pop() if len(origin_sites) == 1 else (None, None)
    spared_at, spared_business = (one_site, one_business) if one_site else (site, business)
    return slots.model_copy(
        update={
            "origins": _at_site(slots.origins, site, business),
            "spare": _at_site(slots.spare, spared_at, spared_business),
        }
    )


def at_origins_process(slots: Slots) -> Slots:
    """「盛岡のE1から札幌に1人出せる？」: a site alone helped from one queue is that process
    there."""
    if len(slots.targets) != 1 or len(slots.origins) != 1:
        return slots
    target, origin = slots.targets[0], slots.origins[0]
    if target.process or target.business_id or not target.location or not origin.process:
        return slots
    if origin.location == target.location:
        return slots
    there = target.model_copy(update={"process": origin.process})
    return slots.model_copy(update={"targets": (there,)})


def at_origins_site(slots: Slots) -> Slots:
    """「梅田から検証に3人」 with no queue in the thread: a process alone is at the one
    site help comes from."""
    sites = {o.location for o in slots.origins if o.location}
    if len(sites) != 1 or all(t.location for t in slots.targets):
        return slots
    site = sites.pop()
    return slots.model_copy(update={"targets": _at_site(slots.targets, site)})


def _at_site(
    refs: tuple[QueueRef, ...], site: str, business: str | None = None
) -> tuple[QueueRef, ...]:
    """``refs``, those that name no site placed at ``site``; a process alone also in the
    ``business`` of the queue helped (「梅田KPのE1に、E2から」: KP's E2)."""
    return tuple(r if r.location else _placed(r, site, business) for r in refs)


def _placed(ref: QueueRef, site: str, business: str | None) -> QueueRef:
    in_business = business if ref.process and not ref.business_id else ref.business_id
    return ref.model_copy(update={"location": site, "business_id": in_business})


def for_kind(kind: RequestKind, slots: Slots, text: str, last_plan: Request | None) -> Slots:
    """``slots`` as a request of ``kind`` uses them (``_for_kind``), once the shapes of
    ``nlu.turn_slots`` are settled."""
    slots = plans_own_people(kind, left_queue(kind, slots, text), last_plan)
    return _for_kind(kind, _said_again(kind, _counted_kind(kind, slots, text)))


_COUNTED_KIND = re.compile(r"ベテラン(?:さん|の人|の方)?[^。?？]{0,12}?(?:何人|何名|なんにん)")


def _counted_kind(kind: RequestKind, slots: Slots, text: str) -> Slots:
    """「5年以上やってるベテランさん、何人いる？」: people of a kind counted, in no order."""
    if kind != "skill_search" or slots.sort is None or not _COUNTED_KIND.search(text):
        return slots
    return slots.model_copy(update={"sort": None})


def _said_again(kind: RequestKind, slots: Slots) -> Slots:
    """「…品川SSのエントリ2へ移ったら、エントリ2は間に合う？」: a queue said again with less
    of its name is the same queue, not a second target (in a plan or what-if)."""
    if kind not in ("plan", "what_if") or len(slots.targets) < 2:
        return slots
    targets = slots.targets
    kept = tuple(
        t for t in targets if not (t.process and any(o != t and _part_of(t, (o,)) for o in targets))
    )
    return slots.model_copy(update={"targets": kept}) if kept != targets else slots


def _for_kind(kind: RequestKind, slots: Slots) -> Slots:
    """The slots a request of ``kind`` uses: a donor check's 「1人抜かれても持つ？」 is the
    plan's count, not a new one; in a what-if with named people, 「E1から」 is where they
    are now, not an origin."""
    update: dict[str, object] = {"targets": _targets_of(kind, slots.targets)}
    if kind != "skill_search":  # 「清水さんってベテラン？」「ベテランを入れて」: no order asked
        update["sort"] = None
    if kind == "operator_lookup":  # 「金子さん空いてる？」: whether she is, no search
        update["available_only"] = False
    if kind == "skill_search" and slots.sort is not None and slots.operators is not None:
        update["operators"] = None  # 「E1いちばん速いのって藤井さんだっけ？」: a guess
    if kind in _ABOUT_QUEUES and slots.origins:  # 「札幌の中の人で補正できる人いる？」
        update["targets"] = _within_sites(update["targets"], slots.origins)
        update["origins"] = ()
    if kind == "donor_check":
        update["head_count"] = None
        if not slots.targets:  # 「札幌から抜いて平気？」: the donor asked about
            update |= {"targets": slots.origins, "origins": ()}
    ops = slots.operators
    if kind == "what_if" and ops is not None and (ops.move or ops.add):
        update["origins"] = ()
    taken_off = kind == "what_if" and ops is not None and ops.remove and not (ops.move or ops.add)
    # 「品川SSのエントリ2から1名外した場合」: that queue, too
    leave = kind == "what_if" and slots.head_count is not None and bool(slots.head_count.leaving)
    taken_off = bool(taken_off) or leave
    taken_from = slots.spare or slots.origins
    restated = all(_part_of(t, taken_from) for t in slots.targets)
    # 「遠藤さんを梅田SSのE2から外したら？」「石川さんを札幌の検証から外したら検証どうなる」
    if taken_off and taken_from and restated:  # that queue
        update |= {"targets": taken_from, "spare": (), "origins": ()}
    return slots.model_copy(update=update)


def _part_of(ref: QueueRef, refs: tuple[QueueRef, ...]) -> bool:
    """``ref`` says nothing that one of ``refs`` does not (「検証」 of 札幌の検証)."""
    said = {k: v for k, v in ref.model_dump().items() if v is not None}
    return any(all(getattr(r, k) == v for k, v in said.items()) for r in refs)


_ABOUT_QUEUES: frozenset[RequestKind] = frozenset(
    {"status", "finish_time", "delay_risk", "skill_search"}
)
"""Kinds that move nobody: a place said as where people come from (「盛岡の人で」) is
the place asked about."""


def _within_sites(targets: object, origins: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
    refs = targets if isinstance(targets, tuple) else ()
    sites = {o.location for o in origins if o.location}
    if not refs:
        return origins
    if len(sites) != 1:
        return refs
    return _at_site(refs, sites.pop())


def _targets_of(kind: RequestKind, targets: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
    """The queues a request of ``kind`` is about: a process alone is the topic of a rule
    (「補正に入れていいのはLvいくつから？」) or a skill asked about a person (「E2のLv」),
    no queue; a skill search is about one process at one site (「品川への応援で、盛岡で
    エントリ2をこなせる方」「補正 Lv4 以上、Morioka に何人」)."""
    if kind in ("knowhow", "operator_lookup"):
        return tuple(t for t in targets if t.location or t.business_id)
    if kind != "skill_search":
        return targets
    sites = [t for t in targets if t.location and not (t.process or t.business_id)]
    skills = [t for t in targets if t.process and not t.location]
    if len(sites) == 1 and len(skills) == 1 and len(targets) == 2:
        return (skills[0].model_copy(update={"location": sites[0].location}),)
    if any(t.location and t.process for t in targets):
        return tuple(t for t in targets if t not in sites)
    return targets

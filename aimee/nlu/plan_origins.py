"""Where a plan's helpers may come from, said in ways ``nlu.slots`` reads as targets:

- 「同じ拠点の中で誰か回せない？」「同じ拠点で」: from the site of the queue helped;
- 「那覇のE2に1人…盛岡の方でお願いします」: a site said with 「の方で」「の人で」 beside a queue
  at another site is where the helper comes from;
- 「品川も可」「盛岡もOK」 right after a plan: that plan, with one more site to take from.
"""

from __future__ import annotations

import re

from aimee.nlu.request import QueueRef, Request, Slots

_SAME_SITE = re.compile(
    r"同じ拠点|同拠点|拠点内|拠点の中|同じサイト|自拠点|same site|within the site"
)
_SITE_PEOPLE = r"(?:の)?(?:方|かた|人|ひと|メンバー?|チーム|勢)(?:で|から|を)"
_ALSO_OK = re.compile(
    r"^\s*(?:じゃあ|あと|なら)?[、\s]*\S{1,8}?(?:から)?も\s*"
    r"(?:可|ok|おk|オッケー|いい|良い|よい|あり|アリ|使って|使える|大丈夫|かまわ|構わ)"
)


def plan_origins(slots: Slots, text: str, previous: Request | None) -> Slots:
    """``slots`` with the origins these shapes say."""
    return _also_ok(_site_people(_same_site(slots, text), text), text, previous)


def _queue_sites(slots: Slots) -> set[str]:
    return {t.location for t in slots.targets if t.location and (t.process or t.business_id)}


def _same_site(slots: Slots, text: str) -> Slots:
    if slots.origins or not _SAME_SITE.search(text):
        return slots
    sites = _queue_sites(slots)
    if len(sites) != 1:
        return slots
    return slots.model_copy(update={"origins": (QueueRef(location=sites.pop()),)})


def _site_people(slots: Slots, text: str) -> Slots:
    sites = _queue_sites(slots)
    if not sites:
        return slots
    moved = tuple(
        t
        for t in slots.targets
        if t.location
        and not (t.process or t.business_id)
        and t.location not in sites
        and re.search(re.escape(t.location) + _SITE_PEOPLE, text)
    )
    if not moved:
        return slots
    return slots.model_copy(
        update={
            "targets": tuple(t for t in slots.targets if t not in moved),
            "origins": slots.origins + moved,
        }
    )


def _also_ok(slots: Slots, text: str, previous: Request | None) -> Slots:
    if previous is None or previous.kind != "plan" or not _ALSO_OK.search(text):
        return slots
    sites = slots.targets
    if not sites or any(t.process or t.business_id for t in sites):
        return slots
    last = previous.slots.origins
    added = tuple(t for t in sites if t not in last)
    return slots.model_copy(update={"targets": (), "origins": (*last, *added)})

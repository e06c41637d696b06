"""「梅田と品川のKP、それぞれどう？」「札幌と那覇のE1」: sites joined by と／や／、 and then
one part (a business, a process or both) after the last site: the part is each site's,
as 「那覇のE1とE2」 puts joined processes at one site (``nlu.slots``)."""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.request import QueueRef, Slots
from aimee.nlu.schema import Mention

_AND = re.compile(r"^\s*(?:と|や|・|、|,)\s*$")
_OF = re.compile(r"^\s*(?:の|で)?\s*$")
_PARTS = ("business_id", "process")


def parts_shared(slots: Slots, extraction: Extraction) -> Slots:
    """``slots`` with the part said after the last of joined sites given to each site."""
    shared = _shared(extraction)
    if not shared:
        return slots

    def given(refs: tuple[QueueRef, ...]) -> tuple[QueueRef, ...]:
        out = []
        for ref in refs:
            part = shared.get(ref.location or "")
            bare = ref.process is None and ref.business_id is None
            out.append(ref.model_copy(update=part) if part and bare else ref)
        return tuple(dict.fromkeys(out))

    return slots.model_copy(
        update={
            "targets": given(slots.targets),
            "origins": given(slots.origins),
            "spare": given(slots.spare),
        }
    )


def _shared(extraction: Extraction) -> dict[str, dict[str, str]]:
    """Site → the part said after the run of joined sites it is in."""
    text = extraction.text
    places = [m for m in extraction.mentions if m.kind != "operator" and m.value is not None]
    shared: dict[str, dict[str, str]] = {}
    i = 0
    while i < len(places):
        run = _sites_joined(places, i, text)
        end = i + len(run)
        part: dict[str, str] = {}
        last: Mention = run[-1]
        while end < len(places) and places[end].kind in _PARTS and len(run) > 1:
            m = places[end]
            if not _OF.match(text[last.end : m.start]) or m.kind in part:
                break
            part[m.kind] = str(m.value)
            last, end = m, end + 1
        if part:
            for site in run[:-1]:
                shared[str(site.value)] = part
        i = max(end, i + 1)
    return shared


def _sites_joined(places: list[Mention], start: int, text: str) -> list[Mention]:
    run = [places[start]]
    if run[0].kind != "location":
        return run
    for m in places[start + 1 :]:
        if m.kind != "location" or not _AND.match(text[run[-1].end : m.start]):
            break
        run.append(m)
    return run

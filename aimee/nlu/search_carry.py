"""A skill search continued: 「梅田は？」「その中で一番速いのは？」 (the same search at another
site, narrowed or reordered), 「経験5年↑で全拠点」 (widened to every site), 「その人たちから2人
入れたら？」 (a plan or what-if drawing on the people it found), its terms kept unless the
message lets them go (``nlu.followup_terms``). Used by ``nlu.carry``."""

from __future__ import annotations

import re

from aimee.nlu.followup_terms import AVAILABILITY_DROPPED, dropped_terms
from aimee.nlu.person_asked import COUNT_ASKED
from aimee.nlu.request import QueueRef, Request, Slots
from aimee.nlu.request_words import SAME_TERMS
from aimee.nlu.slots import points_at_one_person
from aimee.nlu.turn_kinds import COUNT_THERE, NARROWS

NARROWED = re.compile(
    r"その中|そのうち|その人たち|中で|うち|絞|上から\s*\d|上位\s*\d|among them|of them|\btop\s*\d"
    r"|\d\s*番目|同じ(?:こと|事|の|質問)|^(?:じゃあ|で|ほな)?[、\s]*(?:速い|早い|経験の?長い)(?:ほう|方)"
    r"|^\s*and the (?:most|fastest)"
)
"""The last search's people, narrowed or reordered (「その中で」「上位3人」「2番目」)."""
THOSE_FOUND = re.compile(
    r"その(?:中|うち|人たち|方々|メンバ)|この中|上の(?:人|方)|among them|of them"
)
"""「その中から2人」: the people the search just found (not 「うちのチーム」)."""


def search_widened(slots: Slots, text: str, previous: Request | None) -> Slots:
    """「経験5年↑で全拠点」「空きとか関係なく全体トップは？」 after a search: the same search
    at every site (its process and terms kept)."""
    if previous is None or previous.kind != "skill_search" or slots.targets or slots.people:
        return slots
    if points_at_one_person(text):  # 「その人のスキル全部」: her, not a search
        return slots
    last = previous.slots
    processes = tuple(dict.fromkeys(QueueRef(process=t.process) for t in last.targets if t.process))
    return slots.model_copy(
        update={
            "targets": processes,
            "sort": slots.sort or (None if COUNT_ASKED.search(text) else last.sort),
            **terms_kept(slots, last, text),
        }
    )


def narrowed_to_sites(slots: Slots, text: str) -> bool:
    """「そのうち盛岡の人は？」「札幌の人に絞ると？」: the last search, at those sites."""
    sites = all(t.location and not (t.process or t.business_id) for t in slots.targets)
    narrowed = NARROWS.search(text) or COUNT_THERE.search(text)  # 「盛岡だと何人？」
    reordered = slots.sort is not None  # 「那覇でベテラン順だと？」
    return bool(slots.targets) and sites and (narrowed is not None or reordered)


def only_filters(slots: Slots) -> bool:
    """「一番速いのは？」「今空いてる人は？」 right after a search: the same people, in
    another order or fewer of them."""
    filters = {"sort": None, "available_only": False, "min_level": None, "language": None}
    bare = slots.model_copy(update={**filters, "min_experience_months": None})
    filtered = slots.sort is not None or slots.available_only or slots.min_level is not None
    return bool(filtered or slots.min_experience_months is not None) and bare == Slots()


def terms_kept(slots: Slots, last: Slots, text: str) -> dict[str, object]:
    """A search's level, experience and availability terms, kept from the last search unless
    the message states its own or lets them go (「レベル関係なく」「空いてなくても」)."""
    dropped = dropped_terms(text)
    free = AVAILABILITY_DROPPED.search(text) is None and (
        slots.available_only or last.available_only
    )
    return {
        "min_level": slots.min_level or (None if "min_level" in dropped else last.min_level),
        "min_experience_months": slots.min_experience_months
        or (None if "min_experience_months" in dropped else last.min_experience_months),
        "available_only": free,
    }


def from_skill_search(
    slots: Slots, text: str, previous: Request | None, *, from_there: bool = False
) -> Slots:
    """「その人たちから2人入れたら？」 after a skill search: its filters hold; in a plan
    (``from_there``), 「その中から2人、札幌E1に回して」 also takes them from the sites searched."""
    those = NARROWED.search(text) or SAME_TERMS.search(text)  # 「その条件で1名」
    if previous is None or previous.kind != "skill_search" or not those:
        return slots
    if slots.people:
        return slots
    last = previous.slots
    searched = tuple(
        dict.fromkeys(QueueRef(location=t.location) for t in last.targets if t.location)
    )
    return slots.model_copy(
        update={
            "min_level": slots.min_level or last.min_level,
            "min_experience_months": slots.min_experience_months or last.min_experience_months,
            "origins": slots.origins or (searched if from_there else ()),
        }
    )


def search_continued(slots: Slots, last: Slots, text: str) -> Slots:
    """「梅田は？」「Lv4以上は？」 right after a search: the same search, at another site or
    narrowed (its targets, terms and order kept unless said again)."""
    targets: tuple[QueueRef, ...] = last.targets
    if slots.targets:  # 「梅田は？」: the same search at another site
        targets = (
            tuple(
                last_ref.model_copy(update={k: v for k, v in new.model_dump().items() if v})
                for last_ref, new in zip(last.targets, slots.targets, strict=False)
            )
            or slots.targets
        )
    return slots.model_copy(
        update={
            "targets": targets,
            **terms_kept(slots, last, text),
            # 「Lv4以上は何人？」 after the fastest: a count, in no order
            "sort": slots.sort or (None if COUNT_ASKED.search(text) else last.sort),
        }
    )

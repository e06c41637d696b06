"""The slots of a request, read from the normalised message and its entity mentions.

Pure functions over an :class:`~aimee.nlu.gazetteer.Extraction`: which queues the
message is about and in what role (target, origin, spared), head counts, levels,
experience, availability, sort order, dates and times, the people it names and
what it would do with them, and names the data does not know. Each kind of slot is
read in a module of its own (``queue_roles``, ``head_counts``, ``levels``, ``days``,
``person_roles``, ``unknown_names``; numbers in ``numerals``); :func:`read_slots` puts
them together, and the readers other modules import from here are re-exported.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from aimee.nlu.days import by_time, day
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.head_counts import counted_for_the_named, from_each, head_count
from aimee.nlu.language import in_english, is_english
from aimee.nlu.levels import experience_months, min_level
from aimee.nlu.numerals import arabic, number
from aimee.nlu.person_roles import (
    operator_roles,
    points_at_one_person,
    said_as_person,
    that_person,
)
from aimee.nlu.queue_roles import _at_only_site, _queue_roles
from aimee.nlu.request import QueueRef, Slots
from aimee.nlu.unknown_names import LATIN_PLACE_NAMES, at_an_unknown_site, unknown_names

__all__ = [
    "LATIN_PLACE_NAMES",
    "arabic",
    "at_an_unknown_site",
    "by_time",
    "day",
    "experience_months",
    "head_count",
    "is_english",
    "min_level",
    "number",
    "points_at_one_person",
    "read_slots",
    "said_as_person",
    "that_person",
]

_AVAILABLE = re.compile(
    r"空いて(?!(?:い)?な)|空いと|(?:今|いま)\s*(?:開|あ)いて(?:る|ます|い(?:る|ます))|(?:開|あ)いて(?:る|ます)(?:人|方|子)|(?:どこ|何)にも(?:入って|配置され|つい(?:て)?)(?:い)?な|空き(?!\s*(?:は|に|か)?\s*(?:関係な|問わ|気にしな|どうでも))|手ぇ?が?空|手の空|(?<!お)手すき(?!の際)|(?<!お)手すい|手隙|暇な|待機中|フリー?(?:の|な)|動ける|余って"
    r"|available|free\b(?!\s+up)|idle"
    r"|(?:応援に|すぐ(?:に)?)出(?:られ|れ)る"
)
_FASTEST = re.compile(
    r"(?:一番|いちばん|最も|もっとも)\s*(?:[一-龥]{1,2}(?:が|の))?(?:速|早|はや[いくかっ])|最速|速い順"
    r"|fastest|quickest|(?:より|次に)(?:速|早|はや)い"  # 「それより速い人」「彼女の次に速いのは」
    r"|(?:[2-9２-９二三]|ニ)\s*番目に(?:速|早|はや)い"  # 「2番目に速い人」
    r"|手の(?:速|早)い|(?:いっちゃん|一番|いちばん)(?:速|早|はや)|速い(?:人|子|やつ)"
    r"|(?<!上がりが)(?<!あがりが)(?<!帰りが)早い(?:人|子|やつ)"  # not 「上がりが早い人」
    r"|(?:速|早)い(?:ほう|方)(?:は|から|順|を|が)"
    r"|(?:処理)?件数(?:が|の)?多い順|(?:速|早)い順|スピード順|速さ順"
    r"|(?:速さ|スピード|処理速度)(?:で|なら|やったら|だったら|だと|では|順)"  # 「スピードで見て」
    r"|top\s*speed|トップスピード|スピード(?:が)?(?:一番|トップ)"
    r"|(?:速|早)い(?:人|方)[、,\s]*(?:上から|順に|順番に)"
    r"|(?:誰|だれ)が\S{0,8}?(?:速|早)い|(?:速|早)い(?:人|の)(?:は|って)?(?:誰|だれ)"
    r"|速い人から|(?:速|早)い(?:人|の|方)\s*(?:トップ|top|ベスト|上位)|スピ[ーｰ]?ド(?:が)?(?:一番|いちばん|トップ|no\.?\s*1)|処理(?:速度|件数)(?:が)?(?:一番|いちばん|トップ|最多|no\.?\s*1)"
    r"|(?:一番|いちばん)(?:処理)?件数(?:が|の)?多い|(?:処理|入力|手|打つの)が(?:速|早)い(?:人|方|の)"
)
_MOST_EXPERIENCED = re.compile(
    r"(?:一番|いちばん|いっちゃん|最も)\s*(?:経験|長く)|経験が(?:一番|いちばん)?長|経験の?長い|ベテラン|経験豊富"
    r"|経験(?:で見|順|の長さ|で並べ|で比べ|で言うと|やったら|だったら)"  # 「経験で見たら？」
    r"|経験(?:が)?(?:一番|いちばん|最も)(?:ある|多い)"
    r"|most experienced|most senior|古株|経験年数順|\bmost (?:\w+ )?experience\b"
    r"|(?:一番|いちばん|いっちゃん|最も)\s*ベテ(?!ラン)"  # 「いちばんベテなの誰？」
    r"|(?:キャリア|勤続(?:年数)?|経験年数)(?:が)?(?:一番|いちばん)?長"
)


def read_slots(
    extraction: Extraction, known_places: Collection[str], today: date | None = None
) -> Slots:
    """Every slot the message states (roles of people are read from its verbs);
    ``today`` dates 「10月20日」 (without it such a day is not read)."""
    text = extraction.text
    numeric = arabic(text)
    targets, origins, spare = _queue_roles(extraction)
    people = operator_roles(extraction)
    return Slots(
        targets=tuple(_within_origin(targets, origins)),
        origins=tuple(origins),
        spare=tuple(spare),
        head_count=from_each(
            counted_for_the_named(head_count(numeric), people, extraction), numeric, len(origins)
        ),
        operators=people,
        min_level=min_level(numeric),
        min_experience_months=experience_months(numeric),
        available_only=_AVAILABLE.search(text) is not None,
        sort="fastest"
        if _FASTEST.search(text)
        else ("most_experienced" if _MOST_EXPERIENCED.search(text) else None),
        date=day(text, today),
        by_time=by_time(numeric),
        language="en" if in_english(extraction) else None,
        unknown=tuple(unknown_names(extraction, known_places)),
    )


def _within_origin(targets: list[QueueRef], origins: list[QueueRef]) -> list[QueueRef]:
    """「札幌の補正から2人エントリ1に」: a lone process is at the site of the queue help
    comes from. Help from a site alone (「補正のほうに、梅田から2名」) leaves the process
    to the thread's site (``kind_slots.at_origins_site`` when there is none)."""
    return _at_only_site(targets, [o for o in origins if o.process or o.business_id])

"""Surface forms under which managers write each master-data value.

Every form is built from the master data, then normalised exactly like messages are,
so 「札幌センター」 and 「札幌センタ」 meet. Domain synonyms are few and explicit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum

from aimee.nlu.names import readings, split_name
from aimee.nlu.normalize import normalize
from aimee.nlu.romaji import romaji
from aimee.nlu.schema import EntityKind, EntityValue


class Boundary(Enum):
    """What must hold around a surface for it to count as a match."""

    NONE = "none"
    ASCII = "ascii"  # no letter or digit on either side: 「ss」 but not 「ssd」
    DIGITS = "digits"  # no digit on either side: 「523201」 but not 「5232011」
    PARTICLE = "particle"  # followed by a particle or punctuation: bare surnames
    ALONE = "alone"  # a word of its own, spaces or the message's edges around it: 「森 休んだら」
    KANA_WORD = "kana_word"  # a whole kana word: 「なはの」 but not 「みんなは」
    ABBREVIATION = "abbreviation"  # right before a process or business, after no kanji: 「札E1」


@dataclass(frozen=True)
class Entry:
    """A value a surface stands for; several values make it ambiguous."""

    kind: EntityKind
    values: tuple[EntityValue, ...]
    labels: tuple[str, ...]
    boundary: Boundary = Boundary.NONE
    priority: int = 0


LOCATION_SUFFIXES = ("拠点", "センター", "さん", "サイト", "事業所", "オフィス", "チーム", "支店")
HONORIFICS = ("さん", "さま", "様", "氏", "くん", "君", "ちゃん")
# Other names managers use for a process stem (data "entry" is 「入力」 in daily speech).
PROCESS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "エントリ": ("入力", "entry", "e", "entori", "ent", "エン"),  # 「札幌E1」
    "補正": ("correction", "hosei"),
    "検証": ("ベリファイ", "verify", "verification", "verifier", "kensho", "kenshou"),
}
KANJI_DIGITS = "〇一二三四五六七八九"
_NUMBERED = re.compile(r"^(\D+?)\s*(\d)$")
_ASCII = re.compile(r"^[a-z0-9 ]+$")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
MIN_READING_CHARS = 3  # 「なは」 would match inside 「みんなは」
MIN_BARE_SURNAME_CHARS = 2
MIN_LATIN_NAME_CHARS = 4  # 「ito」「abe」 are English words or parts of them


def _ascii_boundary(surface: str, default: Boundary) -> Boundary:
    return Boundary.ASCII if _ASCII.match(surface) else default


def short_location_readings(name: str) -> list[str]:
    """Readings too short to match anywhere (「なは」): matched as whole kana words only."""
    short: list[str] = []
    location_forms(name, short)
    return short


def location_forms(name: str, short: list[str] | None = None) -> list[str]:
    short = [] if short is None else short
    bases = {name}
    bases.update(name[: -len(s)] for s in LOCATION_SUFFIXES if name.endswith(s) and name != s)
    forms: list[str] = []
    for base in bases:
        heard = readings(base)
        spoken = [r for r in heard if len(r) >= MIN_READING_CHARS]
        short.extend(r for r in heard if len(r) < MIN_READING_CHARS)
        latin = [w for w in (romaji(r) for r in heard) if w]  # Sapporo, naha
        for word in (base, *spoken, *latin):
            forms.append(word)
            forms.extend(word + suffix for suffix in LOCATION_SUFFIXES)
    return forms


def site_abbreviations(locations: Iterable[str]) -> dict[str, str]:
    """「札」 for 札幌, 「梅」 for 梅田: a site's first kanji, when no other site shares it
    (matched only right before a process or business: 「札E1」「梅KP」「品SS」)."""
    firsts: dict[str, list[str]] = {}
    for loc in locations:
        if len(loc) >= 2 and _KANJI.match(loc[0]):
            firsts.setdefault(loc[0], []).append(loc)
    return {first: locs[0] for first, locs in firsts.items() if len(locs) == 1}


def process_forms(name: str) -> list[str]:
    """「エントリ1」 → エントリ1, エントリ 1, エントリ一, 1次エントリ, 一次入力, 入力1, entry1 …"""
    forms = [name]
    numbered = _NUMBERED.match(name)
    if numbered is None:
        forms.extend(PROCESS_SYNONYMS.get(name, ()))
        return forms
    stem, digit = numbered.groups()
    kanji = KANJI_DIGITS[int(digit)]
    for word in (stem, *PROCESS_SYNONYMS.get(stem, ())):
        forms += [word + digit, f"{word} {digit}", word + kanji, f"{word}-{digit}"]
        forms += [f"{digit}次{word}", f"{kanji}次{word}", f"第{digit}{word}", f"第{kanji}{word}"]
    return forms


def process_stem(name: str) -> str | None:
    numbered = _NUMBERED.match(name)
    return numbered.group(1) if numbered else None


class SurfaceTable:
    """normalised surface → entries, with ambiguous values merged per kind."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, EntityKind, Boundary, int], dict[EntityValue, str]] = {}

    def add(
        self,
        surface: str,
        kind: EntityKind,
        value: EntityValue,
        label: str,
        boundary: Boundary = Boundary.NONE,
        priority: int = 0,
    ) -> None:
        norm = normalize(surface)
        if not norm:
            return
        key = (norm, kind, _ascii_boundary(norm, boundary), priority)
        self._values.setdefault(key, {})[value] = label

    def entries(self) -> dict[str, list[Entry]]:
        table: dict[str, list[Entry]] = {}
        for (surface, kind, boundary, priority), values in self._values.items():
            entry = Entry(kind, tuple(values), tuple(values.values()), boundary, priority)
            table.setdefault(surface, []).append(entry)
        for entries in table.values():
            entries.sort(key=lambda e: -e.priority)
        return table


def build_table(
    locations: Iterable[str],
    processes: Iterable[str],
    businesses: dict[str, str],
    operators: dict[int, str] | dict[str, str] | dict[EntityValue, str],
    inactive: Collection[EntityValue] = (),
) -> dict[str, list[Entry]]:
    """All surfaces of the master data. Priorities: an operator beats a place for the same
    surface (「梅田さん」 is a person when such a person exists), exact beats bare forms.
    People in ``inactive`` are known by their full name only (「後藤健太さん」), so that
    those who have left never make an active colleague's family name ambiguous."""
    table = SurfaceTable()
    location_names = [loc for loc in dict.fromkeys(locations) if loc]
    _add_locations(table, location_names)
    stems: dict[str, list[str]] = {}
    for proc in dict.fromkeys(processes):
        if not proc:
            continue
        for form in process_forms(proc):
            table.add(form, "process", proc, proc, priority=2)
        stem = process_stem(proc)
        if stem:
            stems.setdefault(stem, []).append(proc)
    for stem, members in stems.items():
        for proc in members:  # several members: the stem alone is ambiguous
            table.add(stem, "process", proc, proc, priority=0)
    for business_id, business_name in businesses.items():
        table.add(str(business_id), "business_id", business_id, business_id, Boundary.DIGITS, 2)
        for form in (business_name, f"{business_name}業務", f"業務{business_name}"):
            table.add(form, "business_id", business_id, business_id, Boundary.ASCII, 2)
    known_places = {normalize(form) for loc in location_names for form in location_forms(loc)}
    for operator_id, full in operators.items():
        _add_operator(table, operator_id, full, known_places, full_only=operator_id in inactive)
    return table.entries()


def _add_locations(table: SurfaceTable, location_names: list[str]) -> None:
    for loc in location_names:
        for form in location_forms(loc):
            table.add(form, "location", loc, loc, priority=1)
        for form in short_location_readings(loc):
            table.add(form, "location", loc, loc, Boundary.KANA_WORD, priority=1)
    for abbreviation, loc in site_abbreviations(location_names).items():
        table.add(abbreviation, "location", loc, loc, Boundary.ABBREVIATION)


def _add_family_readings(
    table: SurfaceTable, operator_id: EntityValue, name: str, family: str
) -> None:
    """「タカハシさん」「さのさん」「Takayama」「Ueno-san」: the family name as heard."""
    heard = readings(family)
    for reading in heard:
        for hon in HONORIFICS:
            table.add(reading + hon, "operator", operator_id, name, priority=2)
            table.add(f"{reading} {hon}", "operator", operator_id, name, priority=2)
    for latin in {w for r in heard if (w := romaji(r)) and len(w) >= MIN_LATIN_NAME_CHARS}:
        for word in {latin, _plain_vowels(latin)}:
            table.add(word, "operator", operator_id, name, Boundary.ASCII, priority=1)
            table.add(f"{word}-san", "operator", operator_id, name, Boundary.ASCII, priority=2)
            table.add(f"{word}さん", "operator", operator_id, name, priority=2)


def _add_full_readings(
    table: SurfaceTable, operator_id: EntityValue, name: str, family: str, given: str
) -> None:
    """「やまざき まゆみさん」「ヤマザキマユミ」「山崎まゆみさん」: the whole name as heard (the
    dictionary's reading of the given name is a guess; a wrong guess only goes unmatched)."""
    for family_reading, given_reading in zip(readings(family), readings(given), strict=False):
        written = (family + given_reading, f"{family} {given_reading}")  # 「藤田まゆみさん」
        for joined in (
            family_reading + given_reading,
            f"{family_reading} {given_reading}",
            *written,
        ):
            table.add(joined, "operator", operator_id, name, priority=3)
            for hon in HONORIFICS:
                table.add(joined + hon, "operator", operator_id, name, priority=3)
        for latin in _latin_full_names(family_reading, given_reading):
            table.add(latin, "operator", operator_id, name, Boundary.ASCII, priority=3)


def _latin_full_names(family_reading: str, given_reading: str) -> set[str]:
    """「Fujii Daisuke」「Kato Koji」「Sakura Okamoto」: the whole name in Latin letters,
    in either order, with long vowels spelt or not."""
    family, given = romaji(family_reading), romaji(given_reading)
    if family is None or given is None:
        return set()
    names: set[str] = set()
    for first, second in ((family, given), (given, family)):
        for sep in (" ", "", "-"):
            names.update({first + sep + second, _plain_vowels(first) + sep + _plain_vowels(second)})
    return names


def _plain_vowels(latin: str) -> str:
    """Long vowels as English texts write them: satou → sato, yuuki → yuki."""
    return latin.replace("ou", "o").replace("uu", "u").replace("oo", "o")


def _add_operator(
    table: SurfaceTable,
    operator_id: EntityValue,
    full: str,
    known_places: set[str],
    *,
    full_only: bool = False,
) -> None:
    if not full:
        return
    parts = split_name(full)
    name = parts.full
    table.add(name, "operator", operator_id, name, priority=3)
    for hon in HONORIFICS:
        table.add(name + hon, "operator", operator_id, name, priority=3)
    if parts.family is None or parts.given is None:
        return
    _add_full_readings(table, operator_id, name, parts.family, parts.given)
    if full_only:
        return
    _add_family_readings(table, operator_id, name, parts.family)
    spaced = f"{parts.family} {parts.given}"
    table.add(spaced, "operator", operator_id, name, priority=3)
    for hon in HONORIFICS:
        table.add(spaced + hon, "operator", operator_id, name, priority=3)
        table.add(parts.family + hon, "operator", operator_id, name, priority=2)
        table.add(parts.given + hon, "operator", operator_id, name, priority=2)
    bare_ok = (
        parts.family_is_surname
        and len(parts.family) >= MIN_BARE_SURNAME_CHARS
        and normalize(parts.family) not in known_places
    )
    if bare_ok:
        table.add(parts.family, "operator", operator_id, name, Boundary.PARTICLE, priority=0)
    elif parts.family_is_surname and len(parts.family) == 1:  # 「森 休んだら」
        table.add(parts.family, "operator", operator_id, name, Boundary.ALONE, priority=0)

"""Dictionary matching of master-data entities (sites, processes, businesses, operators)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from aimee.nlu.normalize import normalize
from aimee.nlu.person_typos import name_typos
from aimee.nlu.romaji import kana_message
from aimee.nlu.schema import EntityKind, EntityValue, Mention
from aimee.nlu.surfaces import Boundary, Entry, build_table
from aimee.nlu.typos import site_typos

_ASCII_WORD = re.compile(r"[a-z0-9]")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_PARTICLE_AFTER = re.compile(
    r"(?:を|と|が|は|に|も|の|へ|や|、|,|・|/|。|\.|\?|!|\s|$|以外|抜き|で(?![きもす]))"
)
"""After a bare surname: a particle, punctuation, 「以外」「抜き」 or 「で」 (「菅原で」, a person
used; not 「できる」)."""
_ALONE_AFTER = re.compile(r"(?:\s|$|、|,|。|\?|!|も(?:[\s?!。]|$))")
"""After a one-kanji surname said alone: a space, the end, punctuation or a last 「も」."""
_FROM_AFTER = re.compile(r"(?:から|より)")
# 「KP…じゃなくてSS」: the first value is withdrawn.
_RETRACTED_AFTER = re.compile(
    r"[\s…・.、,]*(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|でなく|じゃない)"
)

PLACEHOLDERS: dict[EntityKind, str] = {
    "location": "拠点",
    "process": "作業",
    "business_id": "業務",
    "operator": "担当者",
}
"""Generic words that replace entities before embedding, so that the classifier learns the
shape of a request (「拠点の作業が遅延」) rather than the names in it."""


@dataclass(frozen=True)
class Extraction:
    """Entities found in one message."""

    text: str
    """The normalised message the spans refer to."""
    mentions: list[Mention]
    entities: dict[str, EntityValue] = field(default_factory=dict)
    candidates: dict[str, list[str]] = field(default_factory=dict)

    def masked(self) -> str:
        """The normalised text with each mention replaced by its kind's placeholder."""
        out, last = [], 0
        for mention in sorted(self.mentions, key=lambda m: m.start):
            out += [self.text[last : mention.start], PLACEHOLDERS[mention.kind]]
            last = mention.end
        out.append(self.text[last:])
        return "".join(out)


_KANJI = re.compile(r"[\u4e00-\u9fff々]")


def _boundary_ok(
    text: str,
    start: int,
    end: int,
    boundary: Boundary,
    entity_next: re.Pattern[str] | None = None,
    entity_before: re.Pattern[str] | None = None,
) -> bool:
    """``entity_next``: a process or business name (what an abbreviated site comes before);
    ``entity_before``: the same, anchored at the end (what a glued code comes after)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if boundary is Boundary.ABBREVIATION:
        return (
            entity_next is not None
            and not _KANJI.match(before)
            and entity_next.match(text, end) is not None
        )
    if boundary is Boundary.ASCII:  # 「エントリ1KP」: a word may follow a number
        after_number = before.isdigit() and text[start].isalpha()
        # 「KPE2」: a business code glued to a process code, either way round
        glued_next = entity_next is not None and entity_next.match(text, end) is not None
        glued_after = entity_before is not None and entity_before.search(text, 0, start)
        return (after_number or bool(glued_after) or not _ASCII_WORD.match(before)) and (
            glued_next or not _ASCII_WORD.match(after)
        )
    if boundary is Boundary.DIGITS:
        return not before.isdigit() and not after.isdigit()
    if boundary in (Boundary.PARTICLE, Boundary.ALONE):
        return _surname_ok(text, before, end, boundary)
    if boundary is Boundary.KANA_WORD:  # 「なはの」「なはE2」, not 「みんなは」
        queue_next = entity_next is not None and entity_next.match(text, end) is not None
        return not _HIRAGANA.match(before) and (
            queue_next or _PARTICLE_AFTER.match(text, end) is not None
        )
    return True


def _surname_ok(text: str, before: str, end: int, boundary: Boundary) -> bool:
    """A bare surname: a particle after it; one kanji alone (「森 休んだら」「森も」, not
    「森の中」): a word of its own."""
    if boundary is Boundary.PARTICLE:
        return _PARTICLE_AFTER.match(text, end) is not None
    return (not before or before.isspace()) and _ALONE_AFTER.match(text, end) is not None


class Gazetteer:
    """Finds master-data entities in a message; the longest match wins.

    ``businesses`` maps business id to name (``{"523201": "SS"}``), ``operators`` maps
    operator id to full name. A surface shared by several values (two 佐藤さん, or
    「エントリ」 alone) is reported in ``candidates`` and leaves the entity unset.
    """

    def __init__(
        self,
        locations: Iterable[str],
        processes: Iterable[str],
        businesses: Mapping[str, str],
        operators: Mapping[int, str] | Mapping[str, str],
        inactive: Collection[EntityValue] = (),
        sites: Mapping[int, str] | Mapping[str, str] | None = None,
        queues: Mapping[int, QueueKey] | Mapping[str, QueueKey] | None = None,
    ) -> None:
        """``inactive``: ids of ``operators`` who cannot be assigned (known by full name);
        ``sites``: operator id to the site they belong to (what tells namesakes apart when
        a message names a site: ``at_sites_said``); ``queues``: operator id to the queue
        they work on now (``at_queues_said``; kept current with ``set_queues``)."""
        self.locations = tuple(dict.fromkeys(locations))
        self.processes = tuple(dict.fromkeys(processes))
        self.businesses = dict(businesses)
        self.operators: dict[EntityValue, str] = dict(operators.items())
        self._table = build_table(
            self.locations, self.processes, self.businesses, self.operators, inactive
        )
        index: dict[str, list[str]] = {}
        for surface in sorted(self._table, key=len, reverse=True):
            index.setdefault(surface[0], []).append(surface)
        self._index = index
        self._queue_word = _queue_words(self._table)
        self._queue_word_end = (
            None if self._queue_word is None else re.compile(f"(?:{self._queue_word.pattern})$")
        )
        self._ids_of = {name: op_id for op_id, name in self.operators.items()}
        site_by_id: dict[EntityValue, str] = dict((sites or {}).items())
        self._site_of = {
            name: site for op_id, name in self.operators.items() if (site := site_by_id.get(op_id))
        }
        self._queue_of: dict[str, QueueKey] = {}
        self.set_queues(queues or {})
        self._latin_people = {
            surface: entries[0].labels[0]
            for surface, entries in self._table.items()
            if surface.isascii()
            and surface.isalpha()
            and len(entries) == 1
            and entries[0].kind == "operator"
            and len(entries[0].values) == 1
        }
        """Romaji family (or given) names that are one person's: 「Sugawra」 is one slip off."""
        self._latin_words = frozenset(
            word for surface in self._table if surface.isascii() for word in surface.split()
        )
        """The Latin spellings the data's names have (「kensho」「sapporo」): not read as kana."""

    def set_queues(self, queues: Mapping[int, QueueKey] | Mapping[str, QueueKey]) -> None:
        """Where each operator works now (operator id to site, business, process): people
        move during the day while the names stay."""
        by_id: dict[EntityValue, QueueKey] = dict(queues.items())
        self._queue_of = {
            name: queue for op_id, name in self.operators.items() if (queue := by_id.get(op_id))
        }

    def extract(self, message: str) -> Extraction:
        """Entities of ``message`` (normalised here; normalising twice is harmless). A
        message in romaji Japanese (「kyou nanji made?」) is read in kana."""
        said = unicodedata.normalize("NFKC", message)
        text = normalize(kana_message(said, self._latin_words) or said)
        mentions = self._mentions(text)
        entities, candidates = _entities(text, mentions)
        return self.at_queues_said(
            self.at_sites_said(Extraction(text, mentions, entities, candidates))
        )

    def at_sites_said(self, extraction: Extraction) -> Extraction:
        """``extraction`` with a name several people share read as the one of them at the
        site said right before it (「品川の田中さん」), or else at the only site the message
        names, when it is named before the person (「那覇の検証、池田さん抜けたら」: 池田 of
        那覇; not 「田中さんを品川に回したら」, where 品川 is where she would go), or else the
        only one of them at a site said before the person as the one help comes from
        (「札幌の人で回して。小川さんは除く」)."""
        places = [m for m in extraction.mentions if m.kind == "location" and m.value is not None]
        if not places:
            return extraction
        said = {str(m.value) for m in places}
        one_site = len(said) == 1  # with several sites, which one is theirs is not said

        def at_their_site(m: Mention) -> list[str]:
            right_before = next(
                (
                    p
                    for p in places
                    if p.end <= m.start
                    and _SITE_OF_NAME.fullmatch(extraction.text[p.end : m.start])
                ),
                None,
            )
            before = any(p.end <= m.start for p in places)  # 「那覇の検証、池田さん」, not after
            if right_before is not None:
                sites = {str(right_before.value)}
            elif one_site and before:
                sites = said
            else:  # 「品川の検証、札幌の人で。小川さんは除く」: the one at a site help comes from
                earlier = {
                    str(p.value)
                    for p in places
                    if p.end <= m.start and _HELP_FROM.match(extraction.text, p.end)
                }
                there = [c for c in m.candidates if self._site_of.get(c) in earlier]
                return there if len(there) == 1 else []
            return [c for c in m.candidates if self._site_of.get(c) in sites]

        return self._namesakes_read(extraction, at_their_site)

    def at_queues_said(self, extraction: Extraction) -> Extraction:
        """``extraction`` with a name several people share read as the one of them who works
        on the queue said right before it (「盛岡KPのE1の佐々木さん」「E1にいる方の藤井さん」),
        or before the list it ends (「品川KP補正の太田さんと藤井さん」), when only one of them
        does."""

        def on_the_queue(m: Mention) -> list[str]:
            said = queue_before(extraction, first_of_list(extraction, m), business_enough=True)
            return [c for c in m.candidates if said and _works_on(self._queue_of.get(c), said)]

        return self._namesakes_read(extraction, on_the_queue)

    def on_queues(self, extraction: Extraction, queues: Iterable[QueueLike]) -> Extraction:
        """``extraction`` with a name several people share read as the one of them who works
        on a queue the conversation is about (「品川KPの補正ってギリギリ？」 then 「太田さんそこに
        いるよね？」: the 太田 on it), when only one of them does."""
        wanted = [
            {0: q.location, 1: q.business_id, 2: q.process}
            for q in queues
            if q.location and q.process
        ]
        said = [{part: v for part, v in q.items() if v is not None} for q in wanted]
        if not said:
            return extraction

        def on_a_queue(m: Mention) -> list[str]:
            return [
                c for c in m.candidates if any(_works_on(self._queue_of.get(c), q) for q in said)
            ]

        return self._namesakes_read(extraction, on_a_queue)

    def of_thread(self, extraction: Extraction, thread: Collection[str]) -> Extraction:
        """``extraction`` with a name several people share (「小野さん」「拓也さんの方」)
        read as the one of them the conversation has named (``thread``: full names), when
        it named exactly one."""
        text = extraction.text
        places = {m.end for m in extraction.mentions if m.kind == "location"}

        def named_before(m: Mention) -> list[str]:
            said_of = _OF_PLACE.search(text[: m.start])  # 「那覇の小野さん」「他の坂本さん」
            other = said_of is not None and said_of.group(1)
            if other or _THE_OTHER_AFTER.match(text, m.end):  # 「もう一人の中村さん」: not hers
                known = any(c in thread for c in m.candidates)
                return [c for c in m.candidates if c not in thread] if known else []
            placed = said_of is not None and said_of.start() in places
            return [] if placed else [c for c in m.candidates if c in thread]

        return self._namesakes_read(extraction, named_before)

    def _namesakes_read(
        self, extraction: Extraction, pick: Callable[[Mention], list[str]]
    ) -> Extraction:
        """``extraction`` with each name several people share read as the one person
        ``pick`` leaves of its candidates, or shared by the fewer it leaves (「梅田KPの検証の
        近藤さん」: the two there, not the third elsewhere); unchanged when it leaves none."""
        mentions = []
        for m in extraction.mentions:
            shared = m.kind == "operator" and m.value is None and bool(m.candidates)
            there = pick(m) if shared else []
            read = m
            if len(there) == 1:
                read = self._as_person(m, there[0])
            elif 1 < len(there) < len(m.candidates):
                read = m.model_copy(update={"candidates": tuple(there)})
            mentions.append(read)
        return _with_mentions(extraction, mentions)

    def _as_person(self, mention: Mention, name: str) -> Mention:
        """``mention`` (a name several people share) read as the person ``name``."""
        entry = Entry("operator", (self._ids_of[name],), (name,))
        return _mention(mention.start, mention.end, mention.surface, entry)

    def _mentions(self, text: str) -> list[Mention]:
        found: list[tuple[int, int, str, Entry]] = []
        for start, char in enumerate(text):
            for surface in self._index.get(char, ()):
                end = start + len(surface)
                if not text.startswith(surface, start):
                    continue
                entry = next(
                    (
                        e
                        for e in self._table[surface]
                        if _boundary_ok(
                            text, start, end, e.boundary, self._queue_word, self._queue_word_end
                        )
                    ),
                    None,
                )
                if entry is not None:
                    found.append((start, end, surface, entry))
        found.sort(key=lambda f: (f[0] - f[1], f[0], -f[3].priority))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for start, end, surface, entry in found:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            mentions.append(_mention(start, end, surface, entry))
        for start, end, site in site_typos(text, self.locations, taken, self._queue_word):
            entry = Entry("location", (site,), (site,))  # 「那派のE1」: 那覇
            mentions.append(_mention(start, end, text[start:end], entry))
        slips = name_typos(text, self._ids_of, self._latin_people, taken)
        for start, end, full in slips:  # 「菅原翔大さん」「Sugawra-san」: 菅原翔太
            entry = Entry("operator", (self._ids_of[full],), (full,))
            mentions = [m for m in mentions if not (m.start < end and start < m.end)]
            mentions.append(_mention(start, end, text[start:end], entry))
        return sorted(mentions, key=lambda m: m.start)


class QueueLike(Protocol):
    """A queue as a request names it (``nlu.request.QueueRef``), any part possibly unsaid."""

    @property
    def location(self) -> str | None: ...
    @property
    def business_id(self) -> str | None: ...
    @property
    def process(self) -> str | None: ...


QueueKey = tuple[str, str, str]
"""Where an operator works: site, business id, process."""
_QUEUE_PARTS: dict[EntityKind, int] = {"location": 0, "business_id": 1, "process": 2}
_QUEUE_OF_NAME = re.compile(
    r"\s*(?:の|にいる|にいる方の|にいる人の|の方の|のほうの|担当の|で働いてる|で働いている"
    r"|の(?:中|なか)(?:でも|の|で))\s*"
)
"""Between a queue and the name it tells apart: 「E1の佐々木さん」「E1にいる方の藤井さん」."""
_JOINED = re.compile(r"\s*(?:の)?\s*")


def queue_before(
    extraction: Extraction, person: Mention, *, business_enough: bool = False
) -> dict[int, str]:
    """The parts of the queue said right before ``person`` (「盛岡KPのE1の」: site, business,
    process), by their place in a :data:`QueueKey`; empty when none is or no process is
    (``business_enough``: or no business either: 「品川SSの藤井さん」 tells people apart).
    The queue tells the person apart (``Gazetteer.at_queues_said``), and is the one they
    leave in a what-if (``person_site.queue_left``)."""
    text = extraction.text
    before = [m for m in extraction.mentions if m.end <= person.start]
    said: dict[int, str] = {}
    joiner, end = _QUEUE_OF_NAME, person.start
    for m in reversed(before):
        part = _QUEUE_PARTS.get(m.kind)
        if part is None or m.value is None or part in said:
            break
        if not joiner.fullmatch(text[m.end : end]):
            break
        said[part] = str(m.value)
        joiner, end = _JOINED, m.start
    return said if 2 in said or (business_enough and 1 in said) else {}


def first_of_list(extraction: Extraction, person: Mention) -> Mention:
    """The first person of the list of names ``person`` ends (「太田さんと藤井さん」: 太田さん),
    ``person`` when it ends none."""
    people = [m for m in extraction.mentions if m.kind == "operator" and m.end <= person.start]
    first = person
    for m in reversed(people):
        if not _NAMES_JOINED.fullmatch(extraction.text[m.end : first.start]):
            break
        first = m
    return first


_NAMES_JOINED = re.compile(
    r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:と|・|、|,|や|および|及び|and)\s*"
)


def _works_on(queue: QueueKey | None, said: dict[int, str]) -> bool:
    return queue is not None and all(queue[part] == value for part, value in said.items())


_HELP_FROM = re.compile(r"\s*(?:の(?:人|メンバ|方)(?:たち|達)?\s*(?:で|から|を)|から(?!は))")
"""「札幌の人で」「品川から」: a site help comes from (not 「品川は動かさないで」)."""
_SITE_OF_NAME = re.compile(r"\s*(?:の|にいる|にいる方の|の方の)?\s*")
"""Between a site and the name it tells apart: 「品川の田中さん」「品川 田中さん」."""
_OF_PLACE = re.compile(r"(他|ほか|別|違う|もう(?:一|1|ひと)人)?\s*の?\s*$")
"""What is said right before a name: 「那覇の」 (a site: ``at_sites_said`` picks the one there) or
「他の」 (another one)."""
_THE_OTHER_AFTER = re.compile(
    r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:って|は)?\s*(?:もう(?:一|1|ひと)(?:人|り)|他にも|ほかにも)"
)
"""「中島さんってもう一人おったよね」: the namesake the conversation has not named."""


def _with_mentions(extraction: Extraction, mentions: list[Mention]) -> Extraction:
    """``extraction`` with ``mentions`` (its entities read again when they changed)."""
    if mentions == extraction.mentions:
        return extraction
    entities, candidates = _entities(extraction.text, mentions)
    return Extraction(extraction.text, mentions, entities, candidates)


def _queue_words(table: dict[str, list[Entry]]) -> re.Pattern[str] | None:
    """Any process or business surface, longest first (「札E1」: what follows 「札」)."""
    surfaces = sorted(
        (
            s
            for s, entries in table.items()
            if any(e.kind in ("process", "business_id") for e in entries)
        ),
        key=len,
        reverse=True,
    )
    return re.compile("|".join(map(re.escape, surfaces))) if surfaces else None


def _mention(start: int, end: int, surface: str, entry: Entry) -> Mention:
    if len(entry.values) == 1:
        return Mention(
            kind=entry.kind,
            value=entry.values[0],
            label=entry.labels[0],
            surface=surface,
            start=start,
            end=end,
        )
    return Mention(
        kind=entry.kind,
        value=None,
        label=None,
        surface=surface,
        start=start,
        end=end,
        candidates=entry.labels,
    )


def _entities(
    text: str, mentions: list[Mention]
) -> tuple[dict[str, EntityValue], dict[str, list[str]]]:
    entities: dict[str, EntityValue] = {}
    candidates: dict[str, list[str]] = {}
    resolved = [
        m for m in mentions if m.value is not None and not _RETRACTED_AFTER.match(text, m.end)
    ]
    places = [m for m in resolved if m.kind == "location"]
    origins = [m for m in places if _FROM_AFTER.match(text, m.end)]
    targets = [m for m in places if m not in origins]
    if targets:
        entities["location"] = str(targets[0].value)
        origin = next((m for m in origins if m.value != targets[0].value), None)
        if origin is not None:
            entities["from_location"] = str(origin.value)
    elif origins:
        entities["location"] = str(origins[0].value)
    for kind in ("process", "business_id"):
        first = next((m for m in resolved if m.kind == kind), None)
        if first is not None and first.value is not None:
            entities[kind] = first.value
    person = next((m for m in resolved if m.kind == "operator"), None)
    if person is not None and person.value is not None and person.label is not None:
        entities["operator"] = person.label
        entities["operator_id"] = person.value
    for mention in mentions:
        if mention.value is None and mention.kind not in entities:
            merged = candidates.setdefault(mention.kind, [])
            merged.extend(c for c in mention.candidates if c not in merged)
    return entities, candidates

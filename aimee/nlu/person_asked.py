"""A question about the person the conversation is on, who is not named again:

- 「そいつ今どこ」「いまどこ」 after a search whose answer put one person first (the fastest,
  the most experienced): that person;
- 「何時まで入ってる？」「スキルは？」 after a look-up: the same person (or people);
- 「札幌E1にいる方」「那覇の人のほうで」 after a look-up of a family name several people
  share: the namesakes, the site saying which (the chat keeps the one working there).
"""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.request import OperatorSlots, Request, RequestKind, Slots
from aimee.nlu.said import Said

_ABOUT_THEM = re.compile(
    r"(?:今|いま)?どこ(?:に(?:いる|います|居る))?(?:の|か)?[?？]?$|どこ(?:にいる|の工程|で働)"
    r"|何時まで|シフト|上がり|あがり|退勤|出勤|入って(?:る|います|いる)|休み"
    r"|スキル|レベル|lv|何ができ|経験"
    r"|\bwhere\b|\bshift\b|\bskills?\b|\blevels?\b|\bdoko\b"
)
"""What is asked of a person: where they are, their shift, their skills."""
_THE_ONE_THERE = re.compile(r"(?:に|で)(?:いる|居る|入って(?:る|いる))(?:方|人|ほう|子)")
"""「札幌E1にいる方」: the namesake who works there."""
_OF_THE_SITE = re.compile(
    r"\s*の\s*(?:人|方|ひと|子)?\s*(?:の)?\s*(?:ほう|方)?\s*(?:で|です|だ|ね|は|かな|の)?\s*[?？。!！]?$"
)
"""「那覇の人のほうで」「那覇の方」 after namesakes are listed: the one at that site."""


def _of_a_site(extraction: Extraction) -> bool:
    places = extraction.mentions
    if len(places) != 1 or places[0].kind != "location" or places[0].start > 0:
        return False
    return _OF_THE_SITE.fullmatch(extraction.text, places[0].end) is not None


COUNT_ASKED = re.compile(r"何人|何名|なんにん|なんめい|\bhow many\b")
_PRONOUN = re.compile(r"そいつ|あいつ|こいつ|その子|あの子|そちらの方")


def people_of_thread(slots: Slots, extraction: Extraction, previous: Request | None) -> Slots:
    """``slots`` with the person (or namesakes) of the conversation as the one asked about."""
    if previous is None or slots.people:
        return slots
    text = extraction.text
    places = [m for m in extraction.mentions if m.kind != "operator"]
    if any(m.kind == "operator" for m in extraction.mentions):
        return slots
    people = _thread_people(previous, text)
    if not people:
        return slots
    there = _THE_ONE_THERE.search(text) is not None or _of_a_site(extraction)
    namesakes = len(people) > 1 and there
    if places and not namesakes:
        return slots
    if not (namesakes or _ABOUT_THEM.search(text)) or COUNT_ASKED.search(text):
        return slots  # 「レベル4以上は何人？」 counts people, it asks about no one
    return slots.model_copy(update={"operators": OperatorSlots(about=people)})


def _thread_people(previous: Request, text: str) -> tuple[str, ...]:
    ops = previous.slots.operators
    if previous.kind == "operator_lookup" and ops is not None and ops.about:
        return ops.about
    first = previous.answered_about[:1]
    one = previous.kind == "skill_search" and previous.slots.sort is not None
    return first if first and (one or _PRONOUN.search(text)) else ()


_ABLE_ASKED = re.compile(
    r"(?:も|は|って)?\s*(?:でき|やれ|いけ|打て)(?:る|た|ます|ました)?(?:っけ|の|ん|か|[?？]|$)"
)
_SHORT = 20
_ASKS_FOR_PEOPLE = re.compile(r"人|方|誰|だれ|何人|何名|メンバ")


def their_skill(m: Said) -> RequestKind | None:
    """「補正もできたっけ」「E2 できたっけ」 right after a look-up: her skill, asked of the same
    person (not 「補正できる人いる？」, a search: it asks for people)."""
    prev = m.previous
    about = prev.slots.operators.about if prev and prev.slots.operators else ()
    if prev is None or prev.kind != "operator_lookup" or not about or m.slots.people:
        return None
    said = [x for x in m.extraction.mentions if x.kind == "process"]
    if not said or len(m.text) > _SHORT or _ASKS_FOR_PEOPLE.search(m.text):
        return None
    return "operator_lookup" if _ABLE_ASKED.search(m.text, said[-1].end) else None


def asked_of_them(m: Said) -> RequestKind | None:
    """The person of the conversation, asked about without being named."""
    ops = m.slots.operators
    named = any(x.kind == "operator" for x in m.extraction.mentions)
    if ops is None or not ops.about or ops.add or ops.remove or ops.move or named:
        return None
    if m.slots.sort is not None:
        return None  # 「彼女の次に速いのは？」: others, searched
    prev = m.previous
    carried = prev is not None and (
        ops.about == (prev.slots.operators.about if prev.slots.operators else ())
        or set(ops.about) <= set(prev.answered_about)  # 「その2人のスキル」「2番目の人 どこ」
    )
    return "operator_lookup" if carried else None

"""Follow-up turns: detect them, inherit context, and choose the intent with it.

「その場合、盛岡は大丈夫？」 after a request to move people asks about the consequences
of that move; 「盛岡は？」 after 「札幌の進捗は？」 asks the same question about 盛岡.
"""

from __future__ import annotations

import re

from aimee.nlu.classifier import Classification
from aimee.nlu.gazetteer import PLACEHOLDERS, Extraction
from aimee.nlu.schema import EntityValue, IntentResult, IntentType

INHERITED_KEYS = ("location", "process", "business_id")
"""Keys a follow-up takes from the previous turn when it does not name them itself."""

_MARKER = re.compile(
    r"^(?:その場合|そうすると|そうしたら|そしたら|それだと|それなら|それで|それでは|そうなると"
    r"|じゃあ|じゃ|では|だったら|なら|で、|あと|あとは|ちなみに|ほかに|他に|逆に|一方|その後|ついでに"
    r"|では、|それと|それから|さらに|その|この提案|この案|それ"
    r"|(?:and)?(?:whatabout|howabout)|and|also)"  # English, spaces gone: "and Umeda KP E1?"
)
_HYPOTHETICAL = re.compile(
    r"(?:その場合|そうすると|そうしたら|そしたら|それだと|そうなると|その案|その提案|この案|この提案)"
)
# What is left of a bare follow-up once its entities are removed: 「盛岡は？」「補正も」.
_BARE_TAIL = re.compile(
    r"^(?:は|も|では|だと|なら|の方は|のほうは|の方|のほう|はどう|はどうですか|はどうでしょう|はいかが|についても?"
    r"|も同じく|も同じ(?:くらい|ぐらい|感じ)?|も一緒|も同様|もお願い|も教えて|もね|の場合は|だったら|で|だけ|だけだと|だけなら|のみ"
    r"|に絞ると|に絞ったら|に限ると|に限ったら|の中だと|の中では|の中なら|の中で|内だと|内では)?"
    r"(?:です|ですか|でしょうか|かな)?$"
)
# Words that widen the scope back to everything: 「全体の進捗は？」 after 「札幌の進捗は？」.
_GLOBAL_SCOPE = re.compile(
    r"(?:全体|全拠点|各拠点|拠点別|拠点ごと|全部|すべて|全て|全工程|各工程|全キュー|他に|ほかに)"
)
_NOISE = re.compile(r"[\s、,。.!?!?…〜ー]+")
_PLACEHOLDER_WORDS = re.compile("|".join(map(re.escape, PLACEHOLDERS.values())))
_JOINED_PLACEHOLDERS = re.compile(
    "("
    + "|".join(map(re.escape, PLACEHOLDERS.values()))
    + ")(?:の|と|や|・)(?="
    + _PLACEHOLDER_WORDS.pattern
    + ")"
)
_PLAN_INTENTS: tuple[IntentType, ...] = ("deadline_optimization", "impact_analysis")
LOW_CONFIDENCE = 0.45
ELLIPTICAL_MAX_CHARS = 10


def is_bare(extraction: Extraction) -> bool:
    """Only entities and a particle (「盛岡は？」): the question is the previous one."""
    if not extraction.mentions:
        return False
    joined = _JOINED_PLACEHOLDERS.sub(
        r"\1", extraction.masked()
    )  # 「盛岡のSSのエントリ1は？」「SSとKPは？」
    rest = _NOISE.sub("", _PLACEHOLDER_WORDS.sub("", joined))
    rest = _MARKER.sub("", rest)
    return len(rest) <= 10 and _BARE_TAIL.match(rest) is not None  # 「…はいかがでしょうか」


_WHOLE_SITE = re.compile(r"\s*全体\s*(?:は|だと|では|で見ると|で見たら|としては)\s*[?？]?$")


def is_whole_site(extraction: Extraction) -> bool:
    """「品川全体だと？」「盛岡全体は？」: one site as a whole, in place of the last question's
    place (not the floor: 全体 follows the site; 「品川 全体」 alone asks how it stands)."""
    [*mentions] = extraction.mentions
    if len(mentions) != 1 or mentions[0].kind != "location" or mentions[0].start > 0:
        return False
    return _WHOLE_SITE.match(extraction.text, mentions[0].end) is not None


_NARROWED_TAIL = re.compile(
    r"\s*(?:に限ると|に限ったら|に絞ると|に絞ったら|だけだと|だけで見ると)\s*"
    r"(?:どう(?:なる|なります|です|でしょう)?(?:か|でしょうか)?)?\s*[。?？]?$"
)


def is_narrowed_place(extraction: Extraction) -> bool:
    """「品川に限るとどうなりますでしょうか。」: the last question, at that place only."""
    places = [m for m in extraction.mentions if m.kind != "operator"]
    if not places or len(places) != len(extraction.mentions):
        return False
    opening = extraction.text[: places[0].start]
    if _NOISE.sub("", _MARKER.sub("", opening.strip())):
        return False
    return _NARROWED_TAIL.match(extraction.text, places[-1].end) is not None


def is_elliptical(extraction: Extraction, rules_fired: bool) -> bool:
    """A short fragment that no rule recognises (「梅田の人だけで」) continues the last turn."""
    rest = _NOISE.sub("", extraction.masked())
    has_words = any(ch.isalnum() for ch in rest)  # not 「？？？」 or an empty message
    return not rules_fired and has_words and len(rest) <= ELLIPTICAL_MAX_CHARS


def is_followup(
    extraction: Extraction, classification: Classification, previous: IntentResult
) -> bool:
    """Markers (「その場合」「じゃあ」), bare entities, short fragments, the same kind of
    question without names (「誰を回せばいい？」 after 「梅田の補正が遅れています」), or an
    impact question right after a plan (it is about that plan)."""
    same_question = (
        classification.intent == previous.intent_type != "general"
        and not extraction.mentions
        and _GLOBAL_SCOPE.search(extraction.text) is None
    )
    return (
        same_question
        or bool(_MARKER.match(extraction.text))
        or is_bare(extraction)
        or is_elliptical(extraction, bool(classification.rules))
        or (classification.intent == "impact_analysis" and previous.intent_type in _PLAN_INTENTS)
    )


def inherit(extraction: Extraction, previous: IntentResult) -> dict[str, EntityValue]:
    """The message's entities completed with the previous turn's location, process and
    business, unless the message widens the scope (「他に遅れそうな所は？」)."""
    merged = dict(extraction.entities)
    if _GLOBAL_SCOPE.search(extraction.text):
        return merged
    for key in INHERITED_KEYS:
        if key not in merged and key in previous.entities:
            merged[key] = previous.entities[key]
    return merged


def followup_intent(
    extraction: Extraction, classification: Classification, previous: IntentResult
) -> tuple[IntentType, float]:
    """The intent of a follow-up turn given the local classification and the previous turn."""
    intent, confidence = classification.intent, classification.confidence
    if is_bare(extraction) or is_elliptical(extraction, bool(classification.rules)):
        return previous.intent_type, max(0.6, round(previous.confidence * 0.9, 4))
    if previous.intent_type in _PLAN_INTENTS and intent != "impact_analysis":
        # After a plan, 「そしたら那覇は平気？」 and 「それで盛岡は間に合う？」 ask about
        # its effects; 「そしたら誰を動かす？」 (a request rule fired) is still a request,
        # and 「じゃあ他に遅れそうな所は？」 is a new detection question.
        hypothetical = _HYPOTHETICAL.search(extraction.text) is not None
        asks_effect = (
            intent == "delay_risk_detection" and _GLOBAL_SCOPE.search(extraction.text) is None
        ) or (
            hypothetical
            and "deadline_request" not in classification.rules
            and intent != "skill_search"
        )
        if asks_effect:
            return "impact_analysis", max(confidence, 0.7)
    if confidence < LOW_CONFIDENCE:
        return previous.intent_type, LOW_CONFIDENCE
    return intent, confidence

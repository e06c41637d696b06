"""A message (with its conversation) as a :class:`~aimee.nlu.request.Request`.

The kind comes from ordered rules over the normalised message (the first that
matches wins; the order puts the narrow questions before the broad ones), then
from the intent classifier's label. A follow-up resolves against the conversation:
「じゃあ1名だけなら？」 re-plans the last plan's target with the new head count,
「その場合、品川は平気？」 checks 品川 against that plan; a new site does not inherit
an old process.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from aimee.nlu.carry import carry_over, person_referred
from aimee.nlu.gazetteer import Extraction
from aimee.nlu.intent_types import IntentType
from aimee.nlu.request import NEAREST_KIND, Request, RequestKind, Slots
from aimee.nlu.slots import KNOWN_PLACE_NAMES, read_slots

_APPROVE = re.compile(
    r"承認(?:して(?!も|から)|します|しといて|しておいて|お願い|で(?:お願い|いい|ok|進めて))"
    r"|(?:それ|この案|その案|これ)で(?:お願い|いこう|行こう|進めて|決定|ok)"
    r"|^(?:ok|オーケー)[、, ]*(?:それで|お願い)|実行して(?!も)|適用して(?!も)|反映して(?!も)"
    r"|\bapprove (?:it|this|that)|go ahead"
)
_HELP = re.compile(
    r"何ができ|なにができ|できること|使い方|^ヘルプ|^help|このシステム|このツール|何を聞け|どんな質問"
    r"|what can you|how do i use"
)
_OUT_OF_SCOPE = re.compile(
    r"天気|雨|気温|残業代|給料|給与|有給|休暇申請|ランチ|昼ごはん|ニュース|株価|交通費|経費|シフト希望"
    r"|weather|salary|lunch|overtime pay"
)
_CONDITIONAL = re.compile(
    r"たら|だら|たとき|た場合|た後|たあと|ても(?:回|大丈夫|間に合|平気)|なら|\bif\b|what if|would"
)
_DONOR_WORDS = re.compile(
    r"大丈夫|平気|影響|問題|困ら|回る|足り|しわ寄せ|きつ|無理|ok|okay|fine|affected"
)
_CONTEXT = re.compile(
    r"^(?:その場合|そうすると|そうしたら|それだと|この案|その案|それで|じゃあ|では)|その場合|この案で|その案で"
)
_FINISH = re.compile(
    r"何時(?:頃|ごろ)?(?:に|まで)?終わ|いつ(?:頃|ごろ)?(?:に)?終わ|終わりそう|終わる\?|終わるか"
    r"|完了見込み|完了予定|終了予定|終わる見込み|ギリギリ|ぎりぎり|余裕(?:は|ある|が)|何分前"
    r"|まで(?:に)?終わ|に終わ|finish|done by|how much time|margin"
)
_LOOKUP = re.compile(
    r"どこ|スキル|何ができ|レベル|担当|在籍|配置|経験|今何|いま何|何して|プロフィール|詳しく|について"
    r"|where|skills?|level"
)
_SKILL = re.compile(
    r"できる人|できるの|できる\?|できる方|いる\?|いますか|誰|だれ|どなた|人は|人を|人いる|人材|候補|空いて|速い"
    r"|早い|ベテラン|経験者|上級者|who|anyone|fastest|available"
)
_PLAN = re.compile(
    r"応援|回して|回せ|出して|出したい|何とか|なんとか|間に合わせ|遅延しています|遅れています|遅れてる|助けて"
    r"|再配置|最適化|配置変更|人を(?:足|増|入れ)|増員|手配|人が足りない|ピンチ|やばい|ヤバい|移動して|動かして"
    r"|送って|貸して|提案して|案を|プラン|サポート|入れてほしい|ください|help\b|send|reallocat"
    r"|move people|plan"
)
_DELAY = re.compile(
    r"間に合わない|間に合う\?|間に合うか|間に合いそう|遅れそう|遅延リスク|遅延見込み|危ない|やばそう|リスク"
    r"|間に合わなそう|遅れる|miss|on time|at risk|late"
)
_STATUS = re.compile(
    r"状況|進捗|どう\?|どうなって|残件|残り|何件|様子|具合|status|progress|how is|how's"
)
_KNOWHOW = re.compile(
    r"基準|ルール|コツ|注意|ポイント|方針|ノウハウ|過去|事例|前に|決まり|目安|マニュアル|手順|やり方"
    r"|rule|guideline"
)
_IMPERATIVE = re.compile(
    r"て(?!も|る|い)(?:ください|下さい|ほしい|欲しい|もらえ|くれ|お願い|[、。!]|$)?|たい|ましょう|お願い"
    r"|\b(?:use|include|exclude|keep .+ out|send|move)\b"
)
_REPLAN = re.compile(
    r"なら|だけ|までで|以内で|で\?|でお願い|にして|に変えて|から(?:で|出して)|は(?:出さ|動かさ)"
)


def parse_request(
    extraction: Extraction,
    intent: IntentType,
    *,
    known_places: Collection[str],
    last_plan: Request | None = None,
    previous: Request | None = None,
) -> Request:
    """The request a message makes; ``last_plan``: the conversation's last plan or what-if,
    ``previous``: the previous turn's request (what a follow-up continues: ``nlu.carry``).

    A few narrow rules decide the kind outright (an approval, help, a topic AIMEE does
    not cover, a finish time, a person looked up, a change to named people, a donor
    check or new constraints on the last plan); otherwise the classifier's intent type
    decides the family and the message's words the kind within it."""
    slots = person_referred(read_slots(extraction, known_places), extraction.text, previous)
    kind = _decisive(extraction.text, slots, extraction, last_plan) or _within(
        intent, extraction.text, slots, last_plan
    )
    if kind == "approval_request":
        slots = slots.model_copy(update={"targets": (), "origins": (), "spare": ()})
    slots = carry_over(kind, slots, extraction.text, previous=previous, last_plan=last_plan)
    return Request(kind=kind, slots=slots)


_EN_RULES: tuple[tuple[RequestKind, re.Pattern[str]], ...] = (
    ("what_if", re.compile(r"\bwhat if\b|\bif (?:we|i|you)\b.*\b(?:move|remove|add|take|send)")),
    (
        "finish_time",
        re.compile(r"\bwhen will\b|\bfinish|\bdone by\b|how much time|margin|what time"),
    ),
    ("operator_lookup", re.compile(r"\bwhere is\b|\bskills? of\b|\btell me about\b")),
    ("skill_search", re.compile(r"\bwho\b|\banyone\b|fastest|available|\bwhich operators?\b")),
    ("plan", re.compile(r"\bsend\b|\bhelp\b|move people|reallocat|\bplan\b|\bfix\b|\bsave\b")),
    ("delay_risk", re.compile(r"\blate\b|\bmiss|\bbehind\b|at risk|deadline|on time")),
    ("status", re.compile(r"status|progress|how is|how's|how are")),
    ("knowhow", re.compile(r"\brules?\b|guideline|policy|best practice")),
)
"""Kinds of an English request, first match wins (the classifier is trained on Japanese)."""


def _english(text: str, slots: Slots) -> RequestKind | None:
    if slots.unknown and not slots.targets:
        return "out_of_scope"
    return next((kind for kind, pattern in _EN_RULES if pattern.search(text)), None)


def _decisive(  # noqa: PLR0911 - an ordered list of rules reads best flat
    text: str, slots: Slots, extraction: Extraction, last_plan: Request | None
) -> RequestKind | None:
    people = slots.operators
    changes_people = people is not None and bool(people.add or people.remove or people.move)
    places = [m for m in extraction.mentions if m.kind == "location" and m.value is not None]
    if _APPROVE.search(text):
        return "approval_request"
    if _HELP.search(text):
        return "help"
    unknown_place = any(name in KNOWN_PLACE_NAMES for name in slots.unknown)
    if _OUT_OF_SCOPE.search(text) or (unknown_place and not places) or slots.date == "yesterday":
        return "out_of_scope"
    if changes_people and _CONDITIONAL.search(text):
        return "what_if"
    if changes_people and _IMPERATIVE.search(text) and (slots.targets or last_plan is not None):
        return "plan"  # 「札幌のエントリ1に高山さんを入れて」「高山さんは外して」
    if _CONDITIONAL.search(text) and _ADDING.search(text) and not _PLAN.search(text):
        return "what_if"  # 「Lv4以上を2名入れたら間に合う？」「補正に1人足したらいつ終わる？」
    if last_plan is not None and places and _DONOR_WORDS.search(text) and _CONTEXT.search(text):
        return "donor_check"
    if last_plan is not None and _is_constraint_only(slots) and _REPLAN.search(text):
        return "plan"
    if slots.language == "en":
        return _english(text, slots)
    if _FINISH.search(text) and not _PLAN.search(text):
        return "finish_time"
    if people is not None and people.about and not changes_people and _LOOKUP.search(text):
        return "operator_lookup"
    unknown_person = any(name not in KNOWN_PLACE_NAMES for name in slots.unknown)
    if unknown_person and not places and not changes_people and _LOOKUP.search(text):
        return "operator_lookup"  # 「山田太郎さんは今どこ？」: a look-up of someone unknown
    return None


def _within(intent: IntentType, text: str, slots: Slots, last_plan: Request | None) -> RequestKind:
    """The kind within the classifier's intent family."""
    people = slots.operators
    if intent == "impact_analysis":
        donor = last_plan is not None and slots.targets and _DONOR_WORDS.search(text)
        return "donor_check" if donor else "what_if"
    if intent == "status_inquiry":
        return "finish_time" if _FINISH.search(text) else "status"
    if intent == "skill_search":
        return "operator_lookup" if people is not None and people.about else "skill_search"
    if intent == "general":
        if _OUT_OF_SCOPE.search(text) or slots.unknown:
            return "out_of_scope"
        return "knowhow"
    return NEAREST_KIND[intent]


_ADDING = re.compile(r"入れ|追加|加え|足し|増や|回し|移し|出し|抜い|抜け|外し|\badd")


def _is_constraint_only(slots: Slots) -> bool:
    """Only constraints (「3名までで」「盛岡からは出さないで」), no new target."""
    constrained = (
        slots.head_count is not None
        or slots.origins
        or slots.spare
        or slots.min_level is not None
        or slots.min_experience_months is not None
    )
    return bool(constrained) and not slots.targets

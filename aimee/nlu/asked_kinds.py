"""Kinds of a few more request shapes, each a rule of ``nlu.request_parser.RULES``:

- 「このまま誰も足さなかったら何時に片付く？」「今のままだと盛岡のE1は何時終わり？」: when a
  queue finishes as it stands (nothing changed), not a what-if;
- 「盛岡の補正にLv3以上を2人回す案は？」: a plan asked for by its shape (an action, then 案);
- 「…拠点は動かさない方針ですので、他から案を作っていただけますか」: a plan for a queue named,
  though it speaks of a policy; 「何分くらい余裕があるかも教えていただけますか」 after a finish:
  that queue's margin (not know-how, for all the polite words);
- terse fragments a veteran types: 「では 案」 (a plan), 「遅延 どこ？」 (which queues are late),
  「納期 もつ？」 (the finish of the queue just named), 「品川SS E2 残り」 (how it stands).
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.request import RequestKind
from aimee.nlu.said import Said
from aimee.nlu.turn_kinds import AS_IT_IS

_ENDS = re.compile(r"何時(?:頃|ごろ)?終わり|いつ終わり|終わり(?:は|って)?何時|何時に?(?:片付|終わ)")
"""「何時終わり？」: when it finishes (besides ``request_words.FINISH``)."""
_WHAT_TO_DO = re.compile(r"ほうがいい|方がいい|どうする|どうしよう|手当て|対策")
_ACTION_PLAN = re.compile(
    r"(?:入れる|回す|寄せる|足す|出す|送る|移す|借りる|動かす)(?:ような|という|って)?案"
    r"(?:は|って|を?(?:ください|下さい|見せて|教えて))"
)
"""「1人入れる案は？」: a plan for that action, asked for."""
_BARE_PLAN = re.compile(
    r"^(?:案|プラン|応援案|配置案)(?:は|を|で|ちょうだい|よろしく)?[?？!！。]?$"
)
"""「じゃ 案」: the word for a plan alone, after 「じゃ」."""
_WHERE_LATE = re.compile(r"^(?:遅れ|遅延|遅れて(?:る|いる)の)(?:は|って)?\s*(?:どこ|どれ)[?？]?$")
"""「遅れ どこ」: which queues are late, said in two words."""
_HOLDS = re.compile(
    r"^(?:締め|〆|締切|納期)(?:に|まで|は)?\s*(?:もつ|持つ|もちそう|持ちそう|いける|セーフ)[?？]?$"
)
"""「締め もつ？」: whether the queue makes its deadline."""
_LEFT = re.compile(r"\s(?:残|残り|のこり|残件)[?？]?$")
"""「梅田KP E1 残」: a queue, then the word for what is left."""


def as_it_stands(m: Said) -> RequestKind | None:
    """「今のまま誰も動かさなかったら何時終わり？」: the queue's finish as things are."""
    if AS_IT_IS.search(m.text) is None or m.slots.head_count is not None:
        return None
    if words.PLAN_STRONG.search(m.text) or _WHAT_TO_DO.search(m.text):
        return None  # 「このままだと何時になる？人回したほうがいい？」: a plan is asked too
    ops = m.slots.operators
    if ops is not None and (ops.add or ops.remove or ops.move):
        return None
    if words.FINISH.search(m.text) or _ENDS.search(m.text):
        return "finish_time"
    return None


def action_plan(m: Said) -> RequestKind | None:
    """「那覇の検証に2人入れる案は？」: a plan, with the count and filters said."""
    return "plan" if _ACTION_PLAN.search(m.text) and m.slots.targets else None


def fragment(m: Said) -> RequestKind | None:
    """「じゃ 案」 → a plan; 「遅れ どこ」 → which queues are late."""
    text = words.LEADING_THEN.sub("", m.text.strip()).strip()
    if _BARE_PLAN.match(text):
        return "plan"
    if _WHERE_LATE.match(text):
        return "delay_risk"
    if _HOLDS.match(text):
        return "finish_time"
    queue = any(t.process for t in m.slots.targets)
    return "status" if queue and _LEFT.search(text) else None


_FINISHES: frozenset[RequestKind] = frozenset({"finish_time", "status"})


def asks_the_data(m: Said) -> bool:
    """The message asks for a plan of a queue named, or for the finish of the queue just
    asked about: not know-how, whatever else it says."""
    if words.PLAN_ASK.search(m.text) and any(t.process for t in m.slots.targets):
        return True
    previous = m.previous
    continues = previous is not None and previous.kind in _FINISHES and bool(previous.slots.targets)
    return continues and not m.slots.targets and words.FINISH.search(m.text) is not None

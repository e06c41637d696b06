"""Questions about when a queue finishes that the broad rules read as another kind:

- 「16時半に札幌のE2終わってる？」「17時までに那覇の補正片付いてる？」: whether the queue is
  done by a time named (its finish, with ``by_time``), not which queues are late;
- 「間に合わないなら何分遅れ？」「遅れるとしたらどれくらい？」: the margin of the queue
  talked about; the condition is the queue's own outcome, not a change to weigh.
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.request import RequestKind
from aimee.nlu.said import Said

_DONE = re.compile(
    r"(?:終わ|片付|片づ|完了し|済ん|捌け|さばけ)(?:って|いて|て)(?:る|い(?:る|ます)|ます)"
    r"|(?:終わ|片付|片づ)(?:って|いて)(?:そう|る[?？]?$)"
)
"""「終わってる？」「片付いてる？」: done by then."""
_OWN_OUTCOME = re.compile(
    r"(?:間に合わ(?:ない|なかった|なさそう)|遅れる|遅れた|遅れそう|オーバー?する|押す)"
    r"(?:ん|の)?(?:なら|としたら|とすれば|とすると|場合(?:は)?|んだったら|たら)"
)
"""「間に合わないなら」「遅れるとしたら」: a condition on the queue's own outcome."""
_HOW_MUCH = re.compile(r"何分|どのくらい|どれくらい|どんくらい|どれだけ|何時")


def done_by(m: Said) -> RequestKind | None:
    """A queue (or the queue just talked about) asked whether it is done by a time."""
    if m.slots.by_time is None or m.slots.people or _DONE.search(m.text) is None:
        return None
    return "finish_time" if _a_queue(m) else None


def late_by(m: Said) -> RequestKind | None:
    """How late the queue is, if it is late: its margin."""
    if m.slots.people or m.slots.head_count or _OWN_OUTCOME.search(m.text) is None:
        return None
    if words.PLAN_STRONG.search(m.text) or words.CHANGE_WORDS.search(m.text):
        return None
    asks = words.FINISH.search(m.text) or _HOW_MUCH.search(m.text)
    return "finish_time" if asks and _a_queue(m) else None


def _a_queue(m: Said) -> bool:
    """A queue named, or the one the conversation is about."""
    if m.slots.targets:
        return any(t.process for t in m.slots.targets)
    prev = m.previous
    return prev is not None and any(t.process for t in prev.slots.targets)

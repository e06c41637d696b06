"""What-ifs about unnamed people coming to a queue, and the place asked about after one:

- 「品川SSのE2、一人来てくれたらどうなる？」「3人来たら間に合う？」: N people coming is a
  what-if (the effect of N more), not a request for a plan;
- after such a what-if, 「補正の方は？」 asks the same N for that queue (a what-if there);
  after a what-if with named people, 「エントリ1の方はいかがでしょうか」 asks how the other
  queue fares under that change (a donor check).
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.request import Request, RequestKind, Slots
from aimee.nlu.said import Said

_COME = re.compile(
    r"(?:来|き)(?:て(?:くれ|もら(?:え|っ)?)(?:た|れ)?)?(?:たら|れば|れたら)|来てくれれば"
    r"|(?:加わ|入っ)(?:てくれ)?たら"
)
"""「一人来てくれたら」「3人来たら」「2人来れば」: people coming, unnamed."""
_OTHER_SIDE = re.compile(
    r"^[^。?？]{0,12}?(?:の)?(?:方|ほう)(?:は|って|も)[^。?？]{0,16}?"
    r"(?:いかが|どう|[?？]|$)"
)
"""「補正の方は？」「エントリ1の方はいかがでしょうか」: the other queue, nothing else."""


_EFFECT = re.compile(r"悪く|良く|よく|変わ|響")
"""Words that ask what the change does to the other queue, not how it stands under it."""


def people_coming(m: Said) -> RequestKind | None:
    """N unnamed people coming, asked as a condition: a what-if."""
    count = m.slots.head_count
    if count is None or count.exact is None or count.leaving or m.slots.people:
        return None
    come = _COME.search(m.text)
    if come is None:
        return None
    strong = words.PLAN_STRONG.search(m.text)  # 「1人来てほしい」, not 「1人来てくれたら」 itself
    if strong is not None and (strong.end() <= come.start() or strong.start() >= come.end()):
        return None
    return "what_if"


def _unnamed_coming(thread: Request) -> bool:
    count = thread.slots.head_count
    return thread.kind == "what_if" and count is not None and not count.leaving


def other_side(m: Said) -> RequestKind | None:
    """「補正の方は？」 right after a what-if: the same N people for that queue, or (the
    what-if moved named people) that queue under the change."""
    thread = m.last_plan
    previous = m.previous
    if thread is None or previous is None or previous.kind != "what_if":
        return None
    s = m.slots
    if not s.targets or s.people or s.head_count or s.origins or not _OTHER_SIDE.search(m.text):
        return None
    if any(t in thread.slots.targets for t in s.targets):
        return None
    if _unnamed_coming(thread) and not thread.slots.people:
        # 「補正の方は？」: the same N for that queue; 「梅田の方は？」 (a site) is not a queue
        # to send them to, but a place asked about under the change
        return "what_if" if all(t.process for t in s.targets) else "donor_check"
    if _EFFECT.search(m.text):  # 「検証の方は悪くなる？」: the change's effect there (a what-if)
        return None
    return "donor_check" if thread.slots.people else None


def same_people_there(kind: RequestKind, slots: Slots, text: str, thread: Request | None) -> Slots:
    """The what-if 「補正の方は？」 re-targets: its count, origins and level, at the new queue."""
    if kind != "what_if" or thread is None or not _unnamed_coming(thread):
        return slots
    if slots.head_count is not None or slots.people or not _OTHER_SIDE.search(text):
        return slots
    last = thread.slots
    return slots.model_copy(
        update={
            "head_count": last.head_count,
            "origins": slots.origins or last.origins,
            "min_level": slots.min_level or last.min_level,
        }
    )

"""Whether a message sends someone away without saying where: 「竹下さんを応援に出しちゃっても
盛岡SSのE2は平気？」 asks about the queue she leaves, not one she goes to. The request's
``move`` names her either way; the what-if reads this to know which.

Two ways: sent elsewhere (よそに回す, 貸し出す, 引き抜かれる: never to the queue asked about), and
sent to help (応援に出す: somewhere unsaid, unless the message names a queue she does not work
on, 「那覇のE1の応援に行かせたら」).
"""

from __future__ import annotations

import re
from typing import Literal

_ELSEWHERE = re.compile(
    r"(よそ|他所|ほか|他)(の工程|の拠点)?に(出|行|回|貸|取られ)|(貸し出|引き抜|抜かれ|取られ)"
)
_TO_HELP = re.compile(r"(応援|ヘルプ|助っ人|支援|手伝い)に(出|行|回|貸)")


def sends_away(text: str) -> Literal["elsewhere", "help"] | None:
    """How the person is sent off, when no destination is said for them."""
    if _ELSEWHERE.search(text):
        return "elsewhere"
    return "help" if _TO_HELP.search(text) else None

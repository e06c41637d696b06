"""Whether a message sends someone away without saying where: 「竹下さんを応援に出しちゃっても
盛岡SSのE2は平気？」 asks about the queue she leaves, not one she goes to. The request's
``move`` names her either way; the what-if reads this to know which."""

from __future__ import annotations

import re

_AWAY = re.compile(
    r"(応援|ヘルプ|助っ人|支援|手伝い)に(出|行|回|貸)"
    r"|(よそ|他所|ほか|他)(の工程|の拠点)?に(出|行|回|貸|取られ)"
    r"|(貸し出|引き抜|抜かれ|取られ)"
)


def sends_away(text: str) -> bool:
    """The person is sent off (to help somewhere unsaid), not to the queue named."""
    return _AWAY.search(text) is not None

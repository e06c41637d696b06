"""Requests for the rest of the day: 「今日の残りどう回す？」「時間帯別の配置計画を作って」
ask for the time-phased plan of the whole floor (who goes where at what time until the
deadlines), not for help on one queue now.

A span of the day (the rest of today, until the evening or the end of work, interval by
interval) must come with a word of planning people (計画, 配置, 段取り, どう回す, いつ…動かす);
「今日の残件は？」 has no span, and 「この後の会議は？」 no planning. 「この後」 alone is a
weaker span: it needs a word of scheduling too (計画, 段取り, 予定, いつ, 配置)."""

from __future__ import annotations

import re

from aimee.nlu.normalize import normalize

_DAY_SPAN = re.compile(
    r"(?:今日|本日|きょう)の?(?:残り|のこり|いっぱい|一杯)|(?:一日|1日)の(?:残り|計画|配置)"
    r"|(?:夕方|終業|定時|勤務終了)まで|時間帯(?:別|ごと|毎)"
    r"|rest of (?:the day|today)|remainder of the day|(?:the|today'?s) (?:whole )?day plan"
)
_AFTER_NOW = re.compile(r"この(?:後|あと)|このあと")
_PLANNING = re.compile(
    r"計画|配置|段取り|人繰り|シフト|割り?振|采配|動かし方|回し方|どう回|回すか|予定を?組|組ん|組み"
    r"|いつ[^。?]{0,8}(?:動か|回|移|入れ|行か)|\bplan|\bschedul|\bstaff"
)
_SCHEDULING = re.compile(r"計画|段取り|予定|いつ|時間帯|配置|\bplan|\bschedul")


def asks_rest_of_day(text: str) -> bool:
    """The message asks for a plan of the rest of the day."""
    normal = normalize(text)
    if _DAY_SPAN.search(normal):
        return _PLANNING.search(normal) is not None
    if _AFTER_NOW.search(normal):
        return _SCHEDULING.search(normal) is not None and _PLANNING.search(normal) is not None
    return False

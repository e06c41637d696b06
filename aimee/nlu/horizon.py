"""Requests for the rest of the day: 「今日の残りどう回す？」「時間帯別の配置計画を作って」
ask for the time-phased plan of the whole floor (who goes where at what time until the
deadlines), not for help on one queue now.

A span of today (the rest of it, the afternoon, until the evening, the end of work or a
time, interval by interval) must come with a word of planning people: 計画, 段取り, 作戦,
どう回す, いつ…動かす, or 配置 said as something to make (配置計画, 配置を組む). 「今日の残件
は？」 has no span; 「今日の残りの配置状況は？」 and 「夕方までの配置で気をつけることは？」 make
no plan; 「この後の会議は？」 plans nobody. 「この後」 alone is a weaker span: it needs a word of
scheduling too. Another day (明日, 来週, 月曜…) is never today's plan."""

from __future__ import annotations

import re

from aimee.nlu.normalize import normalize

_DAY_SPAN = re.compile(
    r"(?:今日|本日|きょう)の?(?:残り|のこり|いっぱい|一杯|後半|午後|この後|このあと)"
    r"|(?:一日|1日)の残り|午後の|(?:夕方|終業|定時|退勤|閉め|勤務終了|\d{1,2}時)まで(?:の|、|,)"
    r"|(?:夕方|終業|定時|退勤|勤務終了)まで|時間帯(?:別|ごと|毎)"
    r"|rest of (?:the day|today)|remainder of the day|(?:the|today'?s) (?:whole )?day plan"
)
_AFTER_NOW = re.compile(r"この(?:後|あと)|このあと")
_PLANNING = re.compile(
    r"計画|段取り|作戦|人繰り|シフトを?(?:組|作)|割り?振|采配|動かし方|回し方|どう回|回すか"
    r"|予定を?組|配置[^。?]{0,12}?(?:組|作|考え|決め|立て|プラン|案)|組んで|組み立て"
    r"|配置\s*(?:を)?\s*くん(?:で|だ)"  # 「配置くんで」: 組んで typed in kana
    r"|いつ[^。?]{0,8}(?:動か|回|移|入れ|行か)|\bplan|\bschedul"
)
_SCHEDULING = re.compile(r"計画|段取り|予定|いつ|時間帯|配置|作戦|どう回|\bplan|\bschedul")
_OTHER_DAY = re.compile(
    r"明日|あした|あす|明後日|あさって|昨日|きのう|来週|先週|翌日|前日|[月火水木金土日]曜"
    r"|\d{1,2}月\d{1,2}日|tomorrow|yesterday|next week|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday"
)


def asks_rest_of_day(text: str) -> bool:
    """The message asks for a plan of the rest of today."""
    normal = normalize(text)
    if _OTHER_DAY.search(normal) or _PLANNING.search(normal) is None:
        return False
    if _DAY_SPAN.search(normal):
        return True
    return _AFTER_NOW.search(normal) is not None and _SCHEDULING.search(normal) is not None

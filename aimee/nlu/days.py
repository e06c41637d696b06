"""The day a message is about (today, yesterday, a date, a weekday of a past week, tomorrow)
and the time the work must be done by."""

from __future__ import annotations

import re
from datetime import date, timedelta

_YESTERDAY = re.compile(r"(?<!一)昨日|きのう|yesterday")
_DAY_BEFORE = re.compile(r"一昨日|おととい|おとつい|day before yesterday")
_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{1,2})/(\d{1,2})(?!\d|:)")
_WEEKDAY = re.compile(r"(先々週|先週|今週)の?([月火水木金土日])曜")
_WEEKS_BACK = {"今週": 0, "先週": 1, "先々週": 2}
_TODAY = re.compile(
    r"(?:今日|本日)(?!から(?:使|利用|始|よろしく))|(?<![いうんゃゅょ])きょう(?![かくけこしせ])|today"
)
"""きょう only as a word: not inside じょうきょう (状況), えいきょう (影響), べんきょう."""
_TOMORROW = re.compile(r"明日|あした|tomorrow")
_BY_TIME = re.compile(
    r"(\d{1,2})\s*(?::\s*(\d{2})|時\s*(?:(\d{1,2})\s*分|(半))?)\s*"
    r"(?:の納期|の?締め|の?締切|の?〆|まで|に?間に合|には?終わ|までに|なんだけど|前(?:に|には)?|に|で|$"
    r"|(?:は|を)(?:過ぎ|すぎ|超え|こえ)|(?:過ぎ|すぎ|超え|こえ)(?:る|ちゃ|そう)|(?:は|には)?(?:いけ|行け))"
    r"|\b(?:by|make|before|until|till)\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"
)


def day(text: str, today: date | None) -> str | None:
    """「昨日」 → yesterday, 「今日」 → today, 「10月20日」 → that day of ``today``'s year,
    「明日」 → the day after ``today``."""
    back = _days_back(text, today)
    if back is not None:
        return back
    found = _DAY.search(text)
    if found is not None and today is not None:
        month, dom = (int(g) for g in (found.group(1, 2) if found.group(1) else found.group(3, 4)))
        try:
            said = date(today.year, month, dom)
        except ValueError:
            return None
        return "today" if said == today else said.isoformat()
    weekday = _WEEKDAY.search(text)
    if weekday is not None and today is not None:
        said = _weekday_of(today, weekday.group(1), weekday.group(2))
        return "today" if said == today else said.isoformat()
    if _TOMORROW.search(text) and today is not None:  # 「明日の那覇」: a day without data
        return (today + timedelta(days=1)).isoformat()
    return "today" if _TODAY.search(text) else None


_DAYS_AGO = re.compile(r"(\d{1,2})\s*日前(?!に|まで|倒)|\b(\d{1,2}) days ago\b")
"""「3日前の那覇」: that many days before ``today`` (not 「締めの3日前に」)."""


def _days_back(text: str, today: date | None) -> str | None:
    """「一昨日」「おととい」「3日前」 → that day (when ``today`` is known), 「昨日」 →
    yesterday."""
    if _DAY_BEFORE.search(text):
        return (today - timedelta(days=2)).isoformat() if today is not None else None
    ago = _DAYS_AGO.search(text)
    if ago is not None and today is not None:
        n = int(ago.group(1) or ago.group(2))
        return "yesterday" if n == 1 else (today - timedelta(days=n)).isoformat()
    return "yesterday" if _YESTERDAY.search(text) else None


def _weekday_of(today: date, week: str, day_name: str) -> date:
    """「先週木曜」: that day of the week before ``today``'s (weeks start on Monday)."""
    monday = today - timedelta(days=today.weekday() + 7 * _WEEKS_BACK[week])
    return monday + timedelta(days="月火水木金土日".index(day_name))


_BY_TIME_AFTER = re.compile(
    r"(?:締め|〆|締切|納期|deadline)\s*(?:は|が|:)?\s*"
    r"(\d{1,2})\s*(?::\s*(\d{2})|時\s*(?:(\d{1,2})\s*分|(半))?)"
)
"""「締め18:20」「〆17時」: the time after the word for the deadline."""
_MORNING = re.compile(r"午前|朝|\bam\b")
_AFTERNOON_HOURS = range(1, 8)
"""「4時半」 on a floor open in the afternoon: 16:30 (the morning is said: 「朝8時」)."""


_NOW_BEFORE = re.compile(r"(?:今|いま|現在|時刻は|now|it's)\s*(?:は|で|、)?\s*$")
"""「今15時半だけど」: the time it is, not a time asked about."""


_LEAVES_AT = re.compile(
    r"\s*(?:で|に|にて|て)?\s*(?:(?:\d|[一二三四五])\s*(?:人|名)\s*(?:が|は|も)?)?\s*"
    r"(?:上が|あが|退勤|帰(?!って(?:くる|来))|早退|抜け|退社|終業|お?休み)"
)
"""「16時で退勤」「17時に上がる」「16時半で2人上がる」: when someone leaves, not a time the work
must make."""


def by_time(text: str) -> str | None:
    found = next(
        (
            f
            for f in _BY_TIME.finditer(text)
            if not _NOW_BEFORE.search(text[: f.start()]) and not _LEAVES_AT.match(text, f.end())
        ),
        None,
    )
    if found is None:
        after = _BY_TIME_AFTER.search(text)
        if after is None:
            return None
        hour_j, minute_colon, minute_j, half = after.groups()
        hour_e = minute_e = meridiem = None
    else:
        hour_j, minute_colon, minute_j, half, hour_e, minute_e, meridiem = found.groups()
    if hour_j:
        minute = int(minute_colon or minute_j or (30 if half else 0))
        hour = int(hour_j)
    else:
        hour, minute = int(hour_e or 0), int(minute_e or 0)
        if meridiem == "pm" and hour < 12:
            hour += 12
    if hour in _AFTERNOON_HOURS and meridiem is None and not _MORNING.search(text):
        hour += 12
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"

"""The chat's look-ups: when queues finish, who can do a process (skill search), and
where the people named work and what they can do (operator look-up)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from aimee.llm.context import OperatorFacts, OperatorProfile, SkillFacts
from aimee.services import chat_intents as intents
from aimee.services import facts
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.services.scenarios import build_situation
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories import shifts as shift_repo


def finish_time(turn: TurnInput) -> TurnData:
    """When the queues asked about finish, and their margin (or how late)."""
    data = intents.status_inquiry(turn)
    data.by_time = _at(turn.now, slots_of(turn).by_time)
    return data


def _at(now: datetime, hhmm: str | None) -> datetime | None:
    if hhmm is None:
        return None
    hour, minute = (int(part) for part in hhmm.split(":"))
    if hour == 24:
        return now.replace(hour=23, minute=59, second=59, microsecond=0)
    return now.replace(hour=hour, minute=minute, second=0, microsecond=0)


def skill_search(turn: TurnInput) -> TurnData:
    """Who can do a process, filtered by every condition stated (level, experience,
    availability), in the order asked for; the true count, not the display cap."""
    slots = slots_of(turn)
    refs = intents.target_refs(turn)
    process = refs[0].get("process") if refs else None
    location = refs[0].get("location") if refs else None
    level, months = slots.min_level, slots.min_experience_months
    records = operator_repo.list_operators(
        turn.session,
        operator_repo.OperatorFilter(
            location=location, process=process, min_skill=level, limit=100_000
        ),
    )
    if slots.available_only:
        busy = _on_late_queues(turn)
        free = [r for r in records if r.assignment is None or _queue_of(r) not in busy]
        if not free:
            return TurnData(
                notes=[
                    f"空いている方は0名です。条件に合う{len(records)}名は全員、"
                    "遅延見込みのある工程に配置中です。"
                ]
            )
        records = free
    assignments = {
        r.operator.operator_id: f"{r.assignment.location_name}の{r.assignment.process_name}"
        for r in records
        if r.assignment is not None
    }
    found = facts.operator_facts(records, process, assignments)
    if months is not None:
        found = [o for o in found if o.experience_months >= months]
    order = slots.sort or "skill"
    found.sort(key=SORT_KEYS[order])
    if not found:
        return TurnData(notes=["条件に合うオペレータは0名です（見つかりませんでした）。"])
    return TurnData(
        operators=found[: intents.MAX_OPERATORS],
        operators_total=len(found),
        order=order,
        remarks=[_AVAILABLE] if slots.available_only else [],
    )


_AVAILABLE = "「空いている」方は、待機中か、遅延見込みのない工程にいる方として数えています。"
SORT_KEYS: dict[str, Callable[[OperatorFacts], tuple[float, ...]]] = {
    "skill": lambda o: (-o.skill_level, -o.experience_months, -o.speed),
    "fastest": lambda o: (-o.speed, -o.skill_level),
    "most_experienced": lambda o: (-o.experience_months, -o.skill_level),
}


def _on_late_queues(turn: TurnInput) -> set[tuple[str, str, str]]:
    situation = build_situation(turn.session, now=turn.now, rules=turn.policy.rules)
    return {key for key, late in situation.floor_late.items() if round(late) > 0}


def _queue_of(record: operator_repo.OperatorRecord) -> tuple[str, str, str]:
    a = record.assignment
    assert a is not None
    return (a.location_name or "", a.business_id or "", a.process_name or "")


def operator_lookup(turn: TurnInput) -> TurnData:
    """Where the people named work now, and their skills (active or not)."""
    slots = slots_of(turn)
    names = list(slots.operators.about) if slots.operators is not None else []
    if not names and turn.entities.get("operator"):
        names = [str(turn.entities["operator"])]
    records = operator_repo.list_operators(
        turn.session, operator_repo.OperatorFilter(include_invalid=True, limit=100_000)
    )
    by_name = {r.operator.operator_name: r for r in records}
    data = TurnData()
    day = _day_asked(slots.date, turn.now.date())
    found = [by_name[name] for name in names if name in by_name]
    stored = shift_repo.shifts(turn.session, {(r.operator.operator_id, day) for r in found})
    other_day = day if day != turn.now.date() else None
    for record in found:
        shift = stored.get((record.operator.operator_id, day))
        when = (shift.starts_at, shift.ends_at) if shift is not None else None
        data.profiles.append(replace(_profile(record), shift=when, shift_day=other_day))
    if other_day is not None and found and not stored:  # 「明日の高山さんのシフトって入ってる？」
        data.notes.append(f"{other_day:%-m月%-d日}のシフトのデータはありません。")
    for name in slots.unknown:  # the chat only knows active people by name
        inactive = [
            r
            for r in records
            if not r.operator.is_valid and (r.operator.operator_name or "").startswith(name)
        ]
        if len(inactive) == 1:
            data.profiles.append(_profile(inactive[0]))
        else:
            data.notes.append(f"「{name}」さんというオペレータは登録されていません。")
            data.unknown.append(name)
    if not names and not slots.unknown:
        data.notes.append("どなたについてお調べしますか。お名前を教えてください。")
    asked = turn.entities.get("process")
    for profile in data.profiles if isinstance(asked, str) else []:
        if all(skill.process != asked for skill in profile.skills):  # 「〜さんの検証のレベルは？」
            data.notes.append(f"{profile.name}さんには{asked}のスキル登録がありません。")
    if len(data.profiles) == 1 and _SKILL_ASKED.search(turn.message.lower()):
        # 「竹下さんって検証できる？」; 「そこの山口さんってLv何？」: the process she works on
        profile = data.profiles[0]
        on_now = profile.current[2] if profile.current is not None else None
        level_asked = _LEVEL_ASKED.search(turn.message.lower()) is not None
        process = asked if isinstance(asked, str) else on_now if level_asked else None
        data.profiles[0] = replace(profile, skill_asked=process)
    return data


_SKILL_ASKED = re.compile(
    r"レベル|lv|スキル|でき(?:る|ます|た)|やれる|いける|打てる|経験|何年|速さ|スピード"
    r"|level|skill|\bcan (?:she|he)\b"
)
"""A look-up that asks about a skill (said first in the answer): 「補正もできたっけ」 too."""
_LEVEL_ASKED = re.compile(r"レベル|lv|level")
"""「そこの山口さんってLv何？」: her level on the process she works on, when none is named."""


def _day_asked(said: str | None, today: date) -> date:
    """The day a look-up asks about: today, unless the message names another one."""
    if said in (None, "today"):
        return today
    if said == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(str(said))
    except ValueError:
        return today


def _profile(record: operator_repo.OperatorRecord) -> OperatorProfile:
    current = _queue_of(record) if record.assignment is not None else None
    return OperatorProfile(
        name=record.operator.operator_name or "",
        location=record.operator.location_name or "",
        active=bool(record.operator.is_valid),
        current=current,
        skills=[
            SkillFacts(
                process=s.process_name or "",
                level=s.skill_level or 0,
                experience_months=s.experience_months or 0,
                speed=float(s.average_speed or 0),
            )
            for s in record.skills
        ],
    )

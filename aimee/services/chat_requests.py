"""Step 3-4 of the chat pipeline by request kind: each kind of request
(``nlu.request.REQUEST_KINDS``) has one handler here, which honours the slots it
reads (the constraints of a plan, the person looked up, the time asked about).
The intent-level handlers of ``chat_intents`` do the work the kinds share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.llm.context import (
    DonorCheck,
    NoHelpfulHelpers,
    OperatorFacts,
    OperatorProfile,
    QueueFacts,
    SkillFacts,
)
from aimee.llm.wording import clock, minutes
from aimee.nlu.normalize import normalize
from aimee.nlu.person_site import at_persons_site
from aimee.nlu.request import HeadCount, OperatorSlots, QueueRef, Request, RequestKind, Slots
from aimee.nlu.sent_away import sends_away
from aimee.nlu.slots import said_as_person
from aimee.services import chat_intents as intents
from aimee.services import facts
from aimee.services.chat_day_plan import day_plan
from aimee.services.chat_intents import TurnData, TurnInput
from aimee.services.planning import PlanLimits
from aimee.services.policy import Policy
from aimee.services.scenarios import build_situation
from aimee.services.suggestions import TimelineStep, stored_plan
from aimee.services.what_if import people_changed
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories import suggestions as suggestion_repo
from aimee.store.repositories.master import master_data

_BY_DEADLINE = re.compile(
    r"(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|(半))?\s*(?:の)?(?:締め|〆|締切|納期)の?\s*"
    r"(?:やつ|とこ|ところ|工程|キュ|分|仕事|案件|もの)"
)
"""「16時締めのやつ」: the queues whose deadline is that time."""
_ALL_LATE = re.compile(
    r"(?:遅れ|間に合わ)(?:てる|ている|そうな|ない)?(?:の|やつ|工程|とこ|ところ)?\s*"
    r"(?:[2-9２-９二三四五]つ|両方|全部)"
)
"""「盛岡 遅れ2つ 両方 品川から」「間に合わない工程全部」: every late queue (of the site named)."""
_INDIRECT_KINDS: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "finish_time", "status", "delay_risk"}
)


def resolve_indirect(
    session: Session,
    request: Request,
    message: str,
    *,
    now: datetime,
    policy: Policy,
    process: str | None = None,
) -> Request:
    """A request whose queue is named by what the data says of it (「16時締めのやつ」
    「那覇でいちばん遅れてる工程」), with that queue as its target; a look-up of a family
    name several people share, with a site named (「品川の中島さんは？」), about the one
    (or ones) there."""
    request = _namesakes_at_site(session, request, message, process)
    request = _at_persons_site(session, request)
    slots = request.slots
    if request.kind not in _INDIRECT_KINDS or any(t.process for t in slots.targets):
        return request
    text = normalize(message)
    by_deadline = _BY_DEADLINE.search(text)
    worst = intents.WORST_ASKED.search(text) if request.kind == "plan" else None
    every_late = (  # a site's late queues; the floor's are the floor-wide request itself
        request.kind != "delay_risk"
        and any(t.location for t in slots.targets)
        and _ALL_LATE.search(text) is not None
    )
    if by_deadline is None and worst is None and not every_late:
        return request
    situation = build_situation(session, now=now, rules=policy.rules)
    sites = {t.location for t in slots.targets if t.location}
    pool = [q for q in facts.queue_facts(situation).values() if not sites or q.location in sites]
    if by_deadline is not None:
        hour, minute, half = by_deadline.groups()
        at = (int(hour), 30 if half else int(minute or 0))
        picked = [q for q in pool if (q.deadline.hour, q.deadline.minute) == at]
    else:
        late = [q for q in pool if q.will_be_late]
        if worst is not None:
            late = [max(late, key=lambda q: q.late_tasks)] if late else []
        picked = late
    if not picked:
        return request
    targets = tuple(
        QueueRef(location=q.location, business_id=q.business_id, process=q.process) for q in picked
    )
    return request.model_copy(update={"slots": slots.model_copy(update={"targets": targets})})


def _at_persons_site(session: Session, request: Request) -> Request:
    """「山口さんが抜けたら補正どうなる？」: the queue at the site where she works."""
    ops = request.slots.operators
    if request.kind != "what_if" or ops is None or not (ops.move or ops.remove):
        return request
    if any(t.location for t in request.slots.targets):
        return request
    site_of = operator_repo.assigned_sites(session, [*ops.move, *ops.remove])
    return at_persons_site(request, site_of)


def _namesakes_at_site(
    session: Session, request: Request, message: str, process: str | None = None
) -> Request:
    """「品川の中島さんは？」「札幌E1にいる方」 (after a look-up of namesakes): the one (or
    ones) working at that site, and on that process when several are there."""
    people = request.slots.operators
    if request.kind != "operator_lookup" or people is None or len(people.about) < 2:
        return request
    text = normalize(message)
    sites = [site for site in master_data(session).locations if site in text]
    if len(sites) != 1:
        return request
    records = operator_repo.list_operators(
        session,
        operator_repo.OperatorFilter(location=sites[0], include_invalid=True, limit=10_000),
    )
    there = {r.operator.operator_name for r in records}
    kept = tuple(name for name in people.about if name in there)
    on_it = {
        r.operator.operator_name
        for r in records
        if r.assignment is not None and r.assignment.process_name == process
    }
    if len(kept) > 1 and any(name in on_it for name in kept):
        kept = tuple(name for name in kept if name in on_it)
    if not kept or len(kept) == len(people.about):
        return request
    slots = request.slots.model_copy(
        update={"operators": people.model_copy(update={"about": kept})}
    )
    return request.model_copy(update={"slots": slots})


def _slots(turn: TurnInput) -> Slots:
    return turn.request.slots if turn.request is not None else Slots()


def plan(turn: TurnInput) -> TurnData:
    """Help for the target queue under every constraint the manager stated; for the rest
    of the day (「今日の残りどう回す？」), the time-phased plan of the floor."""
    if turn.request is not None and turn.request.horizon == "day":
        return day_plan(turn)
    slots = _slots(turn)
    people = slots.operators
    limits = PlanLimits(
        origins=slots.origins,
        spare=slots.spare,
        excluded=people.remove if people is not None else (),
        forced=(*people.add, *people.move) if people is not None else (),
        max_moves=_head_count(slots),
        helpers=slots.head_count.exact if slots.head_count is not None else None,
        min_level=slots.min_level,
    )
    data = intents.deadline_optimization(turn, limits=limits)
    if slots.unknown:  # 「井上さんは使わないで」 about nobody we know: planned all the same
        master = master_data(turn.session)
        data.notes.insert(
            0, _unknown_note(slots.unknown, turn.message, master.locations, master.processes)
        )
    after_day_plan = turn.thread is not None and turn.thread.horizon == "day"
    constrained = slots.head_count or slots.origins or slots.spare or people or slots.min_level
    if after_day_plan and constrained:  # 「じゃあ2名までなら？」 after 「今日の残りどう回す？」
        data.remarks.insert(0, AFTER_DAY_PLAN)
    wanted = slots.head_count.exact if slots.head_count is not None else None
    used = len(data.suggestion.moves) if data.suggestion is not None else 0
    if wanted is not None and 0 < used < wanted:
        data.remarks.append(
            f"{wanted}名の案は見つかりませんでした（条件に合い、ほかの工程を遅らせない範囲で"
            f"{used}名）。"
        )
    return data


AFTER_DAY_PLAN = (
    "本日の残りの計画には人数などの条件を付けられないため、これは今の移動だけの案です"
    "（今後の予定は含まず、数字は本日の残りの計画と比べられません）。"
)


def _head_count(slots: Slots) -> int | None:
    if slots.head_count is None:
        return None
    return slots.head_count.max if slots.head_count.max is not None else slots.head_count.exact


def what_if(turn: TurnInput) -> TurnData:
    """The effect of a change the manager describes: named people taken off their
    queue or sent to the target (「高山さんを抜いても回る？」「上野さんの代わりに中島さんを
    入れたら？」), N people of level k added (「Lv4以上を2名入れたら間に合う？」: the best
    such helpers, planned), or the last suggestion."""
    slots = _slots(turn)
    people = slots.operators
    count = slots.head_count
    leave_count = count.exact or 0 if count is not None and count.leaving else 0
    if leave_count and not slots.targets:
        return TurnData(notes=["どの工程から抜けるかがわかりません。拠点と工程を教えてください。"])
    if leave_count or (people is not None and (people.remove or people.move or people.add)):
        people = people or OperatorSlots()
        away = sends_away(turn.message)
        found = people_changed(
            turn.session,
            now=turn.now,
            policy=turn.policy,
            targets=slots.targets,
            remove=people.remove,
            send=(*people.move, *people.add),
            leave_count=leave_count,
            sent_out=people.move if away else (),
            elsewhere=away == "elsewhere",
        )
        if found.facts is None:  # nobody could be moved there: maybe where they leave
            elsewhere = _same_change_elsewhere(turn, slots.targets, people)
            if elsewhere is not None:
                return elsewhere
        return TurnData(suggestion=found.facts, notes=found.notes)
    if slots.head_count is not None or slots.min_level is not None:
        data = plan(turn)
        on_time = data.queues and all(round(q.late_tasks) == 0 for q in data.queues)
        if data.suggestion is None and on_time:  # 「盛岡のE1に2人増やしたら？」 on time already
            data.notes = [_on_time_already(data.queues, count)]
        elif data.queues and data.no_helper_helps:
            data.notes = []  # the verdict below says it, with the conditions asked
            data.no_helpful_helpers = _no_helpful_helpers(data.queues, slots)
        return data
    return intents.impact_analysis(turn)


def _on_time_already(queues: list[QueueFacts], count: HeadCount | None) -> str:
    """A what-if adding people to queues that make their deadline already: its verdict."""
    q = queues[0]
    where = q.label if len(queues) == 1 else f"{q.label}など{len(queues)}工程"
    detail = ""
    if len(queues) == 1 and q.projected_completion is not None:
        slack = (q.deadline - q.projected_completion).total_seconds() / 60
        detail = (
            f"（完了見込み{clock(q.projected_completion)}、納期{clock(q.deadline)}まで"
            f"余裕{minutes(max(0.0, slack))}）"
        )
    added = f"{count.exact}名" if count is not None and count.exact else "人を"
    return (
        f"{where}は今のままでも納期に間に合う見込みです{detail}。{added}増やしても"
        "遅延見込みは0件のままで、変わりません。"
    )


def _no_helpful_helpers(queues: list[QueueFacts], slots: Slots) -> NoHelpfulHelpers:
    """A what-if adding N people (of a level, from somewhere) that no such helper makes
    better: the queues asked about and the conditions asked, for its verdict."""
    count = slots.head_count
    return NoHelpfulHelpers(
        queues=queues,
        head_count=(count.exact or count.max) if count is not None else None,
        min_level=slots.min_level,
        origins=tuple(dict.fromkeys(r.location for r in slots.origins if r.location)),
    )


def _same_change_elsewhere(
    turn: TurnInput, targets: tuple[QueueRef, ...], people: OperatorSlots
) -> TurnData | None:
    """「竹内さんを那覇のエントリ1に回したら？」 then 「抜けた後の検証は？」: the last
    what-if's change, judged on the queue asked about (the one its people leave)."""
    thread = turn.thread
    if thread is None or thread.kind != "what_if" or not targets:
        return None
    if thread.slots.operators != people or thread.slots.targets == targets:
        return None
    found = people_changed(
        turn.session,
        now=turn.now,
        policy=turn.policy,
        targets=thread.slots.targets,
        remove=people.remove,
        send=(*people.move, *people.add),
    )
    place = targets[0]
    asked = [c for c in found.every_queue if place.names((c.location, c.business_id, c.process))]
    if found.facts is None or not asked:
        return None
    others = [c for c in found.facts.changes if c not in asked]
    judged = replace(found.facts, target=asked[0], changes=[*asked, *others])
    return TurnData(suggestion=judged, notes=found.notes)


def donor_check(turn: TurnInput) -> TurnData:
    """「その場合、品川は平気？」: the place asked about against the plan on the table
    (who leaves it, each of its queues before and after); else a what-if."""
    slots = _slots(turn)
    thread = turn.thread
    people = thread.slots.operators if thread is not None else None
    if slots.targets and thread is not None and thread.kind == "what_if" and people is not None:
        return _donor_of_what_if(turn, slots.targets[0], thread.slots.targets, people)
    if turn.previous_suggestion_id is None or not slots.targets:
        return intents.impact_analysis(turn)
    row = suggestion_repo.get(turn.session, turn.previous_suggestion_id)
    if row is None:
        return intents.impact_analysis(turn)
    scenario, result = stored_plan(row)
    place = slots.targets[0]
    leaving = [
        m
        for m, move in zip(facts.move_facts(scenario, result), result.moves, strict=True)
        if move.from_ is not None and place.names(move.from_.id)
    ]
    queues = [
        c
        for c in facts.queue_changes(result, [o.key.id for o in result.queues])
        if place.names((c.location, c.business_id, c.process))
    ]
    label = "の".join(p for p in (place.location, place.process) if p) or "その工程"
    data = TurnData(donor=DonorCheck(place=label, leaving=leaving, queues=queues))
    if (row.plan or {}).get("day") is not None:  # a plan for the rest of the day
        data.remarks.append(_later_from(row.suggestion_id, row.plan.get("timeline", []), place))
    return data


MAX_LATER_LISTED = 5


def _later_from(suggestion_id: str, timeline: list[dict[str, object]], place: QueueRef) -> str:
    """What a donor check of a day plan's first moves leaves out: the timeline's later moves
    out of the place asked about."""
    steps = [TimelineStep.model_validate(step) for step in timeline]
    later = [
        s
        for s in steps
        if s.from_process is not None
        and not s.returning
        and place.names((s.from_, s.from_business_id, s.from_process))
    ]
    scope = f"この確認は今の移動（提案{suggestion_id}）だけが対象です。"
    if not later:
        return scope + "今後の予定でも、ここから移る人はいません。"
    listed = "、".join(
        f"{s.at:%H:%M} {s.operator}さん→{s.to}の{s.process}" for s in later[:MAX_LATER_LISTED]
    )
    more = f"ほか{len(later) - MAX_LATER_LISTED}名" if len(later) > MAX_LATER_LISTED else ""
    return f"{scope}今後の予定では、ここから{len(later)}名が移ります（{listed}{more}）。"


def _donor_of_what_if(
    turn: TurnInput, place: QueueRef, targets: tuple[QueueRef, ...], people: OperatorSlots
) -> TurnData:
    """「高山さんを回したら？」 then 「その場合、盛岡は？」: the place under that what-if."""
    found = people_changed(
        turn.session,
        now=turn.now,
        policy=turn.policy,
        targets=targets,
        remove=people.remove,
        send=(*people.move, *people.add),
    )
    if found.facts is None:
        return TurnData(notes=found.notes)
    leaving = [
        m
        for m in found.facts.moves
        if m.from_location is not None
        and place.names((m.from_location, place.business_id, m.from_process))
    ]
    queues = [c for c in found.every_queue if place.names((c.location, c.business_id, c.process))]
    label = "の".join(p for p in (place.location, place.process) if p) or "その工程"
    return TurnData(donor=DonorCheck(place=label, leaving=leaving, queues=queues))


def finish_time(turn: TurnInput) -> TurnData:
    """When the queues asked about finish, and their margin (or how late)."""
    data = intents.status_inquiry(turn)
    data.by_time = _at(turn.now, _slots(turn).by_time)
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
    slots = _slots(turn)
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
    slots = _slots(turn)
    names = list(slots.operators.about) if slots.operators is not None else []
    if not names and turn.entities.get("operator"):
        names = [str(turn.entities["operator"])]
    records = operator_repo.list_operators(
        turn.session, operator_repo.OperatorFilter(include_invalid=True, limit=100_000)
    )
    by_name = {r.operator.operator_name: r for r in records}
    data = TurnData()
    for name in names:
        record = by_name.get(name)
        if record is not None:
            data.profiles.append(_profile(record))
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
    return data


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


def approval_request(turn: TurnInput) -> TurnData:
    """The chat never approves by itself: it points to the card, which records who decided."""
    if turn.previous_suggestion_id is None:
        return TurnData(
            notes=["承認できる提案がまだありません。まず遅れている工程を教えてください。"]
        )
    return TurnData(
        notes=[
            f"提案{turn.previous_suggestion_id}の承認は、提案カードの「承認」ボタンからお願いします"
            "（承認者と日時が記録されます）。チャットからは承認しません。"
        ]
    )


def help_request(turn: TurnInput) -> TurnData:
    return TurnData(notes=[_HELP])


_HELP = (
    "AIMEEにできること:\n"
    "・遅れそうな工程に誰を回せば間に合うかの提案（例: 「札幌のエントリ1工程が遅延しています」"
    "「盛岡から2名までで」）\n"
    "・配置を変えた場合の影響（例: 「高山さんを抜いても回る？」）\n"
    "・工程の状況と完了見込み（例: 「梅田の進捗は？」「何時に終わりそう？」）\n"
    "・納期に間に合わない工程の一覧（例: 「間に合わない工程は？」）\n"
    "・スキルで人を探す・人を調べる（例: 「補正ができる人は？」「高山さんは今どこ？」）\n"
    "・管理者のノウハウ（例: 「応援を出すときの基準は？」）"
)


def out_of_scope(turn: TurnInput) -> TurnData:
    """Say what is unknown or not covered, and what AIMEE does, in a sentence or two."""
    slots = _slots(turn)
    notes = []
    master = master_data(turn.session)
    known_sites = master.locations
    if slots.unknown:
        notes.append(_unknown_note(slots.unknown, turn.message, known_sites, master.processes))
    if slots.date is not None and slots.date != "today":
        notes.append("その日の進捗データはありません。AIMEEが扱うのは本日の進捗と見込みです。")
    if not notes and _THANKS.search(turn.message):
        notes.append("どういたしまして。ほかに確認したい工程があればどうぞ。")
    elif not notes and _GREETING.search(turn.message):
        notes.append("お疲れさまです。気になる工程や拠点を教えてください。")
    elif not notes:
        notes.append(
            "その質問にはお答えできません。AIMEEは各工程の進捗と納期の見込み、"
            "人員の再配置の提案をお手伝いします。"
        )
    return TurnData(notes=notes, unknown=list(slots.unknown), sites=list(known_sites))


def _unknown_note(
    names: tuple[str, ...], message: str, sites: list[str], processes: list[str]
) -> str:
    people = [n for n in names if said_as_person(n, message)]
    places = [n for n in names if n not in people]
    parts = []
    if places:
        listed = "、".join(f"「{n}」" for n in places)
        parts.append(
            f"{listed}はデータに登録されていません（拠点: {'、'.join(sites)}／"
            f"工程: {'、'.join(processes)}）。"
        )
    if people:
        listed = "、".join(f"「{n}」さん" for n in people)
        parts.append(f"{listed}というオペレータは登録されていません。")
    return "".join(parts)


def respond(turn: TurnInput, kind: RequestKind) -> TurnData:
    """The handler of ``kind``, unless the request names what the data does not have
    (a site, process or person; a day without data; someone inactive), which is said
    instead of answering about something else."""
    missing = _missing(turn, kind)
    if missing is not None:
        missing.answered_as = "out_of_scope"
        return missing
    data = HANDLERS[kind](turn)
    data.referents = _referents(data)
    data.queue_referents = _late_listed(data)
    return data


_ANSWERED_BY_DATA: frozenset[RequestKind] = frozenset(
    {"plan", "what_if", "donor_check", "status", "finish_time", "delay_risk", "skill_search"}
)


def _missing(turn: TurnInput, kind: RequestKind) -> TurnData | None:
    slots = _slots(turn)
    if kind not in _ANSWERED_BY_DATA:
        return None
    if slots.date not in (None, "today"):
        return out_of_scope(turn)
    people = slots.operators
    changed = (*people.add, *people.move, *people.remove) if people is not None else ()
    gone = operator_repo.inactive_among(turn.session, changed)
    if gone:
        who = "、".join(f"{name}さん" for name in gone)
        return TurnData(
            notes=[f"{who}は現在無効（配置できないオペレータ）のため、計算に使えません。"]
        )
    if not slots.unknown:
        return None
    only_people = all(said_as_person(name, turn.message) for name in slots.unknown)
    if kind == "plan" and slots.targets and only_people:  # 「井上さんは使わないで」
        return None  # planned; the note below says the name is unknown
    return out_of_scope(turn)


MAX_REFERENTS = 5
_THANKS = re.compile(r"ありがと|助か|感謝|thank", re.IGNORECASE)
_GREETING = re.compile(
    r"お疲れ|おつかれ|こんにちは|おはよう|こんばんは|よろしく|hello|\bhi\b", re.I
)


def _referents(data: TurnData) -> tuple[str, ...]:
    """Whom 「その人」 in the next turn means: the person the answer named first."""
    if data.profiles:
        return tuple(p.name for p in data.profiles)
    if data.operators:  # 「その人」 is the first, 「その2人」 the first two
        return tuple(o.name for o in data.operators[:MAX_REFERENTS])
    if data.suggestion is not None and len(data.suggestion.moves) == 1:
        return (data.suggestion.moves[0].operator_name,)
    return ()


def _late_listed(data: TurnData) -> tuple[QueueRef, ...]:
    """What 「それ」 in the next turn means after a list of queues: the late ones, in the
    order the answer gives them."""
    late = [q for q in data.queues if q.will_be_late]
    return tuple(
        QueueRef(location=q.location, business_id=q.business_id, process=q.process)
        for q in late[:MAX_REFERENTS]
    )


HANDLERS: dict[RequestKind, Callable[[TurnInput], TurnData]] = {
    "plan": plan,
    "what_if": what_if,
    "donor_check": donor_check,
    "status": intents.status_inquiry,
    "finish_time": finish_time,
    "delay_risk": intents.delay_risk_detection,
    "skill_search": skill_search,
    "operator_lookup": operator_lookup,
    "knowhow": intents.general,
    "help": help_request,
    "approval_request": approval_request,
    "out_of_scope": out_of_scope,
}
"""One handler per request kind (a test holds this equal to ``REQUEST_KINDS``)."""

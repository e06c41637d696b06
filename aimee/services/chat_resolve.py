"""What a chat request is about, when the data names it (step 3 of the chat pipeline,
before its handler): 「16時締めのやつ」「那覇でいちばん遅れてる工程」 as the queues they are,
a what-if about someone as the site where she works, namesakes by the site named."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.nlu import request_words as words
from aimee.nlu.normalize import normalize
from aimee.nlu.person_site import at_persons_site, people_placing
from aimee.nlu.request import QueueRef, Request, RequestKind
from aimee.services import chat_intents as intents
from aimee.services import facts
from aimee.services.policy import Policy
from aimee.services.scenarios import build_situation
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories.master import master_data

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
    if request.kind not in _INDIRECT_KINDS or any(t.process and t.location for t in slots.targets):
        return request
    text = normalize(message)
    by_deadline = words.QUEUE_BY_DEADLINE.search(text)
    changes = request.kind in ("plan", "what_if")  # 「一番やばいとこに2人まで入れるなら？」
    worst = intents.WORST_ASKED.search(text) if changes else None
    every_late = (  # a site's late queues; the floor's are the floor-wide request itself
        request.kind != "delay_risk"
        and any(t.location for t in slots.targets)
        and _ALL_LATE.search(text) is not None
    )
    if by_deadline is None and worst is None and not every_late:
        return request
    situation = build_situation(session, now=now, rules=policy.rules)
    sites = {t.location for t in slots.targets if t.location}
    processes = {t.process for t in slots.targets if t.process}  # 「検証で一番遅れてるとこ」
    businesses = {t.business_id for t in slots.targets if t.business_id}  # 「KPで一番…」
    pool = [
        q
        for q in facts.queue_facts(situation).values()
        if (not sites or q.location in sites)
        and (not processes or q.process in processes)
        and (not businesses or q.business_id in businesses)
    ]
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
    """「山口さんが抜けたら補正どうなる？」「その人をE1に入れて」: the queue at the site where
    she works; 「佐野さん抜けたらE2困る？」: the E2 she works on."""
    ops = request.slots.operators
    people = set(people_placing(request)) | set(ops.remove if ops is not None else ())
    if not people:
        return request
    return at_persons_site(request, operator_repo.assigned_queues(session, sorted(people)))


def _namesakes_at_site(
    session: Session, request: Request, message: str, process: str | None = None
) -> Request:
    """「品川の中島さんは？」「札幌E1にいる方」「補正にいる方」 (after a look-up of
    namesakes): the one (or ones) working at that site, and on that process when several
    are there."""
    people = request.slots.operators
    if request.kind != "operator_lookup" or people is None or len(people.about) < 2:
        return request
    text = normalize(message)
    sites = [site for site in master_data(session).locations if site in text]
    if len(sites) > 1 or (not sites and process is None):
        return request
    site = sites[0] if sites else None
    records = operator_repo.list_operators(
        session,
        operator_repo.OperatorFilter(location=site, include_invalid=True, limit=10_000),
    )
    there = {r.operator.operator_name for r in records} if site else set(people.about)
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

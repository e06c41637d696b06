"""Step 3-4 of the chat pipeline by request kind: each kind of request
(``nlu.request.REQUEST_KINDS``) has one handler, registered here (``HANDLERS``), which
honours the slots it reads (the constraints of a plan, the person looked up, the time
asked about). The handlers live in modules of their own (``chat_plan``,
``chat_what_if``, ``chat_donor_check``, ``chat_lookups``, ``chat_replies``); what a
request is about, when the data names it, is found by ``chat_resolve``. The
intent-level handlers of ``chat_intents`` do the work the kinds share."""

from __future__ import annotations

from collections.abc import Callable

from aimee.nlu.request import QueueRef, RequestKind
from aimee.nlu.slots import said_as_person
from aimee.services import chat_intents as intents
from aimee.services.chat_donor_check import donor_check
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.services.chat_lookups import finish_time, operator_lookup, skill_search
from aimee.services.chat_plan import plan
from aimee.services.chat_replies import approval_request, help_request, out_of_scope
from aimee.services.chat_resolve import resolve_indirect
from aimee.services.chat_what_if import what_if
from aimee.store.repositories import operators as operator_repo

__all__ = ["HANDLERS", "resolve_indirect", "respond"]


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
    slots = slots_of(turn)
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


def _referents(data: TurnData) -> tuple[str, ...]:
    """Whom 「その人」 in the next turn means: the person the answer named first (「その2人」
    the first two, 「2番目の人」 the second), in the order the answer lists them."""
    if data.profiles:
        return tuple(p.name for p in data.profiles)
    if data.operators:
        return tuple(o.name for o in data.operators[:MAX_REFERENTS])
    if data.suggestion is not None:  # the card's moves, as listed
        moved = dict.fromkeys(m.operator_name for m in data.suggestion.moves)
        return tuple(moved)[:MAX_REFERENTS]
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

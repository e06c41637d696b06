"""The chat pipeline (the seed's five steps): intent → know-how → data →
suggestion → answer. The suggestion is computed before any LLM runs and is
never changed by it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from aimee.knowledge import KnowledgeHit
from aimee.llm.context import AnswerContext, KnowhowFacts, NameBook
from aimee.llm.responder import Answer, Responder, StreamEvent
from aimee.nlu import Gazetteer, IntentAnalyzer, IntentResult
from aimee.nlu.own_site import says_own_site, with_own_site
from aimee.nlu.request import NEAREST_KIND, Request
from aimee.services.chat_intents import TurnData, TurnInput
from aimee.services.chat_requests import resolve_indirect, respond
from aimee.services.conversation import ConversationMemory, Turn, last_plan, last_suggestion_id
from aimee.services.day_plan import DayPlanner
from aimee.services.facts import with_business_names
from aimee.services.knowledge import KnowledgeService
from aimee.services.overlaps import annotate_card
from aimee.services.policy import Policy
from aimee.services.suggestions import SuggestionPublic
from aimee.store.repositories.master import current_queues, master_data

log = logging.getLogger(__name__)

GAZETTEER_TTL_S = 600.0
KNOWHOW_RESULTS = 3
HISTORY_TURNS = 4
"""Earlier messages an LLM sees: enough for 「じゃあ1名だけなら？」 to make sense."""
OWN_SITE_UNKNOWN = (
    "「うち」がどの拠点かは登録されていないため、拠点を限らずにお答えします"
    "（拠点名でお尋ねいただくか、管理者に担当拠点の登録を依頼してください）。"
)
REQUIRES_ACTION = {"deadline_optimization"}
KNOWHOW_KINDS = frozenset({"plan", "what_if", "donor_check", "knowhow"})
"""Answers that cite know-how: a status, a time or a look-up is answered by the data."""


@dataclass(frozen=True)
class Source:
    title: str
    content: str
    similarity: float
    category: str


@dataclass(frozen=True)
class PreparedTurn:
    """Everything but the answer text: computed before any LLM runs."""

    intent: IntentResult
    context: AnswerContext
    suggestion: SuggestionPublic | None
    sources: list[Source]
    timestamp: datetime


@dataclass(frozen=True)
class ChatReply:
    response: str
    answer_source: str
    suggestion: SuggestionPublic | None
    intent: IntentResult
    sources: list[Source]
    timestamp: datetime
    timings_ms: dict[str, float] = field(default_factory=dict)


class ChatService:
    def __init__(
        self,
        *,
        memory: ConversationMemory,
        knowledge: KnowledgeService,
        responder: Responder,
        policy: Policy,
        intent_llm: Any = None,
        day_plans: DayPlanner | None = None,
        day_plan_wait_s: float | None = None,
    ) -> None:
        self._memory = memory
        self._day_plans = day_plans
        self._day_plan_wait_s = (
            day_plan_wait(day_plans) if day_plan_wait_s is None else day_plan_wait_s
        )
        self._knowledge = knowledge
        self._responder = responder
        self._policy = policy
        self._intent_llm = intent_llm
        self._analyzer: IntentAnalyzer | None = None
        self._names = NameBook()
        self._businesses: dict[str, str] = {}
        self._analyzer_built = 0.0
        self._queues: dict[int, tuple[str, str, str]] = {}
        self._lock = threading.Lock()

    def analyzer(self, session: Session) -> IntentAnalyzer:
        """The intent analyzer over the current master data (rebuilt every 10 min)."""
        with self._lock:
            if self._analyzer is None or time.monotonic() - self._analyzer_built > GAZETTEER_TTL_S:
                master = master_data(session)
                gazetteer = Gazetteer(
                    locations=master.locations,
                    processes=master.processes,
                    businesses=master.businesses,
                    operators=master.operators,
                    inactive=master.inactive,
                    sites=master.sites,
                    queues=master.queues,
                )
                self._analyzer = IntentAnalyzer(gazetteer, llm=self._intent_llm)
                self._names = NameBook(
                    sites=tuple(master.locations),
                    processes=tuple(master.processes),
                    businesses=(*master.businesses, *master.businesses.values()),
                    operators=tuple(master.operators.values()),
                )
                self._businesses = dict(master.businesses)
                self._analyzer_built = time.monotonic()
                self._queues = master.queues
            else:  # who works where tells namesakes apart: read again for every message
                queues = current_queues(session)  # (moves at one time change no timestamp)
                if queues != self._queues:
                    self._analyzer.gazetteer.set_queues(queues)
                    self._queues = queues
            return self._analyzer

    def warm_up(self, session: Session) -> None:
        """Load the embedding model and the intent examples before the first message."""
        self.analyzer(session).warm_up()

    def prepare(
        self,
        session: Session,
        message: str,
        session_id: str,
        *,
        now: datetime,
        user: str | None,
        may_plan_day: bool = False,
        home_site: str | None = None,
    ) -> PreparedTurn:
        """The turn's facts and suggestion; ``may_plan_day``: the person may start a plan
        for the rest of the day (approver or higher); ``home_site``: the site they manage
        (「うち」 means it)."""
        turns = self._memory.turns(session_id)
        previous = _previous_intent(_last_on_the_floor(turns)) if turns else None
        thread = last_plan(turns)
        said = with_own_site(message, home_site) if home_site else message
        intent = self.analyzer(session).analyze(said, previous, thread, now.date())
        if intent.request is not None:  # 「16時締めのやつ」: the queue the data says it is
            resolved = resolve_indirect(
                session,
                intent.request,
                said,
                now=now,
                policy=self._policy,
                process=str(intent.entities["process"]) if intent.entities.get("process") else None,
            )
            intent = intent.model_copy(update={"request": resolved})
        kind = intent.request.kind if intent.request is not None else None
        searching: Future[list[KnowledgeHit]] | None = None
        if kind is None or kind in KNOWHOW_KINDS:  # the rest is answered by the data alone
            self._knowledge.refresh(session)
            # embedding the query and the planner's solve both leave the GIL: side by side
            searching = _SEARCHES.submit(self._knowledge.search, message, k=KNOWHOW_RESULTS)
        data: TurnData = respond(
            TurnInput(
                session=session,
                message=said,
                entities=dict(intent.entities),
                now=now,
                policy=self._policy,
                previous_suggestion_id=last_suggestion_id(turns),
                user=user,
                request=intent.request,
                thread=thread,
                day_plans=self._day_plans,
                may_plan_day=may_plan_day,
                day_plan_wait_s=self._day_plan_wait_s,
            ),
            kind if kind is not None else NEAREST_KIND[intent.intent_type],
        )
        if says_own_site(message):  # said, so the manager (and an LLM) sees how it was read
            if home_site is not None:
                data.remarks.append(f"（「うち」は{home_site}としてお答えしています。）")
            elif not _names_a_site(intent):
                data.remarks.append(OWN_SITE_UNKNOWN)
        hits = relevant(_finished(searching), kind)
        context = AnswerContext(
            message=message,
            intent_type=intent.intent_type,
            kind=data.answered_as or kind or "",
            now=now,
            queues=data.queues,
            suggestion=data.suggestion,
            operators=data.operators,
            knowhow=[_knowhow(hit) for hit in hits],
            notes=data.notes,
            remarks=data.remarks,
            whole_floor=data.whole_floor,
            profiles=data.profiles,
            donor=data.donor,
            operators_total=data.operators_total,
            order=data.order,
            by_time=data.by_time,
            language=(intent.request.slots.language or "ja") if intent.request else "ja",
            unknown=data.unknown,
            sites=data.sites,
            history=[t.message for t in turns[-HISTORY_TURNS:]],
            names=self._names,
            day_plan=data.day_plan,
            worst_first=data.worst_first,
            no_helpful_helpers=data.no_helpful_helpers,
        )
        context = with_business_names(context, self._businesses)
        self._memory.save(
            session_id,
            [
                *turns,
                Turn(
                    message=message,
                    intent_type=intent.intent_type,
                    entities=dict(intent.entities),
                    suggestion_id=data.card.id if data.card else None,
                    at=now.isoformat(),
                    request=intent.request.model_copy(
                        update={
                            "answered_about": data.referents,
                            "answered_queues": data.queue_referents,
                        }
                    ).model_dump(mode="json")
                    if intent.request
                    else None,
                ),
            ],
        )
        return PreparedTurn(
            intent=intent,
            context=context,
            suggestion=annotate_card(session, data.card, now) if data.card else None,
            sources=[Source(hit.title, hit.content, hit.similarity, hit.category) for hit in hits],
            timestamp=now,
        )

    def reply(
        self,
        session: Session,
        message: str,
        session_id: str,
        *,
        now: datetime,
        user: str | None,
        may_plan_day: bool = False,
        home_site: str | None = None,
    ) -> ChatReply:
        started = time.perf_counter()
        prepared = self.prepare(
            session,
            message,
            session_id,
            now=now,
            user=user,
            may_plan_day=may_plan_day,
            home_site=home_site,
        )
        prepared_at = time.perf_counter()
        answer: Answer = self._responder.answer(prepared.context)
        return ChatReply(
            response=answer.text,
            answer_source=answer.source,
            suggestion=prepared.suggestion,
            intent=prepared.intent,
            sources=prepared.sources,
            timestamp=prepared.timestamp,
            timings_ms={
                "prepare": round((prepared_at - started) * 1000, 1),
                "answer": round((time.perf_counter() - prepared_at) * 1000, 1),
            },
        )

    def stream(self, prepared: PreparedTurn) -> Iterator[StreamEvent]:
        return self._responder.stream(prepared.context)


DAY_PLAN_START_S = 10.0
"""Besides its time limit, what a plan for the rest of the day may take: its solver
process starts on first use (~2 s measured by ``bench/day_plan.py``), and on a busy
machine the solve's own work around HiGHS outlasts the limit (seen: 12 s of 5)."""


def day_plan_wait(planner: DayPlanner | None) -> float:
    """How long a turn asking for the rest of the day waits for the plan to be done."""
    return 0.0 if planner is None else planner.time_limit_s + DAY_PLAN_START_S


KNOWHOW_MIN_SIMILARITY = 0.89
"""A note is cited under an answer only from this cosine similarity on: measured by
``bench/knowhow_relevance.py`` (160 manager messages labelled before any threshold was
looked at): precision 0.84 (27/32) where citing the top 3 as before had 0.35, at the
cost of citing nothing for most answers, which is fine; no lower threshold, nor any on
the fused score, reaches precision 0.8."""


def relevant(hits: list[KnowledgeHit], kind: str | None) -> list[KnowledgeHit]:
    """The notes worth citing: those similar enough; a know-how question (whose answer
    the notes are) also gets the closest one."""
    kept = [hit for hit in hits if hit.similarity >= KNOWHOW_MIN_SIMILARITY]
    if kind == "knowhow" and hits and hits[0] not in kept:
        kept.insert(0, hits[0])
    return kept


_SEARCHES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="knowhow-search")


def _finished(searching: Future[list[KnowledgeHit]] | None) -> list[KnowledgeHit]:
    """The know-how found, or none when the search failed (the answer stands without)."""
    if searching is None:
        return []
    try:
        return searching.result()
    except Exception:
        log.exception("know-how search failed; answering without know-how")
        return []


def _knowhow(hit: KnowledgeHit) -> KnowhowFacts:
    return KnowhowFacts(
        title=hit.title, content=hit.content, category=hit.category, similarity=hit.similarity
    )


def _names_a_site(intent: IntentResult) -> bool:
    """Whether the request is about a site (said or carried from the conversation)."""
    request = intent.request
    return request is not None and any(t.location for t in request.slots.targets)


_ASIDES = frozenset({"out_of_scope", "help"})


def _last_on_the_floor(turns: list[Turn]) -> Turn:
    """The turn a follow-up continues: an aside (「那覇って今日暑い？」, help) in between
    does not break the thread (「で、E1は何時に終わる？」 is about the queue before it)."""
    for turn in reversed(turns):
        kind = (turn.request or {}).get("kind")
        if kind not in _ASIDES:
            return turn
    return turns[-1]


def _previous_intent(turn: Turn) -> IntentResult:
    try:
        request = Request.model_validate(turn.request) if turn.request else None
    except ValidationError:  # written by another version: no context rather than a failure
        request = None
    return IntentResult(
        intent_type=turn.intent_type,
        entities=turn.entities,
        requires_action=turn.intent_type in REQUIRES_ACTION,
        confidence=1.0,
        source="rules",
        request=request,
    )

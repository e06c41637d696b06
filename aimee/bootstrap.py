"""Composition root: build the long-lived parts (engine, cache, know-how index,
answer writer, chat service) from the settings. Used by the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aimee import memory
from aimee.cache import Cache, create_cache
from aimee.config import Settings
from aimee.knowledge import KnowledgeIndex
from aimee.llm.ollama_client import OllamaAnswerer, OllamaIntentClassifier
from aimee.llm.responder import Responder
from aimee.services.approvals import ApprovalService
from aimee.services.chat import ChatService
from aimee.services.conversation import ConversationMemory
from aimee.services.day_plan import DayPlanner
from aimee.services.knowledge import KnowledgeService
from aimee.services.policy import Policy
from aimee.services.rate_limit import RateLimiter
from aimee.services.work_gate import WorkGate
from aimee.store.db import create_db_engine, session_factory


@dataclass(frozen=True)
class Components:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cache: Cache
    knowledge: KnowledgeService
    chat: ChatService
    approvals: ApprovalService
    chat_limiter: RateLimiter
    plan_limiter: RateLimiter
    sign_in_limiter: RateLimiter
    """Sign-in attempts per user name (password guessing)."""
    oidc_limiter: RateLimiter
    """Company sign-in attempts per client address (each calls the provider)."""
    heavy: WorkGate
    """Plans solved at once in this process, and how many may wait."""
    exports_gate: WorkGate
    """Export files built at once in this process, and how many may wait."""
    policy: Policy
    day_plans: DayPlanner
    """Plans for the rest of the day, solved in the background (``services/day_plan.py``)."""


def responder(settings: Settings) -> Responder:
    if not settings.ollama_url:
        return Responder()
    return Responder(
        OllamaAnswerer(
            settings.ollama_url, settings.ollama_model, timeout_s=settings.ollama_timeout_s
        )
    )


def intent_llm(settings: Settings) -> OllamaIntentClassifier | None:
    if not settings.ollama_intent_url:
        return None
    return OllamaIntentClassifier(
        settings.ollama_intent_url,
        settings.ollama_intent_model,
        timeout_s=settings.ollama_intent_timeout_s,
    )


def build(settings: Settings) -> Components:
    engine = create_db_engine(
        settings.effective_database_url, io_timeout_s=settings.database_timeout_s
    )
    cache = create_cache(settings.redis_url, disk_dir=settings.cache_dir)
    knowledge = KnowledgeService(KnowledgeIndex.from_settings(settings))
    policy = Policy.from_settings(settings)
    sessions = session_factory(engine)
    day_plans = DayPlanner(
        sessions, cache, policy=policy, time_limit_s=settings.day_plan_time_limit_s
    )
    return Components(
        settings=settings,
        engine=engine,
        sessions=sessions,
        cache=cache,
        knowledge=knowledge,
        chat=ChatService(
            memory=ConversationMemory(cache),
            knowledge=knowledge,
            responder=responder(settings),
            policy=policy,
            intent_llm=intent_llm(settings),
            day_plans=day_plans,
        ),
        approvals=ApprovalService(knowledge),
        chat_limiter=RateLimiter(cache, name="chat", limit=settings.chat_rate_limit),
        plan_limiter=RateLimiter(cache, name="plan", limit=settings.plan_rate_limit),
        sign_in_limiter=RateLimiter(
            cache, name="sign_in", limit=settings.sign_in_rate_limit, window_s=300
        ),
        oidc_limiter=RateLimiter(  # an office behind one address signs in together
            cache, name="oidc", limit=settings.sign_in_rate_limit * 6, window_s=300
        ),
        heavy=WorkGate(
            concurrency=settings.heavy_concurrency,
            queue=settings.heavy_queue,
            wait_s=settings.planner_time_limit_s * 2,  # a plan ahead may take its time limit
            after=memory.give_back,
        ),
        exports_gate=WorkGate(
            concurrency=settings.heavy_concurrency + 1,  # downloads are many and mostly small
            queue=settings.heavy_queue,
            wait_s=30,
            after=memory.give_back,
        ),
        policy=policy,
        day_plans=day_plans,
    )

"""Namesakes told apart by the queue they work on (「盛岡KPのE1の佐々木さん」) follow who
works where now: after a move, the chat's names read the new assignments, on SQLite and
MariaDB (the demo's 佐々木 at 盛岡KP are 拓也 on エントリ1 and 千尋 on 補正)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aimee.cache.memory import MemoryCache
from aimee.config import Settings
from aimee.llm.responder import Responder
from aimee.services.chat import ChatService
from aimee.services.conversation import ConversationMemory
from aimee.services.knowledge import KnowledgeService
from aimee.services.policy import Policy
from aimee.store.models import Operator
from aimee.store.repositories import assignments
from aimee.store.repositories.master import current_queues
from tests.conftest import DEMO_NOW


def _chat(settings: Settings) -> ChatService:
    return ChatService(
        memory=ConversationMemory(MemoryCache()),
        knowledge=KnowledgeService.__new__(KnowledgeService),  # not used to read names
        responder=Responder(),
        policy=Policy.from_settings(settings),
    )


def _said(chat: ChatService, session: Session, text: str) -> list[str | None]:
    extraction = chat.analyzer(session).gazetteer.extract(text)
    return [m.label for m in extraction.mentions if m.kind == "operator"]


def test_a_namesake_by_queue_follows_moves_made_at_one_time(db_session: Session) -> None:
    """Two moves at the same moment (a frozen clock, or one approval) swap the two 佐々木:
    「盛岡KPのE1の佐々木さん」 is then 千尋."""
    chat = _chat(Settings())
    assert _said(chat, db_session, "盛岡KPのE1の佐々木さん") == ["佐々木拓也"]
    assert _said(chat, db_session, "盛岡KPの補正の佐々木さん") == ["佐々木千尋"]
    ids = {
        name: db_session.scalar(select(Operator.operator_id).where(Operator.operator_name == name))
        for name in ("佐々木拓也", "佐々木千尋")
    }
    at = DEMO_NOW + timedelta(minutes=5)
    assignments.move(db_session, ids["佐々木拓也"], ("盛岡", "523202", "補正"), at)
    assignments.move(db_session, ids["佐々木千尋"], ("盛岡", "523202", "エントリ1"), at)
    assert current_queues(db_session)[ids["佐々木千尋"]] == ("盛岡", "523202", "エントリ1")
    assert _said(chat, db_session, "盛岡KPのE1の佐々木さん") == ["佐々木千尋"]
    assert _said(chat, db_session, "盛岡KPの補正の佐々木さん") == ["佐々木拓也"]

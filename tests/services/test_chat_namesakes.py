"""Namesakes told apart by the queue they work on (「盛岡KPのE1の佐々木さん」) follow who
works where now: after a move, the chat's names read the new assignments, on SQLite and
MariaDB (the demo's 佐々木 at 盛岡KP are 拓也 on エントリ1 and 千尋 on 補正)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aimee.cache.memory import MemoryCache
from aimee.config import Settings
from aimee.llm.responder import Responder
from aimee.services.chat import ChatService
from aimee.services.conversation import ConversationMemory
from aimee.services.knowledge import KnowledgeService
from aimee.services.policy import Policy
from aimee.store.models import Operator, OperatorAssignment
from aimee.store.repositories.master import current_queues, queues_version
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


def test_a_namesake_by_queue_follows_a_move(db_session: Session) -> None:
    chat = _chat(Settings())
    assert _said(chat, db_session, "盛岡KPのE1の佐々木さん") == ["佐々木拓也"]
    assert _said(chat, db_session, "盛岡KPの補正の佐々木さん") == ["佐々木千尋"]
    takuya = db_session.scalar(
        select(Operator.operator_id).where(Operator.operator_name == "佐々木拓也")
    )
    version = queues_version(db_session)
    db_session.execute(
        update(OperatorAssignment)
        .where(OperatorAssignment.operator_id == takuya)
        .values(process_name="補正", since=DEMO_NOW + timedelta(minutes=5))
    )
    db_session.flush()
    assert queues_version(db_session) != version
    assert current_queues(db_session)[takuya] == ("盛岡", "523202", "補正")
    assert _said(chat, db_session, "盛岡KPのE1の佐々木さん") == [None]  # nobody there now
    assert _said(chat, db_session, "盛岡KPの補正の佐々木さん") == [None]  # both there now

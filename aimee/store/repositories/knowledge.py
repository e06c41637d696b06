"""Manager know-how documents (the source of truth for the vector index)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aimee.store.models import KnowledgeDocument


def list_documents(
    session: Session, *, category: str | None = None, limit: int | None = None, offset: int = 0
) -> list[KnowledgeDocument]:
    query = select(KnowledgeDocument).order_by(KnowledgeDocument.document_id)
    if category:
        query = query.where(KnowledgeDocument.category == category)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query))


def count(session: Session, *, category: str | None = None) -> int:
    query = select(func.count()).select_from(KnowledgeDocument)
    if category:
        query = query.where(KnowledgeDocument.category == category)
    return int(session.scalar(query) or 0)


def get(session: Session, document_id: int) -> KnowledgeDocument | None:
    return session.get(KnowledgeDocument, document_id)


def add(session: Session, document: KnowledgeDocument) -> KnowledgeDocument:
    session.add(document)
    session.flush()
    return document


def delete(session: Session, document: KnowledgeDocument) -> None:
    session.delete(document)
    session.flush()

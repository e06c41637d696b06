"""Manager know-how: the database is the source of truth, the hybrid index
follows it. Create/update/delete write the row; the index is updated once the
transaction commits (never for a rolled-back change); ``reindex`` rebuilds the
index from the rows; ``refresh`` picks up what other processes changed (an
`aimee import knowledge`, another API worker)."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from aimee.errors import NotFound
from aimee.knowledge import KnowledgeDocumentData, KnowledgeHit, KnowledgeIndex, SyncReport
from aimee.store.models import KnowledgeDocument
from aimee.store.repositories import knowledge as repo
from aimee.tokens import redact

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentFields:
    title: str
    content: str
    category: str
    source: str


def as_data(row: KnowledgeDocument) -> KnowledgeDocumentData:
    return KnowledgeDocumentData(
        document_id=row.document_id,
        title=row.title,
        content=row.content,
        category=row.category,
        source=row.source,
    )


REFRESH_EVERY_S = 30.0
"""How often a process looks whether the rows changed behind its back."""


def list_documents(
    session: Session, *, category: str | None, limit: int, offset: int
) -> tuple[int, list[KnowledgeDocument]]:
    """How many documents (of ``category``) there are, and one page of them."""
    rows = repo.list_documents(session, category=category, limit=limit, offset=offset)
    return repo.count(session, category=category), rows


def fingerprint(documents: list[KnowledgeDocumentData]) -> str:
    """Changes whenever a document is added, deleted or edited in any indexed
    field (timestamps are not trusted: two edits may share a second)."""
    payload = "\n".join(f"{d.document_id}:{d.digest}" for d in documents)
    return hashlib.sha256(payload.encode()).hexdigest()


def past_case_prefix(suggestion_id: str) -> str:
    """How the ``source`` of a decision's past case starts (it names the suggestion)."""
    return f"承認履歴 {suggestion_id} /"


def past_case_source(suggestion_id: str, user: str | None) -> str:
    return f"{past_case_prefix(suggestion_id)} {user}"


class KnowledgeService:
    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index
        self._seen: str | None = None
        self._looked_at = -math.inf

    def sync(self, session: Session) -> SyncReport:
        """Bring the index in line with the rows (start-up)."""
        return self._sync([as_data(row) for row in repo.list_documents(session)])

    def _sync(self, documents: list[KnowledgeDocumentData]) -> SyncReport:
        self._seen = fingerprint(documents)
        self._looked_at = time.monotonic()
        return self.index.sync(documents)

    def refresh(self, session: Session) -> SyncReport | None:
        """Sync when the rows changed since this process last looked (reads the
        rows at most every ``REFRESH_EVERY_S``); None when nothing was done."""
        if time.monotonic() - self._looked_at < REFRESH_EVERY_S:
            return None
        self._looked_at = time.monotonic()
        documents = [as_data(row) for row in repo.list_documents(session)]
        if fingerprint(documents) == self._seen:
            return None
        report = self._sync(documents)
        log.info("know-how changed in the database, index refreshed: %s", report)
        return report

    def reindex(self, session: Session) -> SyncReport:
        """Drop and rebuild the index from the rows."""
        return self.index.rebuild(as_data(row) for row in repo.list_documents(session))

    def search(self, query: str, *, k: int = 3, category: str | None = None) -> list[KnowledgeHit]:
        """The best ``k`` notes for ``query``; a token pasted into a note is never shown."""
        return [
            replace(hit, title=redact(hit.title), content=redact(hit.content))
            for hit in self.index.search(query, k=k, category=category)
        ]

    def create(
        self, session: Session, fields: DocumentFields, *, now: datetime
    ) -> KnowledgeDocument:
        row = repo.add(
            session,
            KnowledgeDocument(
                title=fields.title,
                content=fields.content,
                category=fields.category,
                source=fields.source,
                created_at=now,
                updated_at=now,
            ),
        )
        data = as_data(row)
        self._after_commit(session, lambda: self.index.upsert(data))
        return row

    def update(
        self, session: Session, document_id: int, fields: DocumentFields, *, now: datetime
    ) -> KnowledgeDocument:
        row = self.get(session, document_id)
        row.title, row.content = fields.title, fields.content
        row.category, row.source = fields.category, fields.source
        row.updated_at = now
        session.flush()
        data = as_data(row)
        self._after_commit(session, lambda: self.index.upsert(data))
        return row

    def delete(self, session: Session, document_id: int) -> None:
        row = self.get(session, document_id)
        repo.delete(session, row)
        self._after_commit(session, lambda: self.index.delete(document_id))

    @staticmethod
    def _after_commit(session: Session, change: Callable[[], object]) -> None:
        """Run ``change`` once the row is committed. It must not fail the request:
        the row is stored, and ``refresh`` repairs the index from the rows."""

        def apply(_session: Session) -> None:
            try:
                change()
            except Exception:
                log.exception(
                    "know-how index not updated after commit; the next refresh repairs it"
                )

        event.listen(session, "after_commit", apply, once=True)

    @staticmethod
    def get(session: Session, document_id: int) -> KnowledgeDocument:
        row = repo.get(session, document_id)
        if row is None:
            raise NotFound(f"ナレッジ{document_id}は見つかりません")
        return row

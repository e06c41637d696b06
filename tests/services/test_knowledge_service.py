"""The know-how service keeps the index in line with the rows, and an index
failure after a commit never fails the request that stored the row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from aimee.knowledge import SyncReport
from aimee.services import knowledge as knowledge_module
from aimee.services import setup
from aimee.services.knowledge import DocumentFields, KnowledgeService
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import KnowledgeDocument
from tests.conftest import DEMO_NOW


class BrokenIndex:
    """Fails every single-document write; records full syncs."""

    def __init__(self) -> None:
        self.synced: list[list[int]] = []

    def upsert(self, document: Any) -> None:
        raise RuntimeError("vector store exploded")

    def sync(self, documents: Any) -> SyncReport:
        ids = sorted(d.document_id for d in documents)
        self.synced.append(ids)
        return SyncReport(len(ids), 0, 0, True)


def test_an_index_failure_after_commit_is_repaired_by_the_next_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    setup.apply_migrations(engine)
    sessions = session_factory(engine)
    index = BrokenIndex()
    service = KnowledgeService(index)  # type: ignore[arg-type]
    with transaction(sessions) as session:
        service.sync(session)
    fields = DocumentFields(
        title="応援の心得", content="近隣拠点から", category="ルール", source="管理者"
    )
    with transaction(sessions) as session:  # commits although the index write fails
        row = service.create(session, fields, now=DEMO_NOW)
    with sessions() as session:
        monkeypatch.setattr(knowledge_module, "REFRESH_EVERY_S", 0.0)
        assert service.refresh(session) is not None
        assert service.refresh(session) is None  # nothing changed since
    assert index.synced == [[], [row.document_id]]
    engine.dispose()


def test_an_edit_that_keeps_the_timestamp_is_still_noticed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's edit within the same second (or under a fixed clock)
    leaves count, ids and updated_at as they were: the content decides."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    setup.apply_migrations(engine)
    sessions = session_factory(engine)
    index = BrokenIndex()
    service = KnowledgeService(index)  # type: ignore[arg-type]
    with transaction(sessions) as session:
        session.add(
            KnowledgeDocument(
                title="応援の心得",
                content="近隣拠点から",
                category="ルール",
                source="管理者",
                created_at=DEMO_NOW,
                updated_at=DEMO_NOW,
            )
        )
    with transaction(sessions) as session:
        service.sync(session)
    with transaction(sessions) as session:  # "another process" edits the text only
        session.execute(update(KnowledgeDocument).values(content="同じ拠点から"))
    monkeypatch.setattr(knowledge_module, "REFRESH_EVERY_S", 0.0)
    with sessions() as session:
        assert service.refresh(session) is not None
    assert len(index.synced) == 2
    engine.dispose()

"""The know-how index: vector store + lexical index, fused, over documents given as data.

The documents passed in (from ``knowledge_documents``) are the truth: the lexical index
is rebuilt from them in process, and the vector store is reconciled with them (missing or
edited entries embedded, stale ones removed). When the vector store fails, searches go on
lexical-only with a logged warning, and the writes it missed are replayed (in the
background) once it answers again. A search costs one query embedding, one vector query
and one BM25 pass; it never waits for a write or a rebuild.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from aimee.config import Settings
from aimee.embeddings import Embedder, get_embedder
from aimee.knowledge.documents import (
    LEXICAL,
    VECTOR,
    KnowledgeDocumentData,
    KnowledgeHit,
)
from aimee.knowledge.embedding_function import E5EmbeddingFunction
from aimee.knowledge.fusion import reciprocal_rank_fusion
from aimee.knowledge.lexical import LexicalIndex
from aimee.knowledge.vector_store import (
    ChromaVectorStore,
    VectorMatch,
    VectorStore,
    chroma_client_factory,
)

logger = logging.getLogger(__name__)

MIN_CANDIDATES = 20
CANDIDATE_FACTOR = 4
QUERY_EMBED_CHARS = 512
"""The start of a query that is embedded (BM25 reads all of it): e5's 512-token
window holds about this much Japanese, and embedding time grows with length
(a 2,000-character message took 7 s)."""

_Documents = Mapping[str, KnowledgeDocumentData]


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What :meth:`KnowledgeIndex.sync` found and did."""

    documents: int
    embedded: int
    removed: int
    vector_store: bool


class KnowledgeIndex:
    """Hybrid (vector + BM25) search over manager know-how; safe to share between threads."""

    def __init__(
        self,
        embedder: Embedder,
        vector_store: VectorStore | None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self._embedder = embedder
        self._store = vector_store
        self._lexical = lexical if lexical is not None else LexicalIndex()
        self._write_lock = threading.RLock()
        self._documents: _Documents = {}
        self._store_stale = vector_store is not None
        self._store_healthy = True
        self._reconciler_lock = threading.Lock()
        self._reconciler: threading.Thread | None = None

    @classmethod
    def open(
        cls, data_dir: Path, chroma_url: str | None = None, *, embedder: Embedder | None = None
    ) -> KnowledgeIndex:
        """An empty index over Chroma in ``data_dir/chroma`` (or at ``chroma_url``).

        Nothing connects yet; call :meth:`sync` with the stored documents at start-up.
        """
        embedder = embedder if embedder is not None else get_embedder()
        store = ChromaVectorStore(
            chroma_client_factory(data_dir, chroma_url), E5EmbeddingFunction(embedder)
        )
        return cls(embedder, store)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, embedder: Embedder | None = None
    ) -> KnowledgeIndex:
        return cls.open(settings.data_dir, settings.chroma_url, embedder=embedder)

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def vector_store_in_sync(self) -> bool:
        """False while vector writes are pending because the store failed."""
        return self._store is not None and not self._store_stale

    # -- writes -------------------------------------------------------------------------

    def sync(self, documents: Iterable[KnowledgeDocumentData]) -> SyncReport:
        """Make the index hold exactly ``documents``, re-embedding only what changed.

        Call at start-up: a vector collection left out of sync (other ids, other count or
        edited content) is detected by id and content digest and repaired.
        """
        with self._write_lock:
            self._replace_documents(documents)
            return self.reconcile()

    def rebuild(self, documents: Iterable[KnowledgeDocumentData]) -> SyncReport:
        """Drop both indexes and build them again from ``documents`` (re-embeds all)."""
        with self._write_lock:
            self._replace_documents(documents)
            if self._store is not None:
                self._write_store(self._store.reset)
            return self.reconcile()

    def reconcile(self) -> SyncReport:
        """Replay onto the vector store the writes it missed while it was failing.

        Searches start this in the background on their own once the store answers again;
        a scheduler may also call it.
        """
        with self._write_lock:
            embedded, removed = self._reconcile_store() if self._store_stale else (0, 0)
            return SyncReport(len(self._documents), embedded, removed, self.vector_store_in_sync)

    def _replace_documents(self, documents: Iterable[KnowledgeDocumentData]) -> None:
        self._documents = {document.key: document for document in documents}
        self._lexical.rebuild(self._documents.values())
        self._store_stale = self._store is not None

    def upsert(self, document: KnowledgeDocumentData) -> None:
        """Add or replace one document in both retrievers."""
        with self._write_lock:
            self._documents = {**self._documents, document.key: document}
            self._lexical.upsert(document)
            self._update_store(lambda store: store.upsert([document]))

    def delete(self, document_id: int) -> bool:
        """Remove one document from both retrievers; False if it was not indexed."""
        key = str(document_id)
        with self._write_lock:
            if key not in self._documents:
                return False
            self._documents = {k: v for k, v in self._documents.items() if k != key}
            self._lexical.delete(key)
            self._update_store(lambda store: store.delete([key]))
            return True

    def _update_store(self, change: Callable[[VectorStore], None]) -> None:
        if self._store is None:
            return
        if self._store_stale:
            self._reconcile_store()
        else:
            store = self._store
            if not self._write_store(lambda: change(store)):
                self._store_stale = True

    def _reconcile_store(self) -> tuple[int, int]:
        """Bring the vector store in line with the documents; (embedded, removed)."""
        store = self._store
        if store is None or store.resting:
            return 0, 0
        documents = self._documents
        try:
            stored = store.digests()
            changed = [d for key, d in documents.items() if stored.get(key) != d.digest]
            stale = [key for key in stored if key not in documents]
            if changed or stale:
                logger.info(
                    "knowledge vector store out of sync (%d stored, %d documents): "
                    "embedding %d, removing %d",
                    len(stored),
                    len(documents),
                    len(changed),
                    len(stale),
                )
            store.delete(stale)
            store.upsert(changed)
        except Exception as exc:
            self._note_store_failure("reconcile", exc)
            return 0, 0
        self._note_store_success()
        self._store_stale = False
        return len(changed), len(stale)

    def _write_store(self, write: Callable[[], None]) -> bool:
        try:
            write()
        except Exception as exc:
            self._note_store_failure("write", exc)
            return False
        self._note_store_success()
        return True

    # -- search -------------------------------------------------------------------------

    def search(self, query: str, k: int = 3, category: str | None = None) -> list[KnowledgeHit]:
        """The ``k`` best documents for ``query`` (optionally within one category)."""
        documents = self._documents
        if k <= 0 or not documents or not query.strip():
            return []
        n = min(max(k * CANDIDATE_FACTOR, MIN_CANDIDATES), max(len(documents), 1))
        lexical = self._lexical.search(query, n, category)
        query_vector = self._embedder.embed_queries([query[:QUERY_EMBED_CHARS]])[0]
        vector = self._vector_search(query_vector, n, category)
        fused = reciprocal_rank_fusion(
            {VECTOR: [m.key for m in vector], LEXICAL: [m.key for m in lexical]}
        )
        top = [result for result in fused if result.key in documents][:k]
        similarity = {match.key: match.similarity for match in vector}
        missing = [result.key for result in top if result.key not in similarity]
        similarity.update(self._similarities(query_vector, missing, documents))
        return [
            KnowledgeHit(
                document_id=documents[result.key].document_id,
                title=documents[result.key].title,
                content=documents[result.key].content,
                category=documents[result.key].category,
                source=documents[result.key].source,
                similarity=round(similarity[result.key], 3),
                score=result.score,
                retrievers=result.retrievers,
            )
            for result in top
        ]

    def _vector_search(
        self, query_vector: NDArray[np.float32], n: int, category: str | None
    ) -> list[VectorMatch]:
        store = self._store
        if store is None or store.resting:
            return []
        if self._store_stale:
            self._reconcile_in_background()
        try:
            matches = store.query(query_vector, n, category)
        except Exception as exc:
            self._note_store_failure("query", exc)
            return []
        self._note_store_success()
        return matches

    def _reconcile_in_background(self) -> None:
        """Replay missed writes without making the current search wait for them."""
        with self._reconciler_lock:
            if self._reconciler is not None and self._reconciler.is_alive():
                return
            self._reconciler = threading.Thread(
                target=self.reconcile, name="knowledge-reconcile", daemon=True
            )
            self._reconciler.start()

    def _similarities(
        self, query_vector: NDArray[np.float32], keys: Sequence[str], documents: _Documents
    ) -> dict[str, float]:
        """Cosine similarity for hits the vector query did not return."""
        if not keys:
            return {}
        found: dict[str, float] = {}
        store = self._store
        if store is not None and not self._store_stale and not store.resting:
            try:
                found = store.similarities(query_vector, keys)
            except Exception as exc:
                self._note_store_failure("similarity lookup", exc)
        rest = [key for key in keys if key not in found]
        if rest:
            passages = self._embedder.embed_passages([documents[key].text for key in rest])
            found.update(zip(rest, (float(v) for v in passages @ query_vector), strict=True))
        return found

    def _note_store_failure(self, action: str, exc: Exception) -> None:
        if self._store_healthy:
            logger.warning(
                "knowledge vector store %s failed (%s: %s); searching lexical-only until "
                "it recovers",
                action,
                type(exc).__name__,
                exc,
            )
        else:
            logger.debug("knowledge vector store %s failed again: %s", action, exc)
        self._store_healthy = False

    def _note_store_success(self) -> None:
        if not self._store_healthy:
            logger.info("knowledge vector store recovered")
        self._store_healthy = True

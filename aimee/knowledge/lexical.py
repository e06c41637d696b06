"""In-process BM25 over Japanese terms (title + content), rebuilt from the documents.

bm25s has no incremental update, so a change re-indexes the cached term lists (no
re-tokenising; a few milliseconds for a thousand entries). Each change publishes a new
immutable snapshot, so searches never see a half-built index and need no lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import bm25s
import numpy as np
from numpy.typing import NDArray

from aimee.knowledge.documents import KnowledgeDocumentData
from aimee.knowledge.tokenizer import JapaneseTokenizer, get_tokenizer

# bm25s pins its logger to DEBUG at import, which floods the application's handlers with
# a record per index build; hand the level back to the application's configuration.
logging.getLogger("bm25s").setLevel(logging.NOTSET)


@dataclass(frozen=True, slots=True)
class LexicalMatch:
    key: str
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    terms: tuple[str, ...]
    category: str


@dataclass(frozen=True, slots=True)
class _Snapshot:
    keys: tuple[str, ...]
    categories: NDArray[np.str_]
    retriever: bm25s.BM25 | None


_EMPTY = _Snapshot((), np.array([], dtype=np.str_), None)


def _build(entries: dict[str, _Entry]) -> _Snapshot:
    keys = tuple(entries)
    corpus = [list(entries[key].terms) for key in keys]
    if not any(corpus):
        return _Snapshot(keys, np.array([], dtype=np.str_), None)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    categories = np.array([entries[key].category for key in keys], dtype=np.str_)
    return _Snapshot(keys, categories, retriever)


class LexicalIndex:
    """BM25 ranking of documents for a query; writes are serialised, reads are lock-free."""

    def __init__(self, tokenizer: JapaneseTokenizer | None = None) -> None:
        self._tokenizer = tokenizer if tokenizer is not None else get_tokenizer()
        self._write_lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._snapshot = _EMPTY

    def __len__(self) -> int:
        return len(self._snapshot.keys)

    def _entry(self, document: KnowledgeDocumentData) -> _Entry:
        return _Entry(tuple(self._tokenizer.tokenize(document.text)), document.category)

    def _publish(self, entries: dict[str, _Entry]) -> None:
        self._entries = entries
        self._snapshot = _build(entries)

    def rebuild(self, documents: Iterable[KnowledgeDocumentData]) -> None:
        entries = {document.key: self._entry(document) for document in documents}
        with self._write_lock:
            self._publish(entries)

    def upsert(self, document: KnowledgeDocumentData) -> None:
        entry = self._entry(document)
        with self._write_lock:
            self._publish({**self._entries, document.key: entry})

    def delete(self, key: str) -> None:
        with self._write_lock:
            if key in self._entries:
                self._publish({k: v for k, v in self._entries.items() if k != key})

    def search(self, query: str, n: int, category: str | None = None) -> list[LexicalMatch]:
        """Documents sharing at least one term with the query, best BM25 score first."""
        snapshot = self._snapshot
        if snapshot.retriever is None or n <= 0:
            return []
        term_ids = snapshot.retriever.get_tokens_ids(self._tokenizer.tokenize(query))
        if not term_ids:
            return []
        scores = np.asarray(snapshot.retriever.get_scores_from_ids(term_ids), dtype=np.float64)
        if category is not None:
            scores = np.where(snapshot.categories == category, scores, 0.0)
        candidates = np.flatnonzero(scores > 0.0)
        # Stable sort: ties keep index order, so equal scores rank deterministically.
        order = candidates[np.argsort(-scores[candidates], kind="stable")][:n]
        return [LexicalMatch(snapshot.keys[i], float(scores[i])) for i in order]

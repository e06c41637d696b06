"""Fixtures for the know-how retrieval tests: the real e5 model (passage vectors memoised
across tests to keep the folder fast), the 22 demo entries, and a guard that fails any
test in which Chroma's default embedding function (an ONNX download) would run."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import DefaultEmbeddingFunction, Documents, Embeddings
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from aimee.demo.knowhow import DEMO_KNOWHOW
from aimee.embeddings import DIMENSIONS, MODEL_NAME, Vectors, get_embedder
from aimee.knowledge import KnowledgeDocumentData, KnowledgeIndex


class CountingEmbedder:
    """The real embedder; counts the passages it is asked for and memoises their vectors."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        self._inner = get_embedder()
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.passages_requested = 0
        self.queries_requested = 0

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            self.queries_requested += len(texts)
        return self._inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            self.passages_requested += len(texts)
            todo = [text for text in dict.fromkeys(texts) if text not in self._cache]
        if todo:
            vectors = self._inner.embed_passages(todo)
            with self._lock:
                self._cache.update(zip(todo, vectors, strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            return np.stack([self._cache[text] for text in texts]).astype(np.float32)

    def reset_counts(self) -> None:
        with self._lock:
            self.passages_requested = 0
            self.queries_requested = 0


_SHARED_EMBEDDER: CountingEmbedder | None = None


@pytest.fixture
def embedder() -> CountingEmbedder:
    """One memoising embedder for the session, with counters reset for each test."""
    global _SHARED_EMBEDDER  # noqa: PLW0603 (session memo shared by function fixtures)
    if _SHARED_EMBEDDER is None:
        _SHARED_EMBEDDER = CountingEmbedder()
    _SHARED_EMBEDDER.reset_counts()
    return _SHARED_EMBEDDER


def _default_function_used(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("Chroma's default embedding function was used")


def _default_call(self: object, input: Documents) -> Embeddings:
    raise AssertionError("Chroma's default embedding function was called")


@pytest.fixture(autouse=True)
def forbid_default_embedding_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chroma's default function downloads a model on first use: it must never run."""
    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", _default_call)
    monkeypatch.setattr(DefaultEmbeddingFunction, "embed_query", _default_call)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__init__", _default_function_used)


@pytest.fixture(autouse=True)
def fresh_chroma_systems() -> Iterator[None]:
    """Each test opens Chroma from disk, not from a client cached by an earlier test."""
    SharedSystemClient.clear_system_cache()
    yield
    SharedSystemClient.clear_system_cache()


@pytest.fixture(scope="session")
def demo_documents() -> list[KnowledgeDocumentData]:
    return [
        KnowledgeDocumentData(document_id=number, **entry)
        for number, entry in enumerate(DEMO_KNOWHOW, start=1)
    ]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def demo_index(
    data_dir: Path, embedder: CountingEmbedder, demo_documents: list[KnowledgeDocumentData]
) -> KnowledgeIndex:
    index = KnowledgeIndex.open(data_dir, embedder=embedder)
    index.sync(demo_documents)
    return index

"""The know-how vector store: one ChromaDB collection in cosine space.

Embedded (``PersistentClient`` in ``data_dir/chroma``) by default, a Chroma server
(``HttpClient``) when a URL is configured. The connection is opened lazily; after a failure
the store refuses work for ``retry_after_s`` seconds (raising :class:`VectorStoreUnavailable`
at once) so that a dead server costs one failed call, not one timeout per search.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Embeddings, Metadata, QueryResult, Where
from chromadb.config import Settings as ChromaSettings
from numpy.typing import NDArray

from aimee.knowledge.documents import KnowledgeDocumentData
from aimee.knowledge.embedding_function import E5EmbeddingFunction

COLLECTION_NAME = "aimee_knowledge"
DIGEST_KEY = "digest"
DEFAULT_CHROMA_PORT = 8000
UPSERT_BATCH = 16

ClientFactory = Callable[[], ClientAPI]
_T = TypeVar("_T")


class VectorStoreUnavailable(RuntimeError):
    """The store failed recently and is resting before the next attempt."""


@dataclass(frozen=True, slots=True)
class VectorMatch:
    key: str
    similarity: float


class VectorStore(Protocol):
    """What the know-how index needs from a vector store."""

    @property
    def resting(self) -> bool: ...

    def digests(self) -> dict[str, str]: ...

    def upsert(self, documents: Sequence[KnowledgeDocumentData]) -> None: ...

    def delete(self, keys: Sequence[str]) -> None: ...

    def reset(self) -> None: ...

    def query(
        self, embedding: NDArray[np.float32], n: int, category: str | None = None
    ) -> list[VectorMatch]: ...

    def similarities(
        self, embedding: NDArray[np.float32], keys: Sequence[str]
    ) -> dict[str, float]: ...


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``http://host:port`` → (host, port, ssl); the port defaults to Chroma's 8000."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not a Chroma server URL: {url!r}")
    return parts.hostname, parts.port or DEFAULT_CHROMA_PORT, parts.scheme == "https"


def chroma_client_factory(data_dir: Path, chroma_url: str | None = None) -> ClientFactory:
    """How to reach Chroma: a server when ``chroma_url`` is set, else files in ``data_dir``."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        host, port, ssl = parse_chroma_url(chroma_url)

        def http_client() -> ClientAPI:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)

        return http_client

    path = data_dir / "chroma"

    def persistent_client() -> ClientAPI:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=path, settings=settings)

    return persistent_client


def _metadata(document: KnowledgeDocumentData) -> Metadata:
    return {
        "title": document.title,
        "category": document.category,
        "source": document.source,
        DIGEST_KEY: document.digest,
    }


def _matches(result: QueryResult) -> list[VectorMatch]:
    distances = result["distances"]
    if distances is None:
        raise RuntimeError("Chroma returned no distances")
    return [
        VectorMatch(key, 1.0 - float(distance))
        for key, distance in zip(result["ids"][0], distances[0], strict=True)
    ]


class ChromaVectorStore:
    """Upsert, delete and query know-how vectors; one lock serialises Chroma calls."""

    def __init__(
        self,
        client_factory: ClientFactory,
        embedding_function: E5EmbeddingFunction,
        *,
        collection_name: str = COLLECTION_NAME,
        retry_after_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_factory = client_factory
        self._embedding_function = embedding_function
        self._collection_name = collection_name
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._lock = threading.RLock()
        self._client: ClientAPI | None = None
        self._handle: Collection | None = None
        self._resting_until = float("-inf")

    @property
    def resting(self) -> bool:
        """True while the store is waiting out a recent failure (calls fail at once)."""
        return self._handle is None and self._clock() < self._resting_until

    def _open(self) -> Collection:
        if self._handle is None:
            if self._clock() < self._resting_until:
                raise VectorStoreUnavailable("vector store failed recently; retrying later")
            if self._client is None:
                self._client = self._client_factory()
            self._handle = self._client.get_or_create_collection(
                self._collection_name,
                embedding_function=self._embedding_function,
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self._handle

    def _trip(self) -> None:
        self._client = None
        self._handle = None
        self._resting_until = self._clock() + self._retry_after_s

    def _call(self, operation: Callable[[Collection], _T]) -> _T:
        with self._lock:
            try:
                return operation(self._open())
            except VectorStoreUnavailable:
                raise
            except Exception:
                self._trip()
                raise

    def count(self) -> int:
        return self._call(lambda collection: collection.count())

    def digests(self) -> dict[str, str]:
        """Every stored id with the digest of the fields it was embedded from."""

        def read(collection: Collection) -> dict[str, str]:
            result = collection.get(include=["metadatas"])
            metadatas = result["metadatas"] or [{} for _ in result["ids"]]
            return {
                key: str((metadata or {}).get(DIGEST_KEY, ""))
                for key, metadata in zip(result["ids"], metadatas, strict=True)
            }

        return self._call(read)

    def upsert(self, documents: Sequence[KnowledgeDocumentData]) -> None:
        """Embed documents as passages and store them, a batch at a time.

        Embedding happens outside the lock, so searches are not held up by a rebuild.
        """
        for start in range(0, len(documents), UPSERT_BATCH):
            if self.resting:
                raise VectorStoreUnavailable("vector store failed recently; retrying later")
            batch = documents[start : start + UPSERT_BATCH]
            self._store_batch(batch, self._embedding_function([doc.text for doc in batch]))

    def _store_batch(self, batch: Sequence[KnowledgeDocumentData], vectors: Embeddings) -> None:
        self._call(
            lambda collection: collection.upsert(
                ids=[document.key for document in batch],
                embeddings=vectors,
                documents=[document.text for document in batch],
                metadatas=[_metadata(document) for document in batch],
            )
        )

    def delete(self, keys: Sequence[str]) -> None:
        if keys:
            self._call(lambda collection: collection.delete(ids=list(keys)))

    def reset(self) -> None:
        """Drop the collection and create it empty (a full rebuild starts here)."""

        def recreate(collection: Collection) -> None:
            assert self._client is not None  # _open() connected it
            self._handle = None
            self._client.delete_collection(collection.name)
            self._open()

        self._call(recreate)

    def query(
        self, embedding: NDArray[np.float32], n: int, category: str | None = None
    ) -> list[VectorMatch]:
        """The ``n`` nearest documents (optionally of one category), best first."""
        if n <= 0:
            return []
        where: Where | None = {"category": category} if category else None
        return self._call(
            lambda collection: _matches(
                collection.query(
                    query_embeddings=embedding,
                    n_results=n,
                    where=where,
                    include=["distances"],
                )
            )
        )

    def similarities(self, embedding: NDArray[np.float32], keys: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of the query to each given stored document."""
        if not keys:
            return {}
        matches = self._call(
            lambda collection: _matches(
                collection.query(
                    query_embeddings=embedding,
                    ids=list(keys),
                    n_results=len(keys),
                    include=["distances"],
                )
            )
        )
        return {match.key: match.similarity for match in matches}

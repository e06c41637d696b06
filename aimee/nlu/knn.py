"""k-nearest-neighbour intent scores over e5 embeddings of the training examples."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from aimee.embeddings import Embedder, Vectors
from aimee.nlu.schema import INTENT_TYPES, IntentType

logger = logging.getLogger(__name__)

DEFAULT_K = 10
DEFAULT_TEMPERATURE = 0.02
"""Softmax temperature over cosine similarities: e5 similarities of unrelated Japanese
sentences are still ~0.8, so useful differences are a few hundredths."""


class KnnScorer:
    """Distance-weighted vote of the ``k`` most similar training examples.

    The example matrix is embedded once, on first use, with the same ``prepare`` step
    (normalise + mask entities) that messages get.
    """

    def __init__(
        self,
        embedder: Embedder,
        examples: Mapping[IntentType, Sequence[str]],
        prepare: Callable[[str], str],
        k: int = DEFAULT_K,
        temperature: float = DEFAULT_TEMPERATURE,
        stored: Mapping[str, Vectors] | None = None,
    ) -> None:
        """``stored``: vectors of prepared example texts embedded before by this
        embedder's model (the rest are embedded on first use)."""
        self._embedder = embedder
        self._stored = stored or {}
        self._texts = [prepare(text) for texts in examples.values() for text in texts]
        self._labels = np.array(
            [INTENT_TYPES.index(intent) for intent, texts in examples.items() for _ in texts]
        )
        self._k = max(1, min(k, len(self._texts)))
        self._temperature = temperature
        self._matrix: Vectors | None = None
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return len(self._texts)

    def matrix(self) -> Vectors:
        """The examples' embeddings (computed on the first call)."""
        with self._lock:
            if self._matrix is None:
                missing = list(dict.fromkeys(t for t in self._texts if t not in self._stored))
                logger.info(
                    "embedding %d intent examples (%d stored)",
                    len(missing),
                    len(self._texts) - len(missing),
                )
                fresh = dict(zip(missing, self._embedder.embed_queries(missing), strict=True))
                rows = [self._stored[t] if t in self._stored else fresh[t] for t in self._texts]
                self._matrix = (
                    np.vstack(rows).astype(np.float32)
                    if rows
                    else np.zeros((0, self._embedder.dimensions), dtype=np.float32)
                )
                self._stored = {}  # the rows are in the matrix now; not held twice
            return self._matrix

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._embedder.embed_queries(list(texts))

    def scores(self, vector: Vectors) -> tuple[dict[IntentType, float], float]:
        """Probability per intent for one query vector (shape ``(dim,)``), and the
        similarity of the nearest example."""
        matrix = self.matrix()
        if matrix.shape[0] == 0 or not np.all(np.isfinite(vector)):
            return {}, 0.0
        sims = matrix @ vector
        top = np.argpartition(-sims, self._k - 1)[: self._k]
        weights = np.exp((sims[top] - sims[top].max()) / self._temperature)
        totals = np.zeros(len(INTENT_TYPES))
        np.add.at(totals, self._labels[top], weights)
        totals /= totals.sum()
        probabilities = {
            intent: float(totals[i]) for i, intent in enumerate(INTENT_TYPES) if totals[i]
        }
        return probabilities, float(sims[top].max())

    def nearest(self, vector: Vectors, n: int = 3) -> list[tuple[str, IntentType, float]]:
        """The ``n`` closest examples (for debugging and the bench)."""
        sims = self.matrix() @ vector
        order = np.argsort(-sims)[:n]
        return [(self._texts[i], INTENT_TYPES[self._labels[i]], float(sims[i])) for i in order]

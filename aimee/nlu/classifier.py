"""Intent classification: keyword rules plus kNN on e5 embeddings, combined.

Both work on the normalised message with entities replaced by generic placeholders
(「札幌のエントリ1が遅延」 → 「拠点の作業が遅延」), so they learn the shape of a request
rather than the names in it. The final score of an intent is its kNN probability plus
the weight of its heaviest firing rule; confidence is the winner's share of all scores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aimee.embeddings import Embedder, Vectors, get_embedder
from aimee.nlu.dev_examples import dev_examples
from aimee.nlu.examples import (
    EXAMPLE_BUSINESSES,
    EXAMPLE_LOCATIONS,
    EXAMPLE_OPERATORS,
    EXAMPLE_PROCESSES,
    EXAMPLES,
)
from aimee.nlu.gazetteer import Gazetteer
from aimee.nlu.knn import KnnScorer
from aimee.nlu.rules import rule_votes
from aimee.nlu.schema import IntentType, Source

OUT_OF_DOMAIN_SIMILARITY = 0.89
"""A message no rule recognises whose nearest example is less similar than this is small
talk or off-topic (「今日の会議は何時から？」): general, with low confidence. In-domain
questions measured 0.90-0.98, off-topic ones 0.80-0.90 (multilingual-e5-small)."""
OUT_OF_DOMAIN_CONFIDENCE = 0.3
EMBED_MAX_CHARS = 256
"""Only the start of a long message is embedded: intents are stated up front, and e5's
cost grows with length."""


@dataclass(frozen=True)
class Classification:
    intent: IntentType
    confidence: float
    source: Source
    scores: dict[IntentType, float] = field(default_factory=dict)
    rules: tuple[str, ...] = ()


def combine(
    knn: Mapping[IntentType, float],
    votes: Mapping[IntentType, tuple[float, str]],
    nearest: float = 1.0,
) -> Classification:
    """Add rule weights to kNN probabilities and pick the best intent."""
    if not votes and knn and nearest < OUT_OF_DOMAIN_SIMILARITY:
        return Classification("general", OUT_OF_DOMAIN_CONFIDENCE, "knn", dict(knn))
    scores: dict[IntentType, float] = dict(knn)
    for intent, (weight, _) in votes.items():
        scores[intent] = scores.get(intent, 0.0) + weight
    fired = tuple(name for _, name in votes.values())
    if not scores:
        return Classification("general", 0.1, "rules", {}, fired)
    best = max(scores, key=lambda intent: scores[intent])
    total = sum(scores.values())
    confidence = round(scores[best] / total, 4) if total > 0 else 0.0
    source: Source = "rules" if best in votes else "knn"
    return Classification(best, confidence, source, scores, fired)


def example_masker() -> Callable[[str], str]:
    """How an example is prepared: the names of ``nlu.examples`` masked as a message's."""
    masker = Gazetteer(EXAMPLE_LOCATIONS, EXAMPLE_PROCESSES, EXAMPLE_BUSINESSES, EXAMPLE_OPERATORS)
    return lambda text: masker.extract(text).masked()


class IntentClassifier:
    """Rules + kNN; the example embeddings are computed lazily on first use."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        examples: Mapping[IntentType, Sequence[str]] | None = None,
    ) -> None:
        """``examples``: the training examples (default: ``nlu.examples`` and the
        development sets' turns, ``nlu.dev_examples``)."""
        self._embedder = embedder
        self._examples = examples
        self._knn: KnnScorer | None = None
        self._lock = threading.Lock()

    @property
    def knn(self) -> KnnScorer:
        """The kNN scorer (built once; its example matrix is embedded on first use)."""
        with self._lock:
            if self._knn is None:
                embedder = self._embedder if self._embedder is not None else get_embedder()
                examples, stored = self._examples, None
                if examples is None:
                    dev = dev_examples(embedder.name)
                    examples = {i: (*EXAMPLES[i], *dev.by_intent[i]) for i in EXAMPLES}
                    stored = dev.vectors
                self._knn = KnnScorer(embedder, examples, example_masker(), stored=stored)
            return self._knn

    def warm_up(self) -> None:
        """Load the model and embed the examples now rather than on the first message."""
        self.knn.matrix()

    def classify(self, masked: str) -> Classification:
        return self.classify_many([masked])[0]

    def classify_many(self, masked: Sequence[str]) -> list[Classification]:
        """Classify normalised, entity-masked messages; embeds them in one batch."""
        wanted = [i for i, text in enumerate(masked) if text.strip()]
        vectors: Vectors = np.zeros((0, 0), dtype=np.float32)
        if wanted:
            vectors = self.knn.embed([masked[i][:EMBED_MAX_CHARS] for i in wanted])
        row = {index: n for n, index in enumerate(wanted)}
        results = []
        for i, text in enumerate(masked):
            if i not in row:
                results.append(Classification("general", 0.05, "rules"))
                continue
            knn, nearest = self.knn.scores(vectors[row[i]])
            results.append(combine(knn, rule_votes(text), nearest))
        return results


_SHARED: dict[int, tuple[Embedder | None, IntentClassifier]] = {}
_SHARED_LOCK = threading.Lock()


def shared_classifier(embedder: Embedder | None = None) -> IntentClassifier:
    """One classifier per embedder for the whole process, so that an analyzer rebuilt
    for new master data does not embed the training examples again."""
    with _SHARED_LOCK:
        entry = _SHARED.get(id(embedder))
        if entry is None or entry[0] is not embedder:
            entry = (embedder, IntentClassifier(embedder))
            _SHARED[id(embedder)] = entry
        return entry[1]

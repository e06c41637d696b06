"""Shared NLU fixtures: the demo master data's gazetteer and one warmed-up analyzer."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from aimee.demo import generate_demo_day
from aimee.embeddings import DIMENSIONS, Vectors
from aimee.nlu import Gazetteer, IntentAnalyzer
from aimee.nlu.evaluation import demo_gazetteer


@pytest.fixture(scope="session")
def operators() -> dict[int, str]:
    rows = generate_demo_day(seed=7).tables["operators"]
    return {row["operator_id"]: row["operator_name"] for row in rows}


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return demo_gazetteer(seed=7)


@pytest.fixture(scope="session")
def analyzer(gazetteer: Gazetteer) -> IntentAnalyzer:
    """The real e5 model; the examples are embedded once for the whole session."""
    analyzer = IntentAnalyzer(gazetteer)
    analyzer.warm_up()
    return analyzer


class BrokenEmbedder:
    """An embedder whose model is unavailable."""

    name = "broken"
    dimensions = DIMENSIONS

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("model file missing")

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("model file missing")


class RandomEmbedder:
    """A fixed random unit vector per text: no text resembles any example, so the kNN
    is unsure (and every message looks off-topic unless a rule fires)."""

    name = "random"
    dimensions = DIMENSIONS

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            row = np.random.default_rng(seed).standard_normal(DIMENSIONS)
            rows.append(row / np.linalg.norm(row))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed_queries(texts)

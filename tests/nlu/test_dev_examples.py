"""The development sets' turns as intent examples: stored in step with the sets, their
stored vectors the model's own, and used instead of embedding the turns at start-up."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

from aimee.embeddings import DIMENSIONS, MODEL_NAME, Vectors, get_embedder
from aimee.nlu.classifier import IntentClassifier
from aimee.nlu.dev_examples import dev_examples, read_lines
from aimee.nlu.examples import EXAMPLES
from scripts.make_dev_examples import example_lines


def test_the_stored_turns_are_the_development_sets() -> None:
    # a set edited, added or a normalisation changed: run scripts/make_dev_examples.py
    assert read_lines() == example_lines()


def test_no_stored_turn_is_labelled_twice() -> None:
    # a fragment such as 「拠点は?」 means what its conversation means: not an example
    texts = [json.loads(line)["text"] for line in read_lines()]
    assert len(texts) == len(set(texts))


def test_every_stored_turn_has_the_model_s_vector() -> None:
    stored = dev_examples(MODEL_NAME)
    texts = [json.loads(line)["text"] for line in read_lines()]
    assert set(stored.vectors) == set(texts)
    assert sum(map(len, stored.by_intent.values())) == len(texts) > 2000
    sample = texts[:: len(texts) // 8][:8]
    fresh = get_embedder().embed_queries(sample)
    for text, vector in zip(sample, fresh, strict=True):
        assert float(stored.vectors[text] @ vector) > 0.999, text  # float16 storage


def test_another_model_gets_no_stored_vectors() -> None:
    assert dev_examples("some/other-model").vectors == {}


class _Recording:
    """An embedder of the stored vectors' model that records what it is asked to embed."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.embedded += texts
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed_queries(texts)


def test_the_classifier_embeds_only_the_hand_written_examples() -> None:
    recording = _Recording()
    knn = IntentClassifier(recording).knn
    matrix = knn.matrix()
    stored = dev_examples(MODEL_NAME)
    hand_written = sum(map(len, EXAMPLES.values()))
    assert matrix.shape == (hand_written + len(read_lines()), DIMENSIONS)
    assert 0 < len(recording.embedded) <= hand_written
    assert not set(recording.embedded) & set(stored.vectors)
    some = next(iter(stored.vectors))
    assert any(np.array_equal(row, stored.vectors[some]) for row in matrix)

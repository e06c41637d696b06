from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.api import ClientAPI
from chromadb.config import Settings

from aimee.knowledge.documents import KnowledgeDocumentData
from aimee.knowledge.embedding_function import FUNCTION_NAME, E5EmbeddingFunction
from aimee.knowledge.vector_store import (
    COLLECTION_NAME,
    ChromaVectorStore,
    VectorStoreUnavailable,
    chroma_client_factory,
    parse_chroma_url,
)
from tests.knowledge.conftest import CountingEmbedder

DOCS = [
    KnowledgeDocumentData(
        1, "切替時間は5分を見込む", "切替でログインに5分かかる。", "配置基準", "A"
    ),
    KnowledgeDocumentData(2, "補正工程はLv3以上のみ", "補正はLv3以上を配置。", "スキル", "B"),
    KnowledgeDocumentData(3, "那覇の回線", "午後は回線が混み処理が遅い。", "拠点間連携", "C"),
]


@pytest.fixture
def store(tmp_path: Path, embedder: CountingEmbedder) -> ChromaVectorStore:
    return ChromaVectorStore(
        chroma_client_factory(tmp_path / "data"), E5EmbeddingFunction(embedder)
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://chroma:8000", ("chroma", 8000, False)),
        ("http://127.0.0.1:9100", ("127.0.0.1", 9100, False)),
        ("https://vectors.example.jp", ("vectors.example.jp", 8000, True)),
    ],
)
def test_parse_chroma_url(url: str, expected: tuple[str, int, bool]) -> None:
    assert parse_chroma_url(url) == expected


@pytest.mark.parametrize("url", ["chroma:8000", "ftp://chroma:21", "http://"])
def test_parse_chroma_url_rejects_other_urls(url: str) -> None:
    with pytest.raises(ValueError, match="not a Chroma server URL"):
        parse_chroma_url(url)


def test_the_embedded_store_lives_in_the_data_dir(store: ChromaVectorStore, tmp_path: Path) -> None:
    store.upsert(DOCS)

    assert (tmp_path / "data" / "chroma" / "chroma.sqlite3").is_file()
    client = chromadb.PersistentClient(
        path=tmp_path / "data" / "chroma", settings=Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection(COLLECTION_NAME)
    assert collection.configuration["hnsw"]["space"] == "cosine"  # type: ignore[index]
    assert collection.configuration["embedding_function"].name() == FUNCTION_NAME  # type: ignore[union-attr]
    stored = collection.get(ids=["2"], include=["metadatas", "documents"])
    assert stored["documents"] == ["補正工程はLv3以上のみ\n補正はLv3以上を配置。"]
    assert stored["metadatas"] is not None
    assert stored["metadatas"][0] == {
        "title": "補正工程はLv3以上のみ",
        "category": "スキル",
        "source": "B",
        "digest": DOCS[1].digest,
    }


def test_similarity_is_the_cosine_of_query_and_passage(
    store: ChromaVectorStore, embedder: CountingEmbedder
) -> None:
    store.upsert(DOCS)
    query = embedder.embed_queries(["補正に入れる人のスキル"])[0]
    expected = embedder.embed_passages([doc.text for doc in DOCS]) @ query

    matches = store.query(query, n=3)

    assert [m.key for m in matches] == [str(i + 1) for i in np.argsort(-expected)]
    for match in matches:
        assert match.similarity == pytest.approx(expected[int(match.key) - 1], abs=1e-4)
    assert store.similarities(query, ["3", "1"]) == pytest.approx(
        {"3": float(expected[2]), "1": float(expected[0])}, abs=1e-4
    )


def test_query_by_category_and_n(store: ChromaVectorStore, embedder: CountingEmbedder) -> None:
    store.upsert(DOCS)
    query = embedder.embed_queries(["遅い"])[0]

    assert [m.key for m in store.query(query, n=10, category="スキル")] == ["2"]
    assert store.query(query, n=10, category="品質") == []
    assert len(store.query(query, n=2)) == 2
    assert store.query(query, n=0) == []


def test_upsert_delete_digests_and_reset(store: ChromaVectorStore) -> None:
    store.upsert(DOCS)
    assert store.digests() == {doc.key: doc.digest for doc in DOCS}

    edited = KnowledgeDocumentData(2, "補正工程はLv4以上", "方針変更。", "スキル", "B")
    store.upsert([edited])
    store.delete(["3"])
    assert store.digests() == {"1": DOCS[0].digest, "2": edited.digest}
    assert store.count() == 2

    store.reset()
    assert store.digests() == {}


def is_resting(store: ChromaVectorStore) -> bool:
    return store.resting


def test_a_failed_store_rests_before_trying_again(embedder: CountingEmbedder) -> None:
    now = [0.0]
    attempts: list[int] = []

    def unreachable() -> ClientAPI:
        attempts.append(1)
        raise ConnectionError("chroma is down")

    store = ChromaVectorStore(
        unreachable, E5EmbeddingFunction(embedder), retry_after_s=30.0, clock=lambda: now[0]
    )
    query = embedder.embed_queries(["遅延"])[0]

    with pytest.raises(ConnectionError):
        store.query(query, n=3)
    assert is_resting(store)
    with pytest.raises(VectorStoreUnavailable):
        store.query(query, n=3)
    assert len(attempts) == 1

    now[0] = 31.0
    assert not is_resting(store)
    with pytest.raises(ConnectionError):
        store.digests()
    assert len(attempts) == 2


def test_an_unreachable_server_fails_fast(embedder: CountingEmbedder, tmp_path: Path) -> None:
    factory = chroma_client_factory(tmp_path, "http://127.0.0.1:9")  # discard port: closed
    store = ChromaVectorStore(factory, E5EmbeddingFunction(embedder))

    with pytest.raises(Exception):  # noqa: B017 (whatever the HTTP client raises)
        store.digests()
    assert store.resting


def test_the_guard_against_chromas_default_function_is_armed(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(
        path=tmp_path / "chroma", settings=Settings(anonymized_telemetry=False)
    )
    collection = client.create_collection("without_function")

    with pytest.raises(AssertionError, match="default embedding function"):
        collection.add(ids=["1"], documents=["テスト"])
    with pytest.raises(AssertionError, match="default embedding function"):
        collection.query(query_texts=["テスト"])

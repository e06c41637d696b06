"""Know-how retrieval benchmark: index build time, search latency, memory.

Run: ``.venv/bin/python bench/knowledge.py``. Builds the index in a temporary data dir
(embedded Chroma) for the 22 demo entries and for 1,000 synthetic entries derived from
them, then times searches: hybrid, each retriever alone, and the query embedding alone.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.demo.knowhow import DEMO_KNOWHOW
from aimee.embeddings import get_embedder
from aimee.knowledge import KnowledgeDocumentData, KnowledgeIndex
from aimee.knowledge.embedding_function import E5EmbeddingFunction
from aimee.knowledge.lexical import LexicalIndex
from aimee.knowledge.vector_store import ChromaVectorStore, chroma_client_factory

SITES = ("札幌", "盛岡", "品川", "梅田", "那覇", "福岡")
PROCESSES = ("エントリ1", "エントリ2", "補正", "検証", "受付")
QUERIES = (
    "札幌のエントリ1工程が遅延しています",
    "補正工程に誰を応援に入れるべきか",
    "那覇の回線が遅い",
    "新人を応援に出してもよいか",
    "納期まで20分で120件残っています",
    "昼休憩の時間帯の処理量",
    "スキル評価の見直し",
    "追加受付が200件届いた",
)
ROUNDS = 8


def demo_documents() -> list[KnowledgeDocumentData]:
    return [KnowledgeDocumentData(number, **entry) for number, entry in enumerate(DEMO_KNOWHOW, 1)]


def synthetic_documents(count: int, seed: int = 7) -> list[KnowledgeDocumentData]:
    """Variations of the demo entries: another site, process and figures in each."""
    rng = random.Random(seed)
    documents = []
    for number in range(1, count + 1):
        base = DEMO_KNOWHOW[(number - 1) % len(DEMO_KNOWHOW)]
        site, process = rng.choice(SITES), rng.choice(PROCESSES)
        minutes, tasks = rng.randint(5, 90), rng.randint(20, 400)
        documents.append(
            KnowledgeDocumentData(
                document_id=number,
                title=f"{base['title']}（{site}・{process}）",
                content=(
                    f"{site}の{process}工程の事例{number}。{base['content']}"
                    f"残り{minutes}分で{tasks}件が残った場合に確認した。"
                ),
                category=base["category"],
                source=f"{site}センター長メモ",
            )
        )
    return documents


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def latency(label: str, action: Callable[[str], object]) -> None:
    samples = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            action(query)
            samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=20)
    print(f"  {label:<28} p50 {statistics.median(samples):6.1f} ms   p95 {cuts[18]:6.1f} ms")


def bench(documents: list[KnowledgeDocumentData], data_dir: Path) -> None:
    embedder = get_embedder()
    print(f"\n{len(documents)} documents")
    index = KnowledgeIndex.open(data_dir, embedder=embedder)
    print(f"  build (embed + store + BM25) {timed(lambda: index.sync(documents)):7.2f} s")
    lexical = LexicalIndex()
    print(f"  BM25 alone                   {timed(lambda: lexical.rebuild(documents)):7.3f} s")
    reopened = KnowledgeIndex.open(data_dir, embedder=embedder)
    print(f"  restart (digest check, BM25) {timed(lambda: reopened.sync(documents)):7.3f} s")
    extra = KnowledgeDocumentData(
        len(documents) + 1, "追加の知見", "夜間は端末が重い。", "品質", "bench"
    )
    print(f"  upsert one document          {timed(lambda: index.upsert(extra)) * 1000:7.1f} ms")
    deleting = timed(lambda: index.delete(extra.document_id))
    print(f"  delete one document          {deleting * 1000:7.1f} ms")
    print(f"  max RSS {max_rss_mb():.0f} MB")

    store = ChromaVectorStore(chroma_client_factory(data_dir), E5EmbeddingFunction(embedder))
    n = 20

    def vector_only(query: str) -> object:
        return store.query(embedder.embed_queries([query])[0], n)

    for query in QUERIES:  # warm-up
        index.search(query)
    latency("hybrid search (k=3)", index.search)
    latency("vector alone (embed+query)", vector_only)
    latency("lexical alone (BM25)", lambda query: lexical.search(query, n))
    latency("query embedding alone", lambda query: embedder.embed_queries([query]))


def main() -> None:
    start = time.perf_counter()
    rss_before = max_rss_mb()
    get_embedder().embed_queries(["warm-up"])
    LexicalIndex().rebuild(demo_documents()[:1])
    print(f"model + dictionary load: {time.perf_counter() - start:.2f} s, ", end="")
    print(f"max RSS {max_rss_mb():.0f} MB (interpreter and imports {rss_before:.0f} MB)")
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as large:
        bench(demo_documents(), Path(small))
        bench(synthetic_documents(1000), Path(large))
    print(f"\nmax RSS at the end: {max_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

"""Which know-how hits deserve a citation: a threshold measured on labelled chat messages.

Run: ``.venv/bin/python bench/knowhow_relevance.py`` (about 10 s; no LLM, no database).

The set, ``bench/knowhow_eval/relevance_v1.jsonl``, is 160 manager chat messages of the
kinds that cite know-how (``plan`` 63, ``what_if`` 29, ``donor_check`` 18, ``knowhow``
50; a few in English), written in floor managers' own words rather than the notes'.
Each message lists the demo notes (``aimee/demo/knowhow.py``, by title) that a manager
would find useful for that message read on its own: a note counts when the situation
in the message meets the note's condition (its site, process, time or event) or when
the message asks what the note answers. 34 messages list none: plain re-plans,
what-ifs about named people, and questions that no note answers. All labels were
written from the notes' text before any retrieval was run or any score was looked at,
and none was changed afterwards.

The index is built the way the product builds it (``KnowledgeIndex`` over the demo
entries, ids in seed order, embedded Chroma in a temporary directory, the bundled e5
model), and each message is searched as the chat searches it (the message alone,
``k = KNOWHOW_RESULTS``). For each score a hit carries (``similarity``: cosine between
query and note embeddings; ``score``: the fused reciprocal-rank score) and each
threshold, the rule "cite a hit when its score ≥ threshold" is scored by precision
(relevant citations / citations), recall (relevant citations / all labels, so today's
recall is the ceiling at k = 3) and F1, with the number of answers that would cite
nothing. The recommendation is the best F1 at precision ≥ 0.8, if any threshold
reaches it.

Measured when written: citing all 3 hits gives P 0.35, R 0.65, F1 0.45; only
``similarity ≥ 0.89`` reaches P 0.8 (P 0.84 on 32 citations, R 0.10, F1 0.19; 128 of
160 answers cite nothing); no threshold on the fused score does (it is a sum of two
ranks, so it cannot tell a good first hit from a poor one).
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.demo.knowhow import DEMO_KNOWHOW
from aimee.embeddings import get_embedder
from aimee.knowledge import KnowledgeDocumentData, KnowledgeHit, KnowledgeIndex
from aimee.knowledge.lexical import LexicalIndex
from aimee.services.chat import KNOWHOW_RESULTS
from aimee.services.knowledge import KnowledgeService

SET = Path(__file__).resolve().parent / "knowhow_eval" / "relevance_v1.jsonl"
MIN_PRECISION = 0.8
SCORES: dict[str, Callable[[KnowledgeHit], float]] = {
    "similarity": lambda hit: hit.similarity,
    "score": lambda hit: hit.score,
}
SIMILARITY_GRID = tuple(round(0.80 + 0.005 * i, 3) for i in range(23))  # 0.800 … 0.910
SCORE_ROWS = 16


@dataclass(frozen=True)
class Message:
    text: str
    kind: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Figures:
    cited: int
    correct: int
    labels: int
    silent: int
    silent_when_none_relevant: int

    @property
    def precision(self) -> float:
        return self.correct / self.cited if self.cited else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labels if self.labels else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_set() -> list[Message]:
    titles = {entry["title"] for entry in DEMO_KNOWHOW}
    messages = []
    for line in SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        unknown = set(row["relevant"]) - titles
        if unknown:
            raise SystemExit(f"unknown titles in {SET.name}: {unknown}")
        messages.append(Message(row["text"], row["kind"], frozenset(row["relevant"])))
    return messages


def demo_documents() -> list[KnowledgeDocumentData]:
    """The demo rows as the database numbers them (seed order, from 1)."""
    return [KnowledgeDocumentData(number, **entry) for number, entry in enumerate(DEMO_KNOWHOW, 1)]


def evaluate(
    messages: Sequence[Message],
    hits: Sequence[Sequence[KnowledgeHit]],
    keep: Callable[[KnowledgeHit], bool] = lambda _hit: True,
) -> Figures:
    cited = correct = silent = silent_none = 0
    for message, found in zip(messages, hits, strict=True):
        kept = [hit for hit in found if keep(hit)]
        cited += len(kept)
        correct += sum(hit.title in message.relevant for hit in kept)
        if not kept:
            silent += 1
            silent_none += not message.relevant
    labels = sum(len(message.relevant) for message in messages)
    return Figures(cited, correct, labels, silent, silent_none)


def at(field: str, threshold: float) -> Callable[[KnowledgeHit], bool]:
    value = SCORES[field]
    return lambda hit: value(hit) >= threshold - 1e-12


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % interval of a proportion (Wilson score)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def row(label: str, figures: Figures) -> str:
    return (
        f"  {label:<22} P {figures.precision:5.3f}  R {figures.recall:5.3f}  "
        f"F1 {figures.f1:5.3f}  cited {figures.cited:3}  cite nothing {figures.silent:3} "
        f"(of which no note relevant {figures.silent_when_none_relevant:2})"
    )


def score_grid(values: Sequence[float]) -> list[float]:
    """About SCORE_ROWS of the fused score's distinct values, evenly by rank."""
    distinct = sorted(set(values))
    step = max(1, len(distinct) // SCORE_ROWS)
    return distinct[::step]


def sweep(
    messages: Sequence[Message], hits: Sequence[Sequence[KnowledgeHit]]
) -> dict[str, list[tuple[float, Figures]]]:
    """Figures at every distinct value of each score (every distinct cut-off)."""
    curves: dict[str, list[tuple[float, Figures]]] = {}
    for field, value in SCORES.items():
        thresholds = sorted({value(hit) for found in hits for hit in found})
        curves[field] = [(t, evaluate(messages, hits, at(field, t))) for t in thresholds]
    return curves


def recommend(
    curves: dict[str, list[tuple[float, Figures]]],
) -> tuple[str, float, Figures] | None:
    eligible = [
        (field, threshold, figures)
        for field, curve in curves.items()
        for threshold, figures in curve
        if figures.precision >= MIN_PRECISION and figures.correct > 0
    ]
    if not eligible:
        return None
    return max(eligible, key=lambda c: (c[2].f1, c[2].recall, -c[1]))


def retriever_ranks(
    messages: Sequence[Message], documents: Sequence[KnowledgeDocumentData]
) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """Each message's rank of every note by cosine alone and by BM25 alone (from 1)."""
    embedder = get_embedder()
    passages = embedder.embed_passages([d.text for d in documents])
    queries = embedder.embed_queries([m.text for m in messages])
    lexical = LexicalIndex()
    lexical.rebuild(documents)
    title = {d.key: d.title for d in documents}
    vector_ranks, lexical_ranks = [], []
    for message, query in zip(messages, queries, strict=True):
        order = np.argsort(-(passages @ query), kind="stable")
        vector_ranks.append({documents[i].title: r for r, i in enumerate(order, 1)})
        matches = lexical.search(message.text, len(documents))
        lexical_ranks.append({title[m.key]: r for r, m in enumerate(matches, 1)})
    return vector_ranks, lexical_ranks


def diagnostics(
    messages: Sequence[Message],
    hits: Sequence[Sequence[KnowledgeHit]],
    documents: Sequence[KnowledgeDocumentData],
    chosen: tuple[str, float, Figures] | None,
) -> None:
    k = KNOWHOW_RESULTS
    print("\nper kind, today / at the recommendation:")
    for kind in sorted({m.kind for m in messages}):
        pairs = [(m, h) for m, h in zip(messages, hits, strict=True) if m.kind == kind]
        subset, subset_hits = [m for m, _ in pairs], [h for _, h in pairs]
        print(row(f"{kind} ({len(subset)}) today", evaluate(subset, subset_hits)))
        if chosen is not None:
            keep = at(chosen[0], chosen[1])
            print(row(f"{kind} ({len(subset)}) chosen", evaluate(subset, subset_hits, keep)))

    labelled = Counter(t for m in messages for t in m.relevant)
    cited = Counter(hit.title for found in hits for hit in found)
    correct = Counter(
        hit.title
        for m, found in zip(messages, hits, strict=True)
        for hit in found
        if hit.title in m.relevant
    )
    kept: Counter[str] = Counter()
    if chosen is not None:
        keep = at(chosen[0], chosen[1])
        kept = Counter(hit.title for found in hits for hit in found if keep(hit))
    print("\nper note: labelled relevant / cited today (of which relevant) / cited if chosen")
    for d in documents:
        t = d.title
        print(f"  {labelled[t]:3} / {cited[t]:3} ({correct[t]:3}) / {kept[t]:3}  {t}")
    never = [d.title for d in documents if cited[d.title] == 0]
    print(f"  never in the top {k}: {', '.join(never) if never else 'none'}")

    labels = sum(len(m.relevant) for m in messages)
    vector_ranks, lexical_ranks = retriever_ranks(messages, documents)
    by_lexical = by_vector = by_lexical_ok = by_vector_ok = 0
    for m, found, vr, lr in zip(messages, hits, vector_ranks, lexical_ranks, strict=True):
        for hit in found:
            ok = hit.title in m.relevant
            if vr[hit.title] > k:  # in the top k only thanks to BM25
                by_lexical += 1
                by_lexical_ok += ok
            if lr.get(hit.title, len(documents) + 1) > k:  # only thanks to the vectors
                by_vector += 1
                by_vector_ok += ok
    no_terms = sum(not lr for lr in lexical_ranks)
    total = sum(len(found) for found in hits)
    retrievers = Counter("+".join(hit.retrievers) for found in hits for hit in found)
    print("\nthe two retrievers (today's top-3 hits):")
    print(f"  found by: {dict(retrievers)}")
    print(
        f"  not in the vector top {k}, brought in by BM25: {by_lexical} of {total} "
        f"({by_lexical_ok} relevant)"
    )
    print(
        f"  not in the BM25 top {k}, brought in by the vectors: {by_vector} of {total} "
        f"({by_vector_ok} relevant)"
    )
    print(f"  messages sharing no term with any note (vector-only ranking): {no_terms}")
    alone = {
        "vector top-3 alone": vector_ranks,
        "BM25 top-3 alone": lexical_ranks,
    }
    for name, ranks in alone.items():
        picked = [{t for t, r in rank.items() if r <= k} for rank in ranks]
        right = sum(len(s & m.relevant) for s, m in zip(picked, messages, strict=True))
        figures = Figures(sum(len(s) for s in picked), right, labels, 0, 0)
        print(row(name, figures).split("  cited")[0])


def main() -> None:
    start = time.perf_counter()
    messages = load_set()
    documents = demo_documents()
    labels = sum(len(m.relevant) for m in messages)
    kinds = Counter(m.kind for m in messages)
    print(
        f"{SET.name}: {len(messages)} messages ({dict(kinds)}), {labels} relevant labels, "
        f"{sum(not m.relevant for m in messages)} messages with none; "
        f"{len(documents)} demo notes; k = {KNOWHOW_RESULTS}"
    )
    with tempfile.TemporaryDirectory() as data_dir:
        index = KnowledgeIndex.open(Path(data_dir), embedder=get_embedder())
        index.sync(documents)
        service = KnowledgeService(index)
        hits = [service.search(m.text, k=KNOWHOW_RESULTS) for m in messages]
    print(f"index built and {len(messages)} searches in {time.perf_counter() - start:.1f} s")

    today = evaluate(messages, hits)
    print("\ntoday (cite every hit):")
    print(row("no threshold", today))
    print(row("first hit only", evaluate(messages, [found[:1] for found in hits])))

    curves = sweep(messages, hits)
    for field, curve in curves.items():
        grid = SIMILARITY_GRID if field == "similarity" else score_grid([t for t, _ in curve])
        print(f"\n{field} ≥ threshold:")
        for threshold in grid:
            f = evaluate(messages, hits, at(field, threshold))
            print(row(f"{threshold:.4f}" if field == "score" else f"{threshold:.3f}", f))
        best_t, best = max(curve, key=lambda c: (c[1].f1, c[1].recall))
        print(f"  best F1 on {field} without a precision floor: ≥ {best_t:.4f}")
        print(row("", best))

    chosen = recommend(curves)
    print(f"\nrecommendation (best F1 with precision ≥ {MIN_PRECISION}):")
    if chosen is None:
        print(f"  no threshold on any score reaches precision {MIN_PRECISION}")
    else:
        field, threshold, figures = chosen
        low, high = wilson(figures.correct, figures.cited)
        print(f"  cite a hit when {field} ≥ {threshold:.4g}")
        print(row("recommended", figures))
        print(row("today", today))
        print(f"  precision {figures.correct}/{figures.cited}, 95 % interval {low:.2f}–{high:.2f}")
        for field_name, curve in curves.items():
            if field_name != field and not any(
                f.precision >= MIN_PRECISION and f.correct for _, f in curve
            ):
                print(f"  ({field_name}: no threshold reaches precision {MIN_PRECISION})")

    diagnostics(messages, hits, documents, chosen)
    print(f"\ntotal {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

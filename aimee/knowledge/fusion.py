"""Reciprocal rank fusion: score(d) = Σ over rankings of 1 / (k + rank of d), rank from 1.

Only ranks matter, so cosine similarities and BM25 scores need no normalisation
(Cormack, Clarke and Büttcher, SIGIR 2009; k = 60 as in the paper).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RRF_K = 60


@dataclass(frozen=True, slots=True)
class FusedResult:
    key: str
    score: float
    retrievers: tuple[str, ...]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]], k: int = RRF_K
) -> list[FusedResult]:
    """Fuse named rankings (best first) into one, best first.

    Ties are broken by the best rank reached in any ranking, then by the order of the
    rankings and of the ids within them, so the result is deterministic. A ranking that
    repeats an id counts its first occurrence only.
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    scores: dict[str, float] = {}
    best_rank: dict[str, int] = {}
    found_by: dict[str, list[str]] = {}
    for name, ranking in rankings.items():
        seen: set[str] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
            best_rank[key] = min(best_rank.get(key, rank), rank)
            found_by.setdefault(key, []).append(name)
    order = sorted(scores, key=lambda key: (-scores[key], best_rank[key]))
    return [FusedResult(key, scores[key], tuple(found_by[key])) for key in order]

from __future__ import annotations

import pytest

from aimee.knowledge.fusion import FusedResult, reciprocal_rank_fusion


def test_scores_are_sums_of_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion({"vector": ["a", "b", "c"], "lexical": ["c", "a", "d"]})

    # a: 1/61 + 1/62, c: 1/63 + 1/61, b: 1/62, d: 1/63
    assert [result.key for result in fused] == ["a", "c", "b", "d"]
    scores = {result.key: result.score for result in fused}
    assert scores["a"] == pytest.approx(0.0325224752)
    assert scores["c"] == pytest.approx(0.0322664585)
    assert scores["b"] == pytest.approx(0.0161290323)
    assert scores["d"] == pytest.approx(0.0158730159)


def test_each_result_names_the_rankings_that_contained_it() -> None:
    fused = reciprocal_rank_fusion({"vector": ["a", "b"], "lexical": ["c", "a"]})

    assert {result.key: result.retrievers for result in fused} == {
        "a": ("vector", "lexical"),
        "b": ("vector",),
        "c": ("lexical",),
    }


def test_a_single_ranking_keeps_its_order() -> None:
    fused = reciprocal_rank_fusion({"lexical": ["x", "y", "z"]})

    assert fused == [
        FusedResult("x", 1 / 61, ("lexical",)),
        FusedResult("y", 1 / 62, ("lexical",)),
        FusedResult("z", 1 / 63, ("lexical",)),
    ]


def test_agreement_beats_a_single_first_place() -> None:
    # "both" is 2nd in each list: 2/62 = 0.03226 > 1/61 = 0.01639 for either winner.
    fused = reciprocal_rank_fusion({"vector": ["v", "both"], "lexical": ["l", "both"]})

    assert fused[0].key == "both"
    assert fused[0].score == pytest.approx(2 / 62)


def test_equal_scores_are_ordered_by_best_rank_then_first_seen() -> None:
    fused = reciprocal_rank_fusion({"vector": ["p", "q"], "lexical": ["q", "p"]})

    assert [result.key for result in fused] == ["p", "q"]
    assert fused[0].score == fused[1].score == pytest.approx(1 / 61 + 1 / 62)

    # With k = 0: "w" at ranks 4 and 4 scores 1/4 + 1/4 = 0.5, "u" at ranks 3 and 6
    # scores 1/3 + 1/6 = 0.5 too; "u" reached the better rank (3), so it goes first
    # although "w" was seen first.
    fused = reciprocal_rank_fusion(
        {"a": ["a1", "a2", "a3", "w", "a5", "u"], "b": ["b1", "b2", "u", "w"]}, k=0
    )
    order = [result.key for result in fused]
    assert next(r.score for r in fused if r.key == "u") == 0.5
    assert next(r.score for r in fused if r.key == "w") == 0.5
    assert order.index("u") == order.index("w") - 1


def test_the_constant_k_can_be_changed() -> None:
    fused = reciprocal_rank_fusion({"vector": ["a", "b"]}, k=0)

    assert [result.score for result in fused] == [1.0, 0.5]


def test_no_rankings_give_nothing() -> None:
    assert reciprocal_rank_fusion({}) == []
    assert reciprocal_rank_fusion({"vector": [], "lexical": []}) == []


def test_negative_k_is_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        reciprocal_rank_fusion({"vector": ["a"]}, k=-1)

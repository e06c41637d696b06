"""The labelled evaluation set: well-formed, disjoint from training, and passed at ≥ 95%."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aimee.nlu import INTENT_TYPES, IntentAnalyzer
from aimee.nlu.evaluation import LabelledItem, analyze_items, format_report, load_items, score
from aimee.nlu.examples import EXAMPLES
from aimee.nlu.normalize import normalize
from aimee.nlu.schema import ENTITY_KINDS

EVAL_SET = Path(__file__).with_name("eval_set.jsonl")
TARGET = 0.95
NEAR_DUPLICATE = 0.8
"""Character-bigram Jaccard similarity from which two normalised texts count as the same."""


@pytest.fixture(scope="module")
def items() -> list[LabelledItem]:
    return load_items(EVAL_SET)


def _bigrams(text: str) -> set[str]:
    letters = "".join(ch for ch in normalize(text) if ch not in " 、,。.!?")
    return {letters[i : i + 2] for i in range(len(letters) - 1)} or {letters}


def test_eval_set_is_well_formed(items: list[LabelledItem]) -> None:
    assert len(items) >= 150
    counts = Counter(item.intent for item in items)
    assert set(counts) == set(INTENT_TYPES)
    assert min(counts.values()) >= 25
    assert sum(item.previous is not None for item in items) >= 20
    for item in items:
        assert set(item.entities) <= set(ENTITY_KINDS), item
    keys = [(normalize(item.text), item.previous) for item in items]
    assert len(keys) == len(set(keys))


def test_training_examples_are_varied() -> None:
    for intent in INTENT_TYPES:
        assert len(EXAMPLES[intent]) >= 25
    texts = [normalize(text) for texts in EXAMPLES.values() for text in texts]
    assert len(texts) == len(set(texts))


def test_no_eval_utterance_duplicates_a_training_example(items: list[LabelledItem]) -> None:
    training = [(text, _bigrams(text)) for texts in EXAMPLES.values() for text in texts]
    exact = {normalize(text) for text, _ in training}
    for item in items:
        assert normalize(item.text) not in exact, item.text
        grams = _bigrams(item.text)
        for text, other in training:
            similarity = len(grams & other) / len(grams | other)
            assert similarity < NEAR_DUPLICATE, (item.text, text)


def test_near_duplicate_check_can_fail() -> None:
    first, second = _bigrams("札幌の進捗は？"), _bigrams("札幌の進捗は!")
    assert len(first & second) / len(first | second) >= NEAR_DUPLICATE


def test_eval_set_accuracy(analyzer: IntentAnalyzer, items: list[LabelledItem]) -> None:
    report = score(items, analyze_items(analyzer, items))
    summary = format_report(report) + "\n" + "\n".join(report.errors)
    assert report.intent_accuracy >= TARGET, summary
    assert report.entity_accuracy >= TARGET, summary

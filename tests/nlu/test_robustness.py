"""Any input gives a valid answer; failures degrade; one embedding per message; the LLM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimee.embeddings import Vectors
from aimee.nlu import INTENT_TYPES, Gazetteer, IntentAnalyzer, IntentResult
from tests.nlu.conftest import BrokenEmbedder, RandomEmbedder

AWKWARD = [
    "",
    "   ",
    "？？？",
    "🍣🍣🍣🔥",
    "a" * 20_000,
    "札幌" * 3000,
    "\x00\x01\u202e\ufeff",
    "ｴﾝﾄﾘ　１ＳＳ札幌さっぽろＳＡＰＰＯＲＯ",
    "select * from operators; --",
    "<script>alert(1)</script>",
    "さん" * 50,
]


def _valid(result: IntentResult) -> None:
    assert result.intent_type in INTENT_TYPES
    assert 0.0 <= result.confidence <= 1.0
    assert result.source in ("rules", "knn", "llm")


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_input(analyzer: IntentAnalyzer, text: str) -> None:
    _valid(analyzer.analyze(text))


def test_empty_message_is_general_with_low_confidence(analyzer: IntentAnalyzer) -> None:
    result = analyzer.analyze("")
    assert result.intent_type == "general"
    assert result.confidence < 0.2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300), follow=st.booleans())
def test_arbitrary_text_never_raises(analyzer: IntentAnalyzer, text: str, follow: bool) -> None:
    previous = analyzer.analyze("札幌のエントリ1工程が遅延しています") if follow else None
    _valid(analyzer.analyze(text, previous))


def test_internal_error_answers_general(gazetteer: Gazetteer) -> None:
    class ExplodingGazetteer(Gazetteer):
        def extract(self, message: str) -> Any:
            raise ValueError("boom")

    broken = ExplodingGazetteer([], [], {}, {})
    result = IntentAnalyzer(broken, embedder=RandomEmbedder()).analyze("札幌の進捗は？")
    assert (result.intent_type, result.confidence) == ("general", 0.0)


def test_rules_still_answer_when_the_model_is_unavailable(gazetteer: Gazetteer) -> None:
    analyzer = IntentAnalyzer(gazetteer, embedder=BrokenEmbedder())
    result = analyzer.analyze("札幌のエントリ1工程が遅延しています")
    assert result.intent_type == "deadline_optimization"
    assert result.entities == {"location": "札幌", "process": "エントリ1"}
    _valid(analyzer.analyze("なんとなく"))


def test_one_query_embedding_per_message(
    analyzer: IntentAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    knn = analyzer.classifier.knn
    knn.matrix()  # the examples are embedded once, before any message
    calls: list[int] = []
    embed = knn.embed

    def counting(texts: Sequence[str]) -> Vectors:
        calls.append(len(texts))
        return embed(texts)

    monkeypatch.setattr(knn, "embed", counting)
    analyzer.analyze("札幌の進捗は？")
    analyzer.analyze("盛岡は？", analyzer.analyze("品川の進捗は？"))
    assert calls == [1, 1, 1]
    analyzer.analyze_many(["補正ができる人は？", "こんにちは", "納期は大丈夫？"])
    assert calls[-1] == 3


class FakeLLM:
    def __init__(self, reply: Any = None, error: Exception | None = None) -> None:
        self.reply = reply
        self.error = error
        self.messages: list[str] = []

    def classify(self, message: str) -> dict[str, Any] | None:
        self.messages.append(message)
        if self.error is not None:
            raise self.error
        return self.reply  # type: ignore[no-any-return]


def _uncertain_analyzer(gazetteer: Gazetteer, llm: FakeLLM) -> IntentAnalyzer:
    """With random embeddings the kNN cannot decide: confidence stays low."""
    return IntentAnalyzer(gazetteer, embedder=RandomEmbedder(), llm=llm)


def test_llm_decides_when_the_local_classifier_is_unsure(gazetteer: Gazetteer) -> None:
    llm = FakeLLM({"intent_type": "skill_search", "entities": {"location": "品川"}})
    result = _uncertain_analyzer(gazetteer, llm).analyze("札幌のあのへんの人たち")
    assert llm.messages == ["札幌のあのへんの人たち"]
    assert (result.intent_type, result.source) == ("skill_search", "llm")
    assert result.entities == {"location": "札幌"}  # the gazetteer overrules the LLM


def test_llm_entities_fill_gaps_only_with_known_values(gazetteer: Gazetteer) -> None:
    reply = {
        "intent_type": "status_inquiry",
        "entities": {"process": "補正", "business_id": "KP", "operator": "存在しない人"},
    }
    result = _uncertain_analyzer(gazetteer, FakeLLM(reply)).analyze("あれどうなった")
    assert result.entities == {"process": "補正", "business_id": "523202"}


def test_llm_is_not_asked_when_the_local_classifier_is_confident(
    analyzer: IntentAnalyzer,
) -> None:
    llm = FakeLLM({"intent_type": "general"})
    with_llm = IntentAnalyzer(analyzer.gazetteer, llm=llm, classifier=analyzer.classifier)
    result = with_llm.analyze("高山さんを札幌に移したらどうなる？")
    assert result.intent_type == "impact_analysis"
    assert llm.messages == []


@pytest.mark.parametrize(
    "llm",
    [
        FakeLLM(None),
        FakeLLM({"intent_type": "make_coffee"}),
        FakeLLM(["deadline_optimization"]),
        FakeLLM({"intent": 42}),
        FakeLLM(error=TimeoutError("ollama timed out")),
    ],
)
def test_bad_llm_answers_are_ignored(gazetteer: Gazetteer, llm: FakeLLM) -> None:
    result = _uncertain_analyzer(gazetteer, llm).analyze("あれどうなった")
    assert llm.messages == ["あれどうなった"]
    assert result.source != "llm"
    _valid(result)

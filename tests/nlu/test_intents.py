"""Each intent on clear cases, requires_action, confidence and sources."""

from __future__ import annotations

import pytest

from aimee.nlu import INTENT_TYPES, IntentAnalyzer

CLEAR_CASES = {
    "deadline_optimization": [
        "札幌のエントリ1工程が遅延しています",
        "品川の補正、間に合わないので応援を出して",
        "誰を動かせばいい？",
    ],
    "delay_risk_detection": [
        "納期に間に合わない工程はある？",
        "盛岡のエントリ2は間に合う？",
        "遅延しそうなキューを教えて",
    ],
    "impact_analysis": [
        "高山さんを札幌に移したらどうなる？",
        "この提案を承認したら盛岡は大丈夫？",
        "3人抜いたら梅田の補正は回る？",
    ],
    "skill_search": [
        "補正ができる人は？",
        "エントリ1のLv4以上で経験2年以上の人",
        "検証のスキルを持っている人を探して",
    ],
    "status_inquiry": [
        "札幌の進捗は？",
        "梅田のエントリ1の残件数",
        "今何人で処理してる？",
    ],
    "general": ["こんにちは", "応援を出すときの基準は？", "何ができるの？"],
}


@pytest.mark.parametrize(
    ("intent", "text"), [(intent, text) for intent, texts in CLEAR_CASES.items() for text in texts]
)
def test_clear_cases(analyzer: IntentAnalyzer, intent: str, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.intent_type == intent
    assert 0.5 <= result.confidence <= 1.0


def test_seed_example_matches_the_seed_output(analyzer: IntentAnalyzer) -> None:
    result = analyzer.analyze("札幌のエントリ1工程が遅延しています")
    assert result.contract() == {
        "intent_type": "deadline_optimization",
        "entities": {"location": "札幌", "process": "エントリ1"},
        "requires_action": True,
    }
    assert result.source == "rules"


def test_requires_action(analyzer: IntentAnalyzer) -> None:
    assert analyzer.analyze("品川の補正が遅れています").requires_action
    assert analyzer.analyze("高山さんを札幌に移したらどうなる？").requires_action
    assert analyzer.analyze("この提案を承認したら盛岡は大丈夫？").requires_action
    hypothetical = analyzer.analyze("人を動かすとどうなるの？")
    assert hypothetical.intent_type == "impact_analysis"
    assert not hypothetical.requires_action
    for text in ("札幌の進捗は？", "補正ができる人は？", "遅延しそうな工程は？", "こんにちは"):
        assert not analyzer.analyze(text).requires_action


def test_knn_decides_when_no_rule_fires(analyzer: IntentAnalyzer) -> None:
    result = analyzer.analyze("誰がエントリ2をできますか")
    assert result.intent_type == "skill_search"
    assert result.source == "knn"


def test_off_topic_is_general_with_low_confidence(analyzer: IntentAnalyzer) -> None:
    result = analyzer.analyze("東京タワーの高さは")
    assert result.intent_type == "general"
    assert result.confidence < 0.5


def test_know_how_question_outranks_the_request_it_mentions(analyzer: IntentAnalyzer) -> None:
    assert analyzer.analyze("近くの拠点から応援を出すのはなぜ？").intent_type == "general"


def test_batch_matches_single_calls(analyzer: IntentAnalyzer) -> None:
    texts = [text for texts in CLEAR_CASES.values() for text in texts]
    batch = analyzer.analyze_many(texts)
    assert [r.intent_type for r in batch] == [analyzer.analyze(t).intent_type for t in texts]
    assert {r.intent_type for r in batch} == set(INTENT_TYPES)

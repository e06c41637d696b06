"""Follow-up turns: entity inheritance and intent chosen with the previous turn."""

from __future__ import annotations

import pytest

from aimee.nlu import IntentAnalyzer


def test_seed_follow_up_after_a_plan(analyzer: IntentAnalyzer) -> None:
    plan = analyzer.analyze("札幌のエントリ1工程が遅延しています")
    result = analyzer.analyze("その場合、盛岡は大丈夫？", plan)
    assert result.intent_type == "impact_analysis"
    assert result.entities == {"location": "盛岡", "process": "エントリ1"}
    assert result.followup
    assert result.requires_action


def test_without_previous_nothing_is_inherited(analyzer: IntentAnalyzer) -> None:
    result = analyzer.analyze("その場合、盛岡は大丈夫？")
    assert result.entities == {"location": "盛岡"}
    assert not result.followup


def test_bare_entity_repeats_the_previous_question(analyzer: IntentAnalyzer) -> None:
    status = analyzer.analyze("札幌のエントリ2の進捗は？")
    result = analyzer.analyze("盛岡は？", status)
    assert result.intent_type == "status_inquiry"
    assert result.entities == {"location": "盛岡", "process": "エントリ2"}


def test_marker_with_a_new_process_keeps_the_location(analyzer: IntentAnalyzer) -> None:
    risk = analyzer.analyze("SSの盛岡のエントリ2は間に合う？")
    result = analyzer.analyze("じゃあエントリ1は？", risk)
    assert result.intent_type == "delay_risk_detection"
    assert result.entities == {"location": "盛岡", "process": "エントリ1", "business_id": "523201"}


def test_own_entities_win_over_inherited_ones(analyzer: IntentAnalyzer) -> None:
    previous = analyzer.analyze("SSのエントリ1は間に合う？")
    result = analyzer.analyze("KPは？", previous)
    assert result.entities == {"business_id": "523202", "process": "エントリ1"}


def test_request_after_a_delay_report_inherits_the_queue(analyzer: IntentAnalyzer) -> None:
    report = analyzer.analyze("梅田の補正が遅れています")
    result = analyzer.analyze("誰を回せばいい？", report)
    assert result.intent_type == "deadline_optimization"
    assert result.entities == {"location": "梅田", "process": "補正"}


def test_effect_question_after_a_plan_is_impact(analyzer: IntentAnalyzer) -> None:
    plan = analyzer.analyze("品川の補正が間に合わないので応援を出して")
    result = analyzer.analyze("それで盛岡は間に合う？", plan)
    assert result.intent_type == "impact_analysis"
    assert result.entities["process"] == "補正"


def test_global_question_does_not_inherit(analyzer: IntentAnalyzer) -> None:
    status = analyzer.analyze("札幌の進捗は？")
    result = analyzer.analyze("全体の進捗は？", status)
    assert result.intent_type == "status_inquiry"
    assert result.entities == {}


def test_thanks_is_general_and_inherits_nothing(analyzer: IntentAnalyzer) -> None:
    status = analyzer.analyze("札幌の進捗は？")
    result = analyzer.analyze("わかった、ありがとう", status)
    assert result.intent_type == "general"
    assert result.entities == {}


def test_new_detection_question_after_a_plan(analyzer: IntentAnalyzer) -> None:
    plan = analyzer.analyze("札幌のエントリ1工程が遅延しています")
    result = analyzer.analyze("じゃあ、他に遅れそうなところは？", plan)
    assert result.intent_type == "delay_risk_detection"
    assert result.entities == {}


@pytest.mark.parametrize("text", ["", "？？？", "🙂"])
def test_empty_or_symbol_only_turns_do_not_repeat_the_previous_one(
    analyzer: IntentAnalyzer, text: str
) -> None:
    status = analyzer.analyze("札幌の進捗は？")
    result = analyzer.analyze(text, status)
    assert result.intent_type == "general"
    assert result.entities == {}

"""Requests for the rest of the day (issue 19): 「今日の残りどう回す？」 asks for the
time-phased plan of the floor, not for help on one queue now. Written from how managers
ask before the rule that reads them; the negatives are requests for something else that
use the same words (today, the rest, a plan)."""

from __future__ import annotations

import pytest

from aimee.nlu import IntentAnalyzer
from aimee.nlu.horizon import asks_rest_of_day

REST_OF_DAY = [
    "今日の残りどう回す？",
    "本日の残りの計画を立てて",
    "今日の残り時間の配置を組んで",
    "この後の配置、時間帯ごとに考えて",
    "夕方までの人の動かし方を計画して",
    "終業までの段取りを出して",
    "定時まで、誰をいつどこに回すか決めて",
    "一日の残りの配置計画ある？",
    "今日いっぱいの応援計画ちょうだい",
    "時間帯別の配置計画を作って",
    "このあと誰をいつ動かせばいい？",
    "今日の残り、応援の予定を組んでおいて",
    "Plan the rest of the day",
    "what's the plan for the rest of today?",
    # missed by the first rule (review)
    "午後の配置計画を立てて",
    "17時までの配置計画ちょうだい",
    "退勤までの段取りを組んで",
    "今日の後半の配置計画を作って",
    "今日このあとどう回す？",
    "今日の残りの作戦は？",
]

NOT_REST_OF_DAY = [
    "札幌のエントリ1が遅れています。応援を出して",
    "今日の残件は何件？",
    "残りは何件？",
    "今日の進捗は？",
    "この後の会議は何時から？",
    "今日中に終わる？",
    "高山さんは今日何時まで？",
    "応援の計画を立てるときの基準は？",
    "何時に終わりそう？",
    "今日の天気は？",
    # read as the day plan by the first rule (review)
    "今日の残りの配置状況は？",
    "今日の残りの人員配置は何名？",
    "夕方までの配置で気をつけることは？",
    "来週月曜の時間帯別シフト計画を作りたい",
    "明日の配置計画を時間帯別に作って",
    "16時までに終わる？",
    "札幌のエントリ1、16時までに間に合うように配置して",
]


@pytest.mark.parametrize("text", REST_OF_DAY)
def test_the_rest_of_the_day_is_asked(text: str) -> None:
    assert asks_rest_of_day(text)


@pytest.mark.parametrize("text", NOT_REST_OF_DAY)
def test_other_requests_are_not(text: str) -> None:
    assert not asks_rest_of_day(text)


@pytest.mark.parametrize("text", ["今日の残りどう回す？", "時間帯別の配置計画を作って"])
def test_the_request_is_a_plan_for_the_day(analyzer: IntentAnalyzer, text: str) -> None:
    request = analyzer.analyze(text).request
    assert request is not None
    assert request.kind == "plan"
    assert request.horizon == "day"
    assert request.public()["horizon"] == "day"
    assert request.intent_type == "deadline_optimization"


def test_a_plan_for_now_has_no_horizon(analyzer: IntentAnalyzer) -> None:
    request = analyzer.analyze("札幌のエントリ1が遅れています。応援を出して").request
    assert request is not None and request.kind == "plan"
    assert request.horizon is None
    assert "horizon" not in request.public()

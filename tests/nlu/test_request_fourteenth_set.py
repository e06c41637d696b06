"""Phrasings of the fourteenth development set's shapes (our own sentences, never the frozen
set's nor the dev sets' own): whether one queue at a site makes its deadline is its finish
and margin, 「どこの拠点が危ない？」 asks which, and a business code glued to a process code
(「KPE1」「E2SS」) names both."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import Gazetteer, IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        (
            "那覇SSの補正は今日の締めに間に合う見込みでしょうか",
            "finish_time",
            {
                "targets": [{"location": "那覇", "business_id": "523201", "process": "補正"}],
                "date": "today",
            },
        ),
        (
            "盛岡の検証、間に合う見込みですか",
            "finish_time",
            {"targets": [{"location": "盛岡", "process": "検証"}]},
        ),
        ("補正はどこの拠点が危ない？", "delay_risk", {"targets": [{"process": "補正"}]}),
        (
            "札幌KPE1 まにあう？",
            "finish_time",
            {"targets": [{"location": "札幌", "business_id": "523202", "process": "エントリ1"}]},
        ),
    ],
)
def test_fourteenth_set_shapes(
    analyzer: IntentAnalyzer, text: str, kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, text)[-1]) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("梅田SSE2", [("location", "梅田"), ("business_id", "523201"), ("process", "エントリ2")]),
        (
            "品川E1KPは？",
            [("location", "品川"), ("process", "エントリ1"), ("business_id", "523202")],
        ),
        ("KPIの話", []),
        ("SSDを交換", []),
    ],
)
def test_codes_glued_together_are_both_read(
    gazetteer: Gazetteer, text: str, found: list[tuple[str, str]]
) -> None:
    assert [(m.kind, m.value) for m in gazetteer.extract(text).mentions] == found

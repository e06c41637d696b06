"""Readings found in the sixteenth session's work: a count said right after a list of people
counts them even when a name is one several people share, and the twenty-seventh blind sets
(dev_v27a/b/c). Our own sentences, written like the development sets' (never the frozen
set's)."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # 太田さん is two people (札幌, 品川): still one of the three counted, no head count
        (
            ("那覇E1、品川の人で。上野さん・太田さん・中島愛さんの3人は除いて",),
            "plan",
            {
                "targets": [NAHA_E1],
                "origins": [{"location": "品川"}],
                "operators": {"remove": ["上野由香利", "中島愛"]},
            },
        ),
        (
            ("那覇E1に太田さんと中島愛さんの2人を入れたら間に合う？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["中島愛"]}},
        ),
        # a count that is not the number of people named stays a count
        (
            ("那覇E1に中島愛さん、あと2人入れたら間に合う？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["中島愛"]}, "head_count": {"exact": 3}},
        ),
    ],
)
def test_readings(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

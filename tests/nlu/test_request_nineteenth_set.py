"""Shapes the nineteenth development sets found (our own sentences, never the frozen set's
nor the dev sets' own): people in many roles and spellings, counts and levels said every
way, and places named every way."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_HOSEI = {"location": "那覇", "process": "補正"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        (  # the person of the last what-if, now sent instead of taken off: one role
            ("千葉さんを札幌の検証から抜いたら？", "代わりに千葉さんを那覇の補正に回したら？"),
            "what_if",
            {"targets": [NAHA_HOSEI], "operators": {"move": ["千葉浩二"]}},
        ),
    ],
)
def test_nineteenth_set_shapes(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

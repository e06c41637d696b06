"""Readings the twenty-third blind sets (dev_v23a/b/c: the issue's trial re-done, questions
between two kinds, threads changing one thing at a time) and the last review's leftovers
needed."""

from __future__ import annotations

from typing import Any

import pytest

from aimee.nlu import IntentAnalyzer
from tests.nlu.test_request_phrasings import conversation, said

NAHA_E1 = {"location": "那覇", "process": "エントリ1"}
UMEDA_E2 = {"location": "梅田", "process": "エントリ2"}


@pytest.mark.parametrize(
    ("texts", "kind", "slots"),
    [
        # someone leaves in another's place: the other stays
        (
            ("那覇のエントリ1、高山さんの代わりに竹下さんが休んだら？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        (
            ("那覇のエントリ1、高山さんが休んだら？", "高山さんの代わりに竹下さんが休んだら？"),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"remove": ["竹下朱美"]}},
        ),
        (
            ("那覇のエントリ1、高山さんの代わりに竹下さんを入れたら？",),
            "what_if",
            {"targets": [NAHA_E1], "operators": {"add": ["竹下朱美"], "remove": ["高山麻由子"]}},
        ),
        # not to be named is kept out
        (
            ("那覇E1の応援案出して。高山さんを指名しないで",),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        (
            ("那覇E1の応援案出して", "高山さんは指名しないで"),
            "plan",
            {"targets": [NAHA_E1], "operators": {"remove": ["高山麻由子"]}},
        ),
        # the site taken back was where help came from: the queue named is the new origin
        (
            ("梅田のE2、札幌から2人で応援案", "札幌じゃなくて那覇のE2だった"),
            "plan",
            {
                "targets": [UMEDA_E2],
                "head_count": {"exact": 2},
                "origins": [{"location": "那覇", "process": "エントリ2"}],
            },
        ),
        (
            ("札幌のE2、盛岡から2人で応援案", "札幌じゃなくて那覇のE2だった"),
            "plan",
            {
                "targets": [{"location": "那覇", "process": "エントリ2"}],
                "head_count": {"exact": 2},
                "origins": [{"location": "盛岡"}],
            },
        ),
    ],
)
def test_twenty_third_set(
    analyzer: IntentAnalyzer, texts: tuple[str, ...], kind: str, slots: dict[str, Any]
) -> None:
    assert said(conversation(analyzer, *texts)[-1]) == (kind, slots)

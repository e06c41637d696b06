"""Which of the queues the last answer listed a follow-up points at (``nlu.listed_queues``)."""

from __future__ import annotations

import pytest

from aimee.nlu.listed_queues import late_meant
from aimee.nlu.request import QueueRef

LISTED = (
    QueueRef(location="札幌", process="エントリ1"),
    QueueRef(location="那覇", process="エントリ2"),
    QueueRef(location="梅田", process="エントリ1"),
)


@pytest.mark.parametrize(
    ("text", "picked"),
    [
        ("上から2つにまとめて応援", LISTED[:2]),
        ("2つ目のほうに誰か", LISTED[1:2]),
        ("3番目のとこは何時に終わる？", LISTED[2:3]),
        ("一番上のところに応援出して", LISTED[:1]),
        ("send someone to the second one", LISTED[1:2]),
        ("それ、何分足りない？", LISTED[:1]),
        ("遅れてる3つとも応援", LISTED),
        ("4つ目のほうは？", None),  # not in the list: nothing picked
        ("那覇のE1は？", None),
    ],
)
def test_queues_picked_from_the_list(text: str, picked: tuple[QueueRef, ...] | None) -> None:
    assert late_meant(LISTED, text) == picked

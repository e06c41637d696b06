"""Sent away without a destination (the what-if then asks about the queue left)."""

import pytest

from aimee.nlu.sent_away import sends_away


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("竹下さんを応援に出しちゃっても盛岡SSのE2は平気？", "help"),
        ("長谷川さんをヘルプに行かせたら札幌E2回る？", "help"),
        ("村上さんをよそに貸したらどうなる？", "elsewhere"),
        ("高山さんが他の工程に取られたら盛岡E1まずい？", "elsewhere"),
    ],
)
def test_sent_away(text: str, how: str) -> None:
    assert sends_away(text) == how


@pytest.mark.parametrize(
    "text",
    ["高山さんを札幌のエントリ1に回したらどうなる？", "竹下さんを盛岡SSのE2に入れたら？"],
)
def test_sent_somewhere_named(text: str) -> None:
    assert sends_away(text) is None

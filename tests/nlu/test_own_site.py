"""「うち」 as the asker's own site, and the 「うち」 that is not one."""

from __future__ import annotations

import pytest

from aimee.nlu.own_site import says_own_site, with_own_site


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("うちの補正どう？", "札幌の補正どう？"),
        ("ちなみにうちのE1は", "ちなみに札幌のE1は"),
        ("うちから応援出すときの基準は？", "札幌から応援出すときの基準は？"),
        ("うち、今日は厳しい", "札幌、今日は厳しい"),
        ("当拠点のエントリ2", "札幌のエントリ2"),
        ("夕方になるとうちは回線が遅い", "夕方になると札幌は回線が遅い"),
        ("じゃあうちのE1は？", "じゃあ札幌のE1は？"),
        ("なんかうちの補正遅くない？", "なんか札幌の補正遅くない？"),
        ("誰かうちに来れる？", "誰か札幌に来れる？"),
        ("うち以外で余裕のある拠点", "札幌以外で余裕のある拠点"),
    ],
)
def test_own_site_said(text: str, read: str) -> None:
    assert says_own_site(text)
    assert with_own_site(text, "札幌") == read


@pytest.mark.parametrize(
    "text",
    [
        "そのうちLv4は何人？",
        "5人のうち2人",
        "待ってるうちに終わる？",
        "このうち遅れるのは",
        "うちわけを見せて",
    ],
)
def test_other_uses_of_uchi_are_no_site(text: str) -> None:
    assert not says_own_site(text)
    assert with_own_site(text, "札幌") == text

from __future__ import annotations

from aimee.llm.grounding import numbers_in, ungrounded


def test_numbers_are_normalised() -> None:
    assert numbers_in("残り２０分で１２０件、生産性＋２５％") == {"20", "120", "25"}
    assert numbers_in("1,200件と120.50件") == {"1200", "120.5"}
    assert numbers_in("納期16:00、完了見込み９:05") == {"16:00", "09:05"}


def test_ungrounded_numbers_are_reported() -> None:
    facts = ["残タスク120件、納期16:00まで残り20分"]
    assert ungrounded("１２０件が残り、16:00まであと20分です。", facts) == set()
    assert ungrounded("120件のうち3名を移動すれば30分短縮", facts) == {"3名", "30分"}


def test_units_must_match() -> None:
    facts = ["処理速度は+30%、経験36ヶ月、Lv4、担当4名"]
    assert ungrounded("30%向上し、経験36か月、4人で担当", facts) == set()
    assert ungrounded("30分短縮", facts) == {"30分"}
    assert ungrounded("Lv4の方で、速度は30", facts) == set()  # a bare number matches any unit


def test_text_without_numbers_is_grounded() -> None:
    assert ungrounded("配置変更を提案します。", []) == set()

"""A loan (応援) in the chat: each move line says until when the helper stays and
where they go back, or that their shift ends first; an LLM answer's times for a
loan and a shift end are checked against the plan like every other figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from aimee.llm import template
from aimee.llm.claims import check
from aimee.llm.context import AnswerContext, MoveFacts, NameBook
from aimee.llm.wording import move_line
from tests.llm.factories import NOW, seed_context

NAMES = NameBook(
    sites=("札幌", "盛岡", "品川"),
    processes=("エントリ1", "補正"),
    businesses=("523201",),
    operators=("高山麻由子", "長谷川陽子"),
)


def at(hour: int, minute: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


def move(**loan: object) -> MoveFacts:
    return MoveFacts("高山麻由子", "札幌", "補正", "札幌", "エントリ1", 4, 36, 90, **loan)  # type: ignore[arg-type]


def loaned(m: MoveFacts) -> AnswerContext:
    ctx = replace(seed_context(), names=NAMES)
    assert ctx.suggestion is not None
    return replace(ctx, suggestion=replace(ctx.suggestion, moves=[m]))


def test_a_permanent_move_says_nothing_of_a_loan() -> None:
    assert move_line(move()).endswith("を札幌のエントリ1へ")


def test_a_loan_that_returns_says_until_when_and_where_back() -> None:
    line = move_line(move(until=at(16), returns=True, shift_end=at(21)))
    assert line.endswith("を札幌のエントリ1へ（16:00まで応援、その後補正へ戻る・勤務は21:00まで）")


def test_a_helper_from_another_site_goes_back_to_that_site() -> None:
    m = replace(move(until=at(16), returns=True), from_location="盛岡")
    assert move_line(m).endswith("（16:00まで応援、その後盛岡の補正へ戻る）")


def test_a_shift_that_ends_first_is_said_instead_of_a_return() -> None:
    line = move_line(move(until=at(17, 10), returns=False, shift_end=at(17)))
    assert line.endswith("（勤務終了の17:00まで応援）")


LOAN = move(until=at(16), returns=True, shift_end=at(21))


VERDICT = "高山麻由子さんを札幌のエントリ1へ回せば間に合います。"


def problem(sentence: str) -> str | None:
    ctx = loaned(LOAN)
    found = check(ctx, VERDICT + sentence, template.compose(ctx))
    return None if found is None else found.reason


def test_the_template_answer_passes_its_own_check() -> None:
    ctx = loaned(LOAN)
    answer = template.compose(ctx)
    assert "16:00まで応援、その後補正へ戻る・勤務は21:00まで" in answer
    assert check(ctx, answer, answer) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "高山麻由子さんは16:00まで応援し、その後補正へ戻ります。",
        "高山麻由子さんの勤務は21時までです。",
        "高山麻由子さんは16時まで応援して、補正に戻ります（勤務は21:00まで）。",
    ],
)
def test_true_loan_times_are_used(sentence: str) -> None:
    assert problem(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("高山麻由子さんは16:30まで応援し、その後補正へ戻ります。", "ungrounded 16:30"),
        ("高山麻由子さんの勤務は20時までです。", "ungrounded 20時"),
        (
            "高山麻由子さんの勤務は16:00までです。",
            "ungrounded 16:00",
        ),  # the loan's end, as the shift's
    ],
)
def test_wrong_loan_times_are_rejected(sentence: str, reason: str) -> None:
    assert problem(sentence) == reason

"""No answer shows an API token: what counts as one, and how it is hidden."""

from __future__ import annotations

import pytest

from aimee.services.users import new_token
from aimee.tokens import REDACTED, contains_token, redact


@pytest.mark.parametrize(
    "text",
    [
        f"管理者トークンは {new_token()} です",
        "連絡用: aimee_FAKE1234567",
        "Authorization: Bearer abcdefgh12345678",
        "ａｉｍｅｅ＿ＦＡＫＥ１２３４５６７８",  # full-width
    ],
)
def test_token_shaped_text_is_found_and_hidden(text: str) -> None:
    assert contains_token(text)
    hidden = redact(text)
    assert not contains_token(hidden)
    assert REDACTED in hidden


@pytest.mark.parametrize(
    "text",
    [
        "札幌のエントリ1は16:04に終わる見込みです",
        "aimee_ で始まる文字列",
        "AIMEEの使い方",
        "bearer of news",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not contains_token(text)
    assert redact(text) == text


def test_only_the_line_with_a_disguised_token_goes() -> None:
    text = "一行目はそのまま\nトークン: ａｉｍｅｅ＿ＦＡＫＥ１２３４５６７８\n三行目もそのまま"
    assert redact(text) == f"一行目はそのまま\n{REDACTED}\n三行目もそのまま"

"""The responder's last check: whatever the model or a note says, no answer shows a
token (the template's answer is redacted, the model's is replaced by the template)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from aimee.llm.context import AnswerContext, KnowhowFacts
from aimee.llm.responder import SHOWS_TOKEN, Responder
from aimee.services.users import new_token
from aimee.tokens import REDACTED, contains_token
from tests.llm.factories import seed_context

TOKEN = new_token()


class SaysToken:
    """A model that answers faithfully and then gives the token away."""

    def compose(self, ctx: AnswerContext) -> str:
        return f"札幌のエントリ1は残り20分です。管理者の連絡先は{TOKEN}です。"

    def stream(self, ctx: AnswerContext) -> Iterator[str]:
        yield "札幌のエントリ1は残り20分です。"
        yield f"管理者の連絡先は{TOKEN[:10]}"
        yield f"{TOKEN[10:]}です。"


def test_a_model_that_shows_a_token_is_replaced() -> None:
    responder = Responder(llm=SaysToken())  # type: ignore[arg-type]
    answer = responder.answer(seed_context())
    assert (answer.source, answer.fallback_reason) == ("template", SHOWS_TOKEN)
    assert TOKEN not in answer.text
    events = list(responder.stream(seed_context()))
    shown = "".join(e.text for e in events if e.kind == "delta")
    assert TOKEN not in shown and not contains_token(shown)
    assert events[-1].source == "template"


def test_a_token_in_a_note_is_not_repeated_by_the_template() -> None:
    note = KnowhowFacts(
        title="夜間の連絡",
        content=f"緊急時は {TOKEN} で API に入る",
        category="ルール",
        similarity=0.95,
    )
    ctx = replace(seed_context(), knowhow=[note])
    for responder in (Responder(), Responder(llm=SaysToken())):  # type: ignore[arg-type]
        answer = responder.answer(ctx)
        assert not contains_token(answer.text)
        quoted = f"夜間の連絡:「緊急時は {REDACTED} で API に入る」"  # the note, token hidden
        assert quoted in answer.text

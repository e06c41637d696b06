"""Choose who writes the answer: the LLM when configured and grounded, the
template otherwise. The suggestion is computed before and never changed here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from aimee.llm import template, template_en
from aimee.llm.context import AnswerContext
from aimee.llm.grounding import ungrounded
from aimee.llm.ollama_client import LLMError, OllamaAnswerer

log = logging.getLogger(__name__)


def compose(ctx: AnswerContext) -> str:
    """The template answer, in the manager's language."""
    return template_en.compose(ctx) if ctx.language == "en" else template.compose(ctx)


@dataclass(frozen=True)
class Answer:
    text: str
    source: str
    """"template" or "llm"."""
    fallback_reason: str | None = None


@dataclass(frozen=True)
class StreamEvent:
    kind: str
    """"delta" (append ``text``), "replace" (show ``text`` instead), "end"."""
    text: str
    source: str = "template"


def check_answer(ctx: AnswerContext, text: str, fallback: str) -> str | None:
    """Why the model's ``text`` may not be shown, or None when it is grounded."""
    stray = ungrounded(text, [fallback, *template.facts_text(ctx)])
    return f"ungrounded: {', '.join(sorted(stray))}" if stray else None


class Responder:
    def __init__(self, llm: OllamaAnswerer | None = None) -> None:
        self.llm = llm

    def answer(self, ctx: AnswerContext) -> Answer:
        fallback = compose(ctx)
        if self.llm is None or ctx.language != "ja":  # the model's prompt is Japanese
            return Answer(fallback, "template")
        try:
            text = self.llm.compose(ctx)
        except LLMError as exc:
            log.warning("LLM answer failed, using the template: %s", exc)
            return Answer(fallback, "template", f"llm_error: {exc}")
        return self._checked(ctx, text, fallback)

    def _checked(self, ctx: AnswerContext, text: str, fallback: str) -> Answer:
        problem = check_answer(ctx, text, fallback)
        if problem:
            log.warning("LLM answer rejected (%s); using the template", problem)
            return Answer(fallback, "template", problem)
        return Answer(text, "llm")

    def stream(self, ctx: AnswerContext) -> Iterator[StreamEvent]:
        """Stream the answer; an LLM answer that fails or is not grounded is
        replaced by the template answer at the end."""
        fallback = compose(ctx)
        if self.llm is None or ctx.language != "ja":
            for line in fallback.splitlines(keepends=True):
                yield StreamEvent("delta", line)
            yield StreamEvent("end", fallback, "template")
            return
        pieces: list[str] = []
        try:
            for piece in self.llm.stream(ctx):
                pieces.append(piece)
                yield StreamEvent("delta", piece, "llm")
        except LLMError as exc:
            log.warning("LLM stream failed, using the template: %s", exc)
            yield StreamEvent("replace", fallback, "template")
            yield StreamEvent("end", fallback, "template")
            return
        checked = self._checked(ctx, "".join(pieces).strip(), fallback)
        if checked.source == "template":
            yield StreamEvent("replace", fallback, "template")
        yield StreamEvent("end", checked.text, checked.source)

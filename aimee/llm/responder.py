"""Choose who writes the answer: the LLM when configured and grounded, the
template otherwise. The suggestion is computed before and never changed here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from aimee.llm import template, template_en
from aimee.llm.claim_reading import SENTENCE_ENDS, sentences
from aimee.llm.claims import AnswerCheck, check
from aimee.llm.context import AnswerContext
from aimee.llm.ollama_client import LLMError, OllamaAnswerer
from aimee.tokens import contains_token, redact

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
    problem = check(ctx, text, fallback)
    return str(problem) if problem else None


SHOWS_TOKEN = "shows an API token"
"""No answer shows a token (``aimee.tokens``): the template's are redacted, the model's rejected."""


class Responder:
    def __init__(self, llm: OllamaAnswerer | None = None) -> None:
        self.llm = llm

    def answer(self, ctx: AnswerContext) -> Answer:
        fallback = redact(compose(ctx))
        if self.llm is None or ctx.language != "ja":  # the model's prompt is Japanese
            return Answer(fallback, "template")
        try:
            text = self.llm.compose(ctx)
        except LLMError as exc:
            log.warning("LLM answer failed, using the template: %s", exc)
            return Answer(fallback, "template", f"llm_error: {exc}")
        return self._checked(ctx, text, fallback)

    def _checked(self, ctx: AnswerContext, text: str, fallback: str) -> Answer:
        problem = SHOWS_TOKEN if contains_token(text) else check_answer(ctx, text, fallback)
        if problem:
            log.warning("LLM answer rejected (%s); using the template", problem)
            return Answer(fallback, "template", problem)
        return Answer(text, "llm")

    def stream(self, ctx: AnswerContext) -> Iterator[StreamEvent]:
        """Stream the answer. The model's text is shown a sentence at a time, each once
        checked, and nothing before the answer has stated its conclusion; on a failed
        check (or an LLM failure) the template's answer replaces what was shown, so
        nothing unchecked is ever on screen."""
        fallback = redact(compose(ctx))
        if self.llm is None or ctx.language != "ja":
            for line in fallback.splitlines(keepends=True):
                yield StreamEvent("delta", line)
            yield StreamEvent("end", fallback, "template")
            return
        checker = AnswerCheck(ctx, fallback)
        passed: list[str] = []
        shown = 0
        pending = ""
        try:
            for piece in self.llm.stream(ctx):
                complete, pending = _split_complete(pending + piece)
                for sentence in complete:
                    problem = (
                        SHOWS_TOKEN if contains_token(sentence) else checker.sentence(sentence)
                    )
                    if problem:
                        yield from _replaced(fallback, f"rejected: {problem}")
                        return
                    passed.append(sentence)
                if checker.concluded:  # held back until the answer states its conclusion
                    for sentence in passed[shown:]:
                        yield StreamEvent("delta", sentence, "llm")
                    shown = len(passed)
        except LLMError as exc:
            yield from _replaced(fallback, f"LLM stream failed: {exc}")
            return
        problem = _problem(checker, pending) if pending.strip() else None
        problem = problem or checker.finish()
        if problem:
            yield from _replaced(fallback, f"rejected: {problem}")
            return
        passed.append(pending)
        for sentence in passed[shown:]:
            if sentence:
                yield StreamEvent("delta", sentence, "llm")
        yield StreamEvent("end", "".join(passed).strip(), "llm")


def _problem(checker: AnswerCheck, sentence: str) -> str | None:
    if contains_token(sentence):
        return SHOWS_TOKEN
    problem = checker.sentence(sentence)
    return str(problem) if problem else None


def _split_complete(text: str) -> tuple[list[str], str]:
    """The complete sentences of ``text`` and the unfinished rest."""
    pieces = sentences(text)
    if pieces and not pieces[-1].rstrip(" ").endswith(SENTENCE_ENDS):
        return pieces[:-1], pieces[-1]
    return pieces, ""


def _replaced(fallback: str, why: str) -> Iterator[StreamEvent]:
    log.warning("LLM answer not used (%s); using the template", why)
    yield StreamEvent("replace", fallback, "template")
    yield StreamEvent("end", fallback, "template")

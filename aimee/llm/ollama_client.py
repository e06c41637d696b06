"""Ollama as an optional answer writer (gemma3:4b by default) and intent
classifier (qwen2:0.5b). Every failure becomes LLMError; callers fall back."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import ollama

from aimee.llm.context import AnswerContext
from aimee.llm.prompt import build_messages
from aimee.nlu.schema import INTENT_TYPES

log = logging.getLogger(__name__)

INTENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "intent_type": {"type": "string", "enum": list(INTENT_TYPES)},
        "entities": {
            "type": "object",
            "properties": {
                "location": {"type": "string"},
                "process": {"type": "string"},
                "business_id": {"type": "string"},
                "operator": {"type": "string"},
            },
        },
    },
    "required": ["intent_type"],
}
INTENT_PROMPT = (
    "次のメッセージの意図を分類し、拠点・工程・業務ID・オペレータ名があれば抽出してください。"
    "意図は deadline_optimization（遅延への対処・人を動かしたい）、delay_risk_detection（間に合うか・遅延リスク）、"
    "impact_analysis（移動や提案の影響）、skill_search（スキルを持つ人を探す）、status_inquiry（進捗・残件・人数）、"
    "general（その他・ノウハウ・挨拶）のいずれかです。JSONだけを返してください。"
)
_ERRORS = (
    ollama.ResponseError,
    ollama.RequestError,
    ConnectionError,
    httpx.HTTPError,
    TimeoutError,
)


class LLMError(Exception):
    """The LLM could not give an answer (down, slow, malformed)."""


class OllamaAnswerer:
    """Writes the answer text from an AnswerContext."""

    def __init__(self, url: str, model: str, *, timeout_s: float, num_predict: int = 600) -> None:
        self.url, self.model, self.timeout_s = url, model, timeout_s
        self._client = ollama.Client(host=url, timeout=timeout_s)
        self._options = {"temperature": 0, "num_ctx": 4096, "num_predict": num_predict}

    def compose(self, ctx: AnswerContext) -> str:
        try:
            response = self._client.chat(
                model=self.model,
                messages=build_messages(ctx),
                options=self._options,
                keep_alive="30m",
                stream=False,
            )
        except _ERRORS as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc
        text = (response.message.content or "").strip()
        if not text:
            raise LLMError("empty answer")
        return text

    def stream(self, ctx: AnswerContext) -> Iterator[str]:
        """Yield pieces of the answer; raise LLMError on failure or past the time budget."""
        deadline = time.monotonic() + self.timeout_s
        try:
            for chunk in self._client.chat(
                model=self.model,
                messages=build_messages(ctx),
                options=self._options,
                keep_alive="30m",
                stream=True,
            ):
                if time.monotonic() > deadline:
                    raise LLMError(f"no complete answer within {self.timeout_s:g} s")
                piece = chunk.message.content or ""
                if piece:
                    yield piece
                if chunk.done:
                    return
        except _ERRORS as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc


class OllamaIntentClassifier:
    """Intent and entities through a small model with a JSON-schema format."""

    def __init__(self, url: str, model: str, *, timeout_s: float) -> None:
        self.model = model
        self._client = ollama.Client(host=url, timeout=timeout_s)

    def classify(self, message: str) -> dict[str, Any] | None:
        try:
            response = self._client.chat(
                model=self.model,
                messages=[
                    {"role": "system", "content": INTENT_PROMPT},
                    {"role": "user", "content": message},
                ],
                format=INTENT_SCHEMA,
                options={"temperature": 0, "num_predict": 128},
                stream=False,
            )
            data = json.loads(response.message.content or "")
        except (*_ERRORS, json.JSONDecodeError) as exc:
            log.info("intent model unavailable: %s", type(exc).__name__)
            return None
        if not isinstance(data, dict) or data.get("intent_type") not in INTENT_TYPES:
            return None
        entities = data.get("entities")
        data["entities"] = {
            k: str(v) for k, v in (entities or {}).items() if isinstance(v, str | int) and v != ""
        }
        return data

"""The optional LLM intent classifier: its protocol and the validation of its replies."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from aimee.nlu.schema import ENTITY_KINDS, INTENT_TYPES, EntityValue, IntentType

logger = logging.getLogger(__name__)


class IntentLLM(Protocol):
    """A language model asked for ``{"intent_type": ..., "entities": {...}}``.

    Implementations return None (or raise) on timeouts and errors; the analyzer treats
    both as "no answer". ``entities`` may use the contract's keys (``location``,
    ``process``, ``business_id``, ``operator``); only values the gazetteer knows are kept.
    """

    def classify(self, message: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class LLMAnswer:
    intent: IntentType
    entities: dict[str, str]


def ask(llm: IntentLLM, message: str) -> LLMAnswer | None:
    """The model's answer if it is well-formed; never raises."""
    try:
        reply = llm.classify(message)
    except Exception:  # the LLM is optional: any failure means "no answer"
        logger.warning("intent LLM failed", exc_info=True)
        return None
    return parse_reply(reply)


def parse_reply(reply: object) -> LLMAnswer | None:
    if not isinstance(reply, dict):
        return None
    label = reply.get("intent_type", reply.get("intent"))
    intent = next((t for t in INTENT_TYPES if isinstance(label, str) and t == label.strip()), None)
    if intent is None:
        return None
    raw = reply.get("entities")
    entities: dict[str, str] = {}
    if isinstance(raw, dict):
        for key in ENTITY_KINDS:
            value = raw.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                entities[key] = str(value).strip()
    return LLMAnswer(intent, entities)


def known_entities(
    answer: LLMAnswer,
    locations: tuple[str, ...],
    processes: tuple[str, ...],
    businesses: dict[str, str],
    operators: dict[EntityValue, str],
) -> dict[str, EntityValue]:
    """The LLM's entities that name master-data values (hallucinated names are dropped)."""
    out: dict[str, EntityValue] = {}
    if answer.entities.get("location") in locations:
        out["location"] = answer.entities["location"]
    if answer.entities.get("process") in processes:
        out["process"] = answer.entities["process"]
    business = answer.entities.get("business_id")
    by_name = {name.lower(): bid for bid, name in businesses.items()}
    if business is not None:
        if business in businesses:
            out["business_id"] = business
        elif business.lower() in by_name:
            out["business_id"] = by_name[business.lower()]
    person = answer.entities.get("operator")
    matches = [oid for oid, name in operators.items() if name == person]
    if len(matches) == 1:
        out["operator"] = operators[matches[0]]
        out["operator_id"] = matches[0]
    return out

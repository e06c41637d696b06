"""Result types of the NLU package (the chat contract's ``intent`` object and more)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from aimee.nlu.intent_types import INTENT_TYPES, IntentType
from aimee.nlu.request import Request

__all__ = [
    "ENTITY_KINDS",
    "INTENT_TYPES",  # re-exported from intent_types
    "EntityKind",
    "EntityValue",
    "IntentResult",
    "IntentType",
    "Mention",
    "Source",
]

EntityKind = Literal["location", "process", "business_id", "operator"]
ENTITY_KINDS: tuple[EntityKind, ...] = get_args(EntityKind)
Source = Literal["rules", "knn", "llm"]
EntityValue = str | int


class Mention(BaseModel):
    """One entity found in the normalised message; ``value`` is None when ambiguous."""

    model_config = ConfigDict(frozen=True)

    kind: EntityKind
    value: EntityValue | None
    label: str | None = Field(description="display form: the operator's full name, else value")
    surface: str
    start: int
    end: int
    candidates: tuple[str, ...] = ()


class IntentResult(BaseModel):
    """What the user wants and what they talk about.

    ``entities`` uses the contract's keys: ``location``, ``process``, ``business_id``,
    ``operator`` (full name), plus ``operator_id`` when the operator was resolved and
    ``from_location`` when a move names its origin (「盛岡から札幌へ」).
    ``candidates`` lists the possible values of a mention left unset because it is
    ambiguous (「佐藤さん」 with two 佐藤, 「エントリ」 alone).
    """

    model_config = ConfigDict(frozen=True)

    intent_type: IntentType
    entities: dict[str, EntityValue] = Field(default_factory=dict)
    requires_action: bool = False
    confidence: float = Field(ge=0.0, le=1.0)
    source: Source
    candidates: dict[str, list[str]] = Field(default_factory=dict)
    followup: bool = False
    mentions: list[Mention] = Field(default_factory=list)
    request: Request | None = None
    """What the message asks, with every constraint it states (``nlu.request``)."""

    def contract(self) -> dict[str, Any]:
        """The ``intent`` object of the chat API response."""
        return {
            "intent_type": self.intent_type,
            "entities": dict(self.entities),
            "requires_action": self.requires_action,
        }

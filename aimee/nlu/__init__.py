"""Japanese intent and entity understanding for the chat (rules + gazetteer + e5 kNN)."""

from aimee.nlu.analyzer import IntentAnalyzer
from aimee.nlu.classifier import IntentClassifier, shared_classifier
from aimee.nlu.gazetteer import Extraction, Gazetteer
from aimee.nlu.llm import IntentLLM
from aimee.nlu.normalize import normalize
from aimee.nlu.schema import INTENT_TYPES, IntentResult, IntentType, Mention

__all__ = [
    "INTENT_TYPES",
    "Extraction",
    "Gazetteer",
    "IntentAnalyzer",
    "IntentClassifier",
    "IntentLLM",
    "IntentResult",
    "IntentType",
    "Mention",
    "normalize",
    "shared_classifier",
]

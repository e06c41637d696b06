"""The NLU entry point: message (+ previous turn) → :class:`IntentResult`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date

from aimee.embeddings import Embedder
from aimee.nlu.classifier import Classification, IntentClassifier, combine, shared_classifier
from aimee.nlu.followup import followup_intent, inherit, is_followup
from aimee.nlu.gazetteer import Extraction, Gazetteer
from aimee.nlu.llm import IntentLLM, ask, known_entities
from aimee.nlu.request import Request
from aimee.nlu.request_parser import parse_request
from aimee.nlu.rules import rule_votes
from aimee.nlu.schema import EntityValue, IntentResult, IntentType, Source

logger = logging.getLogger(__name__)

LLM_BELOW = 0.5
"""The LLM is consulted only when the local classifier is less confident than this."""
LLM_CONFIDENCE = 0.6
FALLBACK = IntentResult(intent_type="general", confidence=0.0, source="rules")

# An impact question about a concrete change: named people, a head count, or the
# suggestion on the table.
_CONCRETE_CHANGE = re.compile(
    r"(?:提案|この案|その案|承認|適用|この配置|この変更|この再配置"
    r"|\d+\s?(?:人|名)|[一二三四五](?:人|名))"
)


class IntentAnalyzer:
    """Intent and entities of a manager's chat message.

    Entities come from the gazetteer (master data); the intent from keyword rules plus
    a kNN over e5 embeddings, refined by the previous turn for follow-ups, and by the
    optional LLM when the local classifier is unsure. One call costs one embedding.

    Without an explicit ``classifier`` the process-wide one for ``embedder`` is used
    (:func:`shared_classifier`): rebuilding the analyzer when the master data changes is
    cheap, the training examples are embedded once per process.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        embedder: Embedder | None = None,
        llm: IntentLLM | None = None,
        classifier: IntentClassifier | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.classifier = classifier if classifier is not None else shared_classifier(embedder)
        self.llm = llm

    def warm_up(self) -> None:
        """Load the embedding model and embed the training examples now."""
        self.classifier.warm_up()

    def analyze(
        self,
        message: str,
        previous: IntentResult | None = None,
        last_plan: Request | None = None,
        today: date | None = None,
    ) -> IntentResult:
        """Never raises: on any internal error the answer is ``general`` with confidence 0.
        ``last_plan``: the conversation's last plan or what-if, which follow-ups refer to;
        ``today``: the business day, which dates in the message are read against."""
        return self.analyze_many([message], [previous], [last_plan], today)[0]

    def analyze_many(
        self,
        messages: Sequence[str],
        previous: Sequence[IntentResult | None] | None = None,
        last_plans: Sequence[Request | None] | None = None,
        today: date | None = None,
    ) -> list[IntentResult]:
        """Analyse several independent turns, embedding them in one batch."""
        prev = list(previous) if previous is not None else [None] * len(messages)
        plans = list(last_plans) if last_plans is not None else [None] * len(messages)
        extractions = [self._extract(message) for message in messages]
        classifications = self._classify([e.masked() if e else "" for e in extractions])
        results = []
        for message, extraction, classification, before, plan in zip(
            messages, extractions, classifications, prev, plans, strict=True
        ):
            try:
                if extraction is None:
                    results.append(FALLBACK)
                    continue
                results.append(
                    self._resolve(message, extraction, classification, before, plan, today)
                )
            except Exception:
                logger.exception("intent analysis failed; answering 'general'")
                results.append(FALLBACK)
        return results

    def _extract(self, message: str) -> Extraction | None:
        try:
            return self.gazetteer.extract(message)
        except Exception:
            logger.exception("entity extraction failed")
            return None

    def _classify(self, masked: list[str]) -> list[Classification]:
        try:
            return self.classifier.classify_many(masked)
        except Exception:  # the model is unavailable: rules alone still answer
            logger.exception("kNN classification failed; using rules only")
            return [combine({}, rule_votes(text)) for text in masked]

    def _resolve(
        self,
        message: str,
        extraction: Extraction,
        classification: Classification,
        previous: IntentResult | None,
        last_plan: Request | None = None,
        today: date | None = None,
    ) -> IntentResult:
        intent: IntentType = classification.intent
        confidence = classification.confidence
        source: Source = classification.source
        if previous is not None and previous.request is not None:
            extraction = self.gazetteer.of_thread(extraction, _thread_names(previous.request))
            extraction = self.gazetteer.on_queues(extraction, previous.request.slots.targets)
        entities: dict[str, EntityValue] = dict(extraction.entities)
        followup = previous is not None and is_followup(extraction, classification, previous)
        if previous is not None and followup:
            intent, confidence = followup_intent(extraction, classification, previous)
            if intent != "general":
                entities = inherit(extraction, previous)
        if self.llm is not None and confidence < LLM_BELOW:
            answer = ask(self.llm, message)
            if answer is not None:
                intent, confidence, source = answer.intent, LLM_CONFIDENCE, "llm"
                gazetteer = self.gazetteer
                llm_entities = known_entities(
                    answer,
                    gazetteer.locations,
                    gazetteer.processes,
                    gazetteer.businesses,
                    gazetteer.operators,
                )
                entities = {**llm_entities, **entities}  # the gazetteer overrules the LLM
        request = parse_request(
            extraction,
            intent,
            known_places=self.gazetteer.locations,
            last_plan=last_plan,
            previous=previous.request if previous is not None else None,
            today=today,
        )
        intent = request.intent_type  # the contract's type of the kind asked for
        action = intent == "deadline_optimization" or (
            intent == "impact_analysis"
            and (
                "operator_id" in entities
                or "operator" in extraction.candidates
                or _CONCRETE_CHANGE.search(extraction.text) is not None
                or (followup and previous is not None and previous.requires_action)
            )
        )
        return IntentResult(
            intent_type=intent,
            entities=entities,
            requires_action=action,
            confidence=min(1.0, max(0.0, confidence)),
            source=source,
            candidates={k: list(v) for k, v in extraction.candidates.items()},
            followup=followup,
            mentions=extraction.mentions,
            request=request,
        )


def _thread_names(previous: Request) -> set[str]:
    """Everyone the conversation has named or the last answer put first."""
    return {*previous.named, *previous.answered_about}

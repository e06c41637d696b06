"""Scoring the analyzer on a labelled set (used by bench/nlu_eval.py and the tests).

A labelled item is a JSON object: ``text``, ``intent``, ``entities`` (the expected
values of the contract keys; a missing key means "must stay unset") and optionally
``previous``, the text of the turn before, which is analysed first and passed on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aimee.nlu.analyzer import IntentAnalyzer
from aimee.nlu.gazetteer import Gazetteer
from aimee.nlu.schema import ENTITY_KINDS, INTENT_TYPES, IntentResult


@dataclass(frozen=True)
class LabelledItem:
    text: str
    intent: str
    entities: dict[str, str]
    previous: str | None = None


@dataclass
class Report:
    total: int = 0
    intent_correct: int = 0
    entities_correct: int = 0
    per_intent: dict[str, Counter[str]] = field(default_factory=dict)
    per_entity: dict[str, Counter[str]] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.total if self.total else 0.0

    @property
    def entity_accuracy(self) -> float:
        """Share of items whose four contract entities are all exactly right."""
        return self.entities_correct / self.total if self.total else 0.0


def load_items(path: Path) -> list[LabelledItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw: dict[str, Any] = json.loads(line)
            entities = {k: str(v) for k, v in raw.get("entities", {}).items()}
            items.append(LabelledItem(raw["text"], raw["intent"], entities, raw.get("previous")))
    return items


def demo_gazetteer(seed: int = 7) -> Gazetteer:
    """The gazetteer of the demo master data (what the services build from the DB)."""
    from aimee.demo import generate_demo_day  # noqa: PLC0415  (test and bench helper only)
    from aimee.demo.day import BUSINESSES, PROCESSES, SITES  # noqa: PLC0415

    tables = generate_demo_day(seed=seed).tables
    operators, assigned = tables["operators"], tables["operator_assignments"]
    return Gazetteer(
        SITES,
        PROCESSES,
        BUSINESSES,
        {o["operator_id"]: o["operator_name"] for o in operators},
        sites={o["operator_id"]: o["location_name"] for o in operators},
        queues={
            a["operator_id"]: (a["location_name"], a["business_id"], a["process_name"])
            for a in assigned
        },
    )


def analyze_items(analyzer: IntentAnalyzer, items: Sequence[LabelledItem]) -> list[IntentResult]:
    """Two batches: every first turn (and every ``previous`` text), then the follow-ups."""
    firsts = [item.text for item in items if item.previous is None]
    previous_texts = list(dict.fromkeys(i.previous for i in items if i.previous is not None))
    first_results = analyzer.analyze_many(firsts + previous_texts)
    by_text = dict(zip(firsts + previous_texts, first_results, strict=True))
    follow = [item for item in items if item.previous is not None]
    follow_results = analyzer.analyze_many(
        [item.text for item in follow], [by_text[item.previous or ""] for item in follow]
    )
    by_follow = dict(zip((id(i) for i in follow), follow_results, strict=True))
    return [by_follow[id(i)] if i.previous is not None else by_text[i.text] for i in items]


def score(items: Sequence[LabelledItem], results: Sequence[IntentResult]) -> Report:
    report = Report(total=len(items))
    for intent in INTENT_TYPES:
        report.per_intent[intent] = Counter()
    for kind in ENTITY_KINDS:
        report.per_entity[kind] = Counter()
    for item, result in zip(items, results, strict=True):
        predicted = result.intent_type
        report.per_intent[item.intent]["support"] += 1
        report.per_intent[predicted]["predicted"] += 1
        if predicted == item.intent:
            report.intent_correct += 1
            report.per_intent[item.intent]["correct"] += 1
        else:
            report.confusions[(item.intent, predicted)] += 1
            report.errors.append(f"intent {item.intent} → {predicted}: {item.text}")
        all_right = True
        for kind in ENTITY_KINDS:
            want = item.entities.get(kind)
            got = result.entities.get(kind)
            got_text = None if got is None else str(got)
            counts = report.per_entity[kind]
            counts["expected"] += want is not None
            counts["predicted"] += got_text is not None
            counts["tp"] += want is not None and got_text == want
            counts["exact"] += got_text == want
            if got_text != want:
                all_right = False
                report.errors.append(f"{kind} {want} → {got_text}: {item.text}")
        report.entities_correct += all_right
    return report


def _ratio(num: int, den: int) -> str:
    return f"{num / den:6.1%}" if den else "   n/a"


def format_report(report: Report) -> str:
    lines = [f"items: {report.total}", "", "intent                   support  precision  recall"]
    for intent, c in report.per_intent.items():
        precision = _ratio(c["correct"], c["predicted"])
        recall = _ratio(c["correct"], c["support"])
        lines.append(f"{intent:24s} {c['support']:7d}  {precision:>9s}  {recall:>6s}")
    lines += ["", "entity        expected  precision  recall  exact-match accuracy"]
    for kind, c in report.per_entity.items():
        precision, recall = _ratio(c["tp"], c["predicted"]), _ratio(c["tp"], c["expected"])
        exact = _ratio(c["exact"], report.total)
        lines.append(f"{kind:12s} {c['expected']:9d}  {precision:>9s}  {recall:>6s}  {exact:>8s}")
    lines += [
        "",
        f"intent accuracy:            {report.intent_accuracy:.1%}",
        f"all-entities exact match:   {report.entity_accuracy:.1%}",
        "",
        "confusion pairs (expected → predicted):",
    ]
    lines += [f"  {a} → {b}: {n}" for (a, b), n in report.confusions.most_common()] or ["  none"]
    return "\n".join(lines)

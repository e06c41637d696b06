"""The development sets' turns as examples for the intent classifier's kNN.

``bench/chat_eval/dev_v*.jsonl`` hold ~2,500 manager requests written from how managers talk,
each labelled with the kind of request (its intent type by ``request.KINDS``). The 407
hand-written examples of ``nlu.examples`` cover the phrasings the product was first built
for; the development turns add the voices written since (fragments, dialect, keigo, e-mail
style), which is where the classifier decides the kinds the parser's rules leave open.
Measured on two sets written afterwards and held out (dev_v12a/b, 244 turns, the parser as
it stood): request kind 92.6% -> 95.5%; the 752-item intent regression set 99.9% -> 99.1%
(99.7% with the parser rules written for the turns it moved; README, "How the chat answers").

The turns are stored normalised and masked (``dev_turns/dev_examples.jsonl``, written by
``scripts/make_dev_examples.py``) with their embeddings (``dev_turns/dev_examples.npz``): embedding
them at start-up would take the model half a minute to a minute. The vectors are used only
with the model that made them and only while the texts are the ones they were made from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aimee.embeddings import Vectors
from aimee.nlu.schema import INTENT_TYPES, IntentType

DATA = Path(__file__).resolve().parent / "dev_turns"
TEXTS = DATA / "dev_examples.jsonl"
VECTORS = DATA / "dev_examples.npz"


@dataclass(frozen=True)
class DevExamples:
    by_intent: dict[IntentType, tuple[str, ...]]
    vectors: dict[str, Vectors] = field(default_factory=dict)
    """Prepared text -> its stored vector (empty when made by another model)."""


def texts_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def read_lines(path: Path = TEXTS) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_examples(model: str) -> DevExamples:
    """The stored turns by intent, and their vectors when ``model`` made them (read anew
    on each call: the classifier reads them once and keeps only its example matrix)."""
    lines = read_lines()
    rows = [json.loads(line) for line in lines]
    by_intent: dict[IntentType, list[str]] = {intent: [] for intent in INTENT_TYPES}
    for row in rows:
        by_intent[row["intent"]].append(row["text"])
    vectors: dict[str, Vectors] = {}
    if VECTORS.exists():
        with np.load(VECTORS, allow_pickle=False) as stored:
            same = str(stored["model"]) == model and str(stored["digest"]) == texts_digest(lines)
            if same:
                matrix = stored["vectors"].astype(np.float32)
                vectors = {row["text"]: matrix[i] for i, row in enumerate(rows)}
    return DevExamples({k: tuple(v) for k, v in by_intent.items()}, vectors)

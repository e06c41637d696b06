"""Write the development sets' turns as intent-classifier examples (aimee/nlu/dev_turns/).

Every turn of bench/chat_eval/dev_v*.jsonl (never the frozen requests_v1*), normalised and
with the demo day's names masked as messages are, labelled with its kind's intent type;
then their embeddings, so the classifier need not embed them at start-up.
tests/nlu/test_dev_examples.py fails when the stored texts drift from the sets.

    .venv/bin/python scripts/make_dev_examples.py [--texts-only] [--exclude dev_v12a ...]

``--exclude`` leaves sets out, to measure on them as unseen text (then run it again without).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Collection
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.embeddings import get_embedder
from aimee.nlu.classifier import example_masker
from aimee.nlu.dev_examples import TEXTS, VECTORS, read_lines, texts_digest
from aimee.nlu.evaluation import demo_gazetteer
from aimee.nlu.normalize import normalize
from aimee.nlu.request import KINDS

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "bench" / "chat_eval"
BATCH = 64


def example_lines(exclude: Collection[str] = ()) -> list[str]:
    """One JSON line per distinct text, in the sets' order. A text labelled with more than
    one intent (a follow-up fragment such as 「拠点は?」, whose meaning is its conversation's)
    is left out: as an example it would only add noise to the vote."""
    demo = demo_gazetteer()
    prepare = example_masker()
    seen: dict[tuple[str, str], None] = {}
    for path in sorted(SETS.glob("dev_v*.jsonl")):
        if path.stem in exclude:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for turn in json.loads(line)["turns"]:
                text = prepare(demo.extract(normalize(turn["text"])).masked())
                seen[(text, KINDS[turn["kind"]])] = None
    intents = Counter(t for t, _ in seen)
    return [
        json.dumps({"text": t, "intent": i}, ensure_ascii=False) for t, i in seen if intents[t] == 1
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts-only", action="store_true", help="skip the embeddings")
    parser.add_argument("--exclude", nargs="*", default=[], help="sets to leave out (stems)")
    args = parser.parse_args()
    lines = example_lines(args.exclude)
    TEXTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} examples -> {TEXTS.relative_to(ROOT)}")
    if args.texts_only:
        return
    lines = read_lines()
    texts = [json.loads(line)["text"] for line in lines]
    embedder = get_embedder()
    started, parts = time.perf_counter(), []
    for start in range(0, len(texts), BATCH):
        parts.append(embedder.embed_queries(texts[start : start + BATCH]))
        done = min(start + BATCH, len(texts))
        print(f"  embedded {done}/{len(texts)} ({time.perf_counter() - started:.0f} s)")
    np.savez_compressed(
        VECTORS,
        vectors=np.vstack(parts).astype(np.float16),
        model=np.str_(embedder.name),
        digest=np.str_(texts_digest(lines)),
    )
    print(f"vectors -> {VECTORS.relative_to(ROOT)} ({VECTORS.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

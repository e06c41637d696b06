"""Does the instruction detector (``aimee/llm/fence.py``) recognise know-how that speaks
to the assistant, without flagging the operation's own notes?

Planted and ordinary notes: ``bench/knowhow_eval/planted_v1.jsonl`` (written before the
detector was widened) plus the demo's 22 know-how documents (all ordinary).

    .venv/bin/python bench/planted_knowhow.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aimee.demo.knowhow import DEMO_KNOWHOW  # noqa: E402
from aimee.llm.fence import looks_like_instruction  # noqa: E402

SET = ROOT / "bench" / "knowhow_eval" / "planted_v1.jsonl"


def main() -> None:
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]
    rows += [{"text": f"{k['title']} {k['content']}", "instruction": False} for k in DEMO_KNOWHOW]
    planted = [r["text"] for r in rows if r["instruction"]]
    ordinary = [r["text"] for r in rows if not r["instruction"]]
    missed = [t for t in planted if not looks_like_instruction(t)]
    flagged = [t for t in ordinary if looks_like_instruction(t)]
    print(f"planted notes recognised: {len(planted) - len(missed)}/{len(planted)}")
    print(f"ordinary notes flagged:   {len(flagged)}/{len(ordinary)}")
    for text in missed:
        print(f"  missed:  {text}")
    for text in flagged:
        print(f"  flagged: {text}")


if __name__ == "__main__":
    main()

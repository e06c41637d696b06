"""NLU evaluation: intent and entity accuracy on a labelled set, plus analyze latency.

Run: .venv/bin/python bench/nlu_eval.py [--set tests/nlu/eval_set.jsonl] [--errors] [--latency N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.nlu.analyzer import IntentAnalyzer
from aimee.nlu.evaluation import analyze_items, demo_gazetteer, format_report, load_items, score

ROOT = Path(__file__).resolve().parents[1]


def _latency(analyzer: IntentAnalyzer, texts: list[str], runs: int) -> str:
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        analyzer.analyze(texts[i % len(texts)])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    return (
        f"analyze latency over {runs} calls (warm): median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", type=Path, default=ROOT / "tests/nlu/eval_set.jsonl")
    parser.add_argument("--errors", action="store_true", help="list every wrong item")
    parser.add_argument("--latency", type=int, default=100, help="single analyze calls to time")
    args = parser.parse_args()

    items = load_items(args.set)
    started = time.perf_counter()
    analyzer = IntentAnalyzer(demo_gazetteer())
    analyzer.warm_up()
    warm = time.perf_counter() - started
    started = time.perf_counter()
    results = analyze_items(analyzer, items)
    batch = time.perf_counter() - started
    report = score(items, results)
    print(format_report(report))
    if args.errors:
        print("\nerrors:")
        for line in report.errors:
            print("  " + line)
    print(f"\nwarm-up (model load + embedding the examples): {warm:.2f} s")
    print(f"batch analysis of {len(items)} items: {batch:.2f} s")
    if args.latency > 0:
        print(_latency(analyzer, [item.text for item in items], args.latency))


if __name__ == "__main__":
    main()

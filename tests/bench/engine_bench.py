"""Time the decision engine in-process: `python tests/bench/engine_bench.py` (run by `make bench`).

Measures `advise` on the demo document and on a generated document with 500 entities and 1,000
access patterns, and prints the median and the 95th percentile of repeated runs. The target is
200 ms for the large document; the exit status is 1 when it is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from advisor.engine import advise  # noqa: E402
from advisor.requirements import Requirements, parse_requirements, read_requirements  # noqa: E402

TARGET_MS = 200.0
KINDS = ("lookup", "range", "join", "aggregate", "full_text", "traversal", "time_window", "append")


def large_document(entities: int = 500, patterns: int = 1000) -> Requirements:
    """A deterministic document: entities in 10 contexts, each referring to the previous one."""
    document: dict[str, object] = {
        "format": "advisor/v1",
        "project": "Generated",
        "workload": {"reads_per_second": 50_000, "writes_per_second": 20_000, "regions": 2},
        "entities": [
            {
                "name": f"entity_{i}",
                "context": f"context_{i % 10}",
                "attributes": [
                    {"name": "code", "type": "string", "length": 40, "unique": True},
                    {"name": "label", "type": "text"},
                    {"name": "amount", "type": "decimal", "precision": 12, "scale": 2},
                    {"name": "happened_at", "type": "datetime"},
                    {"name": "state", "type": "enum", "values": ["new", "done"]},
                ],
            }
            for i in range(entities)
        ],
        "relationships": [
            {"from": f"entity_{i}", "to": f"entity_{i - 1}", "cardinality": "many-to-one"}
            for i in range(1, entities)
        ],
        "access_patterns": [
            {
                "name": f"pattern {j}",
                "entity": f"entity_{j % entities}",
                "operation": "write" if j % 5 == 0 else "read",
                "kind": KINDS[j % len(KINDS)],
                "filter": ["code", f"entity_{j % entities - 1}"] if j % entities else ["code"],
                "sort": ["-happened_at"],
                "per_second": 10 + j % 200,
            }
            for j in range(patterns)
        ],
    }
    return parse_requirements(document)


def measure(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per case (default 30)")
    args = parser.parse_args()
    demo = read_requirements((ROOT / "docs/examples/online-shop.yaml").read_text("utf-8"))
    large = large_document()
    cases = [
        ("demo (online shop)", lambda: advise(demo)),
        ("500 entities, 1,000 patterns", lambda: advise(large)),
        ("  same, without the 10x projection", lambda: advise(large, project_load=False)),
    ]
    print(f"{'case':<38} {'median ms':>10} {'p95 ms':>10}")
    results = []
    for name, run in cases:
        median, p95 = measure(run, args.repeat)
        results.append(p95)
        print(f"{name:<38} {median:>10.1f} {p95:>10.1f}")
    ok = results[1] < TARGET_MS
    print(
        f"target: advise on the large document under {TARGET_MS:.0f} ms (p95): "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

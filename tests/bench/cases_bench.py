"""Print the public case benchmark: `python tests/bench/cases_bench.py` (run by `make bench`).

Runs the engine on every case of tests/fixtures/cases and prints accuracy by category, the
confusion matrix, the technology shares and the misses (docs/cases.md). It reports and exits 0:
the floor that a regression must not cross is asserted by tests/advisor/test_cases.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from advisor.benchmark import render_report, run_benchmark  # noqa: E402


def main() -> int:
    sys.stdout.write(render_report(run_benchmark()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

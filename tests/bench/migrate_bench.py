"""How the migration plan between two versions of a design grows with the model (issue 14).

The old version is the bench's generated document (curve_bench.py); the new one is a copy with
the changes a version brings (`next_version`), to one entity in a hundred of each kind:
entities removed and renamed with `renamed_from`, attributes added (some required), renamed,
widened, made unique or optional, an enum given a value. At each size the median processor
time of each stage as `python -m advisor migrate` and the Migrations page run them: the two
designs' schemas, the renames and the diff with both plans, the lint with the report and the
SQL. Then each stage's log-log slope from the smallest size to the largest (1.0 is linear;
the target is at most 1.1, as for the stages of a design). The exit status is 1 when a slope
is over the target. A stage under 0.1 s at the largest size is not judged: its slope measures
the processor's caches more than the work (the lint, report and SQL take 1 ms at 500 entities).
The schemas are the designs' (`advisor.schema`, as curve_bench.py's stages build them).

    python tests/bench/migrate_bench.py [--sizes 500,2000,5000] [--dialect postgresql]
"""

from __future__ import annotations

import argparse
import copy
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from curve_bench import document  # noqa: E402

from advisor.migrate.diff import diff_schemas, renames_between  # noqa: E402
from advisor.migrate.lint import lint_migration  # noqa: E402
from advisor.migrate.output import migration_report, plan_sql  # noqa: E402
from advisor.migrate.plan import plan_schemas, schemas_of  # noqa: E402
from advisor.requirements import parse_requirements  # noqa: E402

SIZES = (500, 2000, 5000)
SLOPE_TARGET = 1.1
JUDGED_FROM_SECONDS = 0.1
STAGES = ("schemas", "renames, diff and plans", "lint, report and SQL")
T = TypeVar("T")


def next_version(old: dict[str, Any], every: int = 100) -> dict[str, Any]:
    """A copy of the generated document `old` with the changes of a next version, made to
    one entity in `every` of each kind (so a larger design has as many more changes): entities
    removed and renamed with `renamed_from`, attributes added (some required), renamed, widened,
    made unique or optional, an enum given a value."""
    new = copy.deepcopy(old)
    entities = new["entities"]
    positions = range(0, len(entities), every)
    for at in positions:
        changed = entities[at : at + 7]
        if len(changed) < 7:
            break
        attributes = changed[1]["attributes"]
        attributes.append({"name": "added_note", "type": "string", "length": 80})
        attributes.append({"name": "added_count", "type": "integer", "required": True})
        attributes = changed[2]["attributes"]
        attributes[2] = dict(attributes[2], name="remarks", renamed_from="notes")
        attributes[1] = dict(attributes[1], unique=True)
        attributes = changed[3]["attributes"]
        attributes[3] = dict(attributes[3], precision=18)
        attributes[1] = dict(attributes[1], length=100)
        attributes[4] = dict(attributes[4], values=[*attributes[4]["values"], "archived"])
        changed[4]["attributes"][0] = dict(changed[4]["attributes"][0], required=False)
        _rename(new, changed[5], f"{changed[5]['name']}_renamed")
    # The entities after a removed one move: their sources (entities[n]) change. What referred
    # to a removed entity refers to the first one instead.
    gone = {entities[at + 6]["name"] for at in positions if at + 6 < len(entities)}
    new["entities"] = [e for e in entities if e["name"] not in gone]
    new["relationships"] = [r for r in new["relationships"] if r["from"] not in gone]
    for relationship in new["relationships"]:
        if relationship["to"] in gone:
            relationship["to"] = entities[0]["name"]
    new["access_patterns"] = [p for p in new["access_patterns"] if p["entity"] not in gone]
    return new


def _rename(document: dict[str, Any], entity: dict[str, Any], name: str) -> None:
    before = entity["name"]
    entity["name"], entity["renamed_from"] = name, before
    for relationship in document["relationships"]:
        for end in ("from", "to"):
            if relationship[end] == before:
                relationship[end] = name
    for pattern in document["access_patterns"]:
        if pattern["entity"] == before:
            pattern["entity"] = name


def median_time(action: Callable[[], T], runs: int = 3) -> tuple[float, T]:
    timings = []
    for _ in range(runs):
        started = time.process_time()
        result = action()
        timings.append(time.process_time() - started)
    return statistics.median(timings), result


def measure(size: int, dialect: str) -> dict[str, float]:
    old_document = document(size)
    old = parse_requirements(old_document)
    new = parse_requirements(next_version(old_document))
    times: dict[str, float] = {}
    times["schemas"], (old_schema, new_schema) = median_time(
        lambda: schemas_of(old, new, dialect), runs=1
    )
    times["renames, diff and plans"], migration = median_time(
        lambda: plan_schemas(
            diff_schemas(old_schema, new_schema, renames_between(old, new, old_schema, new_schema))
        )
    )

    def outputs() -> str:
        findings = lint_migration(migration)
        migration_report(migration, findings, file="new.yaml", lines={})
        return plan_sql(migration.forward, findings) + plan_sql(migration.rollback)

    times["lint, report and SQL"], _ = median_time(outputs)
    steps = len(migration.forward.steps), len(migration.rollback.steps)
    shown = ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in times.items())
    print(f"{size:>6,} entities: {shown} ({steps[0]} forward steps, {steps[1]} rollback)")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--dialect", default="postgresql")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {size: measure(size, args.dialect) for size in sizes}
    low, high = sizes[0], sizes[-1]
    print(f"\nlog-log slope from {low:,} to {high:,} entities (at most {SLOPE_TARGET}):")
    missed = False
    for stage in STAGES:
        slope = math.log(results[high][stage] / results[low][stage]) / math.log(high / low)
        judged = results[high][stage] >= JUDGED_FROM_SECONDS
        over = judged and slope > SLOPE_TARGET
        missed |= over
        note = "  (over the target)" if over else "" if judged else "  (too short to judge)"
        print(f"  {stage:<25} {slope:.2f}{note}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

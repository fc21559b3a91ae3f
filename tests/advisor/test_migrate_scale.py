"""The migration plan reads each schema's tables a fixed number of times, however large the
design and however many its changes (issue 14, "Linear to 5,000 entities").

A diff or a planner that finds a table by scanning every table of a schema, once per table or
once per change, does work that grows with the square of the model: 5,000 entities took
seconds. These tests count the scans of both schemas' tables while the plans are made, for a
small and a five times larger generated design with five times the changes
(tests/bench/migrate_bench.py times the same versions), without timing anything.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from advisor.migrate.diff import diff_schemas, renames_between
from advisor.migrate.lint import lint_migration
from advisor.migrate.output import migration_json, migration_report, plan_sql
from advisor.migrate.plan import TEMPLATES, Migration, plan_schemas, schemas_of, values_needed
from advisor.requirements import Requirements, parse_requirements
from advisor.requirements.synthetic import synthetic_document
from advisor.schema.model import Schema
from tests.advisor.scans import counted, scans
from tests.bench.migrate_bench import next_version

SMALL, LARGE = 40, 200
EVERY = 20  # one entity in EVERY changes in each way: 2 sets of changes, then 10


def _counted(label: str, schema: Schema) -> Schema:
    tables = counted(label, schema.tables)
    return dataclasses.replace(schema, tables=tables)


def _versions(size: int) -> tuple[Requirements, Requirements]:
    document = synthetic_document(size)
    return parse_requirements(document), parse_requirements(next_version(document, EVERY))


def _plan(
    old: Requirements, new: Requirements, old_schema: Schema, new_schema: Schema
) -> Migration:
    renames = renames_between(old, new, old_schema, new_schema)
    return plan_schemas(diff_schemas(old_schema, new_schema, renames))


def _plan_scans(size: int, dialect: str) -> Counter[str]:
    old, new = _versions(size)
    old_schema, new_schema = schemas_of(old, new, dialect)
    old_schema, new_schema = _counted("old", old_schema), _counted("new", new_schema)
    scans.clear()
    migration = _plan(old, new, old_schema, new_schema)
    values_needed(migration)
    findings = lint_migration(migration)
    migration_report(migration, findings, file="new.yaml", lines={})
    plan_sql(migration.forward, findings)
    plan_sql(migration.rollback)
    migration_json(migration, findings)
    return Counter(scans)


@pytest.mark.parametrize("dialect", tuple(TEMPLATES))
def test_planning_reads_each_schema_a_fixed_number_of_times(dialect: str) -> None:
    small, large = _plan_scans(SMALL, dialect), _plan_scans(LARGE, dialect)
    grown = {label: (small[label], large[label]) for label in large if large[label] > small[label]}
    assert not grown, f"scans of the tables that grow with the design (small, large): {grown}"


def test_the_counting_sees_a_lookup_per_table() -> None:
    old, new = _versions(SMALL)
    schema = _counted("old", schemas_of(old, new, "sqlite")[0])
    scans.clear()
    for table in tuple.__iter__(schema.tables):
        schema.table(table.name)
    assert scans["old"] == len(schema.tables)


def test_the_larger_version_has_five_times_the_changes() -> None:
    counts = []
    for size in (SMALL, LARGE):
        old, new = _versions(size)
        diff = _plan(old, new, *schemas_of(old, new, "postgresql")).diff
        renamed = [change for change in diff.tables if change.renamed]
        counts.append((len(diff.dropped_tables), len(renamed), len(diff.tables)))
    (dropped, renamed, changed), (more_dropped, more_renamed, more_changed) = counts
    assert (more_dropped, more_renamed) == (5 * dropped, 5 * renamed) != (0, 0)
    assert more_changed > 4 * changed

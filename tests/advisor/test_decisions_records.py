"""The records as a pipeline: each builder reads one context and runs alone."""

from __future__ import annotations

import dataclasses
import datetime

from advisor.decisions import RECORD_BUILDERS, RecordContext, decisions_for, record_context
from advisor.decisions.records.primary_store import primary_store
from advisor.decisions.records.scaling import scaling
from advisor.design import create_design
from advisor.engine import advise
from advisor.requirements import Requirements
from advisor.schema import DIALECTS, schema_for
from tests.advisor.conftest import ROOT

DAY = datetime.date(2025, 1, 1)


def demo_context(demo: Requirements) -> RecordContext:
    recommendation = advise(demo, flips=True)
    schemas = {
        name: schema_for(demo, recommendation, name, partitions_from=DAY) for name in DIALECTS
    }
    return record_context(demo, recommendation, schemas)


def test_a_builder_runs_alone_on_a_context(demo: Requirements) -> None:
    context = demo_context(demo)
    design = create_design(demo, partitions_from=DAY)
    assert primary_store(context) == design.decisions[0]
    assert decisions_for(context, builders=(scaling,)) == (
        next(d for d in design.decisions if d.key == "scaling"),
    )


def test_the_pipeline_gives_the_designs_records(demo: Requirements) -> None:
    context = demo_context(demo)
    keys = [d.key for d in decisions_for(context)]
    assert keys == [d.key for d in create_design(demo, partitions_from=DAY).decisions]
    assert len(RECORD_BUILDERS) > len(keys), "builders whose decision was not made give None"


def test_the_records_do_not_import_the_design_module() -> None:
    """`advisor.design` imports the records; importing it back, even for types, is a cycle."""
    importing = [
        path.name
        for path in (ROOT / "advisor" / "decisions").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(("from advisor.design ", "import advisor.design"))
    ]
    assert importing == []


def _global(demo: Requirements) -> Requirements:
    """The demo at 200,000 writes/s in three regions: Google Cloud Spanner, not PostgreSQL."""
    workload = dataclasses.replace(demo.workload, writes_per_second=200_000, regions=3)
    return dataclasses.replace(demo, workload=workload)


def test_a_primary_store_change_gives_its_record_the_data_migration(demo: Requirements) -> None:
    previous = create_design(demo, partitions_from=DAY)
    design = create_design(_global(demo), partitions_from=DAY, previous=previous.baseline())
    record = design.decisions[0]
    assert record.key == "primary-store" and record.outcome == "spanner"
    steps = [line for line in record.migration if line[:1].isdigit()]
    titles = [step.split("**")[1] for step in steps]
    assert titles == [
        "Expand.",
        "Dual write",
        "Backfill.",
        "Shadow reads",
        "Switch reads",
        "Switch writes",
        "Old store read-only",
        "Retire.",
    ]
    assert sum("   * Verify: " in line for line in record.migration) == len(steps)
    assert sum("   * Roll back: " in line for line in record.migration) == len(steps)
    backfill = steps[2]
    assert "checkpoint" in backfill
    # Parents before children: the old design's tables in the order of their foreign keys.
    assert backfill.index("`customer`") < backfill.index("`order`") < backfill.index("`order_item`")
    assert "PostgreSQL" in backfill and "Google Cloud Spanner" in backfill
    assert record.migration[0].startswith("The previous design kept the data in PostgreSQL.")
    # The architecture document renders the same plan, not a second one.
    document = design.file("architecture.md")
    assert document is not None
    plan = document.text.split("## Migration plan\n", 1)[1].split("\n## ", 1)[0]
    assert "\n".join(line for line in record.migration if line[:1] in "0123456789 ") in plan
    madr = next(f for f in design.files if f.path.startswith("decisions/0001-"))
    assert "### Migration\n" in madr.text and backfill in madr.text


def test_the_same_primary_store_has_no_data_migration(demo: Requirements) -> None:
    previous = create_design(demo, partitions_from=DAY)
    again = create_design(demo, partitions_from=DAY, previous=previous.baseline())
    assert again.decisions[0].migration == ()
    assert again.decisions[0] == previous.decisions[0]


def test_the_data_migration_is_part_of_what_the_record_says(demo: Requirements) -> None:
    moved = primary_store(
        dataclasses.replace(demo_context(_global(demo)), previous=create_design(demo).baseline())
    )
    first = primary_store(demo_context(_global(demo)))
    assert moved.identity != first.identity
    # A later design that keeps the store restates the record that moved it; the record that
    # moves it does not restate one that never did.
    assert first.restates(moved) and not moved.restates(first)

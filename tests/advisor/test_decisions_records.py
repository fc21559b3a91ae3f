"""The records as a pipeline: each builder reads one context and runs alone."""

from __future__ import annotations

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

"""The architecture document: every section, and a migration plan from the previous design."""

from __future__ import annotations

import dataclasses
import datetime
import os

from advisor.decisions import FIRST_DESIGN, architecture_document
from advisor.design import create_design
from advisor.requirements import Attribute, Entity, Requirements
from tests.advisor.conftest import ROOT

DAY = datetime.date(2025, 1, 1)
GOLDEN = ROOT / "tests" / "fixtures" / "decisions" / "architecture.md"
SECTIONS = [
    "## Requirements summary",
    "### Data characteristics",
    "### Access patterns",
    "### Consistency and availability",
    "### Scale now and in a year",
    "## Recommended stores",
    "## Schema summary",
    "## Indexes and the patterns they serve",
    "## Scaling strategy",
    "## Migration plan",
    "## Operational considerations",
]


def sections(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("## ", "### "))]


def section(text: str, heading: str) -> str:
    return text.split(f"{heading}\n", 1)[1].split("\n## ", 1)[0]


def test_the_demo_document_matches_its_golden_file(demo: Requirements) -> None:
    text = architecture_document(create_design(demo, partitions_from=DAY))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_it_has_every_section_in_order(demo: Requirements) -> None:
    found = sections(architecture_document(create_design(demo, partitions_from=DAY)))
    assert [line for line in found if line in SECTIONS] == SECTIONS


def test_it_lists_the_scale_in_a_year_and_operations_for_every_store(demo: Requirements) -> None:
    text = architecture_document(create_design(demo, partitions_from=DAY))
    assert "| Data volume (GB) | 200 | 320 |" in text
    operations = section(text, "## Operational considerations")
    for store in ("PostgreSQL (primary store)", "Redis (cache)", "Elasticsearch (search index)"):
        assert f"### {store}" in operations
    assert "pg_stat_activity" in operations and "autovacuum" in operations


def test_a_first_design_has_nothing_to_migrate(demo: Requirements) -> None:
    text = architecture_document(create_design(demo, partitions_from=DAY))
    assert section(text, "## Migration plan").strip() == FIRST_DESIGN


def test_the_same_design_twice_has_nothing_to_migrate(demo: Requirements) -> None:
    design = create_design(demo, partitions_from=DAY)
    plan = section(architecture_document(design, previous=design.baseline()), "## Migration plan")
    assert "nothing to migrate" in plan


def test_the_migration_plan_names_what_changed_in_order(demo: Requirements) -> None:
    previous = create_design(demo, partitions_from=DAY)
    entities = [
        dataclasses.replace(
            entity,
            attributes=(
                *(a for a in entity.attributes if a.name != "phone"),
                Attribute("loyalty_points", "integer", required=True, default=0),
            ),
        )
        if entity.name == "customer"
        else entity
        for entity in demo.entities
    ]
    entities.append(Entity("wishlist", attributes=(Attribute("title", "string", length=80),)))
    changed = dataclasses.replace(
        demo,
        entities=tuple(entities),
        workload=dataclasses.replace(demo.workload, writes_per_second=200_000, regions=3),
    )
    design = create_design(changed, partitions_from=DAY, previous=previous.baseline())
    document = design.file("architecture.md")
    assert document is not None
    plan = section(document.text, "## Migration plan")
    assert "PostgreSQL → Google Cloud Spanner" in plan
    assert "`wishlist`" in plan
    assert "`customer`.`loyalty_points` integer not null default `0`" in plan
    assert "`customer`.`phone`" in plan
    assert "Add ClickHouse as the analytics store" in plan
    steps = [line for line in plan.splitlines() if line[:1].isdigit()]
    titles = [step.split(". ", 1)[1] for step in steps]
    assert titles[0] == "Provision and fill the new stores"
    assert (
        titles.index("Create the new tables")
        < titles.index("Deploy the application that uses the new design")
        < next(i for i, t in enumerate(titles) if t.startswith("Contract"))
    )


def test_the_migration_from_the_previous_version_sums_up_the_engines_plan(
    demo: Requirements,
) -> None:
    from advisor.requirements import read_requirements

    v2 = read_requirements((ROOT / "tests/fixtures/migrate/online-shop-v2.yaml").read_text())
    previous = create_design(demo, partitions_from=DAY).baseline()
    design = create_design(v2, partitions_from=DAY, previous=previous)
    document = design.file("architecture.md")
    assert document is not None
    text = section(document.text, "## Migration from the previous version")
    assert "forward steps" in text and "outside a transaction" in text
    assert "* `index_build`:" in text
    assert "DS103 `ban-drop-column` on `customer.phone`" in text
    assert "MF103 `adding-required-field` on `order.channel`" in text
    # The rename is the one v2 declares, not a dropped email and an added email_address.
    assert "`customer.email`" not in text


def test_the_same_schema_twice_does_not_change(demo: Requirements) -> None:
    design = create_design(demo, partitions_from=DAY)
    text = architecture_document(design, previous=design.baseline())
    assert section(text, "## Migration from the previous version").strip() == (
        "The PostgreSQL schema does not change."
    )
    assert "## Migration from the previous version" not in architecture_document(design)

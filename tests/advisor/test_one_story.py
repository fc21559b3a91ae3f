"""Every output of a design tells the story the engine decided, once.

Each test here failed before the outputs were made to read the engine's typed decisions: the
SQL schemas decided partitioning again (on retention only, on another column), and a design
built the facts and ran the rules several times.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import advisor.engine
import advisor.facts
from advisor.baseline import baseline_from_files
from advisor.design import Design, create_design
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import read_requirements
from advisor.schema import dialect
from advisor.stores import TECHNOLOGIES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENTS = sorted(
    path
    for path in (*FIXTURES.glob("requirements/*.yaml"), *FIXTURES.glob("ddl/*.yaml"))
    if not path.name.endswith(".expected.yaml")
)
DAY = date(2025, 1, 17)


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {
        f"{path.parent.name}/{path.stem}": create_design(
            read_requirements(path.read_text(encoding="utf-8"), source=str(path)),
            partitions_from=DAY,
        )
        for path in DOCUMENTS
    }


@pytest.mark.parametrize("name", [f"{p.parent.name}/{p.stem}" for p in DOCUMENTS])
def test_every_schema_partitions_exactly_what_the_recommendation_decided(
    designs: dict[str, Design], name: str
) -> None:
    design = designs[name]
    decided = {(p.entity, p.interval) for p in design.recommendation.scaling.partitioning}
    for item in design.dialects:
        schema = item.schema
        assert {(o.entity, o.interval) for o in schema.partitions} == decided, item.dialect
        partitioned = {
            (t.name, t.partitioning.column, t.partitioning.interval)
            for t in schema.tables
            if t.partitioning is not None
        }
        applied = {(o.table, o.column, o.interval) for o in schema.partitions if o.applied}
        assert partitioned == applied, item.dialect
        for outcome in schema.partitions:
            assert outcome.applied or outcome.why_not, item.dialect
            if outcome.applied:
                assert dialect(item.dialect).partitioning
                assert f"PARTITION BY RANGE({outcome.column})" in item.ddl.replace('"', "")
            else:
                assert outcome.why_not in item.ddl, "the DDL says why it did not partition"


def test_partitioning_names_the_column_the_time_patterns_read() -> None:
    requirements = read_requirements(
        "format: advisor/v1\nproject: Orders\n"
        "workload: {data_volume_gb: 400, transactions: multi_entity}\n"
        "team: {expertise: [postgresql]}\n"
        "entities:\n"
        "  - {name: order_event, attributes: [{name: kind, type: string, length: 40},"
        " {name: at, type: date}, {name: occurred_at, type: datetime}]}\n"
        "access_patterns:\n"
        "  - {name: record, entity: order_event, operation: write, kind: append}\n"
        "  - {name: history, entity: order_event, operation: read, kind: time_window,"
        " filter: [occurred_at]}\n"
    )
    design = create_design(requirements, partitions_from=DAY)
    assert design.recommendation.primary.category == "relational"
    (decision,) = design.recommendation.scaling.partitioning
    assert (decision.entity, decision.column, decision.retention_days) == (
        "order_event",
        "occurred_at",
        None,
    )
    postgres = design.for_dialect("postgresql")
    table = postgres.schema.table("order_event")
    assert table is not None and table.partitioning is not None
    assert table.partitioning.column == "occurred_at"
    assert "PARTITION BY RANGE(occurred_at)" in postgres.ddl


def test_a_non_relational_primary_gets_no_sql_partitions() -> None:
    design = create_design(
        read_requirements((FIXTURES / "requirements" / "event-logging.yaml").read_text())
    )
    assert design.recommendation.primary.category != "relational"
    assert design.recommendation.scaling.partitioning == ()
    assert all(t.partitioning is None for item in design.dialects for t in item.schema.tables)


def _counting(
    monkeypatch: pytest.MonkeyPatch, original: Callable[..., Any]
) -> list[tuple[Any, ...]]:
    """Record the arguments of every call of `original` through every advisor module that
    imported it."""
    calls: list[tuple[Any, ...]] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    for module in _advisor_modules():
        for attribute, value in vars(module).items():
            if value is original:
                monkeypatch.setattr(module, attribute, counted)
    return calls


def _advisor_modules() -> Iterator[Any]:
    return (
        module
        for name, module in list(sys.modules.items())
        if (name == "advisor" or name.startswith("advisor.")) and module is not None
    )


def test_one_design_builds_the_facts_once_and_runs_the_rules_at_most_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    requirements = read_requirements(
        (FIXTURES / "requirements" / "online-shop-at-scale.yaml").read_text()
    )
    facts = _counting(monkeypatch, advisor.facts.build_facts)
    runs = _counting(monkeypatch, advisor.engine.run)
    create_design(requirements)
    # The stated requirements once; the 10x projection has its own figures, and so has each
    # change the sensitivity analysis tries (advisor.sensitivity), which runs only the
    # scoring rules, never the whole pipeline.
    assert [args[0] for args in facts].count(requirements) == 1
    assert len(runs) == 2


def test_no_output_reads_the_engines_sentences() -> None:
    """Records, the architecture document and the web side read typed decisions; the text of a
    reason's effect is for people."""
    root = Path(__file__).resolve().parents[2]
    readers = [
        *(root / "advisor" / "decisions").rglob("*.py"),
        root / "advisor" / "design.py",
        *(root / "designs").rglob("*.py"),
    ]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in readers
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".effect" in line
    ]
    assert offenders == []


def test_a_document_record_follows_the_engines_placements_only() -> None:
    # An entity whose name looks like a reference field once fooled the record into a
    # "reference related documents" record for a document without relationships.
    requirements = read_requirements(
        "format: advisor/v1\nproject: Catalogue\n"
        "workload: {consistency: eventual, transactions: single_entity,"
        " schema_stability: evolving}\n"
        "team: {expertise: [mongodb]}\n"
        "entities: [{name: system.variant_ids, attributes: [{name: doc, type: json}]}]\n"
    )
    design = create_design(requirements)
    assert design.recommendation.primary.category == "document"
    assert design.recommendation.documents == ()
    assert "document-modelling" not in {d.key for d in design.decisions}


def test_the_document_store_and_its_record_tell_the_same_placements() -> None:
    design = create_design(
        read_requirements((FIXTURES / "requirements" / "content-management.yaml").read_text())
    )
    placements = design.recommendation.documents
    assert design.recommendation.primary.category == "document" and placements
    (store,) = [
        s for s in design.stores if s.technology == design.recommendation.primary.technology
    ]
    store_sentences = [d.sentence for d in store.decisions if d.rule.startswith("mongodb_")]
    assert [p.reason for p in placements] == [
        s for s in store_sentences if s in {p.reason for p in placements}
    ]
    record = next(d for d in design.decisions if d.key == "document-modelling")
    assert all(p.source in record.outcome for p in placements)


def test_no_foreign_key_crosses_the_services_the_pattern_separates(
    designs: dict[str, Design],
) -> None:
    separated = {name: d for name, d in designs.items() if d.recommendation.pattern.cross_service}
    shared = {n: d for n, d in designs.items() if d.recommendation.pattern.schema_per_context}
    assert separated or shared, "some golden document has relationships between contexts"
    for name, design in shared.items():
        # Transactions cross the contexts: one database keeps its foreign keys between them.
        schema = design.for_dialect("postgresql").schema
        assert [key for table in schema.tables for key in table.foreign_keys], name
    for name, design in separated.items():
        crossing = set(design.recommendation.pattern.cross_service)
        for item in design.dialects:
            keys = [key for table in item.schema.tables for key in table.foreign_keys]
            assert not [key.name for key in keys if key.source in crossing], (name, item.dialect)
        record = next(d for d in design.decisions if d.key == "architecture-pattern")
        assert any("without a foreign key" in line for line in record.justification), name


def test_a_design_compares_itself_with_the_stored_files_of_the_previous_one() -> None:
    shop = read_requirements((FIXTURES / "ddl" / "events.yaml").read_text())
    first = create_design(shop, partitions_from=DAY)
    stored = {item.path: item.text for item in first.files}
    baseline = baseline_from_files(stored)
    assert baseline is not None and baseline.schema == first.for_dialect("postgresql").schema
    again = create_design(shop, partitions_from=DAY, previous=baseline)
    assert again.file("architecture.md") == create_design(
        shop, partitions_from=DAY, previous=first.baseline()
    ).file("architecture.md")
    assert baseline_from_files({"recommendation.json": stored["recommendation.json"]}) is None
    assert baseline_from_files({**stored, "model.json": "{not json"}) is None


@pytest.mark.parametrize("name", [f"{p.parent.name}/{p.stem}" for p in DOCUMENTS])
def test_stores_diagram_and_records_name_the_stores_the_recommendation_uses(
    designs: dict[str, Design], name: str
) -> None:
    design = designs[name]
    recommendation = design.recommendation
    used = {recommendation.primary.technology} | {c.technology for c in recommendation.components}
    # Every store schema is for a store the design uses, and the primary comes first.
    assert {store.technology for store in design.stores} <= used
    if recommendation.primary.technology in TECHNOLOGIES:
        assert design.stores[0].technology == recommendation.primary.technology
    # The diagram draws the tables of the PostgreSQL schema (names DOT need not escape).
    dot = design.file("erd/erd.dot")
    assert dot is not None
    tables = design.for_dialect("postgresql").schema.tables
    assert all(table.name in dot.text for table in tables if table.name.isidentifier())
    # One record per component, and the primary store's record is about the primary.
    keys = [d.key for d in design.decisions]
    assert sorted(k for k in keys if k.startswith("component:")) == sorted(
        f"component:{c.role}" for c in recommendation.components
    )
    primary = next(d for d in design.decisions if d.key == "primary-store")
    assert recommendation.primary.name in primary.title
    others = {t.name for t in DEFAULT_MATRIX.technologies.values()} - {
        DEFAULT_MATRIX.technologies[t].name for t in used
    }
    for record in design.decisions:
        # The store records weigh the alternatives by name; the enum record describes every
        # dialect's DDL the design ships.
        if record.key in ("primary-store", "enum-representation") or ":" in record.key:
            continue
        # What the record says the design is (its bad consequences may name the stores that
        # ten times the load would bring).
        said = " ".join([record.title, record.context, *record.good])
        assert not [n for n in others if f" {n} " in f" {said} "], (record.key, said)

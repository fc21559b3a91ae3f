"""Every stage of a design reads the whole model a fixed number of times, however large it is
(issue 14, "Linear to 5,000 entities").

A stage that looks something up by scanning every entity, relationship or access pattern once
per entity does work that grows with the square of the model: 5,000 entities took minutes.
These tests count the scans of the model's lists (iterations, `in`, `index`) in each stage for
a small and a five times larger generated design, without timing anything: a scan per item
shows up as more scans in the larger design.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from advisor.decisions import decisions_for, record_context
from advisor.design import dialect_schemas
from advisor.engine import decide
from advisor.erd import MODES, erd_dbml, erd_dot, erd_mermaid, erd_model, erd_plantuml
from advisor.facts import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, parse_requirements
from advisor.requirements.synthetic import synthetic_document
from advisor.stores import GENERATORS, StoreRequest, store_schemas
from tests.advisor.scans import counted, scans

SMALL, LARGE = 40, 200


class _CountedList(list[Any]):
    label = ""

    def __iter__(self) -> Any:
        scans[self.label] += 1
        return super().__iter__()


def _document(size: int) -> dict[str, Any]:
    document = synthetic_document(size)
    for key in ("entities", "relationships", "access_patterns"):
        listed = _CountedList(document[key])
        listed.label = key
        document[key] = listed
    return document


def _model(size: int) -> tuple[Requirements, Facts]:
    requirements = parse_requirements(synthetic_document(size))
    requirements = dataclasses.replace(
        requirements,
        entities=counted("entities", requirements.entities),
        relationships=counted("relationships", requirements.relationships),
        access_patterns=counted("access_patterns", requirements.access_patterns),
    )
    facts = build_facts(requirements, DEFAULT_MATRIX)
    return requirements, dataclasses.replace(
        facts, patterns=counted("facts.patterns", facts.patterns)
    )


def _stages(requirements: Requirements, facts: Facts) -> dict[str, Callable[[], object]]:
    recommendation = decide(facts, project_load=False)
    dialects = dialect_schemas(requirements, recommendation)
    stores = store_schemas(requirements, recommendation, facts=facts)
    schemas = {item.dialect: item.schema for item in dialects}
    erd = erd_model(dialects[0].schema, requirements)
    erd = dataclasses.replace(
        erd,
        tables=counted("erd.tables", erd.tables),
        links=counted("erd.links", erd.links),
        enums=counted("erd.enums", erd.enums),
    )
    half = tuple(p.pattern.name for p in tuple(facts.patterns)[::2])

    def every_store() -> None:
        for name, generator in GENERATORS.items():
            generator(StoreRequest(facts, name))
            generator(StoreRequest(facts, name, role="read_model", patterns=half))

    def erd_text() -> None:
        for mode in MODES:
            erd_dot(erd, mode=mode)
            for context in erd.contexts:
                erd_dot(erd, mode=mode, contexts=frozenset({context}))
        erd_mermaid(erd)
        erd_dbml(erd)
        erd_plantuml(erd)

    return {
        "recommend": lambda: decide(facts),
        "sql schemas": lambda: dialect_schemas(requirements, recommendation),
        "other stores": every_store,
        "records": lambda: decisions_for(
            record_context(requirements, recommendation, schemas, facts=facts, stores=stores)
        ),
        "erd": lambda: (erd_model(dialects[0].schema, requirements), erd_text()),
    }


def _scans(run: Callable[[], object]) -> Counter[str]:
    scans.clear()
    run()
    return Counter(scans)


def test_loading_reads_each_list_a_fixed_number_of_times() -> None:
    small = _scans(lambda: parse_requirements(_document(SMALL)))
    large = _scans(lambda: parse_requirements(_document(LARGE)))
    assert small == large


STAGES = ("recommend", "sql schemas", "other stores", "records", "erd")


@pytest.fixture(scope="module")
def scans_by_size() -> dict[int, dict[str, Counter[str]]]:
    found = {}
    for size in (SMALL, LARGE):
        stages = _stages(*_model(size))
        found[size] = {name: _scans(stages[name]) for name in STAGES}
    return found


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_reads_the_model_a_fixed_number_of_times(
    stage: str, scans_by_size: dict[int, dict[str, Counter[str]]]
) -> None:
    small, large = scans_by_size[SMALL][stage], scans_by_size[LARGE][stage]
    grown = {label: (small[label], large[label]) for label in large if large[label] > small[label]}
    assert not grown, f"scans that grow with the model (small, large): {grown}"


def test_the_counting_sees_a_scan_per_entity() -> None:
    requirements, facts = _model(SMALL)

    def quadratic() -> None:
        for entity in requirements.entities:
            _ = [p for p in facts.patterns if p.pattern.entity == entity.name]

    assert _scans(quadratic)["facts.patterns"] == SMALL

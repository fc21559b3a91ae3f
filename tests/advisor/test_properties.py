"""Properties that hold for every valid requirements document."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advisor.engine import advise
from advisor.requirements import (
    IMPLICIT_ATTRIBUTES,
    Requirements,
    dump_json,
    dump_yaml,
    load_document,
    parse_requirements,
    requirements_to_document,
)
from advisor.requirements import model as m
from advisor.requirements.parse import SEARCHED_BY
from advisor.schemas import recommendation_schema

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda name: bool(name.strip()))
rates = st.one_of(st.integers(0, 500_000), st.floats(0, 500_000, allow_nan=False))


@st.composite
def attributes(draw: st.DrawFn, name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(m.ATTRIBUTE_TYPES))
    attribute: dict[str, Any] = {"name": name, "type": kind}
    if kind == "string" and draw(st.booleans()):
        attribute["length"] = draw(st.integers(1, 1000))
    if kind == "decimal" and draw(st.booleans()):
        attribute["precision"] = precision = draw(st.integers(1, 30))
        attribute["scale"] = draw(st.integers(0, precision))
    if kind == "enum":
        attribute["values"] = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        if draw(st.booleans()):
            attribute["default"] = draw(st.sampled_from(attribute["values"]))
    if kind in ("integer", "bigint") and draw(st.booleans()):
        low = draw(st.integers(-1000, 1000))
        attribute.update(min=low, max=draw(st.integers(low, 2000)))
    if kind == "boolean" and draw(st.booleans()):
        attribute["default"] = draw(st.booleans())
    if kind in m.TEXT_TYPES and draw(st.booleans()):
        attribute["format"] = draw(st.sampled_from(m.FORMATS))
    if kind == "vector":
        attribute["dimensions"] = draw(st.integers(1, 2000))
    attribute["required"] = draw(st.booleans())
    attribute["unique"] = draw(st.booleans())
    return attribute


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    entity_names = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    entities = []
    for name in entity_names:
        attribute_names = draw(st.lists(names, max_size=4, unique=True))
        entity: dict[str, Any] = {
            "name": name,
            "attributes": [draw(attributes(attribute)) for attribute in attribute_names],
        }
        if draw(st.booleans()):
            entity["context"] = draw(st.sampled_from(["sales", "catalogue", "billing"]))
        entities.append(entity)
    relationships = []
    roles: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 6))):
        source = draw(st.sampled_from(entity_names))
        target = draw(st.sampled_from(entity_names))
        role = draw(st.one_of(st.none(), names))
        cardinality = draw(st.sampled_from([*m.CARDINALITIES, "one-to-many"]))
        holder = target if cardinality == "one-to-many" else source
        held = source if cardinality == "one-to-many" else target
        if (holder, role or held) in roles:
            continue
        roles.add((holder, role or held))
        relationship: dict[str, Any] = {"from": source, "to": target, "cardinality": cardinality}
        if role is not None:
            relationship["name"] = role
        relationships.append(relationship)
    referable: dict[str, list[str]] = {
        e["name"]: [a["name"] for a in e["attributes"]] + list(IMPLICIT_ATTRIBUTES)
        for e in entities
    }
    patterns = []
    for index in range(draw(st.integers(0, 8))):
        entity = draw(st.sampled_from(entity_names))
        kind = draw(st.sampled_from(m.KINDS))
        pattern: dict[str, Any] = {
            "name": f"pattern {index}",
            "entity": entity,
            "operation": draw(st.sampled_from(m.OPERATIONS)),
            "kind": kind,
            "filter": draw(st.lists(st.sampled_from(referable[entity]), max_size=3)),
        }
        if kind in SEARCHED_BY:
            # A nearby or similarity pattern names the point or vector it searches by.
            searched = [
                a["name"]
                for e in entities
                if e["name"] == entity
                for a in e["attributes"]
                if a["type"] in SEARCHED_BY[kind]
            ]
            if searched:
                pattern["filter"] = [draw(st.sampled_from(searched)), *pattern["filter"]]
            else:
                pattern["kind"] = "lookup"
        if draw(st.booleans()):
            pattern["per_second"] = draw(rates)
        if draw(st.booleans()):
            pattern["latency_ms"] = draw(st.integers(1, 1000))
        if kind == "traversal" and draw(st.booleans()):
            pattern["depth"] = draw(st.integers(1, 8))
        patterns.append(pattern)
    workload = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "reads_per_second": rates,
                "writes_per_second": rates,
                "data_volume_gb": st.integers(0, 100_000),
                "growth_gb_per_month": st.integers(0, 10_000),
                "retention_days": st.integers(1, 4000),
                "consistency": st.sampled_from(m.CONSISTENCY),
                "transactions": st.sampled_from(m.TRANSACTIONS),
                "schema_stability": st.sampled_from(m.SCHEMA_STABILITY),
                "regions": st.integers(1, 5),
                "availability_percent": st.sampled_from([99, 99.5, 99.9, 99.95, 99.99]),
                "latency_p99_ms": st.integers(1, 500),
            },
        )
    )
    team = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "expertise": st.lists(
                    st.sampled_from(["postgresql", "mongodb", "redis", "cassandra", "cobol"]),
                    unique=True,
                ),
                "managed_service": st.sampled_from(m.MANAGED_SERVICE),
                "budget": st.sampled_from(m.BUDGET),
            },
        )
    )
    return {
        "format": "advisor/v1",
        "project": draw(names),
        "workload": workload,
        "team": team,
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
        "lint": {
            "ignore": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"rule": names},
                        optional={"target": names, "reason": names},
                    ),
                    max_size=2,
                )
            )
        },
    }


def scaled(requirements: Requirements, factor: float) -> Requirements:
    workload = requirements.workload
    return dataclasses.replace(
        requirements,
        workload=dataclasses.replace(
            workload,
            reads_per_second=workload.reads_per_second * factor,
            writes_per_second=workload.writes_per_second * factor,
        ),
        access_patterns=tuple(
            dataclasses.replace(p, per_second=p.per_second * factor)
            if p.per_second is not None
            else p
            for p in requirements.access_patterns
        ),
    )


@SETTINGS
@given(documents())
def test_the_canonical_document_round_trips(document: dict[str, Any]) -> None:
    requirements = parse_requirements(document)
    canonical = requirements_to_document(requirements)
    assert parse_requirements(canonical) == requirements
    assert parse_requirements(load_document(dump_yaml(canonical))) == requirements
    assert parse_requirements(load_document(dump_json(canonical))) == requirements
    assert requirements_to_document(parse_requirements(canonical)) == canonical


@SETTINGS
@given(documents())
def test_every_valid_document_gets_an_explained_recommendation_with_valid_json(
    document: dict[str, Any],
) -> None:
    recommendation = advise(parse_requirements(document))
    assert recommendation.trace
    text = recommendation.to_json()
    jsonschema.validate(json.loads(text), recommendation_schema())
    assert advise(parse_requirements(document)).to_json() == text


# Found by Hypothesis: tenfold writes move the primary from DynamoDB (4,002 GB as written, 3
# shards) to Cassandra, which stores the same data compressed (2,001 GB, 2 shards).
_STORE_CHANGES = {
    "format": "advisor/v1",
    "project": "Logs",
    "workload": {
        "data_volume_gb": 0,
        "growth_gb_per_month": 469,
        "retention_days": 256,
        "writes_per_second": 1001,
        "latency_p99_ms": 1,
    },
    "entities": [{"name": "event", "attributes": [{"name": "body", "type": "string"}]}],
}


@SETTINGS
@given(documents(), st.sampled_from([2, 10, 100]))
@example(_STORE_CHANGES, 10)
def test_more_load_never_means_fewer_replicas_or_no_sharding(
    document: dict[str, Any], factor: int
) -> None:
    requirements = parse_requirements(document)
    first = advise(requirements, project_load=False)
    then = advise(scaled(requirements, factor), project_load=False)
    before, after = first.scaling, then.scaling

    # A single primary scales reads by replicas; a distributed store by nodes, keeping its own
    # replication factor of copies for availability.
    if after.read_replicas.replication_factor:
        assert after.read_replicas.replication_factor >= 3
    elif not before.read_replicas.replication_factor:
        assert after.read_replicas.count >= before.read_replicas.count
    if before.sharding.needed:
        assert after.sharding.needed
        # Each store counts the data as it stores it, so only the same store's shards compare.
        if first.primary.technology == then.primary.technology:
            assert after.sharding.shards >= before.sharding.shards


@SETTINGS
@given(documents())
def test_a_shard_key_is_an_attribute_or_relationship_that_exists(
    document: dict[str, Any],
) -> None:
    requirements = parse_requirements(document)
    heavy = scaled(requirements, 1000)
    for recommendation in (advise(requirements), advise(heavy)):
        for key in recommendation.scaling.sharding.keys:
            entity = requirements.entity(key.entity)
            assert entity is not None
            if key.kind == "attribute":
                assert key.key in entity.attribute_names()
            elif key.kind == "geo_cell":  # the cell of a point attribute
                point = entity.attribute(key.key.removesuffix("_cell"))
                assert point is not None and point.type == "point"
            else:
                roles = [r.role for r in requirements.relationships if r.source == entity.name]
                assert key.key in roles

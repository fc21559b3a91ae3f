"""Location data and vectors: the vocabulary, the engine's capabilities, the schema and stores.

A point (WGS84 longitude, latitude) and an embedding of n numbers have no order: a B-tree
neither serves "nearby" nor "most similar", and a 768-number vector overflows its key size.
"""

from __future__ import annotations

import pytest

from advisor.draft import Draft
from advisor.engine import advise, start
from advisor.errors import InvalidRequirements
from advisor.matrix import DEFAULT_MATRIX, SOURCED_CAPABILITIES
from advisor.requirements import Requirements, read_requirements
from advisor.rules.design import search_component

RIDES = """
format: advisor/v1
project: Rides
workload: {reads_per_second: 2000, writes_per_second: 500}
team: {expertise: [postgresql]}
entities:
  - name: driver
    attributes:
      - {name: name, type: string, length: 100, required: true}
      - {name: position, type: point, required: true}
      - {name: available, type: boolean, required: true}
access_patterns:
  - {name: nearby available drivers, entity: driver, operation: read, kind: nearby,
     filter: [position, available], per_second: 1500}
  - {name: driver moves, entity: driver, operation: update, kind: lookup, filter: [id],
     per_second: 500}
"""

DOCS = """
format: advisor/v1
project: Docs
team: {expertise: [postgresql]}
entities:
  - name: passage
    attributes:
      - {name: body, type: text, required: true}
      - {name: embedding, type: vector, dimensions: 768, required: true}
access_patterns:
  - {name: similar passages, entity: passage, operation: read, kind: similarity,
     filter: [embedding], per_second: 50}
  - {name: store passage, entity: passage, operation: write, kind: append, per_second: 5}
"""


def rides() -> Requirements:
    return read_requirements(RIDES)


def docs() -> Requirements:
    return read_requirements(DOCS)


def test_a_point_and_a_vector_are_attribute_types_and_nearby_and_similarity_are_kinds() -> None:
    driver = rides().entity("driver")
    assert driver is not None and driver.attribute("position") is not None
    assert [p.kind for p in rides().access_patterns] == ["nearby", "lookup"]
    passage = docs().entity("passage")
    assert passage is not None
    embedding = passage.attribute("embedding")
    assert embedding is not None and embedding.dimensions == 768


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("dimensions: 768, ", ""), "dimensions: is required for type vector"),
        (("dimensions: 768", "dimensions: 0"), "dimensions: 0 is too small"),
        (("filter: [embedding]", "filter: [body]"), "a similarity pattern names a vector"),
        (("required: true}\naccess", "default: x}\naccess"), "a vector takes no default"),
    ],
)
def test_a_vector_needs_its_dimensions_and_a_similarity_pattern_names_it(
    change: tuple[str, str], message: str
) -> None:
    with pytest.raises(InvalidRequirements) as raised:
        read_requirements(DOCS.replace(*change))
    assert message in str(raised.value)


def test_a_nearby_pattern_names_a_point() -> None:
    with pytest.raises(InvalidRequirements, match="a nearby pattern names a point"):
        read_requirements(RIDES.replace("filter: [position, available]", "filter: [available]"))


def test_every_technology_states_its_geo_and_vector_level_with_a_source() -> None:
    for technology in DEFAULT_MATRIX.technologies.values():
        for capability in SOURCED_CAPABILITIES:
            assert 0 <= technology.capabilities[capability] <= 3
    assert DEFAULT_MATRIX.pattern_needs["nearby"] == {"geo": 1.0}
    assert DEFAULT_MATRIX.pattern_needs["similarity"] == {"vector": 1.0}
    levels = {t.id: t.capabilities["geo"] for t in DEFAULT_MATRIX.technologies.values()}
    assert levels["postgresql"] == levels["mongodb"] == levels["elasticsearch"] == 3
    assert levels["cassandra"] == 0


def test_nearby_searches_favour_stores_with_a_spatial_index() -> None:
    recommendation = advise(rides(), project_load=False)
    trace = [r for r in recommendation.trace if r.rule == "access_pattern_needs"]
    assert any("geo +" in reason.effect for reason in trace)
    assert recommendation.primary.technology == "postgresql"
    assert recommendation.components == () or all(
        "nearby available drivers" not in c.patterns for c in recommendation.components
    )


def _with_primary(requirements: Requirements, technology: str) -> Draft:
    chosen = DEFAULT_MATRIX.technologies[technology]
    others = [(t, 0.5) for t in DEFAULT_MATRIX.technologies.values() if t is not chosen]
    ranking = ((chosen, 1.0), *others)
    return start(requirements).replace(ranking=ranking)


@pytest.mark.parametrize(
    ("document", "primary", "pattern"),
    [
        (DOCS, "mysql", "similar passages"),
        (DOCS, "sqlite", "similar passages"),
        (RIDES, "cassandra", "nearby available drivers"),
    ],
)
def test_a_pattern_the_primary_cannot_index_goes_to_a_search_component(
    document: str, primary: str, pattern: str
) -> None:
    draft = search_component(_with_primary(read_requirements(document), primary))
    [component] = draft.components
    assert component.role == "search_index"
    assert component.patterns == (pattern,)
    assert DEFAULT_MATRIX.technologies[component.technology].category == "search"
    assert "search index holds that index" in component.reason


@pytest.mark.parametrize(("document", "primary"), [(DOCS, "postgresql"), (RIDES, "mysql")])
def test_a_primary_with_the_index_serves_the_pattern_itself(document: str, primary: str) -> None:
    draft = search_component(_with_primary(read_requirements(document), primary))
    assert draft.components == ()

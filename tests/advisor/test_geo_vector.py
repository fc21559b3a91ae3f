"""Location data and vectors: the vocabulary, the engine's capabilities, the schema and stores.

A point (WGS84 longitude, latitude) and an embedding of n numbers have no order: a B-tree
neither serves "nearby" nor "most similar", and a 768-number vector overflows its key size.
"""

from __future__ import annotations

import json

import pytest

from advisor.ddl import render_ddl
from advisor.design import create_design
from advisor.draft import Draft
from advisor.engine import advise, start
from advisor.errors import InvalidRequirements
from advisor.facts import build_facts
from advisor.matrix import DEFAULT_MATRIX, SOURCED_CAPABILITIES
from advisor.requirements import Requirements, read_requirements
from advisor.rules.design import search_component
from advisor.schema import DIALECTS, build_schema
from advisor.stores import StoreRequest, primary_request, store_schema
from tests.advisor.test_stores_syntax import check_mongosh

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


def _ddl(document: str, dialect_name: str) -> str:
    return render_ddl(build_schema(read_requirements(document), dialect_name))


def test_a_point_gets_a_postgis_geography_and_a_gist_index_never_a_b_tree() -> None:
    schema = build_schema(rides(), "postgresql")
    driver = schema.table("driver")
    assert driver is not None
    [index] = driver.indexes
    assert (index.kind, index.column_names, index.where) == (
        "spatial",
        ("position",),
        (("available", True),),
    )
    ddl = _ddl(RIDES, "postgresql")
    assert "CREATE EXTENSION IF NOT EXISTS postgis;" in ddl
    assert "position GEOGRAPHY(POINT, 4326) NOT NULL" in ddl
    assert "USING GIST(position) WHERE available = TRUE" in ddl


@pytest.mark.parametrize(
    ("dialect_name", "expected"),
    [
        ("mysql", ["position POINT /*!80003 SRID 4326 */ NOT NULL", "ADD SPATIAL INDEX"]),
        ("sqlserver", ["position GEOGRAPHY NOT NULL", "CREATE SPATIAL INDEX"]),
        (
            "oracle",
            ["position SDO_GEOMETRY NOT NULL", "USER_SDO_GEOM_METADATA", "SPATIAL_INDEX_V2"],
        ),
        ("sqlite", ["position_longitude REAL NOT NULL", "position_latitude REAL NOT NULL"]),
    ],
)
def test_each_dialect_stores_a_point_as_it_can(dialect_name: str, expected: list[str]) -> None:
    ddl = _ddl(RIDES, dialect_name)
    for text in expected:
        assert text in ddl
    schema = build_schema(rides(), dialect_name)
    driver = schema.table("driver")
    assert driver is not None
    assert all(index.kind != "btree" for index in driver.indexes)


def test_sqlite_says_it_has_no_spatial_index() -> None:
    [nearby, _] = build_schema(rides(), "sqlite").patterns
    assert nearby.index is None
    assert "SpatiaLite or an R*Tree" in nearby.reason


def test_an_optional_point_with_a_mysql_spatial_index_becomes_not_null() -> None:
    optional = RIDES.replace("type: point, required: true", "type: point")
    driver = build_schema(read_requirements(optional), "mysql").table("driver")
    assert driver is not None
    position = driver.column("position")
    assert position is not None and not position.nullable
    assert "SPATIAL INDEX takes no NULL" in position.comment


def test_a_vector_gets_pgvector_and_an_hnsw_index_on_postgresql() -> None:
    ddl = _ddl(DOCS, "postgresql")
    assert "CREATE EXTENSION IF NOT EXISTS vector;" in ddl
    assert "embedding VECTOR(768) NOT NULL" in ddl
    assert "USING hnsw(embedding vector_cosine_ops)" in ddl


@pytest.mark.parametrize("dialect_name", ["mysql", "sqlite", "sqlserver", "oracle"])
def test_elsewhere_a_vector_is_bytes_with_no_index(dialect_name: str) -> None:
    schema = build_schema(docs(), dialect_name)
    passage = schema.table("passage")
    assert passage is not None
    assert passage.indexes == ()
    embedding = passage.column("embedding")
    assert embedding is not None and "served by a search component" in embedding.comment
    similar = next(p for p in schema.patterns if p.pattern == "similar passages")
    assert similar.index is None


# Before: a lookup "by embedding" got a B-tree on a 768-number vector, whose entries exceed
# PostgreSQL's B-tree row limit (2704 bytes) on every insert and MySQL's 3,072-byte key limit.
LOOKUP_BY_VECTOR = DOCS.replace(
    "kind: similarity,\n     filter: [embedding]", "kind: lookup,\n     filter: [embedding, body]"
)


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_no_dialect_puts_a_vector_in_a_b_tree(dialect_name: str) -> None:
    schema = build_schema(read_requirements(LOOKUP_BY_VECTOR), dialect_name)
    for table in schema.tables:
        for index in table.indexes:
            assert "embedding" not in index.column_names
    record = next(p for p in schema.patterns if p.pattern == "similar passages")
    assert "a B-tree holds no point, vector, binary or JSON value" in record.reason


def test_a_search_served_similarity_pattern_leaves_no_index_in_the_database() -> None:
    schema = build_schema(
        docs(), "postgresql", search_served_patterns=frozenset({"similar passages"})
    )
    passage = schema.table("passage")
    assert passage is not None and passage.indexes == ()


def _store(document: str, technology: str) -> str:
    request = StoreRequest(build_facts(read_requirements(document), DEFAULT_MATRIX), technology)
    found = store_schema(request)
    assert found is not None
    return found.text


def test_elasticsearch_maps_a_point_as_geo_point_and_a_vector_as_dense_vector() -> None:
    rides_index = json.loads(_store(RIDES, "elasticsearch"))["indices"]["driver"]
    assert rides_index["mappings"]["properties"]["position"] == {"type": "geo_point"}
    docs_index = json.loads(_store(DOCS, "elasticsearch"))["indices"]["passage"]
    assert docs_index["mappings"]["properties"]["embedding"] == {
        "type": "dense_vector",
        "dims": 768,
        "index": True,
        "similarity": "cosine",
    }


def test_opensearch_maps_a_vector_as_knn_vector_in_a_knn_index() -> None:
    index = json.loads(_store(DOCS, "opensearch"))["indices"]["passage"]
    embedding = index["mappings"]["properties"]["embedding"]
    assert (embedding["type"], embedding["dimension"]) == ("knn_vector", 768)
    assert index["settings"]["index.knn"] is True


def test_mongodb_serves_nearby_with_a_2dsphere_index() -> None:
    text = _store(RIDES, "mongodb")
    assert 'createIndex({"position": "2dsphere", "available": 1}' in text
    assert "GeoJSON Point" in text


def test_redis_keeps_live_positions_in_a_geo_set() -> None:
    text = _store(RIDES, "redis")
    assert "GEOADD" in text and "GEOSEARCH" in text
    assert "FT.CREATE" in _store(DOCS, "redis")


@pytest.mark.parametrize("document", [RIDES, DOCS], ids=["rides", "docs"])
def test_a_whole_design_with_points_and_vectors_is_written_and_lints_clean(document: str) -> None:
    design = create_design(read_requirements(document))
    files = {item.path: item.text for item in design.files}
    assert "erd/erd.dbml" in files
    lint_report = json.loads(files["lint.json"])
    assert all(findings == [] for findings in lint_report["dialects"].values())


def test_positions_that_move_fast_are_searched_in_a_geo_set_written_through() -> None:
    """Issue 10: "Redis GEO for live positions". From live_position_updates_per_second moves,
    the nearby search goes to the cache's geo set, written through; below it, the primary's
    spatial index serves it."""
    fast = RIDES.replace(
        "workload: {reads_per_second: 2000, writes_per_second: 500}",
        "workload: {reads_per_second: 2000, writes_per_second: 5000, consistency: eventual}",
    ).replace("per_second: 500}", "per_second: 5000}")
    recommendation = advise(read_requirements(fast), project_load=False)
    [cache] = [c for c in recommendation.components if c.role == "cache"]
    assert cache.technology == "redis" and cache.sync == "write_through"
    assert cache.patterns == ("nearby available drivers",)
    assert "geo set" in cache.reason
    slow = fast.replace("per_second: 5000}", "per_second: 500}")
    assert not advise(read_requirements(slow), project_load=False).components
    strong = fast.replace(", consistency: eventual", "")
    assert not advise(read_requirements(strong), project_load=False).components


PLACES = """
format: advisor/v1
project: Places
workload: {reads_per_second: 20000, writes_per_second: 200, data_volume_gb: 5000,
           growth_gb_per_month: 100, consistency: eventual}
entities:
  - name: place
    attributes:
      - {name: name, type: string, length: 200, required: true}
      - {name: location, type: point, required: true}
      - {name: category, type: enum, values: [food, shop, park], required: true}
access_patterns:
  - {name: places near me, entity: place, operation: read, kind: nearby,
     filter: [location, category], per_second: 20000}
  - {name: add a place, entity: place, operation: write, kind: append, per_second: 200}
"""


def test_places_are_sharded_by_the_h3_cell_of_their_point_and_searched_in_a_few_shards() -> None:
    recommendation = advise(read_requirements(PLACES), project_load=False)
    sharding = recommendation.scaling.sharding
    [key] = sharding.keys
    assert (key.entity, key.key, key.kind) == ("place", "location_cell", "geo_cell")
    assert "H3 cell (resolution 5)" in key.reason
    assert sharding.cross_shard_patterns == ()
    assert recommendation.primary.technology == "mongodb"
    facts = build_facts(read_requirements(PLACES), DEFAULT_MATRIX)
    found = store_schema(primary_request(facts, recommendation))
    assert found is not None
    commands = check_mongosh(found.text)
    assert commands.shards == {"place": {"location_cell": "hashed"}}
    validator = commands.collections["place"]["validator"]["$jsonSchema"]
    assert "location_cell" in validator["required"]


def test_a_moving_point_is_no_shard_key() -> None:
    moving = PLACES.replace(
        "  - {name: add a place,",
        "  - {name: move a place, entity: place, operation: update, kind: lookup, filter: [id],\n"
        "     per_second: 100}\n  - {name: add a place,",
    )
    [key] = advise(read_requirements(moving), project_load=False).scaling.sharding.keys
    assert (key.key, key.kind) == ("id", "attribute")

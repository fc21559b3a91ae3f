"""Neo4j: labels, relationship types with direction, constraints and indexes in Cypher 5."""

from __future__ import annotations

from advisor.requirements import Requirements, read_requirements
from advisor.stores import neo4j_schema
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_cypher

GRAPH = """
entities:
  - {name: person, attributes: [{name: handle, type: string, unique: true, required: true},
                                {name: city, type: string}, {name: bio, type: text}]}
  - {name: order item, attributes: [{name: qty, type: integer}]}
relationships:
  - {from: person, to: person, cardinality: many-to-many, name: follows}
  - {from: order item, to: person, cardinality: many-to-one}
access_patterns:
  - {name: friends of friends, entity: person, operation: read, kind: traversal,
     filter: [follows], depth: 3}
  - {name: people of a city, entity: person, operation: read, kind: range, filter: [city]}
  - {name: search bios, entity: person, operation: read, kind: full_text, filter: [bio]}
"""


def _doc(body: str) -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: Graph\n{body}")


def test_labels_types_constraints_and_indexes_follow_the_requirements() -> None:
    schema = neo4j_schema(request(_doc(GRAPH), "neo4j"))
    assert check_cypher(schema.text) == [
        "CREATE CONSTRAINT person_id_unique IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;",
        "CREATE CONSTRAINT person_handle_unique IF NOT EXISTS FOR (n:Person) "
        "REQUIRE n.handle IS UNIQUE;",
        "CREATE INDEX person_city IF NOT EXISTS FOR (n:Person) ON (n.city);",
        "CREATE FULLTEXT INDEX person_text IF NOT EXISTS FOR (n:Person) ON EACH [n.bio];",
        "CREATE CONSTRAINT `order item_id_unique` IF NOT EXISTS FOR (n:OrderItem) "
        "REQUIRE n.id IS UNIQUE;",
    ]
    assert "//   (:Person)-[:FOLLOWS]->(:Person)  many-to-many" in schema.text
    assert "//   (:OrderItem)-[:HAS_PERSON]->(:Person)  many-to-one" in schema.text
    traversal = next(d for d in schema.decisions if d.rule == "neo4j_traversal")
    assert "follows FOLLOWS up to 3 hops" in traversal.sentence


def test_required_attributes_get_enterprise_existence_constraints_as_comments() -> None:
    text = neo4j_schema(request(_doc(GRAPH), "neo4j")).text
    assert (
        "// Enterprise Edition only, property existence: "
        "CREATE CONSTRAINT FOR (n:Person) REQUIRE n.handle IS NOT NULL"
    ) in text


def test_neptune_gets_the_model_with_its_constraints_as_comments() -> None:
    schema = neo4j_schema(request(_doc(GRAPH), "neptune"))
    assert schema.filename == "neptune.cypher"
    assert check_cypher(schema.text) == []
    assert "// CREATE CONSTRAINT person_handle_unique" in schema.text


def test_hostile_names_are_backticked_with_backticks_doubled() -> None:
    hostile = _doc(
        'entities: [{name: "a`b", attributes: [{name: "match", type: string, unique: true},'
        ' {name: "x y", type: string}]}, {name: 客户}]\n'
        'relationships: [{from: "a`b", to: 客户, cardinality: many-to-one, name: "buys from"}]\n'
        'access_patterns: [{name: p, entity: "a`b", operation: read, kind: lookup,'
        ' filter: ["x y"]}]'
    )
    text = neo4j_schema(request(hostile, "neo4j")).text
    statements = check_cypher(text)
    assert (
        "CREATE CONSTRAINT `a``b_match_unique` IF NOT EXISTS FOR (n:AB) "
        "REQUIRE n.`match` IS UNIQUE;" in statements
    )
    assert "CREATE INDEX `a``b_x y` IF NOT EXISTS FOR (n:AB) ON (n.`x y`);" in statements
    assert "(:AB)-[:BUYS_FROM]->(:`客户`)" in text

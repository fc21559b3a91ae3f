"""A primary store holds the whole system of record: every entity has a home in its schema,
read by a pattern or not; a component holds only the entities of its patterns."""

from __future__ import annotations

import json

import pytest

from advisor.requirements import read_requirements
from advisor.stores import GENERATORS
from tests.advisor.store_requests import request

LEDGER = read_requirements("""
format: advisor/v1
project: Ledger
entities:
  - {name: customer, attributes: [{name: email, type: string, length: 80, unique: true}]}
  - {name: reading, attributes: [{name: value, type: float}, {name: measured_at, type: datetime}]}
  - {name: ledger_note, attributes: [{name: body, type: string, length: 200}]}
relationships:
  - {from: reading, to: customer, cardinality: many-to-one, name: owner}
access_patterns:
  - {name: by email, entity: customer, operation: read, kind: lookup, filter: [email]}
  - {name: record, entity: reading, operation: write, kind: append}
""")


def _dynamodb_home(text: str) -> bool:
    items = json.loads(text)["Items"]
    return {"Entity": "ledger_note", "PK": "LEDGER_NOTE#<id>", "SK": "LEDGER_NOTE#<id>"} in items


# Where each store keeps ledger_note, which no pattern reads or writes.
HOMES = {
    "mongodb": lambda text: 'ensureCollection("ledger_note", {' in text,
    "redis": lambda text: "| `ledger:ledger_note:id:<id>` | hash | none yet |" in text,
    "cassandra": lambda text: (
        "CREATE TABLE IF NOT EXISTS ledger.ledger_note (" in text
        and "    PRIMARY KEY (id)\n) WITH comment = 'serves no pattern yet';" in text
    ),
    "neo4j": lambda text: "FOR (n:LedgerNote) REQUIRE n.id IS UNIQUE" in text,
    "elasticsearch": lambda text: "ledger_note" in json.loads(text)["indices"],
    "timescaledb": lambda text: "CREATE TABLE ledger_note (" in text,
    "influxdb": lambda text: (
        "## Measurement `ledger_note`" in text
        and "ledger_note,id=<id> body=<value> <updated_at>" in text
    ),
    "clickhouse": lambda text: "CREATE TABLE IF NOT EXISTS ledger_note" in text,
    "dynamodb": _dynamodb_home,
}


def test_every_generator_says_where_its_primary_store_keeps_entities() -> None:
    assert set(HOMES) == set(GENERATORS)


@pytest.mark.parametrize("store", sorted(GENERATORS))
def test_a_primary_store_keeps_an_entity_no_pattern_reads(store: str) -> None:
    schema = GENERATORS[store](request(LEDGER, store))
    assert HOMES[store](schema.text)
    unread = {d.inputs: d.sentence for d in schema.decisions if d.rule == f"{store}_unread_entity"}
    assert unread[("entities[2]",)].startswith("No access pattern reads ledger_note yet;")
    # reading is written but never read: it has a home too, and the same sentence
    assert unread[("entities[1]",)].startswith("No access pattern reads reading yet;")
    assert ("entities[0]",) not in unread


@pytest.mark.parametrize("store", sorted(GENERATORS))
def test_a_component_keeps_only_the_entities_of_its_patterns(store: str) -> None:
    schema = GENERATORS[store](request(LEDGER, store, patterns=["by email"], role="cache"))
    assert "ledger_note" not in schema.text
    assert "LEDGER_NOTE" not in schema.text and "LedgerNote" not in schema.text
    assert not [d for d in schema.decisions if d.rule.endswith("_unread_entity")]

"""Scaling decisions an expert would sign: replication factor, shard keys, services' databases,
round trips per region pair, and partitions sized by rows per day."""

from __future__ import annotations

from advisor.engine import advise, start
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, read_requirements
from advisor.rules.scaling import read_replicas
from advisor.schema import schema_for

READS = """
format: advisor/v1
project: Reads
workload: {{reads_per_second: {reads}, writes_per_second: 100, availability_percent: {avail}}}
entities:
  - name: item
    attributes:
      - {{name: title, type: string, required: true}}
access_patterns:
  - {{name: item by id, entity: item, operation: read, kind: lookup, filter: [id]}}
"""


def _reads(reads: int, avail: float = 99.9) -> Requirements:
    return read_requirements(READS.format(reads=reads, avail=avail))


def _on(requirements: Requirements, technology: str):  # type: ignore[no-untyped-def]
    return start(requirements).replace(ranking=((DEFAULT_MATRIX.technologies[technology], 1.0),))


def test_a_distributed_primary_keeps_three_copies_whatever_the_read_load() -> None:
    sentence = read_replicas(_on(_reads(200_000), "cockroachdb")).read_replicas.reason
    assert "replication factor 3" in sentence
    assert "adding nodes" in sentence


def test_a_distributed_primary_keeps_five_copies_for_four_nines() -> None:
    sentence = read_replicas(_on(_reads(1_000, 99.99), "cockroachdb")).read_replicas.reason
    assert "replication factor 5" in sentence


SHOP = """
format: advisor/v1
project: Shop
workload: {{transactions: {transactions}}}
entities:
  - {{name: customer, context: customers,
     attributes: [{{name: email, type: string, required: true, unique: true}}]}}
  - {{name: order, context: ordering,
     attributes: [{{name: total, type: decimal, precision: 12, scale: 2, required: true}}]}}
relationships:
  - {{from: order, to: customer, cardinality: many-to-one, required: true}}
access_patterns:
  - {{name: place order, entity: order, operation: write, kind: lookup}}
  - {{name: order by id, entity: order, operation: read, kind: lookup, filter: [id]}}
"""


def _shop(transactions: str) -> Requirements:
    return read_requirements(SHOP.format(transactions=transactions))


def test_transactions_across_contexts_keep_one_database_with_a_schema_per_context() -> None:
    pattern = advise(_shop("multi_entity"), project_load=False).pattern
    assert pattern.name == "single_database"
    assert pattern.schema_per_context
    assert pattern.cross_service == ()
    assert not [w for w in pattern.warnings if w.kind == "shared_database"]
    assert "schema per context" in pattern.reasons[0]


def test_one_database_keeps_the_foreign_key_between_contexts() -> None:
    requirements = _shop("multi_entity")
    schema = schema_for(requirements, advise(requirements, project_load=False), "postgresql")
    [orders] = [t for t in schema.tables if t.name.startswith("order")]
    assert [k.target for k in orders.foreign_keys] == ["customer"]


def test_services_that_own_their_data_still_get_the_shared_database_warning() -> None:
    pattern = advise(_shop("single_entity"), project_load=False).pattern
    assert pattern.name == "database_per_service"
    assert not pattern.schema_per_context
    assert pattern.cross_service == ("relationships[0]",)
    assert [w.kind for w in pattern.warnings] == ["shared_database"]

"""Scaling decisions an expert would sign: replication factor, shard keys, services' databases,
round trips per region pair, and partitions sized by rows per day."""

from __future__ import annotations

from advisor.engine import start
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, read_requirements
from advisor.rules.scaling import read_replicas

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

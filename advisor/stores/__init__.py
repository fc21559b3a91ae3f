"""The schemas of the non-relational stores of a design, as text, with the reasons behind them.

Every generator is a function `StoreRequest -> StoreSchema` in `GENERATORS`. A request says
which store (technology, role, the patterns of a component or None for the whole system of
record) and carries every decision of the design the store follows, read from the
`Recommendation` in one place: `primary_request` and `component_request`. Generators decide
none of these again.

`store_schemas(requirements, recommendation)` gives one `StoreSchema` per store the
recommendation uses beside SQL: the primary store when it is not relational, and each
component (a cache, a search index, a graph or time-series store). The command line writes
each as `schema/<filename>`; the web page shows `text` and `decisions`.

>>> from advisor.engine import advise
>>> from advisor.requirements import read_requirements
>>> board = read_requirements('''
... format: advisor/v1
... project: Games
... workload: {reads_per_second: 30000, writes_per_second: 12000, latency_p99_ms: 5,
...            consistency: eventual, transactions: none}
... team: {expertise: [redis]}
... entities: [{name: score, derived: true, attributes: [{name: level, type: integer},
...                                                       {name: points, type: bigint}]}]
... access_patterns:
...   - {name: top, entity: score, operation: read, kind: range, filter: [level], sort: [-points],
...      per_second: 30000, latency_ms: 2}
... ''')
>>> [(s.store, s.filename) for s in store_schemas(board, advise(board))]
[('redis', 'redis.md')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from advisor.facts import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import Component, Recommendation
from advisor.requirements.model import Requirements
from advisor.stores.cassandra import cassandra_schema
from advisor.stores.clickhouse import clickhouse_schema
from advisor.stores.common import StoreRequest, StoreSchema
from advisor.stores.dynamodb import dynamodb_schema
from advisor.stores.mongodb import mongodb_schema
from advisor.stores.neo4j import neo4j_schema
from advisor.stores.redis import redis_schema
from advisor.stores.search import search_schema
from advisor.stores.timeseries import influxdb_schema, timescaledb_schema
from advisor.targets import TECHNOLOGIES

if TYPE_CHECKING:
    from advisor.schema import SchemaParts

Generator = Callable[[StoreRequest], StoreSchema]

# Every generator, by name (the `store` of the schemas it writes).
GENERATORS: dict[str, Generator] = {
    "mongodb": mongodb_schema,
    "redis": redis_schema,
    "cassandra": cassandra_schema,
    "neo4j": neo4j_schema,
    "elasticsearch": search_schema,
    "timescaledb": timescaledb_schema,
    "influxdb": influxdb_schema,
    "clickhouse": clickhouse_schema,
    "dynamodb": dynamodb_schema,
}


def primary_request(facts: Facts, recommendation: Recommendation) -> StoreRequest:
    """The request for the primary store: every entity, and the design's decisions.

    This is the one place that reads decisions for the stores out of a `Recommendation`; a
    component's request is this one narrowed to the component.
    """
    return StoreRequest(
        facts=facts,
        technology=recommendation.primary.technology,
        key_strategy=recommendation.keys.strategy,
        search_served=recommendation.search_served,
        placements=recommendation.documents,
        counters=recommendation.scaling.counters,
        shard_keys=recommendation.scaling.sharding.keys
        if recommendation.scaling.sharding.needed
        else (),
    )


def component_request(
    facts: Facts, recommendation: Recommendation, component: Component
) -> StoreRequest:
    """The request for one component: its technology, role, patterns and sync method."""
    return replace(
        primary_request(facts, recommendation),
        technology=component.technology,
        role=component.role,
        patterns=component.patterns,
        sync=component.sync,
        shard_keys=(),
    )


def store_requests(facts: Facts, recommendation: Recommendation) -> tuple[StoreRequest, ...]:
    """The primary store's request, then each component's, in the recommendation's order."""
    return (
        primary_request(facts, recommendation),
        *(component_request(facts, recommendation, c) for c in recommendation.components),
    )


def store_schema(request: StoreRequest) -> StoreSchema | None:
    """The schema `request` asks for, or None when no generator writes its technology."""
    generator = TECHNOLOGIES.get(request.technology)
    return GENERATORS[generator](request) if generator is not None else None


def store_schemas(
    requirements: Requirements,
    recommendation: Recommendation,
    *,
    facts: Facts | None = None,
    schema_parts: SchemaParts | None = None,
) -> tuple[StoreSchema, ...]:
    """The schema of every non-relational store of `recommendation`: the primary store (when
    not relational) first, then each component, in the recommendation's order. Two schemas
    with the same file name are never returned: a later one is skipped (it cannot happen with
    the engine's components, which each have their own category).

    `facts` are those the recommendation was made from; by default they are built with the
    default matrix, as `advise` does. `schema_parts`, those the design's SQL schemas were
    built with, spare a generator that builds a SQL schema (TimescaleDB's) making them again.
    """
    if facts is None:
        facts = build_facts(requirements, DEFAULT_MATRIX)
    found: list[StoreSchema] = []
    for request in store_requests(facts, recommendation):
        if schema_parts is not None:
            request = replace(request, schema_parts=schema_parts)
        schema = store_schema(request)
        if schema is not None and all(s.filename != schema.filename for s in found):
            found.append(schema)
    return tuple(found)


__all__ = [
    "GENERATORS",
    "TECHNOLOGIES",
    "Generator",
    "StoreRequest",
    "StoreSchema",
    "cassandra_schema",
    "clickhouse_schema",
    "component_request",
    "dynamodb_schema",
    "influxdb_schema",
    "mongodb_schema",
    "neo4j_schema",
    "primary_request",
    "redis_schema",
    "search_schema",
    "store_requests",
    "store_schema",
    "store_schemas",
    "timescaledb_schema",
]

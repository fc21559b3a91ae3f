"""The schemas of the non-relational stores of a design, as text, with the reasons behind them.

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
... entities: [{name: score, attributes: [{name: level, type: integer},
...                                        {name: points, type: bigint}]}]
... access_patterns:
...   - {name: top, entity: score, operation: read, kind: range, filter: [level], sort: [-points],
...      per_second: 30000, latency_ms: 2}
... ''')
>>> [(s.store, s.filename) for s in store_schemas(board, advise(board))]
[('redis', 'redis.md')]
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.recommendation import Recommendation
from advisor.requirements.model import Requirements
from advisor.stores.cassandra import cassandra_schema
from advisor.stores.clickhouse import clickhouse_schema
from advisor.stores.common import StoreSchema
from advisor.stores.dynamodb import dynamodb_schema
from advisor.stores.mongodb import mongodb_schema
from advisor.stores.neo4j import neo4j_schema
from advisor.stores.redis import redis_schema
from advisor.stores.search import search_schema
from advisor.stores.timeseries import influxdb_schema, timescaledb_schema

# The generator of each technology; a technology not listed (relational ones, CouchDB, Solr,
# Timestream) gets no schema here.
GENERATORS: dict[str, str] = {
    "mongodb": "mongodb",
    "documentdb": "mongodb",
    "redis": "redis",
    "cassandra": "cassandra",
    "scylladb": "cassandra",
    "neo4j": "neo4j",
    "neptune": "neo4j",
    "elasticsearch": "elasticsearch",
    "opensearch": "elasticsearch",
    "timescaledb": "timescaledb",
    "influxdb": "influxdb",
    "clickhouse": "clickhouse",
    "dynamodb": "dynamodb",
}


def store_schema(
    requirements: Requirements,
    technology: str,
    *,
    patterns: tuple[str, ...] | None = None,
    role: str = "primary",
    sync: str = "cache_aside",
    key_strategy: str = "bigint_identity",
    search_served: frozenset[str] = frozenset(),
) -> StoreSchema | None:
    """One store's schema for `technology` (a matrix id), or None when no generator writes it.

    `patterns` limits the store to those access patterns and their entities (a component);
    None means every entity and pattern (a primary store).
    """
    generator = GENERATORS.get(technology)
    builders: dict[str, Callable[[], StoreSchema]] = {
        "mongodb": lambda: mongodb_schema(
            requirements,
            patterns=patterns,
            technology=technology,
            role=role,
            key_strategy=key_strategy,
            search_served=search_served,
        ),
        "redis": lambda: redis_schema(
            requirements, patterns=patterns, technology=technology, role=role, sync=sync
        ),
        "cassandra": lambda: cassandra_schema(
            requirements, patterns=patterns, technology=technology, role=role
        ),
        "neo4j": lambda: neo4j_schema(
            requirements, patterns=patterns, technology=technology, role=role
        ),
        "elasticsearch": lambda: search_schema(
            requirements,
            patterns=patterns,
            technology=technology,
            role=role,
            key_strategy=key_strategy,
        ),
        "timescaledb": lambda: timescaledb_schema(
            requirements,
            patterns=patterns,
            technology=technology,
            role=role,
            key_strategy=key_strategy,
        ),
        "influxdb": lambda: influxdb_schema(
            requirements, patterns=patterns, technology=technology, role=role
        ),
        "clickhouse": lambda: clickhouse_schema(
            requirements,
            patterns=patterns,
            technology=technology,
            role=role,
            key_strategy=key_strategy,
        ),
        "dynamodb": lambda: dynamodb_schema(
            requirements, patterns=patterns, technology=technology, role=role
        ),
    }
    return builders[generator]() if generator is not None else None


def store_schemas(
    requirements: Requirements, recommendation: Recommendation
) -> tuple[StoreSchema, ...]:
    """The schema of every non-relational store of `recommendation`: the primary store (when
    not relational) first, then each component, in the recommendation's order. Two schemas
    with the same file name are never returned: a later one is skipped (it cannot happen with
    the engine's components, which each have their own category)."""
    key_strategy = recommendation.keys.strategy
    search_served = frozenset(
        name
        for component in recommendation.components
        if component.role == "search_index"
        for name in component.patterns
    )
    found: list[StoreSchema] = []
    primary = store_schema(
        requirements,
        recommendation.primary.technology,
        key_strategy=key_strategy,
        search_served=search_served,
    )
    if primary is not None:
        found.append(primary)
    for component in recommendation.components:
        schema = store_schema(
            requirements,
            component.technology,
            patterns=component.patterns,
            role=component.role,
            sync=component.sync,
            key_strategy=key_strategy,
        )
        if schema is not None and all(s.filename != schema.filename for s in found):
            found.append(schema)
    return tuple(found)


__all__ = [
    "GENERATORS",
    "StoreSchema",
    "cassandra_schema",
    "clickhouse_schema",
    "dynamodb_schema",
    "influxdb_schema",
    "mongodb_schema",
    "neo4j_schema",
    "redis_schema",
    "search_schema",
    "store_schema",
    "store_schemas",
    "timescaledb_schema",
]

"""Which schema the primary store gets, decided once from the matrix for every output to read.

>>> from advisor.matrix import DEFAULT_MATRIX
>>> target = schema_target(DEFAULT_MATRIX.technologies["cockroachdb"])
>>> target.kind, target.dialect, target.family, target.path
('sql', 'cockroachdb', 'postgresql', 'schema/cockroachdb.sql')
>>> schema_target(DEFAULT_MATRIX.technologies["mongodb"]).label
'The MongoDB schema'
"""

from __future__ import annotations

from advisor.matrix import Technology
from advisor.recommendation import SchemaTarget
from advisor.schema.dialects import dialect, primary_dialect

# The store generator (`advisor.stores.GENERATORS`) of each technology; a technology not
# listed (relational ones, CouchDB, Solr, Timestream) gets no store schema.
TECHNOLOGIES: dict[str, str] = {
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


def schema_target(technology: Technology) -> SchemaTarget:
    """The schema of a primary store: its own store schema when a store generator writes one,
    else the DDL of the SQL dialect it runs (an engine's own, such as CockroachDB's), else none.
    `label` names the DDL it runs (TimescaleDB: "PostgreSQL-compatible DDL for TimescaleDB"),
    or its store schema when it runs none.
    """
    name = technology.name
    spoken = primary_dialect(technology.id)
    store = TECHNOLOGIES.get(technology.id)
    if spoken is None:
        label = f"The {name} schema" if store else f"No schema from the advisor for {name}"
        return SchemaTarget("store" if store else "none", technology.id, label, store=store)
    runs = dialect(spoken)
    label = (
        f"The DDL of {name}"
        if name in runs.title or runs.name != runs.family
        else f"{runs.title}-compatible DDL for {name}"
    )
    kind = "store" if store else "sql"
    return SchemaTarget(kind, technology.id, label, runs.name, runs.family, store)

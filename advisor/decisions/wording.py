"""The words of the decision records: names of roles, sync methods, capabilities and
properties, and the options each kind of record weighs. Data, so that a record's wording changes
in one place."""

from __future__ import annotations

ENGINE_DOCS = "How the engine decides: docs/decisions.md in the advisor's repository."
ROLE_NAMES = {
    "cache": "cache",
    "search_index": "search index",
    "graph_store": "graph store",
    "time_series_store": "time-series store",
    "analytics": "analytics store",
    "counter_store": "counter store",
}
SYNC_NAMES = {
    "cache_aside": "cache-aside",
    "transactional_outbox": "a transactional outbox",
    "change_data_capture": "change data capture",
    "dual_write": "dual writes",
    "write_through": "write-through",
    "periodic_flush": "a periodic flush",
}
CAPABILITY_NAMES = {
    "point_lookup": "lookups by key",
    "range_scan": "range scans",
    "secondary_indexes": "secondary indexes",
    "joins": "joins",
    "aggregation": "aggregation",
    "full_text": "full-text search",
    "traversal": "graph traversal",
    "time_buckets": "time bucketing",
    "append": "high-rate appends",
    "schema_flexibility": "schema flexibility",
    "low_latency": "in-memory latency",
    "expiry": "expiry",
    "large_volume": "large volumes",
    "durability": "durability",
    "increments": "atomic increments",
    "large_scans": "columnar scans of billions of rows",
    "geo": "spatial search",
    "vector": "vector similarity search",
}
LEVELS = ("no", "only limited", "good", "native")
GRANTS_QUERY = (
    "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants "
    "ORDER BY 1, 2;"
)
FOREIGN_KEYS_QUERY = (
    "SELECT conrelid::regclass, confrelid::regclass FROM pg_constraint WHERE contype = 'f';"
)
CLIENTS_QUERY = "SELECT usename, application_name, count(*) FROM pg_stat_activity GROUP BY 1, 2;"
ENUM_STYLES = {
    "create_type": "a named enum type",
    "inline": "an ENUM column",
    "check": "a CHECK constraint",
}
RANKS = {
    "consistency": ("eventual", "tunable", "strong"),
    "transactions": ("none", "single_entity", "multi_entity"),
    "scaling": ("embedded", "single_primary", "sharded", "distributed"),
    "multi_region": ("none", "conflict_resolution", "consensus"),
    "operations": ("high", "medium", "low"),
    "cost": ("high", "medium", "low"),
}
PROPERTY_CLAUSES = {
    "consistency": {
        "strong": "reads are strongly consistent by default",
        "tunable": "reads are strongly consistent only at a chosen consistency level",
        "eventual": "reads are only eventually consistent",
    },
    "transactions": {
        "multi_entity": "it has ACID transactions across items",
        "single_entity": "its transactions cover one item only",
        "none": "it has no transactions",
    },
    "scaling": {
        "embedded": "it runs inside one process with a single writer",
        "single_primary": "one primary takes every write",
        "sharded": "it shards data and writes across nodes",
        "distributed": "it spreads data and writes across nodes by itself",
    },
    "multi_region": {
        "none": "it takes writes in one region only",
        "conflict_resolution": "it takes writes in several regions, resolving conflicts",
        "consensus": "it takes writes in several regions, agreeing on every commit",
    },
    "operations": {
        "low": "its operational weight is low",
        "medium": "its operational weight is medium",
        "high": "its operational weight is high",
    },
    "cost": {
        "low": "its cost is low",
        "medium": "its cost is medium",
        "high": "its cost is high",
    },
}
PATTERN_TITLES = {
    "single_database": "Keep all the data in one database",
    "database_per_service": "Give each service its own database",
    "cqrs": "Separate read models from the write model (CQRS)",
    "event_sourcing": "Record changes as an append-only log of events (event sourcing)",
}
PATTERN_OPTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    # name, summary, good, bad
    "single_database": (
        "Single database",
        "Every entity in one database.",
        ("joins and transactions reach every entity", "there is one database to run"),
        ("services couple through the shared schema and deploy together",),
    ),
    "database_per_service": (
        "Database per service",
        "Each bounded context owns its tables; others reach them through its API or events.",
        ("services deploy, scale and change their schema apart",),
        (
            "queries across contexts become API calls or copies kept by events",
            "transactions across contexts become sagas with compensating steps",
        ),
    ),
    "cqrs": (
        "CQRS",
        "Writes go to one model; reads are served by read models fed from it.",
        ("each read model is shaped and scaled for its queries",),
        ("read models lag behind the writes", "there are more stores and pipelines to run"),
    ),
    "event_sourcing": (
        "Event sourcing",
        "The events are the record; current state is derived from them.",
        ("the events are a complete audit trail, and state can be rebuilt as of any moment",),
        (
            "queries need projections, and event schemas must stay readable forever",
            "snapshots are needed once streams grow long",
        ),
    ),
}
KEY_OPTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "bigint_identity": (
        "bigint identity",
        "A 64-bit integer the database numbers itself.",
        (
            "keys are 8 bytes, ordered, and make the smallest indexes and foreign keys",
            "nothing outside the database has to make ids",
        ),
        (
            "ids are guessable and reveal how many rows there are",
            "one sequence hands out every id, which does not work across regions or shards",
        ),
    ),
    "uuid_v7": (
        "UUIDv7 made by the application",
        "A 128-bit UUID with a millisecond time prefix (RFC 9562).",
        (
            "ids can be made anywhere (regions, shards, clients) without coordination",
            "the time prefix keeps inserts at the end of the index, like a sequence",
        ),
        (
            "keys take 16 bytes, twice a bigint, in every index and foreign key",
            "the creation time can be read from the id",
        ),
    ),
    "uuid_v4": (
        "Random UUIDv4",
        "A 128-bit random UUID.",
        ("ids can be made anywhere without coordination",),
        ("random inserts spread over the whole index: page splits, a larger working set",),
    ),
    "natural": (
        "Natural keys",
        "A business attribute (an e-mail address, a SKU) as the key.",
        ("no extra column",),
        ("natural values change, and every referencing row must change with them",),
    ),
}


# The capabilities a store in each role is added for.
ROLE_CAPABILITIES = {
    "cache": ("low_latency", "point_lookup"),
    "search_index": ("full_text",),
    "graph_store": ("traversal",),
    "time_series_store": ("time_buckets",),
    "analytics": ("aggregation",),
    "counter_store": ("increments", "low_latency"),
}
TRANSACTION_CLAUSES = {
    "multi_entity": "transactions across several entities",
    "single_entity": "transactions within one entity",
    "none": "no transactions",
}
DIALECT_LABELS = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
}
KEY_TITLES = {
    "bigint_identity": "Use bigint identity primary keys",
    "uuid_v7": "Use UUIDv7 primary keys made by the application",
}

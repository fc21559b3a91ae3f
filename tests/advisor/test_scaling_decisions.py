"""Scaling decisions an expert would sign: replication factor, shard keys, services' databases,
round trips per region pair, and partitions sized by rows per day."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlglot

from advisor.ddl import render_ddl
from advisor.design import create_design
from advisor.engine import advise, start
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, read_requirements
from advisor.rules.scaling import partitioning, read_replicas, regions
from advisor.schema import Schema, build_schema, schema_for

DAY = date(2025, 1, 1)

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


# Beyond one node: 40,000 writes/s and 5 TB, so the rule names a shard key per entity.
SHARDED = """
format: advisor/v1
project: Sharded
workload: {reads_per_second: 20000, writes_per_second: 40000, data_volume_gb: 5000,
           transactions: multi_entity}
entities:
  - name: user
    attributes:
      - {name: email, type: string, format: email, required: true, unique: true}
      - {name: handle, type: string, required: true, unique: true}
  - name: product
    attributes:
      - {name: category, type: enum, values: [books, games, music], required: true}
      - {name: brand, type: string}
  - name: account
    attributes:
      - {name: number, type: string, required: true, unique: true}
  - name: journal_entry
    attributes:
      - {name: idempotency_key, type: uuid, required: true, unique: true}
      - {name: amount, type: decimal, precision: 12, scale: 2, required: true}
relationships:
  - {from: journal_entry, to: account, cardinality: many-to-one, required: true}
access_patterns:
  - {name: sign in, entity: user, operation: read, kind: lookup, filter: [email],
     per_second: 5000}
  - {name: profile, entity: user, operation: read, kind: lookup, filter: [handle],
     per_second: 4000}
  - {name: products in a category, entity: product, operation: read, kind: lookup,
     filter: [category], per_second: 3000}
  - {name: products of a brand, entity: product, operation: read, kind: lookup,
     filter: [brand], per_second: 2000}
  - {name: post an entry, entity: journal_entry, operation: write, kind: lookup,
     filter: [idempotency_key], per_second: 30000}
  - {name: entries of an account, entity: journal_entry, operation: read, kind: lookup,
     filter: [account], per_second: 1000}
  - {name: account by number, entity: account, operation: read, kind: lookup,
     filter: [number], per_second: 1000}
"""


def _shard_keys() -> dict[str, str]:
    sharding = advise(read_requirements(SHARDED), project_load=False).scaling.sharding
    assert sharding.needed
    return {key.entity: key.key for key in sharding.keys}


def test_a_shard_key_is_never_an_email_or_a_handle() -> None:
    assert _shard_keys()["user"] == "id"


def test_a_shard_key_is_never_a_category_or_a_nullable_brand() -> None:
    assert _shard_keys()["product"] == "id"


def test_children_are_sharded_with_their_parent() -> None:
    assert _shard_keys()["journal_entry"] == "account"


def test_a_filter_with_few_values_warns_of_a_hot_key() -> None:
    sharding = advise(read_requirements(SHARDED), project_load=False).scaling.sharding
    [warning] = sharding.hot_keys
    assert "'products in a category'" in warning and "3 distinct values" in warning
    assert "33%" in warning


# 200,000 appends/s: 17.3 billion rows a day, kept 30 days.
TELEMETRY = """
format: advisor/v1
project: Telemetry
workload: {{reads_per_second: 50, writes_per_second: {rate}, data_volume_gb: 20000,
           retention_days: {retention}}}
entities:
  - name: reading
    attributes:
      - {{name: value, type: float, required: true}}
      - {{name: measured_at, type: datetime, required: true}}
access_patterns:
  - {{name: record, entity: reading, operation: write, kind: append, per_second: {rate}}}
  - {{name: window, entity: reading, operation: read, kind: time_window,
     filter: [measured_at], per_second: 50}}
"""


def _telemetry(rate: int, retention: int = 30) -> Requirements:
    return read_requirements(TELEMETRY.format(rate=rate, retention=retention))


def _interval(requirements: Requirements) -> str:
    [decision] = partitioning(_on(requirements, "postgresql")).partitioning
    return decision.interval


def test_seventeen_billion_rows_a_day_get_hourly_partitions() -> None:
    assert _interval(_telemetry(200_000)) == "hour"


def test_the_interval_follows_the_rows_per_day() -> None:
    # Against 50 million rows a partition: 864,000, 4.3 million, 26 million, 173 million a day.
    assert _interval(_telemetry(10, retention=365)) == "month"
    assert _interval(_telemetry(50, retention=365)) == "week"
    assert _interval(_telemetry(300, retention=365)) == "day"
    assert _interval(_telemetry(2_000, retention=365)) == "hour"
    assert _interval(_telemetry(10, retention=30)) == "day"  # short retention: prompt expiry


def _partitioned_schema(requirements: Requirements) -> Schema:
    decisions = partitioning(_on(requirements, "postgresql")).partitioning
    return build_schema(requirements, "postgresql", partitioning=decisions, partitions_from=DAY)


def test_partitions_are_made_ahead_by_pg_partman_with_no_default_partition() -> None:
    schema = _partitioned_schema(_telemetry(200_000))
    [table] = [t for t in schema.tables if t.partitioning is not None]
    assert table.partitioning is not None
    partitions = table.partitioning.partitions
    assert len(partitions) == 24 and all(p.start is not None for p in partitions)
    first = (partitions[0].start, partitions[0].end)
    assert first == ("2025-01-01 00:00:00", "2025-01-01 01:00:00")
    ddl = render_ddl(schema)
    assert not [line for line in ddl.splitlines() if "PARTITION OF" in line and "DEFAULT" in line]
    assert "partman.create_parent(" in ddl and "p_premake => 24" in ddl
    assert "p_default_table => false" in ddl


def test_a_query_filtered_by_the_partition_column_reads_one_partition(postgres: Any) -> None:
    schema = _partitioned_schema(_telemetry(200_000))
    for statement in sqlglot.parse(render_ddl(schema), read="postgres"):
        if statement is not None:
            postgres.execute(statement.sql(dialect="postgres"))
    postgres.execute(
        "INSERT INTO reading (value, measured_at) SELECT 1.0, "
        "timestamp '2025-01-01' + n * interval '1 minute' FROM generate_series(0, 1439) AS n"
    )
    plan = "\n".join(
        row[0]
        for row in postgres.execute(
            "EXPLAIN SELECT count(*) FROM reading WHERE measured_at >= '2025-01-01 05:00' "
            "AND measured_at < '2025-01-01 06:00'"
        )
    )
    scanned = set(re.findall(r"reading_p\d{4}_\d\d_\d\d_\d\d\b", plan))
    assert scanned == {"reading_p2025_01_01_05"}, plan


GLOBAL = """
format: advisor/v1
project: Global
workload: {{regions: 2, consistency: strong, latency_p99_ms: 150, region_names: [{names}],
           transactions: multi_entity}}
entities:
  - {{name: account, attributes: [{{name: balance, type: decimal, precision: 12, scale: 2}}]}}
access_patterns:
  - {{name: pay, entity: account, operation: update, kind: lookup, filter: [id]}}
"""


def _global(names: str) -> Requirements:
    return read_requirements(GLOBAL.format(names=names))


def test_an_eu_apac_pair_pays_the_intercontinental_round_trip() -> None:
    sentence = regions(_on(_global("eu-west-1, ap-southeast-1"), "cockroachdb")).regions.reason
    assert "200 ms, between europe and asia_pacific" in sentence
    assert "more than the 150 ms p99 target" in sentence


def test_regions_on_one_continent_pay_that_continents_round_trip() -> None:
    sentence = regions(_on(_global("us-east-1, us-west-2"), "cockroachdb")).regions.reason
    assert "60 ms, within one continent" in sentence
    assert "p99 target" not in sentence


def test_the_eventual_consistency_warning_uses_the_pair_round_trip() -> None:
    requirements = read_requirements(
        GLOBAL.format(names="europe, asia_pacific").replace("strong", "eventual")
    )
    trace = advise(requirements, project_load=False).trace
    [reason] = [r for r in trace if r.rule == "multi_region_writes"]
    assert "about 200 ms between europe and asia_pacific" in reason.sentence
    assert "workload.region_names" in reason.inputs


def test_a_date_column_is_partitioned_by_day_when_hours_are_wanted() -> None:
    requirements = read_requirements(
        TELEMETRY.format(rate=200_000, retention=30).replace(
            "{name: measured_at, type: datetime", "{name: measured_at, type: date"
        )
    )
    [outcome] = _partitioned_schema(requirements).partitions
    assert (outcome.applied, outcome.interval) == (True, "day")


def test_a_distributed_primary_has_a_replication_factor_not_read_replicas() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "requirements"
    design = create_design(read_requirements((path / "chat-messages-global.yaml").read_text()))
    assert design.recommendation.primary.technology in ("cassandra", "scylladb")
    replicas = design.recommendation.scaling.read_replicas
    assert replicas.count == 0 and replicas.replication_factor in (3, 5)
    record = next(d for d in design.decisions if d.key == "scaling")
    assert record.title.startswith(f"Scale with replication factor {replicas.replication_factor}")
    assert "read replica" not in record.title


def test_a_schema_per_context_runs_on_postgresql_with_keys_across_schemas() -> None:
    """The decision 'one database, a schema per context' is carried out by the DDL: each
    context's tables in its named schema, foreign keys across them, on a real PostgreSQL."""
    import uuid

    import psycopg

    from advisor.ddl import render_ddl
    from tests.advisor.conftest import POSTGRES_URL
    from tests.conftest import require_server

    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    requirements = _shop("multi_entity")
    recommendation = advise(requirements, project_load=False)
    schema = schema_for(requirements, recommendation, "postgresql")
    assert recommendation.pattern.schema_per_context
    contexts = {e.context for e in requirements.entities if e.context}
    assert set(schema.namespaces) == contexts and len(contexts) > 1
    name = f"advisor_ns_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(render_ddl(schema))
            placed = dict(
                connection.execute(
                    "SELECT table_name, table_schema FROM information_schema.tables "
                    "WHERE table_schema <> ALL (ARRAY['pg_catalog', 'information_schema'])"
                ).fetchall()
            )
            assert placed == {t.name: t.namespace for t in schema.tables}
            across = connection.execute(
                "SELECT count(*) FROM pg_constraint c JOIN pg_class s ON s.oid = c.conrelid "
                "JOIN pg_class t ON t.oid = c.confrelid "
                "WHERE c.contype = 'f' AND s.relnamespace <> t.relnamespace"
            ).fetchone()
            assert across is not None and across[0] >= 1
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_dialects_without_named_schemas_say_the_contexts_share_one() -> None:
    requirements = _shop("multi_entity")
    recommendation = advise(requirements, project_load=False)
    for name in ("mysql", "sqlite", "oracle"):
        schema = schema_for(requirements, recommendation, name)
        assert schema.namespaces == ()
        assert any("no named schemas" in note for note in schema.notes)


TURBINES = """
format: advisor/v1
project: Turbines
workload: {reads_per_second: 50, writes_per_second: 40000, data_volume_gb: 8000,
           growth_gb_per_month: 150, consistency: eventual, transactions: none}
entities:
  - name: reading
    attributes:
      - {name: turbine_id, type: string, length: 20, required: true}
      - {name: metric, type: string, length: 40, required: true}
      - {name: value, type: float, required: true}
      - {name: measured_at, type: datetime, required: true}
access_patterns:
  - {name: ingest, entity: reading, operation: write, kind: append, per_second: 40000}
  - {name: hourly averages of a turbine, entity: reading, operation: time_window,
     filter: [turbine_id, measured_at], per_second: 50}
""".replace("operation: time_window", "operation: read, kind: time_window")


def test_time_series_compression_keeps_13_tb_of_telemetry_on_one_node() -> None:
    """Issue 10: "time-series stores lose ... because the volume rule ignores time-series
    compression". 13.4 TB raw is 1.3 TB in a store that compresses it tenfold."""
    recommendation = advise(read_requirements(TURBINES), project_load=False)
    assert recommendation.primary.category == "time_series"
    assert not recommendation.scaling.sharding.needed
    assert "as TimescaleDB stores it" in recommendation.scaling.sharding.reason or (
        recommendation.primary.technology != "timescaledb"
    )
    [volume] = [r for r in recommendation.trace if r.rule == "data_volume"]
    assert "compresses it below that" in volume.sentence


def test_compression_applies_to_timescaledb_only_for_appended_data() -> None:
    from advisor.facts import build_facts
    from advisor.matrix import DEFAULT_MATRIX

    timescale = DEFAULT_MATRIX.technologies["timescaledb"]
    telemetry = build_facts(read_requirements(TURBINES), DEFAULT_MATRIX)
    assert telemetry.stored_volume_gb(timescale) == pytest.approx(
        telemetry.projected_volume_gb / timescale.compression
    )
    shop = build_facts(_shop("multi_entity"), DEFAULT_MATRIX)
    assert shop.stored_volume_gb(timescale) == pytest.approx(shop.projected_volume_gb)

"""ClickHouse: MergeTree tables sorted for their patterns, monthly partitions, TTL, and
materialized views for aggregations; every statement parses with sqlglot's ClickHouse dialect."""

from __future__ import annotations

from pathlib import Path

import sqlglot

from advisor.engine import advise
from advisor.requirements import read_requirements
from advisor.stores import clickhouse_schema, store_schemas
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_clickhouse

ROOT = Path(__file__).resolve().parents[2]
ANALYTICS = ROOT / "tests" / "fixtures" / "requirements" / "real-time-analytics.yaml"
HOSTILE = ROOT / "tests" / "fixtures" / "stores" / "hostile.yaml"


def _clicks() -> str:
    requirements = read_requirements(ANALYTICS.read_text(encoding="utf-8"))
    return clickhouse_schema(request(requirements, "clickhouse")).text


def test_the_engine_choice_of_clickhouse_gets_a_schema_file() -> None:
    requirements = read_requirements(ANALYTICS.read_text(encoding="utf-8"))
    schemas = store_schemas(requirements, advise(requirements))
    assert [s.filename for s in schemas] == ["clickhouse.sql"]


def test_the_sorting_key_puts_few_valued_equality_columns_before_the_time_column() -> None:
    table = check_clickhouse(_clicks())[0]
    sql = table.sql("clickhouse")
    assert "ORDER BY (country, device, at)" in sql
    assert "PARTITION BY toYYYYMM(at)" in sql
    assert "TTL toDateTime(at) + INTERVAL '400' DAY" in sql
    assert "INDEX ix_page page TYPE bloom_filter" in sql


def test_types_use_low_cardinality_and_nullable_only_where_optional() -> None:
    text = _clicks()
    assert "    country LowCardinality(String),\n" in text  # optional, but in the key
    assert "    page String,\n" in text  # long strings repeat too little
    assert "    at DateTime64(3, 'UTC'),\n" in text
    hostile = clickhouse_schema(
        request(read_requirements(HOSTILE.read_text(encoding="utf-8")), "clickhouse")
    ).text
    assert "`e-mail address` Nullable(String)" in hostile
    assert '`It\'s "quoted"` LowCardinality(Nullable(String))' in hostile
    assert "    `select` String,\n" in hostile  # required


def test_aggregate_patterns_read_materialized_views() -> None:
    statements = check_clickhouse(_clicks())
    views = [s for s in statements if s.args.get("kind") == "VIEW"]
    assert len(views) == 3
    text = _clicks()
    assert "ENGINE = SummingMergeTree" in text
    assert "SELECT toStartOfMinute(at) AS bucket, page, count() AS samples" in text


def test_measures_get_an_aggregating_merge_tree() -> None:
    requirements = read_requirements("""
format: advisor/v1
project: IoT
entities:
  - {name: reading, attributes: [{name: at, type: datetime, required: true},
                                 {name: celsius, type: float}]}
access_patterns:
  - {name: daily means, entity: reading, operation: read, kind: time_window, filter: [at]}
""")
    text = clickhouse_schema(request(requirements, "clickhouse")).text
    check_clickhouse(text)
    assert "ENGINE = AggregatingMergeTree" in text
    assert "celsius_avg AggregateFunction(avg, Nullable(Float64))" in text
    assert "toStartOfDay(at) AS bucket" in text
    assert "TTL" not in text  # no retention


def test_hostile_names_come_back_from_the_parser_unchanged() -> None:
    requirements = read_requirements(HOSTILE.read_text(encoding="utf-8"))
    statements = check_clickhouse(clickhouse_schema(request(requirements, "clickhouse")).text)
    tables = {s.this.this.name: s for s in statements if s.args.get("kind") == "TABLE"}
    for entity in requirements.entities:
        assert entity.name in tables, entity.name
        columns = {c.name for c in tables[entity.name].find_all(sqlglot.exp.ColumnDef)}
        assert {a.name for a in entity.attributes} <= columns

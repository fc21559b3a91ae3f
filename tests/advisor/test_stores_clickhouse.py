"""ClickHouse: MergeTree tables sorted for their patterns, monthly partitions, TTL, and
materialized views for aggregations; every statement parses with sqlglot's ClickHouse dialect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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
    assert "celsius_sum SimpleAggregateFunction(sum, Nullable(Float64))" in text
    assert "count(celsius) AS celsius_count" in text
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


METRICS = """
format: advisor/v1
project: Metrics
workload: {writes_per_second: 20000, reads_per_second: 50}
entities:
  - name: sample
    attributes:
      - {name: host, type: string, required: true}
      - {name: metric, type: string, required: true}
      - {name: value, type: float, required: true}
      - {name: latency_ms, type: integer}
      - {name: latitude, type: float}
      - {name: longitude, type: float}
      - {name: region_id, type: bigint}
      - {name: at, type: datetime, required: true}
access_patterns:
  - {name: ingest, entity: sample, operation: write, kind: append, per_second: 20000}
  - {name: a host's metric over an hour, entity: sample, operation: read, kind: time_window,
     filter: [host, metric, at], per_second: 40}
  - {name: p99 latency per minute, entity: sample, operation: read, kind: time_window,
     filter: [at], per_second: 10}
"""


def _metrics() -> str:
    return clickhouse_schema(request(read_requirements(METRICS), "clickhouse")).text


def test_columns_the_hottest_pattern_compares_lead_the_sorting_key_before_time() -> None:
    text = _metrics()
    check_clickhouse(text)
    assert "ORDER BY (host, metric, at)" in text
    assert "INDEX ix_host" not in text


def test_rollups_are_correct_for_the_measure() -> None:
    text = _metrics()
    view = text[text.index("CREATE TABLE IF NOT EXISTS sample_per_minute") :]
    assert "AggregateFunction(avg" not in text and "avgState" not in text
    assert "value_sum SimpleAggregateFunction(sum, Float64)" in view
    assert "count(value) AS value_count" in view
    assert "quantilesState(0.5, 0.9, 0.99)(latency_ms) AS latency_ms_quantiles" in view
    assert "latency_ms_quantiles AggregateFunction(quantiles(0.5, 0.9, 0.99)," in view
    for never in ("latitude", "longitude", "region_id"):
        assert f"{never}_sum" not in view and f"({never})" not in view, never


def test_the_ddl_runs_in_clickhouse_and_a_host_metric_query_reads_few_granules() -> None:
    chdb_session = pytest.importorskip("chdb.session")
    session = chdb_session.Session()
    try:
        session.query("CREATE DATABASE metrics ENGINE = Atomic; USE metrics")
        for statement in _metrics().split(";\n"):
            if statement.strip() and not all(
                line.startswith("--") for line in statement.strip().splitlines()
            ):
                session.query(statement)
        session.query(
            "INSERT INTO sample (host, metric, value, latency_ms, at, id, created_at, updated_at) "
            "SELECT concat('host-', toString(number % 500)), "
            "concat('metric-', toString(intDiv(number, 500) % 20)), number % 97, number % 300, "
            "toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalSecond(intDiv(number, 10)), "
            "number, now(), now() FROM numbers(2000000)"
        )
        plan = str(
            session.query(
                "EXPLAIN indexes = 1 SELECT avg(value) FROM sample "
                "WHERE host = 'host-7' AND metric = 'metric-3' "
                "AND at >= '2026-01-01 01:00:00' AND at < '2026-01-01 02:00:00'",
                "TSVRaw",
            )
        )
        total = int(str(session.query("SELECT count() FROM sample", "TSVRaw")).strip())
        assert total == 2000000
        granules = [(int(a), int(b)) for a, b in re.findall(r"Granules: (\d+)/(\d+)", plan)]
        assert granules[0][1] > 200, plan  # the table spans many granules
        assert granules[-1][0] <= 4, plan  # the sorting key reads those of one host and metric
        rollup = str(
            session.query(
                "SELECT sum(samples), round(sum(value_sum) / sum(value_count), 3), "
                "quantilesMerge(0.5, 0.9, 0.99)(latency_ms_quantiles)[3] FROM sample_per_minute",
                "TSVRaw",
            )
        ).split()
        exact = str(
            session.query(
                "SELECT count(), round(avg(value), 3), quantile(0.99)(latency_ms) FROM sample",
                "TSVRaw",
            )
        ).split()
        assert rollup[:2] == exact[:2]
        assert abs(float(rollup[2]) - float(exact[2])) <= 10
    finally:
        session.close()


LEDGER = """
format: advisor/v1
project: Ledger
entities:
  - name: entry
    append_only: true
    attributes:
      - {name: account, type: string, length: 34, required: true}
      - {name: amount, type: decimal, precision: 12, scale: 2, required: true}
      - {name: side, type: enum, values: [debit, credit], required: true}
      - {name: balance_after, type: decimal, precision: 14, scale: 2}
      - {name: latitude, type: float}
      - {name: booked_at, type: datetime, required: true}
access_patterns:
  - {name: post, entity: entry, operation: write, kind: append, per_second: 500}
  - {name: daily balance per account, entity: entry, operation: read, kind: time_window,
     filter: [account, booked_at]}
"""


def _ledger(document: str = LEDGER) -> str:
    return clickhouse_schema(request(read_requirements(document), "clickhouse")).text


def _run(session: object, text: str) -> None:
    for statement in text.split(";\n"):
        lines = statement.strip().splitlines()
        if lines and not all(line.startswith("--") for line in lines):
            session.query(statement)  # type: ignore[attr-defined]


def test_a_ledger_amount_rolls_up_per_side_and_as_a_signed_net_never_a_plain_sum() -> None:
    text = _ledger()
    check_clickhouse(text)
    view = text[text.index("CREATE TABLE IF NOT EXISTS entry_per_day") :]
    assert "sum(amount)" not in view and "amount_sum" not in view and "avg" not in view
    assert "sumIf(amount, side = 'credit') AS amount_credit_sum" in view
    assert "sumIf(amount, side = 'debit') AS amount_debit_sum" in view
    assert "sumIf(amount, side = 'credit') - sumIf(amount, side = 'debit') AS amount_net" in view
    # a running balance is a gauge and a latitude a position: their latest value, by time
    assert "argMaxState(balance_after, booked_at) AS balance_after_last" in view
    assert "argMaxState(latitude, booked_at) AS latitude_last" in view
    assert "latitude_sum" not in view and "min(latitude)" not in view


def test_a_ledger_rollup_in_clickhouse_gives_credits_minus_debits() -> None:
    chdb_session = pytest.importorskip("chdb.session")
    session = chdb_session.Session()
    try:
        session.query("CREATE DATABASE ledger ENGINE = Atomic; USE ledger")
        _run(session, _ledger())
        for batch in range(3):  # three inserts, so the target table merges partial states
            session.query(
                "INSERT INTO entry (account, amount, side, balance_after, latitude, booked_at, "
                "id, created_at) SELECT concat('acct-', toString(number % 7)), "
                "toDecimal64((number % 1000) / 100 + 0.01, 2), "
                "if(number % 3 = 0, 'debit', 'credit'), toDecimal64(number, 2), "
                "48 + (number % 50) / 10, toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + "
                f"toIntervalSecond(number * 7 + {batch}), number, now() FROM numbers(30000)"
            )
        per_account = (
            "SELECT account, toString(sum(amount_net)), "
            "toString(sum(amount_credit_sum) - sum(amount_debit_sum)), "
            "sum(amount_credit_count) + sum(amount_debit_count) "
            "FROM entry_per_day_by_account GROUP BY account ORDER BY account"
        )
        exact = (
            "SELECT account, toString(sumIf(amount, side = 'credit') - sumIf(amount, "
            "side = 'debit')), toString(sumIf(amount, side = 'credit') - sumIf(amount, "
            "side = 'debit')), count() FROM entry GROUP BY account ORDER BY account"
        )
        rolled = str(session.query(per_account, "TSVRaw")).strip()
        assert rolled == str(session.query(exact, "TSVRaw")).strip()
        plain = str(session.query("SELECT toString(sum(amount)) FROM entry", "TSVRaw")).strip()
        net = str(
            session.query(
                "SELECT toString(sum(amount_net)) FROM entry_per_day_by_account", "TSVRaw"
            )
        ).strip()
        assert net != plain  # the debits were taken away, not added
        last = str(
            session.query(
                "SELECT argMaxMerge(latitude_last) FROM entry_per_day_by_account "
                "WHERE account = 'acct-1'",
                "TSVRaw",
            )
        ).strip()
        newest = str(
            session.query(
                "SELECT argMax(latitude, booked_at) FROM entry WHERE account = 'acct-1'",
                "TSVRaw",
            )
        ).strip()
        assert last == newest
    finally:
        session.close()


def test_signed_by_names_the_direction_when_the_values_alone_would_not() -> None:
    document = LEDGER.replace(
        "{name: side, type: enum, values: [debit, credit], required: true}",
        "{name: side, type: enum, values: [sale, refund, chargeback], required: true}",
    )
    assert "amount_sale_sum" not in _ledger(document)  # three values: no direction inferred
    declared = document.replace(
        "scale: 2, required: true}", "scale: 2, required: true, signed_by: side}"
    )
    view = _ledger(declared)
    assert (
        "sumIf(amount, side = 'sale') - sumIf(amount, side = 'refund') - sumIf(amount, "
        "side = 'chargeback') AS amount_net"
    ) in view
    assert "sum(amount)" not in view


def test_unique_sessions_per_day_keep_a_distinct_count_state_not_a_row_count() -> None:
    chdb_session = pytest.importorskip("chdb.session")
    text = _clicks()
    assert "uniqState(session_ref) AS session_ref_uniq" in text
    session = chdb_session.Session()
    try:
        session.query("CREATE DATABASE clicks ENGINE = Atomic; USE clicks")
        _run(session, text)
        for batch in range(2):  # each session clicks in both inserts: counts would double
            session.query(
                "INSERT INTO click (session_ref, page, country, device, at, id, created_at) "
                "SELECT concat('s-', toString(number % 3000)), '/', 'FR', 'phone', "
                "toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + "
                f"toIntervalSecond(number + {batch}), number, now() FROM numbers(9000)"
            )
        rolled = session.query("SELECT uniqMerge(session_ref_uniq) FROM click_per_day", "TSVRaw")
        assert str(rolled).strip() == "3000"
    finally:
        session.close()

"""Time series: TimescaleDB hypertables and continuous aggregates, InfluxDB tags and fields."""

from __future__ import annotations

from advisor.requirements import Requirements, read_requirements
from advisor.stores import influxdb_schema, timescaledb_schema
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_sql

SENSORS = """
entities:
  - {name: device, attributes: [{name: serial, type: string, unique: true},
                                {name: kind, type: enum, values: [a, b]}]}
  - name: reading
    attributes:
      - {name: measured_at, type: datetime, required: true}
      - {name: temperature, type: float}
      - {name: status, type: enum, values: [ok, fault]}
relationships:
  - {from: reading, to: device, cardinality: many-to-one, required: true}
access_patterns:
  - {name: ingest, entity: reading, operation: write, kind: append, per_second: 100}
  - {name: hourly averages of a device, entity: reading, operation: read, kind: time_window,
     filter: [device, measured_at]}
  - {name: daily fleet minimum, entity: reading, operation: read, kind: time_window,
     filter: [measured_at]}
"""


def _doc(body: str, workload: str = "workload: {retention_days: 90}") -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: Sensors\n{workload}\n{body}")


def test_the_stream_entity_is_a_hypertable_with_retention_and_compression() -> None:
    text = timescaledb_schema(request(_doc(SENSORS), "timescaledb")).text
    statements = check_sql(text)
    assert "CONSTRAINT pk_reading PRIMARY KEY (id, measured_at)" in text
    # 100 rows/s x 53 bytes x 2 (indexes) = 916 MB a day: a week would not fit in 4 GB
    assert any(
        s.endswith("SELECT create_hypertable('reading', by_range('measured_at', INTERVAL '1 day'))")
        for s in statements
    )
    assert "SELECT add_retention_policy('reading', drop_after => INTERVAL '90 days')" in statements
    assert (
        "ALTER TABLE reading SET (timescaledb.compress, timescaledb.compress_segmentby = "
        "'device_id', timescaledb.compress_orderby = 'measured_at DESC')"
    ) in statements
    assert "create_hypertable('device'" not in text


def test_each_time_window_pattern_gets_a_continuous_aggregate_of_its_bucket() -> None:
    schema = timescaledb_schema(request(_doc(SENSORS), "timescaledb"))
    assert "CREATE MATERIALIZED VIEW reading_per_hour_by_device_id" in schema.text
    assert "time_bucket(INTERVAL '1 hour', measured_at) AS bucket, device_id" in schema.text
    assert "CREATE MATERIALIZED VIEW reading_per_day WITH" in schema.text
    assert "sum(temperature) AS temperature_sum" in schema.text
    assert "count(temperature) AS temperature_count" in schema.text
    assert "avg(" not in schema.text
    effects = [d.effect for d in schema.decisions if d.rule == "timescaledb_continuous_aggregate"]
    assert effects == [
        "continuous aggregate reading_per_hour_by_device_id",
        "continuous aggregate reading_per_day",
    ]


def test_chunks_shrink_as_the_stream_grows() -> None:
    slow = SENSORS.replace("per_second: 100}", "per_second: 10}")
    assert (
        "by_range('measured_at', INTERVAL '7 days')"
        in timescaledb_schema(request(_doc(slow), "timescaledb")).text
    )
    fast = SENSORS.replace("per_second: 100}", "per_second: 5000}")
    assert (
        "by_range('measured_at', INTERVAL '1 hour')"
        in timescaledb_schema(request(_doc(fast), "timescaledb")).text
    )


def test_a_referenced_time_entity_stays_a_plain_table() -> None:
    referenced = SENSORS + "  - {name: x, entity: device, operation: read, kind: lookup}\n"
    referenced = referenced.replace(
        "relationships:\n",
        "relationships:\n  - {from: device, to: reading, cardinality: many-to-one, name: last}\n",
    )
    schema = timescaledb_schema(request(_doc(referenced), "timescaledb"))
    assert "SELECT create_hypertable" not in schema.text
    assert "timescaledb_not_hypertable" in {d.rule for d in schema.decisions}


def test_a_component_creates_the_enum_types_of_its_own_tables_only() -> None:
    """The readings' store holds the readings alone: the enum types of devices and orders
    stay out of it."""
    shop = SENSORS.replace(
        "relationships:",
        "  - {name: order, attributes: [{name: state, type: enum, values: [new, paid]}]}\n"
        "relationships:",
    )
    patterns = ["ingest", "hourly averages of a device", "daily fleet minimum"]
    text = timescaledb_schema(request(_doc(shop), "timescaledb", patterns=patterns)).text
    check_sql(text)
    assert "CREATE TYPE reading_status AS ENUM ('ok', 'fault')" in text
    assert "CREATE TABLE reading" in text and "CREATE TABLE device" not in text
    assert "device_kind" not in text and "order_state" not in text


def test_influxdb_tags_identify_series_and_fields_hold_measures() -> None:
    text = influxdb_schema(request(_doc(SENSORS), "influxdb")).text
    assert "| `device_id` | tag | identifies the device |" in text
    assert "| `status` | tag | low-cardinality, identifies the series |" in text
    assert "| `temperature` | field | float |" in text
    assert "reading,status=<status>,device_id=<device_id> temperature=<value> <timestamp>" in text
    assert "influx bucket create --name 'sensors' --retention 90d" in text
    assert "|> aggregateWindow(every: 1h, fn: sum, createEmpty: false)" in text
    assert "fn: mean" not in text


def test_hostile_names_are_escaped_in_sql_line_protocol_and_flux() -> None:
    hostile = _doc(
        'entities: [{name: "my reading", attributes: [{name: "at time", type: datetime,'
        ' required: true}, {name: "t,=x", type: float}, {name: "k\\"y", type: enum,'
        " values: [a]}]}]\n"
        'access_patterns: [{name: "hourly \\"x\\" ${y}", entity: "my reading",'
        ' operation: read, kind: time_window, filter: ["at time"]}]'
    )
    sql = timescaledb_schema(request(hostile, "timescaledb")).text
    check_sql(sql)
    assert "SELECT create_hypertable('\"my reading\"', by_range('at time'," in sql
    influx = influxdb_schema(request(hostile, "influxdb")).text
    assert 'my\\ reading,k"y=<k"y> t\\,\\=x=<value> <timestamp>' in influx


VEHICLES = """
entities:
  - name: position
    attributes:
      - {name: at, type: datetime, required: true}
      - {name: latitude, type: float}
      - {name: longitude, type: float}
      - {name: speed, type: float}
      - {name: response_ms, type: integer}
      - {name: trip_id, type: bigint}
access_patterns:
  - {name: ingest, entity: position, operation: write, kind: append, per_second: 100}
  - {name: hourly speed, entity: position, operation: read, kind: time_window, filter: [at]}
  - {name: hourly p99 response, entity: position, operation: read, kind: time_window,
     filter: [at]}
  - {name: hourly speed by trip, entity: position, operation: read, kind: time_window,
     filter: [trip_id, at]}
"""


def test_downsampling_tasks_have_distinct_names_one_per_bucket() -> None:
    text = influxdb_schema(request(_doc(VEHICLES), "influxdb")).text
    names = [line for line in text.splitlines() if line.startswith("option task = {name:")]
    assert names == ['option task = {name: "downsample position 1h", every: 1h}']
    assert "for `hourly speed`, `hourly p99 response`, `hourly speed by trip`" in text


def test_downsampled_rollups_are_correct_for_the_measure() -> None:
    influx = influxdb_schema(request(_doc(VEHICLES), "influxdb")).text
    assert 'r._field == "speed"' in influx and 'r._field + "_count"' in influx
    assert "quantile(q: 0.99, column: column)" in influx
    assert 'r._field == "response_ms"' in influx
    assert 'r._field == "trip_id"' not in influx
    # a position is read as its latest value, never summed or averaged
    lasts = influx[influx.index("lasts = data") :].split("\n\n")[0]
    assert 'r._field == "latitude" or r._field == "longitude"' in lasts
    assert influx.count('r._field == "latitude"') == 1
    sql = timescaledb_schema(request(_doc(VEHICLES), "timescaledb")).text
    check_sql(sql)
    assert "sum(speed) AS speed_sum, count(speed) AS speed_count" in sql
    assert "percentile_agg(response_ms) AS response_ms_pct" in sql
    assert "CREATE EXTENSION IF NOT EXISTS timescaledb_toolkit;" in sql
    assert "last(latitude, at) AS latitude_last" in sql
    assert "(latitude)" not in sql and "(longitude)" not in sql and "sum(trip_id)" not in sql


LEDGER = """
entities:
  - name: entry
    append_only: true
    attributes:
      - {name: account, type: string, length: 34, required: true}
      - {name: amount, type: decimal, precision: 12, scale: 2, required: true}
      - {name: side, type: enum, values: [debit, credit], required: true}
      - {name: booked_at, type: datetime, required: true}
access_patterns:
  - {name: post, entity: entry, operation: write, kind: append, per_second: 500}
  - {name: daily balance per account, entity: entry, operation: read, kind: time_window,
     filter: [account, booked_at]}
"""


def test_a_ledger_amount_is_aggregated_per_side_with_a_signed_net() -> None:
    sql = timescaledb_schema(request(_doc(LEDGER), "timescaledb")).text
    check_sql(sql)
    assert "sum(amount)" not in sql and "avg(" not in sql
    assert "sum(CASE WHEN side = 'debit' THEN amount END) AS amount_debit_sum" in sql
    assert (
        "sum(CASE WHEN side = 'credit' THEN amount WHEN side = 'debit' THEN -amount END) "
        "AS amount_net"
    ) in sql
    influx = influxdb_schema(request(_doc(LEDGER), "influxdb")).text
    assert "| `side` | tag |" in influx  # sums of amount are kept per side, one series each
    nets = influx[influx.index("nets = data") :].split("\n\n")[0]
    assert 'if r["side"] == "debit" then -r._value else r._value' in nets
    assert 'group(columns: ["side"], mode: "except")' in nets
    assert 'r._field + "_net"' in nets


def test_continuous_aggregates_never_share_a_name() -> None:
    sql = timescaledb_schema(request(_doc(VEHICLES), "timescaledb")).text
    views = [
        line.split()[3] for line in sql.splitlines() if line.startswith("CREATE MATERIALIZED VIEW")
    ]
    assert len(views) == len(set(views)) == 2


def test_distinct_counts_are_kept_as_hyperloglog_states() -> None:
    document = LEDGER.replace(
        "     filter: [account, booked_at]}",
        "     filter: [account, booked_at]}\n"
        "  - {name: daily unique payers, entity: entry, operation: read, kind: time_window,\n"
        "     filter: [booked_at]}",
    ).replace(
        "      - {name: booked_at,",
        "      - {name: payer_id, type: bigint}\n      - {name: booked_at,",
    )
    sql = timescaledb_schema(request(_doc(document), "timescaledb")).text
    check_sql(sql)
    assert "hyperloglog(32768, payer_id) AS payer_id_distinct" in sql
    assert "CREATE EXTENSION IF NOT EXISTS timescaledb_toolkit;" in sql

"""CockroachDB and YugabyteDB primaries: the typed schema target, expiry, and their own DDL.

Neither engine runs here: their DDL is parsed back with sqlglot's PostgreSQL dialect (the
family both accept), and each difference from PostgreSQL is checked in the text.
"""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from advisor.ddl import render_ddl
from advisor.design import create_design
from advisor.engine import advise, start
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import SchemaTarget
from advisor.requirements import Requirements, read_requirements
from advisor.rules.scaling import expiry, partitioning
from advisor.schema import DIALECTS, ENGINES
from advisor.schema.model import Column, ColumnType, Index, IndexColumn, Key, Schema, Table
from advisor.schemas import recommendation_schema
from advisor.stores import GENERATORS
from advisor.targets import schema_target

# Strong consistency across three write regions at a few thousand writes/s: CockroachDB.
LEDGER = """
format: advisor/v1
project: Global ledger
workload: {reads_per_second: 3000, writes_per_second: 4000, data_volume_gb: 200,
           growth_gb_per_month: 10, retention_days: 30, consistency: strong,
           transactions: multi_entity, regions: 3, latency_p99_ms: 200}
entities:
  - name: account
    attributes:
      - {name: email, type: string, length: 255, required: true, unique: true}
  - name: movement
    attributes:
      - {name: amount, type: decimal, precision: 12, scale: 2, required: true}
      - {name: booked_at, type: datetime}
relationships:
  - {from: movement, to: account, cardinality: many-to-one, required: true}
access_patterns:
  - {name: account by email, entity: account, operation: read, kind: lookup, filter: [email],
     per_second: 1000}
  - {name: record a movement, entity: movement, operation: write, kind: append, per_second: 4000}
  - {name: recent movements, entity: movement, operation: read, kind: range,
     filter: [booked_at], sort: [-booked_at], per_second: 500}
"""


def ledger(expertise: str | None = None) -> Requirements:
    team = f"team: {{expertise: [{expertise}]}}\n" if expertise else ""
    return read_requirements(LEDGER + team)


def statements(text: str) -> list[exp.Expression]:
    parsed = sqlglot.parse(text, read="postgres", error_level=ErrorLevel.RAISE)
    found = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    assert not [s for s in found if isinstance(s, exp.Command)], "sqlglot fell back to Command"
    return found


def test_a_cockroachdb_primary_gets_its_own_ddl_as_schema_target() -> None:
    recommendation = advise(ledger(), project_load=False)
    assert recommendation.primary.technology == "cockroachdb"
    assert recommendation.primary_schema == SchemaTarget(
        "sql", "cockroachdb", "The DDL of CockroachDB", "cockroachdb", "postgresql"
    )
    document = json.loads(recommendation.to_json())
    jsonschema.validate(document, recommendation_schema())
    assert document["primary_schema"]["path"] == "schema/cockroachdb.sql"


@pytest.mark.parametrize("technology", sorted(DEFAULT_MATRIX.technologies))
def test_every_schema_target_names_a_schema_the_advisor_writes(technology: str) -> None:
    target = schema_target(DEFAULT_MATRIX.technologies[technology])
    if target.kind == "store":
        assert target.store in GENERATORS
    if target.kind == "sql":
        assert target.dialect in (*DIALECTS, *ENGINES) and target.family in DIALECTS
    if target.kind == "none":
        assert (target.dialect, target.store) == (None, None)


def test_cockroachdb_expires_appended_rows_by_row_ttl_on_the_time_they_are_read_by() -> None:
    recommendation = advise(ledger(), project_load=False)
    [item] = recommendation.scaling.expiry
    assert (item.entity, item.column, item.days, item.how) == (
        "movement",
        "booked_at",
        30,
        "row_ttl",
    )
    assert recommendation.scaling.partitioning == ()
    [reason] = [r for r in recommendation.trace if r.rule == "expiry"]
    assert "workload.retention_days" in reason.inputs and "access_patterns[1]" in reason.inputs


@pytest.mark.parametrize(
    ("requirements", "technology"),
    [
        (LEDGER + "team: {expertise: [yugabytedb]}\n", "yugabytedb"),
        (
            LEDGER.replace("regions: 3", "regions: 1") + "team: {expertise: [postgresql]}\n",
            "postgresql",
        ),
    ],
)
def test_stores_with_time_partitions_expire_by_dropping_them(
    requirements: str, technology: str
) -> None:
    recommendation = advise(read_requirements(requirements), project_load=False)
    assert recommendation.primary.technology == technology
    [item] = recommendation.scaling.expiry
    [partitioned] = recommendation.scaling.partitioning
    assert (item.how, item.column) == ("drop_partition", partitioned.column)


def test_a_relational_primary_without_partitions_or_row_ttl_deletes_on_a_schedule() -> None:
    spanner = DEFAULT_MATRIX.technologies["spanner"]
    draft = start(ledger()).replace(ranking=((spanner, 1.0),))
    [item] = expiry(partitioning(draft)).expiry
    assert item.how == "scheduled_delete"


def test_no_retention_no_expiry() -> None:
    requirements = read_requirements(LEDGER.replace("retention_days: 30, ", ""))
    assert advise(requirements, project_load=False).scaling.expiry == ()


def test_the_cockroachdb_ddl_has_what_cockroachdb_accepts() -> None:
    design = create_design(ledger(), partitions_from=date(2025, 1, 1))
    paths = [item.path for item in design.files if item.path.startswith("schema/")]
    assert paths[:6] == [*(f"schema/{name}.sql" for name in DIALECTS), "schema/cockroachdb.sql"]
    own = design.file("schema/cockroachdb.sql")
    assert own is not None
    text = own.text
    assert text.splitlines()[1].startswith("-- CockroachDB DDL")
    assert "ON UPDATE CURRENT_TIMESTAMP" in text
    assert "TRIGGER" not in text and "plpgsql" not in text and "PARTITION" not in text
    parsed = statements(text)
    [movement] = [
        s
        for s in parsed
        if isinstance(s, exp.Create) and s.kind == "TABLE" and s.this.this.name == "movement"
    ]
    [ttl] = [
        p for p in movement.args["properties"].expressions if p.name == "ttl_expiration_expression"
    ]
    assert ttl.args["value"].name == "(booked_at + INTERVAL '30 days')"
    assert isinstance(sqlglot.parse_one(ttl.args["value"].name, read="postgres"), exp.Paren)
    # The PostgreSQL schema of the same design keeps its trigger and no TTL.
    postgresql = design.for_dialect("postgresql").ddl
    assert "CREATE TRIGGER" in postgresql and "ttl_expiration_expression" not in postgresql


def test_a_cockroachdb_ttl_on_a_date_casts_it_to_the_timestamptz_it_needs() -> None:
    requirements = read_requirements(LEDGER.replace("type: datetime", "type: date"))
    design = create_design(requirements, partitions_from=date(2025, 1, 1))
    text = design.for_dialect("cockroachdb").ddl
    assert "CAST(booked_at AS TIMESTAMPTZ) + INTERVAL ''30 days''" in text
    assert "(never while booked_at is NULL)" in text


def test_the_yugabytedb_ddl_keeps_triggers_and_partitions() -> None:
    design = create_design(ledger("yugabytedb"), partitions_from=date(2025, 1, 1))
    assert design.recommendation.primary.technology == "yugabytedb"
    text = design.for_dialect("yugabytedb").ddl
    assert text.splitlines()[1].startswith("-- YugabyteDB DDL")
    assert "PARTITION OF movement" in text and "CREATE TRIGGER" in text
    assert "ON UPDATE" not in text
    created = {
        s.this.this.name if isinstance(s.this, exp.Schema) else s.this.name
        for s in statements(text)
        if isinstance(s, exp.Create) and s.kind == "TABLE"
    }
    assert {"account", "movement"} <= created and "movement_default" not in created


def _index_ddl(dialect_name: str, index: Index) -> str:
    table = Table(
        "movement",
        (
            Column("id", ColumnType("bigint"), nullable=False),
            Column("account_id", ColumnType("bigint")),
            Column("at", ColumnType("datetime")),
        ),
        primary_key=Key("pk_movement", ("id",)),
        indexes=(index,),
    )
    text = render_ddl(Schema(dialect_name, (table,), key_reason="declared"))
    statements(text)
    return next(line for line in text.splitlines() if line.startswith("CREATE INDEX"))


def test_yugabytedb_range_shards_an_index_read_by_a_range_from_its_first_column() -> None:
    by_time = Index("ix_at", (IndexColumn("at"),))
    assert "(at ASC)" in _index_ddl("yugabytedb", by_time)
    assert "(at)" in _index_ddl("postgresql", by_time)
    by_account = Index(
        "ix_account_at", (IndexColumn("account_id"), IndexColumn("at")), equality_columns=1
    )
    assert "(account_id, at)" in _index_ddl("yugabytedb", by_account)

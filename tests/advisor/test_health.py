"""The health report of a live PostgreSQL database, on the real server."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest

from advisor.importing.catalogue import Catalogue
from advisor.importing.health import (
    database_health,
    index_bloat,
    index_unused,
    query_slow,
    table_bloat,
)
from advisor.importing.live import read_database
from advisor.importing.report import HealthFinding
from tests.advisor.conftest import POSTGRES_URL
from tests.conftest import require_server


def _schema_of(connection: Any) -> str:
    return str(connection.execute("SELECT current_schema()").fetchone()[0])


def _findings(connection: Any, rule: str) -> list[HealthFinding]:
    return [f for f in database_health(connection, (_schema_of(connection),)) if f.rule == rule]


def test_a_table_without_a_primary_key_is_found(postgres: Any) -> None:
    postgres.execute("CREATE TABLE audit_line (at timestamptz, line text)")
    postgres.execute("CREATE TABLE account (id integer PRIMARY KEY)")

    findings = _findings(postgres, "primary-key-missing")

    assert [(f.table, f.severity) for f in findings] == [("audit_line", "warning")]
    assert "audit_line has no primary key" in findings[0].message


def test_a_foreign_key_without_an_index_leading_with_its_columns_is_found(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE customer (tenant_id integer, id integer, PRIMARY KEY (tenant_id, id));
        CREATE TABLE invoice (id integer PRIMARY KEY, tenant_id integer, customer_id integer,
            FOREIGN KEY (tenant_id, customer_id) REFERENCES customer);
        CREATE INDEX invoice_customer ON invoice (customer_id);
        CREATE TABLE payment (id integer PRIMARY KEY, tenant_id integer, customer_id integer,
            FOREIGN KEY (tenant_id, customer_id) REFERENCES customer);
        CREATE INDEX payment_customer ON payment (customer_id, tenant_id, id);
        """
    )

    findings = _findings(postgres, "index-on-relation")

    # invoice's index leads with customer_id alone; payment's leads with both, in any order.
    assert [f.table for f in findings] == ["invoice"]
    assert "(tenant_id, customer_id) of invoice to customer" in findings[0].message


def test_an_index_that_is_a_prefix_of_another_is_duplicated_unless_unique(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, placed_at date,
                             code text);
        CREATE INDEX orders_customer ON orders (customer_id);
        CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at);
        CREATE INDEX orders_customer_again ON orders (customer_id, placed_at);
        CREATE UNIQUE INDEX orders_code ON orders (code);
        CREATE INDEX orders_code_placed ON orders (code, placed_at);
        CREATE INDEX orders_recent ON orders (customer_id) WHERE placed_at > '2025-01-01';
        """
    )

    findings = _findings(postgres, "index-duplicated")

    messages = sorted(f.message.split(" on orders")[0] for f in findings)
    assert messages == [
        "index orders_customer (customer_id)",
        "index orders_customer_placed (customer_id, placed_at)",
    ]
    assert any("is a prefix of orders_customer_again" in f.message for f in findings)
    assert any("duplicates orders_customer_again" in f.message for f in findings)


def _flushed(connection: Any) -> None:
    """Make this session's counters visible to others (PostgreSQL 15 flushes them lazily)."""
    connection.execute("SELECT pg_stat_force_next_flush()")
    connection.execute("SELECT 1")


def test_an_index_never_scanned_on_a_read_table_is_unused(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE visit (id integer PRIMARY KEY, page text, visitor integer);
        INSERT INTO visit SELECT n, 'page ' || n, n % 100 FROM generate_series(1, 5000) n;
        CREATE INDEX visit_page ON visit (page);
        CREATE INDEX visit_visitor ON visit (visitor);
        ANALYZE visit;
        """
    )
    postgres.execute("SELECT count(*) FROM visit WHERE visitor = 7")  # uses visit_visitor
    postgres.execute("SELECT count(*) FROM visit WHERE page LIKE '%9'")  # a sequential scan
    _flushed(postgres)
    schema = _schema_of(postgres)

    deadline = time.monotonic() + 5
    while True:
        findings = list(index_unused(Catalogue(postgres, (schema,))))
        if findings or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    assert [f.message.split(" on ")[0] for f in findings] == ["index visit_page"]
    assert "never used since the statistics" in findings[0].message


def test_a_partitioned_tables_index_is_judged_by_its_partitions_scans(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE reading (id integer, taken_on date, sensor integer, note text,
                              PRIMARY KEY (id, taken_on)) PARTITION BY RANGE (taken_on);
        CREATE TABLE reading_2024 PARTITION OF reading
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE reading_2025 PARTITION OF reading
            FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE reading_2026 PARTITION OF reading
            FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        INSERT INTO reading SELECT n, date '2024-01-01' + n % 1000, n % 50, 'note ' || n
            FROM generate_series(1, 6000) n;
        CREATE INDEX reading_sensor ON reading (sensor);
        CREATE INDEX reading_note ON reading (note);
        CREATE INDEX reading_2025_note_alone ON reading_2025 (note, sensor);
        ANALYZE reading;
        """
    )
    # reading_sensor is scanned on one partition only: the parent's index is used.
    postgres.execute("SET enable_seqscan = off")
    postgres.execute("SELECT count(*) FROM reading WHERE sensor = 7 AND taken_on < '2025-01-01'")
    postgres.execute("RESET enable_seqscan")
    postgres.execute("SELECT count(*) FROM reading WHERE note LIKE '%9'")  # sequential scans
    _flushed(postgres)
    schema = _schema_of(postgres)

    deadline = time.monotonic() + 5
    while True:
        findings = list(index_unused(Catalogue(postgres, (schema,))))
        if findings or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    # Only the parent's unused index, on the parent: not its three copies, not the used
    # index, and not the index that one partition has alone.
    assert [(f.table, f.message.split(" on ")[0]) for f in findings] == [
        ("reading", "index reading_note")
    ]
    assert "never used on any of its partitions since the statistics" in findings[0].message
    assert "while its 3 partitions had" in findings[0].message
    assert "over the partitions" in findings[0].message, findings[0].message


def test_an_index_left_by_a_failed_concurrent_build_is_invalid(postgres: Any) -> None:
    postgres.execute("CREATE TABLE member (id integer PRIMARY KEY, email text)")
    postgres.execute("INSERT INTO member VALUES (1, 'a@example.com'), (2, 'a@example.com')")
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute("CREATE UNIQUE INDEX CONCURRENTLY member_email ON member (email)")

    findings = _findings(postgres, "index-invalid")

    assert [(f.table, f.severity) for f in findings] == [("member", "warning")]
    assert "member_email" in findings[0].message


def test_a_table_and_an_index_mostly_deleted_are_bloated(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE reading (id bigint PRIMARY KEY, sensor text NOT NULL, value float8);
        INSERT INTO reading
            SELECT n, 'sensor-' || lpad(n::text, 24, '0'), n FROM generate_series(1, 100000) n;
        CREATE INDEX reading_sensor ON reading (sensor);
        CREATE TABLE kept (id bigint PRIMARY KEY, sensor text NOT NULL);
        INSERT INTO kept SELECT n, 'sensor-' || n FROM generate_series(1, 100000) n;
        DELETE FROM reading WHERE id % 10 <> 0;
        ANALYZE reading;
        ANALYZE kept;
        """
    )
    catalogue = Catalogue(postgres, (_schema_of(postgres),))

    tables = list(table_bloat(catalogue))
    indexes = list(index_bloat(catalogue))

    assert [f.table for f in tables] == ["reading"]
    assert "% empty space" in tables[0].message
    ratio = int(tables[0].message.split("about ")[1].split("%")[0])
    assert 80 <= ratio <= 95  # 90 % of the rows were deleted
    assert sorted(f.message.split(" on ")[0] for f in indexes) == [
        "index reading_pkey",
        "index reading_sensor",
    ]


def test_a_sequence_near_the_end_of_its_column_range_is_found(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE ticket (id serial PRIMARY KEY);
        SELECT setval('ticket_id_seq', 1900000000);
        CREATE SEQUENCE badge_seq AS bigint;
        CREATE TABLE badge (id integer PRIMARY KEY DEFAULT nextval('badge_seq'));
        ALTER SEQUENCE badge_seq OWNED BY badge.id;
        SELECT setval('badge_seq', 1200000000);
        CREATE TABLE fresh (id serial PRIMARY KEY);
        SELECT setval('fresh_id_seq', 1000);
        """
    )

    findings = {f.table: f for f in _findings(postgres, "sequence-exhaustion")}

    assert set(findings) == {"ticket", "badge"}
    assert findings["ticket"].severity == "error"
    assert "88% of its 2,147,483,647 values" in findings["ticket"].message
    # A bigint sequence behind an integer column ends with the column.
    assert findings["badge"].severity == "warning"
    assert "56% of its 2,147,483,647 values" in findings["badge"].message


def test_a_foreign_key_of_another_type_than_its_target_is_found(postgres: Any) -> None:
    postgres.execute(
        """
        CREATE TABLE author (id bigint PRIMARY KEY);
        CREATE TABLE book (id bigint PRIMARY KEY, author_id integer REFERENCES author);
        CREATE TABLE review (id bigint PRIMARY KEY, author_id bigint REFERENCES author);
        """
    )

    findings = _findings(postgres, "fk-type-mismatch")

    assert [f.table for f in findings] == ["book"]
    assert "book.author_id (integer) refers to author.id (bigint)" in findings[0].message


@pytest.fixture
def database() -> Iterator[str]:
    """The DSN of an empty database of its own, dropped afterwards."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    name = f"advisor_health_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlparse(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_without_pg_stat_statements_the_report_says_so(database: str) -> None:
    findings = [f for f in database_health(database) if f.rule == "query-slow"]

    assert [(f.severity, f.table) for f in findings] == [("info", "")]
    assert "pg_stat_statements is not installed" in findings[0].message


def test_pg_stat_statements_gives_the_slowest_queries_or_why_not(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION pg_stat_statements")
        loaded = "pg_stat_statements" in str(
            connection.execute("SHOW shared_preload_libraries").fetchone()[0]
        )
        connection.execute("SELECT count(*) FROM generate_series(1, 200000)")
        findings = list(query_slow(Catalogue(connection, ("public",))))

    assert findings and all(f.rule == "query-slow" and f.severity == "info" for f in findings)
    if loaded:
        assert all(" calls (" in f.message for f in findings)
    else:
        # Installed but not in shared_preload_libraries: the view refuses to be read.
        assert len(findings) == 1
        assert "installed but cannot be read" in findings[0].message
        assert "shared_preload_libraries" in findings[0].message


def test_a_dsn_and_a_connection_give_the_same_report(postgres: Any) -> None:
    postgres.execute("CREATE TABLE note (body text)")
    schema = _schema_of(postgres)

    by_dsn = database_health(POSTGRES_URL, (schema,))
    by_connection = database_health(postgres, (schema,))

    assert [f.rule for f in by_dsn if f.table] == ["primary-key-missing"]
    assert [f for f in by_dsn if f.table] == [f for f in by_connection if f.table]


def test_read_database_fills_the_health_of_its_result(postgres: Any) -> None:
    postgres.execute("CREATE TABLE note (body text)")

    result = read_database(POSTGRES_URL, schemas=(_schema_of(postgres),))

    assert (
        HealthFinding(
            "primary-key-missing",
            "warning",
            "note",
            "note has no primary key (never analysed): its rows cannot be told apart, nor "
            "replicated logically without REPLICA IDENTITY FULL",
        )
        in result.health
    )

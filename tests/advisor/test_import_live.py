"""A live PostgreSQL database read into the schema model, on the real server."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest

from advisor.errors import AdvisorError, UnreadableDatabase
from advisor.importing.live import read_database
from advisor.schema.model import Check, ForeignKey, Index, IndexColumn, Partition, Table
from tests.advisor.conftest import POSTGRES_URL, ROOT
from tests.conftest import require_server

PAGILA = ROOT.parent / "shared" / "corpus" / "pagila" / "pagila-schema.sql"

SHOP = """
CREATE TYPE order_status AS ENUM ('open', 'paid', 'shipped');
CREATE TABLE customer (
    tenant_id integer NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    email varchar(200) NOT NULL,
    score integer CHECK (score > 0 AND score <= 100),
    tier text CHECK (tier IN ('free', 'pro')),
    nickname text CHECK (length(nickname) > 2),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT customer_email_key UNIQUE (tenant_id, email)
);
COMMENT ON TABLE customer IS 'people who buy';
COMMENT ON COLUMN customer.email IS 'where receipts go';
CREATE TABLE orders (
    id serial PRIMARY KEY,
    tenant_id integer NOT NULL,
    customer_id bigint NOT NULL,
    status order_status NOT NULL DEFAULT 'open',
    total numeric(10, 2) NOT NULL DEFAULT 0,
    tags text[],
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer ON DELETE CASCADE
);
CREATE INDEX orders_open ON orders (tenant_id, id DESC) WHERE status = 'open';
CREATE INDEX orders_recent ON orders (created_by_day(id)) WHERE id > 0;
CREATE TABLE visit (
    seen_at timestamptz NOT NULL,
    page text NOT NULL
) PARTITION BY RANGE (seen_at);
CREATE TABLE visit_2025_01 PARTITION OF visit FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE visit_2025_02 PARTITION OF visit FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
CREATE TABLE visit_2025_03 PARTITION OF visit FOR VALUES FROM ('2025-03-01') TO ('2025-04-01');
CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = 'open';
"""


def _schema_of(connection: Any) -> str:
    return str(connection.execute("SELECT current_schema()").fetchone()[0])


@pytest.fixture
def shop(postgres: Any) -> str:
    """The shop's tables in the fixture's throwaway schema; its name."""
    postgres.execute(
        "CREATE FUNCTION created_by_day(bigint) RETURNS bigint IMMUTABLE LANGUAGE sql "
        "AS 'SELECT $1 / 86400'"
    )
    postgres.execute(SHOP)
    return _schema_of(postgres)


def _table(tables: tuple[Table, ...], name: str) -> Table:
    found = next((table for table in tables if table.name == name), None)
    assert found is not None, f"{name} not among {[table.name for table in tables]}"
    return found


def test_it_reads_tables_columns_and_keys_with_their_names(shop: str) -> None:
    result = read_database(POSTGRES_URL, schemas=(shop,))

    assert result.dialect == "postgresql"
    assert [table.name for table in result.schema.tables] == ["customer", "orders", "visit"]
    customer = _table(result.schema.tables, "customer")
    assert customer.comment == "people who buy"
    assert customer.primary_key is not None
    assert customer.primary_key.columns == ("tenant_id", "id")
    assert [(key.name, key.columns) for key in customer.uniques] == [
        ("customer_email_key", ("tenant_id", "email"))
    ]
    email = customer.column("email")
    assert email is not None
    assert (email.type.kind, email.type.length, email.type.original) == (
        "string",
        200,
        "character varying(200)",
    )
    assert not email.nullable and email.comment == "where receipts go"
    identity = customer.column("id")
    created = customer.column("created_at")
    assert identity is not None and identity.identity
    assert created is not None and created.default_now and created.type.kind == "datetime"


def test_serial_enum_decimal_and_array_columns_keep_their_original_type(shop: str) -> None:
    orders = _table(read_database(POSTGRES_URL, schemas=(shop,)).schema.tables, "orders")

    serial, status, total, tags = (orders.column(n) for n in ("id", "status", "total", "tags"))
    assert serial is not None and serial.identity
    assert status is not None
    assert (status.type.kind, status.type.values, status.type.enum_type) == (
        "enum",
        ("open", "paid", "shipped"),
        "order_status",
    )
    assert status.default == "open"
    assert total is not None
    assert (total.type.precision, total.type.scale, total.default) == (10, 2, 0.0)
    assert tags is not None and (tags.type.kind, tags.type.original) == ("json", "text[]")


def test_enums_are_read_as_named_types(shop: str) -> None:
    result = read_database(POSTGRES_URL, schemas=(shop,))

    assert [(enum.name, enum.values) for enum in result.schema.enums] == [
        ("order_status", ("open", "paid", "shipped"))
    ]


def test_checks_of_lists_and_ranges_are_kept_and_others_reported(shop: str) -> None:
    result = read_database(POSTGRES_URL, schemas=(shop,))
    customer = _table(result.schema.tables, "customer")

    assert set(customer.checks) == {
        Check("customer_score_check", "score", "range", min=1.0, max=100.0),
        Check("customer_tier_check", "tier", "in", values=("free", "pro")),
    }
    line = next(s for s in result.statements if s.what == "TABLE customer")
    assert line.outcome == "imported"
    assert "check customer_nickname_check not kept: CHECK ((length(nickname) > 2))" in line.message


def test_a_composite_foreign_key_keeps_its_columns_and_on_delete(shop: str) -> None:
    orders = _table(read_database(POSTGRES_URL, schemas=(shop,)).schema.tables, "orders")

    assert orders.foreign_keys == (
        ForeignKey(
            "orders_tenant_id_customer_id_fkey",
            ("tenant_id", "customer_id"),
            "customer",
            ("tenant_id", "id"),
            on_delete="cascade",
            required=True,
            source="catalogue",
        ),
    )


def test_a_partial_index_keeps_its_condition_and_an_expression_index_is_reported(
    shop: str,
) -> None:
    result = read_database(POSTGRES_URL, schemas=(shop,))
    orders = _table(result.schema.tables, "orders")

    assert orders.indexes == (
        Index(
            "orders_open",
            (IndexColumn("tenant_id"), IndexColumn("id", descending=True)),
            where=(("status", "open"),),
        ),
    )
    line = next(s for s in result.statements if s.what == "TABLE orders")
    assert "index orders_recent not kept: partial index WHERE (id > 0)" in line.message


def test_a_partitioned_table_is_one_table_with_its_partitioning(shop: str) -> None:
    result = read_database(POSTGRES_URL, schemas=(shop,))
    visit = _table(result.schema.tables, "visit")

    assert visit.partitioning is not None
    assert (visit.partitioning.column, visit.partitioning.interval) == ("seen_at", "month")
    assert visit.partitioning.partitions == (
        Partition("visit_2025_01", "2025-01-01", "2025-02-01"),
        Partition("visit_2025_02", "2025-02-01", "2025-03-01"),
        Partition("visit_2025_03", "2025-03-01", "2025-04-01"),
    )
    assert not any(table.name.startswith("visit_") for table in result.schema.tables)


def test_views_and_functions_are_listed_as_skipped_with_why(shop: str) -> None:
    statements = read_database(POSTGRES_URL, schemas=(shop,)).statements

    skipped = {s.what: s.message for s in statements if s.outcome == "skipped"}
    assert skipped["VIEW open_orders"] == "a view is a query, not stored data"
    assert skipped["FUNCTION created_by_day(bigint)"] == "code, not schema"
    assert {s.what for s in statements if s.outcome == "imported"} == {
        "TABLE customer",
        "TABLE orders",
        "TABLE visit",
        "TYPE order_status",
    }


def test_tables_outside_the_home_schema_are_prefixed(postgres: Any) -> None:
    home = _schema_of(postgres)
    other = f"{home}_billing"
    postgres.execute(f"CREATE SCHEMA {other}")
    try:
        postgres.execute("CREATE TABLE account (id integer PRIMARY KEY)")
        postgres.execute(
            f"CREATE TABLE {other}.invoice (id integer PRIMARY KEY, "
            f"account_id integer REFERENCES {home}.account)"
        )
        alone = read_database(POSTGRES_URL, schemas=(other,))
        both = read_database(POSTGRES_URL, schemas=(home, other))
    finally:
        postgres.execute(f"DROP SCHEMA {other} CASCADE")

    assert [table.name for table in alone.schema.tables] == ["invoice"]
    assert alone.schema.tables[0].foreign_keys[0].target == f"{home}.account"
    # Of several schemas, `public` is home; neither of these is.
    assert [table.name for table in both.schema.tables] == [
        f"{home}.account",
        f"{other}.invoice",
    ]


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        pytest.param("postgresql://postgres@127.0.0.1:1/postgres", "cannot connect", id="refused"),
        pytest.param("host=127.0.0.1 port=5432 nonsense", "not a PostgreSQL connection", id="bad"),
        pytest.param(
            "postgresql://postgres@127.0.0.1:5432/no_such_database_here",
            'database "no_such_database_here" does not exist',
            id="no-database",
        ),
    ],
)
def test_a_database_that_cannot_be_read_gives_a_clear_error(dsn: str, expected: str) -> None:
    if "5432" in dsn:
        require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    with pytest.raises(UnreadableDatabase) as raised:
        read_database(dsn)

    assert expected in str(raised.value)
    assert isinstance(raised.value, AdvisorError)


def test_the_password_never_appears_in_an_error() -> None:
    with pytest.raises(UnreadableDatabase) as raised:
        read_database("postgresql://alice:hunter2@127.0.0.1:1/shop")

    assert "hunter2" not in str(raised.value)
    assert raised.value.location == "postgresql://127.0.0.1:1/shop"


def test_an_unknown_schema_is_named_in_the_error(postgres: Any) -> None:
    with pytest.raises(UnreadableDatabase, match="no schema 'nowhere_at_all' in this database"):
        read_database(POSTGRES_URL, schemas=("nowhere_at_all",))


def test_a_catalogue_read_that_times_out_is_the_advisors_error(
    postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real timeout: another session holds an exclusive lock on a table the read must
    # describe, and the lock timeout is made short.
    postgres.execute("CREATE TABLE held (id integer PRIMARY KEY)")
    schema = _schema_of(postgres)
    monkeypatch.setattr("advisor.importing.catalogue.LOCK_TIMEOUT", "200ms")
    with psycopg.connect(POSTGRES_URL) as locker:
        locker.execute(f"LOCK TABLE {schema}.held IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(UnreadableDatabase, match="longer than the lock timeout"):
            read_database(POSTGRES_URL, schemas=(schema,))


# Pagila: the corpus's pg_dump, loaded into a database of its own.


@pytest.fixture(scope="module")
def pagila() -> Iterator[tuple[str, bool]]:
    """A throwaway database holding Pagila's schema; its DSN, and whether pgvector was there
    to create film_embedding."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    name = f"advisor_pagila_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        vector = admin.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
        ).fetchone()
        version = admin.info.server_version
    dsn = urlparse(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    dump = PAGILA.read_text(encoding="utf-8")
    if version < 180000:
        # The dump uses PostgreSQL 18's uuidv7() and virtual generated columns: spelled here
        # as older servers run them, which changes no table, key or index.
        dump = dump.replace("uuidv7()", "gen_random_uuid()").replace(") VIRTUAL", ") STORED")
    try:
        # Without ON_ERROR_STOP: where an extension is missing, its statements fail alone.
        subprocess.run(
            [psql, "--quiet", "--no-psqlrc", "-d", dsn],
            input=dump,
            text=True,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield dsn, vector is not None
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.skipif(not PAGILA.exists(), reason="the shared corpus is not checked out")
def test_pagila_has_its_base_tables_and_payment_is_one_partitioned_table(
    pagila: tuple[str, bool],
) -> None:
    dsn, has_vector = pagila
    result = read_database(dsn, schemas=("public",))
    names = {table.name for table in result.schema.tables}

    # The corpus README: 16 base tables; film_embedding needs pgvector.
    expected = 16 if has_vector else 15
    assert len(names) == expected, sorted(names)
    assert ("film_embedding" in names) == has_vector
    payment = _table(result.schema.tables, "payment")
    assert payment.partitioning is not None
    assert len(payment.partitioning.partitions) == 55
    assert payment.partitioning.interval == "month"
    assert not any(name.startswith("payment_p") for name in names)
    assert result.schema.enums[0].name == "mpaa_rating"
    skipped = {s.what.split()[0] for s in result.statements if s.outcome == "skipped"}
    assert {"VIEW", "FUNCTION", "TRIGGER", "DOMAIN"} <= skipped


@pytest.mark.skipif(not PAGILA.exists(), reason="the shared corpus is not checked out")
def test_pagila_foreign_keys_of_base_tables_are_read(pagila: tuple[str, bool]) -> None:
    dsn, has_vector = pagila
    tables = read_database(dsn, schemas=("public",)).schema.tables

    keys = [key for table in tables for key in table.foreign_keys]
    # The README: 19 foreign keys on base tables; one of them is film_embedding's.
    assert len(keys) == (19 if has_vector else 18)
    names = {table.name for table in tables}
    assert all(key.target in names for key in keys)

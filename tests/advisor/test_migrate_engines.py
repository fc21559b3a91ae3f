"""The demo's v1 -> v2 migration runs up, down and up on real PostgreSQL, MariaDB and SQLite,
with rows present: each stage's catalogue matches its schema, and the rows survive the rename
and the type change. v2 (tests/fixtures/migrate/online-shop-v2.yaml) renames customer.email,
drops customer.phone, adds a required order.channel without a default, an index, widens
order_item.quantity to bigint and adds an entity."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from advisor.ddl import render_ddl
from advisor.migrate.plan import Migration, plan_migration
from advisor.migrate.verify import Verification, run_plan, verify
from advisor.requirements import read_requirements
from advisor.schema import Schema
from tests.advisor.catalogues import (
    catalogue_differences,
    mariadb_catalogue,
    mariadb_execute,
    postgres_catalogue,
    sqlite_catalogue,
)
from tests.advisor.conftest import search_every_schema

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "docs" / "examples" / "online-shop.yaml"
V2 = ROOT / "tests" / "fixtures" / "migrate" / "online-shop-v2.yaml"

SEED = (
    "INSERT INTO customer (email, full_name, phone) VALUES ('a@example.org', 'Ann', '555'), "
    "('b@example.org', 'Bob', NULL)",
    "INSERT INTO address (line1, city, postal_code, country, customer_id) "
    "VALUES ('1 Main St', 'Town', '1000', 'NL', 1)",
    "INSERT INTO category (name, slug) VALUES ('Books', 'books')",
    "INSERT INTO product (sku, name, price, category_id) VALUES ('B-1', 'A book', 10, 1)",
    "INSERT INTO {order} (total, placed_at, customer_id, shipping_address_id) "
    "VALUES (20, '2025-01-02 03:04:05', 1, 1)",
    "INSERT INTO order_item (quantity, unit_price, order_id, product_id) VALUES (2, 10, 1, 1)",
)
# What the rows must hold after up, down, up.
AFTER = (
    ("SELECT email_address FROM customer ORDER BY id", [("a@example.org",), ("b@example.org",)]),
    ("SELECT quantity FROM order_item", [(2,)]),
    ("SELECT channel FROM {order}", [("web",)]),
)


def _migration(dialect: str) -> Migration:
    v1 = read_requirements(V1.read_text(encoding="utf-8"))
    v2 = read_requirements(V2.read_text(encoding="utf-8"))
    return plan_migration(v1, v2, dialect, backfill={"order.channel": "web"})


class Postgres:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def script(self, sql: str) -> None:
        self.connection.execute(sql)

    def run(self, statement: str) -> int:
        return int(self.connection.execute(statement).rowcount)

    def differences(self, schema: Schema) -> list[str]:
        return catalogue_differences(schema, postgres_catalogue(self.connection), "postgresql")


class MariaDB:
    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def script(self, sql: str) -> None:
        mariadb_execute(self.cursor, sql)

    def run(self, statement: str) -> int:
        return int(self.cursor.execute(statement))

    def differences(self, schema: Schema) -> list[str]:
        return catalogue_differences(schema, mariadb_catalogue(self.cursor), "mysql")


class SQLite:
    def __init__(self) -> None:
        self.connection = sqlite3.connect(":memory:", isolation_level=None)
        self.connection.execute("PRAGMA foreign_keys = ON")

    def script(self, sql: str) -> None:
        self.connection.executescript(sql)

    def run(self, statement: str) -> int:
        return self.connection.execute(statement).rowcount

    def differences(self, schema: Schema) -> list[str]:
        return catalogue_differences(schema, sqlite_catalogue(self.connection), "sqlite")


def _round_trip(dialect: str, database: Postgres | MariaDB | SQLite, order: str) -> Verification:
    migration = _migration(dialect)
    result = verify(migration, database, seed=[s.format(order=order) for s in SEED])
    assert result.ok, str(result)
    for query, rows in AFTER:
        assert [tuple(row) for row in _rows(database, query.format(order=order))] == rows
    return result


def _rows(database: Postgres | MariaDB | SQLite, query: str) -> list[Any]:
    if isinstance(database, MariaDB):
        database.cursor.execute(query)
        return list(database.cursor.fetchall())
    return list(database.connection.execute(query).fetchall())


def test_postgresql_runs_the_demo_migration_up_down_up(postgres_database: Any) -> None:
    migration = _migration("postgresql")
    search_every_schema(postgres_database, migration.diff.old)
    _round_trip("postgresql", Postgres(postgres_database), '"order"')


def test_mariadb_runs_the_demo_migration_up_down_up(mariadb: Any) -> None:
    _round_trip("mysql", MariaDB(mariadb), "`order`")


def test_sqlite_runs_the_demo_migration_up_down_up() -> None:
    _round_trip("sqlite", SQLite(), '"order"')


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_the_rollback_says_the_dropped_column_comes_back_empty(dialect: str) -> None:
    rollback = _migration(dialect).rollback
    lost = [
        hazard
        for step in rollback.steps
        for hazard in step.hazards
        if hazard.kind == "data_not_restored" and "customer.phone" in hazard.message
    ]
    assert lost, [step.description for step in rollback.steps]


def test_verification_catches_a_plan_that_does_not_reach_the_new_schema() -> None:
    migration = _migration("sqlite")
    broken = Migration(
        migration.diff,
        migration.forward.__class__("sqlite", "forward", migration.forward.steps[:-1]),
        migration.rollback,
    )
    database = SQLite()
    assert not verify(broken, database, seed=[s.format(order='"order"') for s in SEED]).ok


def test_postgresql_plans_name_each_table_with_its_context_schema(postgres_database: Any) -> None:
    """The demo keeps a schema per context: the plan runs with nothing but the default
    schema on the search path, so every table it names is qualified, as the DDL's are."""
    migration = _migration("postgresql")
    assert set(migration.diff.old.namespaces) == {"sales", "catalogue"}
    postgres_database.execute(render_ddl(migration.diff.old))
    run_plan(migration.forward, Postgres(postgres_database))
    found = postgres_database.execute(
        "SELECT table_schema FROM information_schema.columns WHERE column_name = 'channel'"
    ).fetchall()
    assert [row[0] for row in found] == ["sales"]

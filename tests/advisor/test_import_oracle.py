"""An Oracle script as SQL Developer and SQL*Plus write them imports: NUMBER, VARCHAR2 with
CHAR or BYTE, DATE, TIMESTAMP WITH TIME ZONE and CLOB mapped; keys inline and in later ALTERs;
a trigger's PL/SQL body read as one statement up to its `/` line; what is not schema skipped
with its line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from advisor.ddl import render_ddl
from advisor.importing.report import ImportResult
from advisor.importing.split import split_statements
from advisor.importing.sql import import_sql
from advisor.importing.to_requirements import requirements_from_schema
from advisor.schema import Schema, Table
from advisor.schema.build import build_schema

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "fixtures" / "import" / "oracle-orders.sql"


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_sql(SCRIPT.read_text(encoding="utf-8"))


def _table(schema: Schema, name: str) -> Table:
    table = schema.table(name)
    assert table is not None, name
    return table


def test_the_script_is_read_as_oracle_and_every_statement_is_reported(
    result: ImportResult,
) -> None:
    assert result.dialect == "oracle"
    assert [(s.line, s.outcome, s.what) for s in result.statements] == [
        (4, "skipped", "SET"),
        (5, "skipped", "SET"),
        (7, "skipped", "CREATE SEQUENCE"),
        (9, "imported", "CREATE TABLE customers"),
        (20, "imported", "CREATE TABLE orders"),
        (30, "imported", "CREATE TABLE order_lines"),
        (38, "imported", "ALTER TABLE orders (add constraint)"),
        (41, "imported", "ALTER TABLE order_lines (add constraint)"),
        (44, "imported", "CREATE INDEX orders_customer_ix ON orders"),
        # The trigger is one statement: the semicolons of its body do not end it, its `/` does.
        (46, "skipped", "CREATE TRIGGER"),
        (56, "imported", "COMMENT ON TABLE customers"),
        (57, "imported", "COMMENT ON COLUMN customers.email"),
        (59, "skipped", "GRANT"),
    ]


def test_oracle_types_are_mapped_and_their_spelling_kept(result: ImportResult) -> None:
    customers = _table(result.schema, "customers")
    types = {c.name: (c.type.kind, c.type.length, c.type.original) for c in customers.columns}
    assert types == {
        "customer_id": ("bigint", None, "NUMBER(10)"),  # ten digits pass a 32-bit integer
        "email": ("string", 100, "VARCHAR2(100 CHAR)"),
        "full_name": ("string", 200, "VARCHAR2(200 CHAR)"),
        "birth_date": ("date", None, "DATE"),
        "created_at": ("datetime", None, "TIMESTAMP WITH TIME ZONE"),
        "notes": ("text", None, "CLOB"),
    }
    created_at = customers.column("created_at")
    assert created_at is not None and created_at.default_now and not created_at.nullable
    lines = _table(result.schema, "order_lines")
    assert [(c.name, c.type.kind) for c in lines.columns] == [
        ("order_id", "bigint"),
        ("line_no", "integer"),
        ("product_code", "string"),
        ("quantity", "integer"),
    ]
    total = _table(result.schema, "orders").column("total")
    assert total is not None and (total.type.kind, total.type.precision, total.type.scale) == (
        "decimal",
        12,
        2,
    )


def test_keys_inline_and_added_later_are_read(result: ImportResult) -> None:
    customers = _table(result.schema, "customers")
    orders = _table(result.schema, "orders")
    lines = _table(result.schema, "order_lines")
    assert customers.primary_key is not None and customers.primary_key.columns == ("customer_id",)
    assert [(k.name, k.columns) for k in customers.uniques] == [("customers_email_uk", ("email",))]
    assert orders.primary_key is not None and orders.primary_key.columns == ("order_id",)
    assert lines.primary_key is not None and lines.primary_key.columns == ("order_id", "line_no")
    assert [(k.name, k.columns, k.target, k.on_delete) for k in orders.foreign_keys] == [
        ("orders_customer_fk", ("customer_id",), "customers", "restrict")
    ]
    assert [(k.name, k.target, k.on_delete) for k in lines.foreign_keys] == [
        ("order_lines_order_fk", "orders", "cascade")
    ]
    # A column's named CHECK keeps its name.
    assert [(c.name, c.column, c.values) for c in orders.checks] == [
        ("orders_status_ck", "status", ("NEW", "PAID", "SHIPPED"))
    ]
    assert [
        (index.name, [(c.name, c.descending) for c in index.columns]) for index in orders.indexes
    ] == [("orders_customer_ix", [("customer_id", False), ("placed_on", True)])]


def test_comments_on_tables_and_columns_are_kept(result: ImportResult) -> None:
    customers = _table(result.schema, "customers")
    assert customers.comment == "People who order; one row each"
    email = customers.column("email")
    assert email is not None and email.comment == "Where receipts go"


def test_the_design_of_the_import_runs_on_sqlite(result: ImportResult) -> None:
    schema = build_schema(requirements_from_schema(result.schema), "sqlite")
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(schema))
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"customers", "orders", "order_lines"} <= tables


def test_a_plsql_block_runs_to_its_slash_line_and_plain_statements_to_their_semicolon() -> None:
    script = (
        "CREATE OR REPLACE PACKAGE BODY billing AS\n"
        "  PROCEDURE close_month IS BEGIN UPDATE orders SET status = 'PAID'; END;\n"
        "END billing;\n"
        "/\n"
        "BEGIN\n  DBMS_STATS.GATHER_SCHEMA_STATS('ORDERS');\nEND;\n/\n"
        "CREATE TABLE t (id NUMBER(5))\n/\n"
        "DROP TABLE u;\n"
    )
    found = [(s.line, s.text.split()[:2]) for s in split_statements(script, "oracle")]
    assert found == [
        (1, ["CREATE", "OR"]),
        (5, ["BEGIN", "DBMS_STATS.GATHER_SCHEMA_STATS('ORDERS');"]),
        (9, ["CREATE", "TABLE"]),
        (11, ["DROP", "TABLE"]),
    ]

"""The generated DDL runs on real PostgreSQL, MariaDB and SQLite, and builds what the model says.

Each document is executed in a throwaway schema or database; the catalogue is then read back
and compared with the logical schema: tables, columns, types, nullability, keys and indexes.
SQL Server and Oracle have no server here: their DDL must parse back in sqlglot's dialect.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from advisor.ddl import render_ddl
from advisor.engine import advise
from advisor.recommendation import NO_TENANCY
from advisor.requirements import read_requirements
from advisor.schema import Schema, build_schema, dialect
from advisor.schema.model import Column

ROOT = Path(__file__).resolve().parents[2]


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


DEMO = ROOT / "docs" / "examples" / "online-shop.yaml"
HOSTILE = ROOT / "tests" / "fixtures" / "ddl" / "hostile.yaml"
TENANCY = ROOT / "tests" / "fixtures" / "ddl" / "tenancy.yaml"
DOCUMENTS = sorted(
    path
    for folder in ("tests/fixtures/requirements", "docs/examples", "tests/fixtures/ddl")
    for path in (ROOT / folder).glob("*.yaml")
    if not path.name.endswith(".expected.yaml")  # the recommendations expected of a document
)
# Every document with bigint keys; UUID keys change every key and foreign key type, so the
# demo and the hostile document run with them too.
CASES = [pytest.param(path, "bigint_identity", id=_id(path)) for path in DOCUMENTS] + [
    pytest.param(path, "uuid_v7", id=f"{_id(path)}-uuid_v7") for path in (DEMO, HOSTILE, TENANCY)
]


PARTITIONS_FROM = date(2025, 1, 1)
MYSQL_URL = os.environ.get("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")


def _schema(path: Path, dialect_name: str, key_strategy: str = "bigint_identity") -> Schema:
    requirements = read_requirements(path.read_text(encoding="utf-8"), source=str(path))
    # The engine's tenancy decision, where the document asks for one; nothing else of it, so
    # that the other documents' schemas stay as the requirements alone make them.
    tenancy = (
        advise(requirements, project_load=False).tenancy
        if requirements.workload.tenancy != "none"
        else NO_TENANCY
    )
    return build_schema(
        requirements,
        dialect_name,
        key_strategy=key_strategy,
        partitions_from=PARTITIONS_FROM,
        tenancy=tenancy,
    )


@dataclass
class Catalogue:
    """What an engine says it created, in the model's terms."""

    columns: dict[str, list[tuple[str, str, bool]]] = field(
        default_factory=dict
    )  # name, type, null
    primary_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    uniques: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    foreign_keys: dict[str, set[tuple[tuple[str, ...], str, tuple[str, ...]]]] = field(
        default_factory=dict
    )
    indexes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


# Expected catalogue types, written from each engine's documentation, not from the generator.
POSTGRES_TYPES = {
    "string": "character varying({length})",
    "text": "text",
    "integer": "integer",
    "bigint": "bigint",
    "decimal": "numeric({precision},{scale})",
    "float": "double precision",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp with time zone",
    "time": "time without time zone",
    "uuid": "uuid",
    "json": "jsonb",
    "binary": "bytea",
}
MARIADB_TYPES = {
    "string": "varchar({length})",
    "text": "longtext",
    "integer": "int(11)",
    "bigint": "bigint(20)",
    "decimal": "decimal({precision},{scale})",
    "float": "double",
    "boolean": "tinyint(1)",
    "date": "date",
    "datetime": "datetime(6)",
    "time": "time(6)",
    "uuid": "binary(16)",
    "json": "longtext",  # MariaDB's JSON is LONGTEXT with a json_valid check
    "binary": "longblob",
}
SQLITE_AFFINITIES = {
    "string": "TEXT",
    "text": "TEXT",
    "enum": "TEXT",
    "integer": "INTEGER",
    "bigint": "INTEGER",
    "decimal": "NUMERIC",
    "float": "REAL",
    "boolean": "NUMERIC",
    "date": "NUMERIC",
    "datetime": "NUMERIC",
    "time": "NUMERIC",
    "uuid": "BLOB",
    "json": "TEXT",
    "binary": "BLOB",
}


def _sqlite_affinity(declared: str) -> str:
    """The column affinity rules of https://www.sqlite.org/datatype3.html, section 3.1."""
    declared = declared.upper()
    if "INT" in declared:
        return "INTEGER"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in declared or not declared:
        return "BLOB"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _expected_type(column: Column, engine: str) -> str:
    kind = column.type
    if engine == "sqlite":
        return SQLITE_AFFINITIES[kind.kind]
    if kind.kind == "enum" and engine == "postgresql":
        return f"enum {kind.enum_type}"
    if kind.kind == "enum":
        return "enum(" + ",".join("'" + v.replace("'", "''") + "'" for v in kind.values) + ")"
    if kind.kind == "string" and kind.length is None:
        return "text"
    if kind.kind == "decimal" and kind.precision is None:
        return "numeric" if engine == "postgresql" else "decimal(65,30)"
    table = POSTGRES_TYPES if engine == "postgresql" else MARIADB_TYPES
    return table[kind.kind].format(
        length=kind.length, precision=kind.precision, scale=kind.scale or 0
    )


def assert_catalogue_matches(schema: Schema, catalogue: Catalogue, engine: str) -> None:
    assert set(catalogue.columns) == {table.name for table in schema.tables}
    for table in schema.tables:
        expected = [(c.name, _expected_type(c, engine), c.nullable) for c in table.columns]
        assert catalogue.columns[table.name] == expected, table.name
        assert table.primary_key is not None
        assert catalogue.primary_keys[table.name] == table.primary_key.columns
        assert catalogue.uniques.get(table.name, set()) == {key.columns for key in table.uniques}
        assert catalogue.foreign_keys.get(table.name, set()) == {
            (key.columns, key.target, key.target_columns) for key in table.foreign_keys
        }
        found = catalogue.indexes.get(table.name, {})
        for index in table.indexes:
            assert index.name in found, f"{table.name}: index {index.name} missing"
            if index.kind == "btree":
                assert found[index.name] == index.column_names


# PostgreSQL


def _postgres_catalogue(connection: Any) -> Catalogue:
    catalogue = Catalogue()
    tables = connection.execute(
        """SELECT c.oid, c.relname FROM pg_class c
           WHERE c.relnamespace = current_schema()::regnamespace
             AND c.relkind IN ('r', 'p') AND NOT c.relispartition"""
    ).fetchall()
    for oid, name in tables:
        rows = connection.execute(
            """SELECT a.attname, t.typtype, t.typname, format_type(a.atttypid, a.atttypmod),
                      a.attnotnull
               FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
               WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
               ORDER BY a.attnum""",
            (oid,),
        ).fetchall()
        catalogue.columns[name] = [
            (column, f"enum {typname}" if typtype == "e" else spelled, not not_null)
            for column, typtype, typname, spelled, not_null in rows
        ]
        constraints = connection.execute(
            """SELECT con.contype,
                      ARRAY(SELECT attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                            JOIN pg_attribute ON attrelid = con.conrelid AND attnum = k.n
                            ORDER BY k.i),
                      ref.relname,
                      ARRAY(SELECT attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                            JOIN pg_attribute ON attrelid = con.confrelid AND attnum = k.n
                            ORDER BY k.i)
               FROM pg_constraint con LEFT JOIN pg_class ref ON ref.oid = con.confrelid
               WHERE con.conrelid = %s""",
            (oid,),
        ).fetchall()
        for kind, columns, target, target_columns in constraints:
            if kind == "p":
                catalogue.primary_keys[name] = tuple(columns)
            elif kind == "u":
                catalogue.uniques.setdefault(name, set()).add(tuple(columns))
            elif kind == "f":
                catalogue.foreign_keys.setdefault(name, set()).add(
                    (tuple(columns), target, tuple(target_columns))
                )
        indexes = connection.execute(
            """SELECT i.relname,
                      ARRAY(SELECT coalesce(a.attname, '(expression)')
                            FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                            LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                            WHERE o <= x.indnkeyatts ORDER BY o)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               WHERE x.indrelid = %s""",
            (oid,),
        ).fetchall()
        catalogue.indexes[name] = {index: tuple(columns) for index, columns in indexes}
    return catalogue


@pytest.mark.parametrize(("path", "key_strategy"), CASES)
def test_postgresql_builds_what_the_model_says(
    postgres: Any, path: Path, key_strategy: str
) -> None:
    schema = _schema(path, "postgresql", key_strategy)
    postgres.execute(render_ddl(schema))
    assert_catalogue_matches(schema, _postgres_catalogue(postgres), "postgresql")


# MariaDB (the `mysql` dialect)


def _mariadb_execute(cursor: Any, sql: str) -> None:
    cursor.execute(sql)
    while cursor.nextset():
        pass


def _mariadb_catalogue(cursor: Any) -> Catalogue:
    catalogue = Catalogue()
    cursor.execute(
        """SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION"""
    )
    for table, column, spelled, nullable in cursor.fetchall():
        catalogue.columns.setdefault(table, []).append((column, spelled, nullable == "YES"))
    cursor.execute(
        """SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME,
                  k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME
           FROM information_schema.TABLE_CONSTRAINTS c
           JOIN information_schema.KEY_COLUMN_USAGE k
             ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
            AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME
           WHERE c.CONSTRAINT_SCHEMA = DATABASE()
           ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME, k.ORDINAL_POSITION"""
    )
    grouped: dict[tuple[str, str, str], list[tuple[str, str | None, str | None]]] = {}
    for table, name, kind, column, target, target_column in cursor.fetchall():
        grouped.setdefault((table, name, kind), []).append((column, target, target_column))
    for (table, _, kind), parts in grouped.items():
        columns = tuple(part[0] for part in parts)
        if kind == "PRIMARY KEY":
            catalogue.primary_keys[table] = columns
        elif kind == "UNIQUE":
            catalogue.uniques.setdefault(table, set()).add(columns)
        elif kind == "FOREIGN KEY":
            target = parts[0][1] or ""
            target_columns = tuple(part[2] or "" for part in parts)
            catalogue.foreign_keys.setdefault(table, set()).add((columns, target, target_columns))
    cursor.execute(
        """SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
           WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""
    )
    for table, index, column in cursor.fetchall():
        indexes = catalogue.indexes.setdefault(table, {})
        indexes[index] = (*indexes.get(index, ()), column)
    return catalogue


@pytest.mark.parametrize(("path", "key_strategy"), CASES)
def test_mariadb_builds_what_the_model_says(mariadb: Any, path: Path, key_strategy: str) -> None:
    schema = _schema(path, "mysql", key_strategy)
    _mariadb_execute(mariadb, render_ddl(schema))
    assert_catalogue_matches(schema, _mariadb_catalogue(mariadb), "mysql")


# SQLite


def _sqlite_catalogue(connection: sqlite3.Connection) -> Catalogue:
    catalogue = Catalogue()
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        info = connection.execute("SELECT * FROM pragma_table_info(?)", (table,)).fetchall()
        catalogue.columns[table] = [
            (name, _sqlite_affinity(declared), not not_null and not pk)
            for _, name, declared, not_null, _, pk in info
        ]
        catalogue.primary_keys[table] = tuple(
            row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])
        )
        keys: dict[int, list[tuple[str, str, str]]] = {}
        for row in connection.execute("SELECT * FROM pragma_foreign_key_list(?)", (table,)):
            keys.setdefault(row[0], []).append((row[3], row[2], row[4]))
        catalogue.foreign_keys[table] = {
            (tuple(p[0] for p in parts), parts[0][1], tuple(p[2] for p in parts))
            for parts in keys.values()
        }
        for _, index, _unique, origin, _ in connection.execute(
            "SELECT * FROM pragma_index_list(?)", (table,)
        ).fetchall():
            columns = tuple(
                row[2] for row in connection.execute("SELECT * FROM pragma_index_info(?)", (index,))
            )
            if origin == "u":
                catalogue.uniques.setdefault(table, set()).add(columns)
            elif origin == "c":
                catalogue.indexes.setdefault(table, {})[index] = columns
    return catalogue


@pytest.mark.parametrize(("path", "key_strategy"), CASES)
def test_sqlite_builds_what_the_model_says(path: Path, key_strategy: str) -> None:
    schema = _schema(path, "sqlite", key_strategy)
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(schema))
    assert_catalogue_matches(schema, _sqlite_catalogue(connection), "sqlite")


def test_sqlite_numbers_new_rows_itself() -> None:
    requirements = read_requirements("format: advisor/v1\nproject: T\nentities: [{name: tag}]\n")
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(build_schema(requirements, "sqlite")))
    connection.execute("INSERT INTO tag DEFAULT VALUES")
    connection.execute("INSERT INTO tag DEFAULT VALUES")
    assert connection.execute("SELECT id FROM tag ORDER BY id").fetchall() == [(1,), (2,)]


# SQL Server and Oracle


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
@pytest.mark.parametrize(
    ("dialect_name", "sqlglot_dialect"), [("sqlserver", "tsql"), ("oracle", "oracle")]
)
def test_output_parses_back_in_its_dialect(
    path: Path, dialect_name: str, sqlglot_dialect: str
) -> None:
    schema = _schema(path, dialect_name)
    statements = [
        statement
        for statement in sqlglot.parse(
            render_ddl(schema), read=sqlglot_dialect, error_level=ErrorLevel.RAISE
        )
        if statement is not None and not isinstance(statement, exp.Semicolon)
    ]
    assert not [s for s in statements if isinstance(s, exp.Command)], "sqlglot fell back to Command"
    created = {
        statement.this.this.name
        for statement in statements
        if isinstance(statement, exp.Create) and statement.kind == "TABLE"
    }
    assert created == {table.name for table in schema.tables}


# Behaviour the constraints promise, checked on the engines


def test_postgresql_rejects_what_the_constraints_forbid(postgres: Any) -> None:
    import psycopg

    postgres.execute(render_ddl(_schema(DEMO, "postgresql")))
    postgres.execute("INSERT INTO customer (email, full_name) VALUES ('a@example.org', 'A')")
    for bad in (
        "INSERT INTO customer (email, full_name) VALUES ('not an email', 'B')",
        "INSERT INTO customer (email, full_name) VALUES ('a@example.org', 'C')",
        "INSERT INTO category (name, slug, parent_id) VALUES ('x', 'x', 999)",
    ):
        with pytest.raises(psycopg.errors.IntegrityError):
            postgres.execute(bad)


def test_mariadb_rejects_what_the_constraints_forbid(mariadb: Any) -> None:
    import pymysql

    _mariadb_execute(mariadb, render_ddl(_schema(DEMO, "mysql")))
    mariadb.execute("INSERT INTO customer (email, full_name) VALUES ('a@example.org', 'A')")
    for bad in (
        "INSERT INTO customer (email, full_name) VALUES ('not an email', 'B')",
        "INSERT INTO customer (email, full_name) VALUES ('a@example.org', 'C')",
        "INSERT INTO product (sku, name, price, category_id) VALUES ('s', 'n', -1, 1)",
    ):
        with pytest.raises((pymysql.err.IntegrityError, pymysql.err.OperationalError)):
            mariadb.execute(bad)


def test_identifiers_fit_every_dialect_limit() -> None:
    for name in ("postgresql", "mysql", "sqlserver", "oracle"):
        schema = _schema(HOSTILE, name)
        target = dialect(name)
        assert target.identifier_limit is not None
        names = [t.name for t in schema.tables]
        names += [c.name for t in schema.tables for c in t.columns]
        names += [i.name for t in schema.tables for i in t.indexes]
        names += [k.name for t in schema.tables for k in t.foreign_keys + t.uniques]
        assert max(target.length(n) for n in names) <= target.identifier_limit
        assert any(re.search(r"_[0-9a-f]{8}$", n) for n in names), "nothing was shortened"


# updated_at follows UPDATEs: a row is back-dated (the explicit value must stay), then another
# column changes (updated_at must move to now, created_at must not).

BACK_DATE = (
    "UPDATE customer SET created_at = '2000-01-01 00:00:00', updated_at = '2000-01-01 00:00:00'"
)
CHANGE = "UPDATE customer SET full_name = 'B'"
# (updated_at still equals created_at, updated_at is within the last minute)
STAMPS = {
    "postgresql": "SELECT updated_at = created_at, updated_at > now() - interval '1 minute'",
    "mysql": "SELECT updated_at = created_at, updated_at > NOW(6) - INTERVAL 1 MINUTE",
    "sqlite": "SELECT updated_at = created_at, updated_at > datetime('now', '-1 minute')",
}
INSERT_CUSTOMER = "INSERT INTO customer (email, full_name) VALUES ('a@example.org', 'A')"


def test_postgresql_moves_updated_at_on_update(postgres: Any) -> None:
    postgres.execute(render_ddl(_schema(DEMO, "postgresql")))
    postgres.execute(INSERT_CUSTOMER)
    stamps = f"{STAMPS['postgresql']} FROM customer"
    postgres.execute(BACK_DATE)
    assert postgres.execute(stamps).fetchone() == (True, False)
    postgres.execute(CHANGE)
    assert postgres.execute(stamps).fetchone() == (False, True)


def test_mariadb_moves_updated_at_on_update(mariadb: Any) -> None:
    _mariadb_execute(mariadb, render_ddl(_schema(DEMO, "mysql")))
    mariadb.execute(INSERT_CUSTOMER)
    stamps = f"{STAMPS['mysql']} FROM customer"
    mariadb.execute(BACK_DATE)
    mariadb.execute(stamps)
    assert mariadb.fetchone() == (1, 0)
    mariadb.execute(CHANGE)
    mariadb.execute(stamps)
    assert mariadb.fetchone() == (0, 1)


@pytest.mark.parametrize("recursive_triggers", [False, True], ids=["default", "recursive"])
def test_sqlite_moves_updated_at_on_update(recursive_triggers: bool) -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute(f"PRAGMA recursive_triggers = {int(recursive_triggers)}")
    connection.executescript(render_ddl(_schema(DEMO, "sqlite")))
    connection.execute(INSERT_CUSTOMER)
    stamps = f"{STAMPS['sqlite']} FROM customer"
    connection.execute(BACK_DATE)
    assert connection.execute(stamps).fetchone() == (1, 0)
    connection.execute(CHANGE)
    assert connection.execute(stamps).fetchone() == (0, 1)


@pytest.mark.parametrize("dialect_name", ["sqlserver", "oracle"])
def test_dialects_without_a_trigger_say_the_application_sets_updated_at(
    dialect_name: str,
) -> None:
    ddl = render_ddl(_schema(DEMO, dialect_name))
    assert "TRIGGER" not in ddl
    assert "the application must set it in every UPDATE" in ddl


# Shared-schema tenancy: the composite keys keep each tenant's rows apart, on every engine.
# Companies 1 and 3 each have a customer (ids 1 and 2); invoices are written as company 1.

TENANTS = (
    "INSERT INTO company (id, name) VALUES (1, 'One'), (3, 'Three')",
    "INSERT INTO customer (id, company_id, email, full_name) VALUES "
    "(1, 1, 'a@one.example', 'A'), (2, 3, 'b@three.example', 'B')",
)
INVOICE = "INSERT INTO invoice (company_id, number, total, customer_id) VALUES (1, '{}', 10, {})"
SAME_EMAIL_OTHER_TENANT = (
    "INSERT INTO customer (company_id, email, full_name) VALUES (3, 'a@one.example', 'C')"
)
SAME_EMAIL_SAME_TENANT = (
    "INSERT INTO customer (company_id, email, full_name) VALUES (1, 'a@one.example', 'D')"
)


def test_postgresql_keeps_each_tenants_rows_apart(postgres: Any) -> None:
    import psycopg

    postgres.execute(render_ddl(_schema(TENANCY, "postgresql")))
    for statement in TENANTS:
        postgres.execute(statement)
    postgres.execute(INVOICE.format("1-1", 1))  # its own customer
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        postgres.execute(INVOICE.format("1-2", 2))  # company 3's customer
    postgres.execute(SAME_EMAIL_OTHER_TENANT)
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute(SAME_EMAIL_SAME_TENANT)


def test_postgresql_sets_only_the_reference_to_null(postgres: Any) -> None:
    postgres.execute(render_ddl(_schema(TENANCY, "postgresql")))
    for statement in TENANTS:
        postgres.execute(statement)
    postgres.execute(
        "INSERT INTO customer (id, company_id, email, full_name) "
        "VALUES (3, 1, 's@one.example', 'S')"
    )
    postgres.execute(
        "INSERT INTO invoice (company_id, number, total, customer_id, salesperson_id) "
        "VALUES (1, '1-1', 10, 1, 3)"
    )
    postgres.execute("DELETE FROM customer WHERE id = 3")
    row = postgres.execute("SELECT company_id, salesperson_id FROM invoice").fetchone()
    assert row == (1, None)


def test_postgresql_row_level_security_shows_a_session_only_its_tenant(postgres: Any) -> None:
    import psycopg

    postgres.execute(render_ddl(_schema(TENANCY, "postgresql")))
    for statement in TENANTS:
        postgres.execute(statement)
    schema = postgres.execute("SELECT current_schema()").fetchone()[0]
    role = f"{schema}_app"  # superusers bypass row-level security: the app is not one
    postgres.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    try:
        postgres.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        postgres.execute(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        postgres.execute(f"SET ROLE {role}")
        try:
            postgres.execute("SET app.tenant_id = '3'")
            assert postgres.execute("SELECT id FROM customer").fetchall() == [(2,)]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # WITH CHECK
                postgres.execute(SAME_EMAIL_SAME_TENANT)
            postgres.execute("SET app.tenant_id = '1'")
            assert postgres.execute("SELECT id FROM customer").fetchall() == [(1,)]
            postgres.execute("RESET app.tenant_id")
            assert postgres.execute("SELECT id FROM customer").fetchall() == []
        finally:
            postgres.execute("RESET ROLE")
    finally:
        postgres.execute(f"DROP OWNED BY {role}")
        postgres.execute(f"DROP ROLE {role}")


def test_mariadb_keeps_each_tenants_rows_apart(mariadb: Any) -> None:
    import pymysql

    _mariadb_execute(mariadb, render_ddl(_schema(TENANCY, "mysql")))
    for statement in TENANTS:
        mariadb.execute(statement)
    mariadb.execute(INVOICE.format("1-1", 1))
    with pytest.raises(pymysql.err.IntegrityError):
        mariadb.execute(INVOICE.format("1-2", 2))
    mariadb.execute(SAME_EMAIL_OTHER_TENANT)
    with pytest.raises(pymysql.err.IntegrityError):
        mariadb.execute(SAME_EMAIL_SAME_TENANT)
    # Still AUTO_INCREMENT (InnoDB spends a number on each refused insert too).
    mariadb.execute("INSERT INTO customer (company_id, email, full_name) VALUES (1, 'n@x', 'N')")
    assert mariadb.lastrowid > 3


def test_sqlite_keeps_each_tenants_rows_apart() -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(render_ddl(_schema(TENANCY, "sqlite")))
    for statement in TENANTS:
        connection.execute(statement)
    connection.execute(INVOICE.format("1-1", 1))
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(INVOICE.format("1-2", 2))
    connection.execute(SAME_EMAIL_OTHER_TENANT)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(SAME_EMAIL_SAME_TENANT)
    # Still the rowid: SQLite numbers new rows itself.
    connection.execute("INSERT INTO customer (company_id, email, full_name) VALUES (1, 'n@x', 'N')")
    assert connection.execute("SELECT max(id) FROM customer").fetchone() == (4,)

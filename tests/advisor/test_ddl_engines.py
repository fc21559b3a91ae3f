"""The generated DDL runs on real PostgreSQL, MariaDB and SQLite, and builds what the model says.

Each document is executed in a throwaway schema or database; the catalogue is then read back
and compared with the logical schema: tables, columns, types, nullability, keys and indexes.
SQL Server and Oracle have no server here: their DDL must parse back in sqlglot's dialect.
"""

from __future__ import annotations

import re
import sqlite3
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
from tests.advisor.catalogues import (
    assert_catalogue_matches,
)
from tests.advisor.catalogues import (
    mariadb_catalogue as _mariadb_catalogue,
)
from tests.advisor.catalogues import (
    mariadb_execute as _mariadb_execute,
)
from tests.advisor.catalogues import (
    postgres_catalogue as _postgres_catalogue,
)
from tests.advisor.catalogues import (
    sqlite_catalogue as _sqlite_catalogue,
)

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


# PostgreSQL


@pytest.mark.parametrize(("path", "key_strategy"), CASES)
def test_postgresql_builds_what_the_model_says(
    postgres: Any, path: Path, key_strategy: str
) -> None:
    schema = _schema(path, "postgresql", key_strategy)
    postgres.execute(render_ddl(schema))
    assert_catalogue_matches(schema, _postgres_catalogue(postgres), "postgresql")


# MariaDB (the `mysql` dialect)


@pytest.mark.parametrize(("path", "key_strategy"), CASES)
def test_mariadb_builds_what_the_model_says(mariadb: Any, path: Path, key_strategy: str) -> None:
    schema = _schema(path, "mysql", key_strategy)
    _mariadb_execute(mariadb, render_ddl(schema))
    assert_catalogue_matches(schema, _mariadb_catalogue(mariadb), "mysql")


# SQLite


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


def test_the_stock_mysql_client_runs_the_ddl_with_4_byte_characters_intact(mariadb: Any) -> None:
    """The client's character set follows the locale (latin1 under LANG=C): without the DDL's
    SET NAMES utf8mb4, 🙂 is stored as four latin1 characters, or refused as utf8mb3."""
    import shutil
    import subprocess
    from urllib.parse import unquote, urlparse

    from tests.advisor.conftest import MYSQL_URL

    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        pytest.skip("no mysql client installed")
    requirements = read_requirements(
        "format: advisor/v1\nproject: Emoji\nentities:\n  - name: reaction\n    attributes:\n"
        '      - {name: mood, type: string, length: 8, default: "🙂"}\n'
    )
    ddl = render_ddl(build_schema(requirements, "mysql"))
    assert ddl.startswith("SET NAMES utf8mb4;\n")
    mariadb.execute("SELECT DATABASE()")
    (database,) = mariadb.fetchone()
    url = urlparse(MYSQL_URL)
    command = [client, "-h", url.hostname or "127.0.0.1", "-P", str(url.port or 3306)]
    command += ["-u", unquote(url.username or "root"), "--default-character-set=latin1"]
    if url.password:
        command.append(f"--password={unquote(url.password)}")
    subprocess.run(
        [*command, database], input=ddl.encode(), check=True, timeout=60, env={"LC_ALL": "C"}
    )
    mariadb.execute(f"INSERT INTO {database}.reaction () VALUES ()")
    mariadb.execute(f"SELECT HEX(mood) FROM {database}.reaction")
    assert mariadb.fetchone()[0] == "🙂".encode().hex().upper()

"""Every schema of the shared corpus imports with the facts ../shared/README.md states, and
what it becomes runs on real PostgreSQL, MariaDB and SQLite.

The corpus is read where it is (`../shared/corpus/` from the project's root), never copied.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from advisor.ddl import render_ddl
from advisor.importing.report import ImportResult
from advisor.importing.sql import import_sql
from advisor.importing.to_requirements import requirements_from_schema, requirements_yaml
from advisor.requirements import read_requirements
from advisor.schema import Schema, build_schema

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
CHINOOK = {
    "postgresql": CORPUS / "chinook" / "chinook_postgresql.sql",
    "mysql": CORPUS / "chinook" / "chinook_mysql.sql",
    "sqlite": CORPUS / "chinook" / "chinook_sqlite.sql",
    "sqlserver": CORPUS / "chinook" / "chinook_sqlserver.sql",
}
PAGILA = CORPUS / "pagila" / "pagila-schema.sql"
FILES = [*CHINOOK.values(), PAGILA]


def _imported(path: Path) -> ImportResult:
    if not path.exists():
        pytest.skip(f"the shared corpus is not at {path}")
    return import_sql(path.read_text(encoding="utf-8"))


def _count(result: ImportResult, what: str) -> int:
    return sum(len(getattr(table, what)) for table in result.schema.tables)


@pytest.mark.parametrize("dialect", CHINOOK)
def test_chinook_has_eleven_tables_foreign_keys_and_indexes(dialect: str) -> None:
    result = _imported(CHINOOK[dialect])
    assert result.dialect == dialect
    assert len(result.schema.tables) == 11
    assert _count(result, "foreign_keys") == 11
    assert _count(result, "indexes") == 11
    assert not [s for s in result.statements if s.outcome == "rejected"]


def test_chinook_keeps_names_as_written_and_matches_keys_across_case_and_schema() -> None:
    server = _imported(CHINOOK["sqlserver"]).schema
    postgres = _imported(CHINOOK["postgresql"]).schema
    album = server.table("Album")
    assert album is not None and album.source == "dbo.Album"
    assert [(key.columns, key.target, key.target_columns) for key in album.foreign_keys] == [
        (("ArtistId",), "Artist", ("ArtistId",))
    ]
    assert postgres.table("album") is not None and postgres.table("Album") is None


def test_chinook_statements_before_the_tables_are_skipped_with_their_lines() -> None:
    result = _imported(CHINOOK["postgresql"])
    skipped = [(s.line, s.what) for s in result.statements if s.outcome == "skipped"]
    assert skipped == [(19, "DROP DATABASE"), (25, "CREATE DATABASE"), (28, "\\c")]


def test_pagila_has_sixteen_base_tables_and_payment_partitioned() -> None:
    result = _imported(PAGILA)
    schema = result.schema
    assert len(schema.tables) == 16
    assert not any(table.name.startswith("payment_p") for table in schema.tables)
    payment = schema.table("payment")
    assert payment is not None and payment.partitioning is not None
    assert payment.partitioning.column == "payment_date"
    assert payment.partitioning.interval == "month"
    assert len(payment.partitioning.partitions) == 55
    assert _count(result, "foreign_keys") == 19


def test_pagila_keeps_the_enum_the_domains_and_the_extension_types() -> None:
    result = _imported(PAGILA)
    schema = result.schema
    assert [(enum.name, enum.values) for enum in schema.enums] == [
        ("mpaa_rating", ("G", "PG", "PG-13", "R", "NC-17"))
    ]
    film = schema.table("film")
    embedding = schema.table("film_embedding")
    assert film is not None and embedding is not None
    types = {column.name: column.type for column in (*film.columns, *embedding.columns)}
    assert (types["rating"].kind, types["rating"].enum_type) == ("enum", "mpaa_rating")
    assert (types["fulltext"].kind, types["fulltext"].original) == ("text", "tsvector")
    vector = types["embedding"]
    assert (vector.kind, vector.dimensions, vector.original) == ("vector", 20, "public.vector(20)")
    assert (types["release_year"].kind, types["release_year"].original) == (
        "integer",
        "public.year",
    )
    domains = [s.what for s in result.statements if s.what.startswith("CREATE DOMAIN")]
    assert domains == ["CREATE DOMAIN bıgınt (as bigint)", "CREATE DOMAIN year (as integer)"]


def test_pagila_reports_what_it_skips_and_why() -> None:
    result = _imported(PAGILA)
    skipped = {s.what: s.message for s in result.statements if s.outcome == "skipped"}
    for kind in ("CREATE VIEW", "CREATE FUNCTION", "CREATE TRIGGER", "SET", "GRANT"):
        assert skipped[kind], kind
    assert "ownership" in skipped["ALTER TABLE"] or any(
        "ownership" in s.message for s in result.statements
    )
    partitions = [s for s in result.statements if "a partition of payment" in s.message]
    assert len(partitions) == 36  # 18 foreign keys and 18 indexes of the partitions
    assert not [s for s in result.statements if s.outcome == "rejected"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_derived_requirements_are_valid_and_render_to_yaml(path: Path) -> None:
    result = _imported(path)
    requirements = requirements_from_schema(result.schema, project=path.stem)
    text = requirements_yaml(result.schema, project=path.stem)
    assert read_requirements(text) == requirements
    tables = len(result.schema.tables)
    links = tables - len(requirements.entities)  # junction tables become relationships
    assert links in (0, 1, 2)
    keys = _count(result, "foreign_keys")
    assert len(requirements.relationships) == keys - links


# The re-emitted DDL on real engines


def _design(path: Path, dialect: str) -> Schema:
    requirements = requirements_from_schema(_imported(path).schema)
    return build_schema(requirements, dialect)


def _without_vectors(schema: Schema) -> Schema:
    """The schema with vector columns stored as bytes, for a server without pgvector."""
    tables = tuple(
        replace(
            table,
            columns=tuple(
                replace(c, type=replace(c.type, kind="binary")) if c.type.kind == "vector" else c
                for c in table.columns
            ),
            indexes=tuple(i for i in table.indexes if i.kind != "vector"),
        )
        for table in schema.tables
    )
    return replace(schema, tables=tables)


def _has_pgvector(connection: Any) -> bool:
    found = connection.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    return found.fetchone() is not None


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_design_of_each_import_runs_on_postgresql(postgres: Any, path: Path) -> None:
    schema = _design(path, "postgresql")
    if not _has_pgvector(postgres):
        schema = _without_vectors(schema)
    postgres.execute(render_ddl(schema))
    found = postgres.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchone()
    assert found[0] >= len(schema.tables)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_design_of_each_import_runs_on_mariadb(mariadb: Any, path: Path) -> None:
    schema = _design(path, "mysql")
    mariadb.execute(render_ddl(schema))
    while mariadb.nextset():
        pass
    mariadb.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
    )
    assert mariadb.fetchone()[0] == len(schema.tables)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_design_of_each_import_runs_on_sqlite(path: Path) -> None:
    schema = _design(path, "sqlite")
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(schema))
    found = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
    assert found.fetchone()[0] == len(schema.tables)


def test_the_imported_pagila_schema_itself_runs_on_postgresql(postgres: Any) -> None:
    schema = _imported(PAGILA).schema
    if not _has_pgvector(postgres):
        schema = _without_vectors(schema)
    postgres.execute(render_ddl(schema))
    partitions = postgres.execute(
        "SELECT count(*) FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent "
        "WHERE parent.relname = 'payment'"
    ).fetchone()
    assert partitions[0] == 55


def test_the_imported_chinook_schemas_run_on_their_own_engines(postgres: Any, mariadb: Any) -> None:
    postgres.execute(render_ddl(_imported(CHINOOK["postgresql"]).schema))
    mariadb.execute(render_ddl(_imported(CHINOOK["mysql"]).schema))
    while mariadb.nextset():
        pass
    sqlite3.connect(":memory:").executescript(render_ddl(_imported(CHINOOK["sqlite"]).schema))
    mariadb.execute(
        "SELECT count(*) FROM information_schema.REFERENTIAL_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()"
    )
    assert mariadb.fetchone()[0] == 11

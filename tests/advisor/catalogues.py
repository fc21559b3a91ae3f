"""What an engine says it holds, read from its catalogue in the schema model's terms, and the
comparison with a logical schema; shared by the DDL and the migration tests.

Expected types are written from each engine's documentation, not from the generator.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from advisor.schema import Schema
from advisor.schema.model import Column


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


def postgres_catalogue(connection: Any) -> Catalogue:
    catalogue = Catalogue()
    tables = connection.execute(
        """SELECT c.oid, c.relname FROM pg_class c
           WHERE c.relnamespace = ANY (current_schemas(false)::regnamespace[])
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


def mariadb_execute(cursor: Any, sql: str) -> None:
    cursor.execute(sql)
    while cursor.nextset():
        pass


def mariadb_catalogue(cursor: Any) -> Catalogue:
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


def sqlite_catalogue(connection: sqlite3.Connection) -> Catalogue:
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


def catalogue_differences(schema: Schema, catalogue: Catalogue, engine: str) -> list[str]:
    """How `catalogue` differs from `schema`, as sentences; column order is not compared (a
    migrated table keeps its columns in the order they were added)."""
    found: list[str] = []
    tables = {table.name for table in schema.tables}
    if set(catalogue.columns) != tables:
        found.append(f"tables {sorted(catalogue.columns)} instead of {sorted(tables)}")
    for table in schema.tables:
        expected = {(c.name, _expected_type(c, engine), c.nullable) for c in table.columns}
        actual = set(catalogue.columns.get(table.name, []))
        if actual != expected:
            found.append(
                f"{table.name}: columns {sorted(actual - expected)} instead of "
                f"{sorted(expected - actual)}"
            )
        key = table.primary_key.columns if table.primary_key else ()
        if catalogue.primary_keys.get(table.name, ()) != key:
            found.append(f"{table.name}: primary key {catalogue.primary_keys.get(table.name)}")
        uniques = {key.columns for key in table.uniques}
        if catalogue.uniques.get(table.name, set()) != uniques:
            found.append(f"{table.name}: unique keys {catalogue.uniques.get(table.name)}")
        keys = {(key.columns, key.target, key.target_columns) for key in table.foreign_keys}
        if catalogue.foreign_keys.get(table.name, set()) != keys:
            found.append(f"{table.name}: foreign keys {catalogue.foreign_keys.get(table.name)}")
        indexes = catalogue.indexes.get(table.name, {})
        for index in table.indexes:
            if index.name not in indexes:
                found.append(f"{table.name}: index {index.name} missing")
            elif index.kind == "btree" and indexes[index.name] != index.column_names:
                found.append(f"{table.name}: index {index.name} on {indexes[index.name]}")
        leftovers = [name for name in indexes if name.endswith("__new")]
        if leftovers:
            found.append(f"{table.name}: temporary indexes left: {leftovers}")
    return found

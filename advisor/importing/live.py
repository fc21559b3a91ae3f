"""A live PostgreSQL database read into the advisor's schema model, with its health report.

`read_database` connects read-only, reads pg_catalog, and returns an `ImportResult` whose
`statements` say, object by object, what was imported and what was skipped and why. See
docs/live-import.md for what is read, how names are kept, and the permissions needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import psycopg

from advisor.importing import catalogue_queries as queries
from advisor.importing.catalogue import (
    Catalogue,
    Row,
    failure,
    read_only_connection,
    schemas_to_read,
    where,
)
from advisor.importing.catalogue_expressions import (
    check,
    columns_in,
    default,
    equalities,
    interval,
    lowered,
    range_bound,
)
from advisor.importing.catalogue_types import CatalogueType, column_type
from advisor.importing.health import database_health
from advisor.importing.report import ImportResult, StatementOutcome
from advisor.schema.model import (
    TEMPORAL_KINDS,
    Check,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Partition,
    Partitioning,
    Schema,
    Table,
)

DIALECT = "postgresql"
# pg_constraint.confdeltype; NO ACTION (the default) and SET DEFAULT read as restrict: the
# model knows cascade, restrict and set_null.
ON_DELETE = {"a": "restrict", "r": "restrict", "c": "cascade", "n": "set_null", "d": "restrict"}
RELATION_KINDS = {
    "v": ("VIEW", "a view is a query, not stored data"),
    "m": ("MATERIALIZED VIEW", "a materialized view is derived from other tables"),
    "f": ("FOREIGN TABLE", "a foreign table's data lives on another server"),
}
# pg_partitioned_table.partstrat
STRATEGIES = {"r": "RANGE", "l": "LIST", "h": "HASH"}
# Index methods (pg_am.amname) the model has a kind for; the rest are reported, not read.
VECTOR_METHODS = ("hnsw", "ivfflat")
INDOPTION_DESC = (
    1  # pg_index.indoption bit: https://www.postgresql.org/docs/15/catalog-pg-index.html
)


def read_database(dsn: str, *, schemas: tuple[str, ...] | None = None) -> ImportResult:
    """Read the tables of a live PostgreSQL database (all its schemas but the system's, or
    `schemas`) into a `Schema`, with what was read per object and the database's health.

    A DSN that is malformed, a server that refuses or does not answer, a schema that does not
    exist: each is an `UnreadableDatabase` that says where and what.

    >>> read_database("postgresql://nobody@127.0.0.1:1/none")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    advisor.errors.UnreadableDatabase: postgresql://127.0.0.1:1/none: cannot connect: ...
    """
    location = where(dsn)
    with read_only_connection(dsn) as connection:
        try:
            names = schemas_to_read(connection, schemas)
            catalogue = Catalogue(connection, names)
            schema, statements = read_schema(catalogue)
            health = database_health(connection, names)
        except psycopg.Error as error:
            raise failure(error, "the catalogue", location) from None
    return ImportResult(schema, DIALECT, statements, health)


def read_schema(catalogue: Catalogue) -> tuple[Schema, tuple[StatementOutcome, ...]]:
    """The `Schema` of the catalogue's schemas and a report line per object."""
    relations = catalogue.rows(queries.RELATIONS, (list(catalogue.schemas),))
    statements: list[StatementOutcome] = []
    tables: list[Row] = []
    for relation in relations:
        name = catalogue.name(relation["namespace"], relation["name"])
        if relation["extension"]:
            statements.append(
                _skipped(f"TABLE {name}", f"belongs to the extension {relation['extension']}")
            )
        elif relation["kind"] in RELATION_KINDS:
            kind, why = RELATION_KINDS[relation["kind"]]
            statements.append(_skipped(f"{kind} {name}", why))
        elif not relation["is_partition"]:
            tables.append(relation)
    oids = [relation["oid"] for relation in tables]
    columns = _grouped(catalogue.rows(queries.COLUMNS, (oids,)))
    version = catalogue.server_version
    set_null = (
        queries.SET_NULL_COLUMNS_15 if version >= 150000 else queries.SET_NULL_COLUMNS_BEFORE_15
    )
    constraints = _grouped(
        catalogue.rows(queries.CONSTRAINTS.format(set_null_columns=set_null), (oids,))
    )
    indexes = _grouped(catalogue.rows(queries.INDEXES, (oids,)))
    partitioning = {row["relation"]: row for row in catalogue.rows(queries.PARTITIONING, (oids,))}
    partitions = _grouped(catalogue.rows(queries.PARTITIONS, (oids,)), key="parent")
    enum_oids = sorted({row["base_oid"] for rows in columns.values() for row in rows})
    enum_rows = catalogue.rows(queries.ENUMS, (list(catalogue.schemas), enum_oids))
    enums = {
        row["oid"]: EnumType(catalogue.name(row["namespace"], row["name"]), tuple(row["labels"]))
        for row in enum_rows
    }

    read: list[Table] = []
    for relation in tables:
        name = catalogue.name(relation["namespace"], relation["name"])
        notes: list[str] = []  # what the table's import could not keep, for its report line
        oid = relation["oid"]
        table_columns = tuple(_column(row, enums, notes) for row in columns.get(oid, []))
        numbers = {row["number"]: row["name"] for row in columns.get(oid, [])}
        table = Table(
            name,
            table_columns,
            comment=relation["comment"] or "",
            source=f"{relation['namespace']}.{relation['name']}",
        )
        table = _constrained(table, constraints.get(oid, []), catalogue, notes)
        table = _indexed(table, indexes.get(oid, []), numbers, notes)
        if oid in partitioning:
            table = _partitioned(table, partitioning[oid], partitions.get(oid, []), numbers, notes)
        read.append(table)
        statements.append(StatementOutcome(0, "imported", f"TABLE {name}", "; ".join(notes)))
    for row in enum_rows:
        statements.append(
            StatementOutcome(0, "imported", f"TYPE {catalogue.name(row['namespace'], row['name'])}")
        )
    statements += _other_objects(catalogue)
    schema = Schema(DIALECT, tuple(read), enums=tuple(enums.values()), key_strategy="imported")
    return schema, tuple(statements)


def _skipped(what: str, why: str) -> StatementOutcome:
    return StatementOutcome(0, "skipped", what, why)


def _grouped(rows: Iterable[Row], key: str = "relation") -> dict[Any, list[Row]]:
    grouped: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _column(row: Row, enums: dict[int, EnumType], notes: list[str]) -> Column:
    enum = enums.get(row["base_oid"])
    found = CatalogueType(
        name=row["base_name"],
        category=row["category"],
        modifier=row["modifier"],
        original=row["original"],
        enum_type=enum.name if enum is not None else None,
        enum_values=enum.values if enum is not None else (),
    )
    kind, meaningful = column_type(found)
    name = row["name"]
    if not meaningful:
        notes.append(f"column {name}: type {row['original']} has no kind of its own, read as text")
    identity = bool(row["identity"])
    value, now = None, False
    expression = row["default_expression"]
    if row["generated"]:
        notes.append(f"column {name}: generated column, its expression ({expression}) not kept")
    elif expression is not None:
        read = default(expression, kind.kind)
        identity = identity or read.sequence
        value, now = read.value, read.now
        if not read.kept:
            notes.append(f"column {name}: default {expression} not kept")
    return Column(
        name,
        kind,
        nullable=not row["not_null"],
        default=value,
        default_now=now,
        identity=identity,
        comment=row["comment"] or "",
        source="catalogue",
        case_insensitive=row["base_name"] == "citext",
    )


def _constrained(table: Table, rows: list[Row], catalogue: Catalogue, notes: list[str]) -> Table:
    primary_key: Key | None = None
    uniques: list[Key] = []
    checks: list[Check] = []
    foreign_keys: list[ForeignKey] = []
    for row in rows:
        columns = tuple(row["columns"])
        if row["kind"] == "p":
            primary_key = Key(row["name"], columns)
        elif row["kind"] == "u":
            uniques.append(Key(row["name"], columns))
        elif row["kind"] == "f":
            foreign_keys.append(_foreign_key(table, row, catalogue, notes))
        elif row["kind"] == "x":
            notes.append(f"exclusion constraint {row['name']} not kept: {row['definition']}")
        else:
            read = None
            if len(columns) == 1:
                column = table.column(columns[0])
                kind = column.type.kind if column is not None else ""
                read = check(row["name"], columns[0], kind, row["definition"])
            if read is None:
                notes.append(f"check {row['name']} not kept: {row['definition']}")
            else:
                checks.append(read)
    return replace(
        table,
        primary_key=primary_key,
        uniques=tuple(uniques),
        checks=tuple(checks),
        foreign_keys=tuple(foreign_keys),
    )


def _foreign_key(table: Table, row: Row, catalogue: Catalogue, notes: list[str]) -> ForeignKey:
    columns = tuple(row["columns"])
    on_delete = ON_DELETE.get(row["on_delete"], "restrict")
    if row["on_delete"] == "d":
        notes.append(f"foreign key {row['name']}: ON DELETE SET DEFAULT read as restrict")
    required = all(
        (column := table.column(name)) is not None and not column.nullable for name in columns
    )
    return ForeignKey(
        row["name"],
        columns,
        catalogue.name(row["target_namespace"], row["target_name"]),
        tuple(row["target_columns"]),
        on_delete=on_delete,
        required=required,
        source="catalogue",
        set_null_columns=tuple(row["set_null_columns"] or ()),
    )


def _indexed(table: Table, rows: list[Row], numbers: dict[int, str], notes: list[str]) -> Table:
    indexes: list[Index] = []
    types = {column.name: column.type for column in table.columns}
    for row in rows:
        if row["backs_constraint"]:
            continue  # the primary key, a unique or exclusion constraint: read as such
        name = row["name"]
        if not row["is_valid"]:
            notes.append(f"index {name} not kept: it is invalid (a failed concurrent build)")
            continue
        read = _index(row, numbers, types)
        if isinstance(read, str):
            notes.append(f"index {name} not kept: {read}")
        else:
            indexes.append(read)
    return replace(table, indexes=tuple(indexes))


def _index(row: Row, numbers: dict[int, str], types: dict[str, ColumnType]) -> Index | str:
    """The model's index, or why the model cannot hold it."""
    method = row["method"]
    key_count = row["key_count"]
    positions = list(zip(row["numbers"], row["options"] or [], row["definitions"], strict=False))
    keys, included = positions[:key_count], positions[key_count:]
    where: tuple[tuple[str, Any], ...] = ()
    if row["predicate"] is not None:
        kinds = {name: kind.kind for name, kind in types.items()}
        conditions = equalities(row["predicate"], kinds)
        if conditions is None:
            return f"partial index WHERE {row['predicate']}: the model holds only column = constant"
        where = conditions
    expressions = [definition for number, _, definition in keys if number == 0]
    unique = bool(row["is_unique"])
    columns = tuple(
        IndexColumn(numbers[number], descending=bool(option & INDOPTION_DESC))
        for number, option, _ in keys
        if number != 0
    )
    include = tuple(numbers[number] for number, _, _ in included if number != 0)
    kind = "btree"
    if method == "btree" and expressions:
        lower = [lowered(expression) for expression in expressions]
        if not unique or None in lower:
            return f"an expression index on {', '.join(expressions)}"
        columns += tuple(IndexColumn(name) for name in lower if name is not None)
        kind = "unique_lower"
    elif method in ("gin", "gist") and _full_text(expressions, columns, types):
        if expressions:
            named = (name for expression in expressions for name in columns_in(expression))
            columns = tuple(IndexColumn(name) for name in dict.fromkeys(named) if name in types)
        kind = "full_text"
    elif (
        method == "gist" and not expressions and all(types[c.name].kind == "point" for c in columns)
    ):
        kind = "spatial"
    elif method in VECTOR_METHODS and not expressions:
        kind = "vector"
    elif method != "btree" or expressions:
        return f"a {method} index, a kind the model does not have"
    return Index(row["name"], columns, kind=kind, include=include, where=where, unique=unique)


def _full_text(
    expressions: list[str], columns: tuple[IndexColumn, ...], types: dict[str, ColumnType]
) -> bool:
    """A text search index: over to_tsvector() expressions, or over tsvector columns."""
    if expressions:
        return all("to_tsvector" in expression for expression in expressions) and not columns
    return all(types[column.name].original == "tsvector" for column in columns)


def _partitioned(
    table: Table, row: Row, children: list[Row], numbers: dict[int, str], notes: list[str]
) -> Table:
    strategy = STRATEGIES.get(row["strategy"], row["strategy"])
    count = len(children)
    said = f"partitioned by {row['definition']} into {count} partitions, not read as tables"
    keys = [number for number in row["numbers"] if number != 0]
    column = table.column(numbers[keys[0]]) if len(keys) == 1 == len(row["numbers"]) else None
    if strategy != "RANGE" or column is None or column.type.kind not in TEMPORAL_KINDS:
        notes.append(f"{said}; the model holds range partitioning on one time column only")
        return table
    partitions: list[Partition] = []
    ranges: list[tuple[str, str]] = []
    for child in children:
        bound = range_bound(child["bound"] or "")
        start, end = bound if bound is not None else (None, None)
        partitions.append(Partition(child["name"], start, end))
        if start is not None and end is not None:
            ranges.append((start, end))
    try:
        spans = interval(ranges) if ranges else "irregular"
    except ValueError:
        spans = "irregular"
    notes.append(said)
    default_partition = any(child["bound"] == "DEFAULT" for child in children)
    policy = (
        f"read from the database: {count} {spans} partitions on {column.name}"
        + (", and a DEFAULT partition" if default_partition else "")
        + "; how new partitions are made and old ones go is not in the catalogue"
    )
    partitioning = Partitioning(column.name, spans, tuple(partitions), None, policy)
    return replace(table, partitioning=partitioning)


def _other_objects(catalogue: Catalogue) -> list[StatementOutcome]:
    why = {
        "DOMAIN": "its columns are read as its base type {detail}; its constraints are not kept",
        "TYPE": "a composite type is not a table",
        "FUNCTION": "code, not schema",
        "PROCEDURE": "code, not schema",
        "AGGREGATE": "code, not schema",
        "TRIGGER": "code, not schema",
    }
    names = list(catalogue.schemas)
    rows = catalogue.rows(queries.OTHER_OBJECTS, (names, names, names, names))
    return [
        _skipped(
            f"{row['kind']} {catalogue.name(row['namespace'], row['name'])}",
            why[row["kind"]].format(detail=row["detail"]),
        )
        for row in rows
    ]

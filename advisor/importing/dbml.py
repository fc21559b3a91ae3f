"""DBML (dbdiagram.io) into the same `Schema` as SQL, read by pydbml.

DBML is parsed whole: a syntax error rejects the file at the line pydbml names. The report
has one line per table, reference and enum, at the line where each is declared.

>>> result = import_dbml("Table artist {\\n  id int [pk]\\n}\\n"
...     "Table album {\\n  id int [pk]\\n  artist_id int [ref: > artist.id, not null]\\n}\\n")
>>> [(key.columns, key.target, key.required) for key in result.schema.table("album").foreign_keys]
[(('artist_id',), 'artist', True)]
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlglot import exp

from advisor.importing.replay import fitted_default, quiet_sqlglot
from advisor.importing.report import ImportResult, StatementOutcome
from advisor.importing.types import column_type
from advisor.schema.model import (
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Schema,
    Table,
)

ON_DELETE = {"cascade": "cascade", "set null": "set_null", "restrict": "restrict"}


def import_dbml(text: str) -> ImportResult:
    """The schema a DBML document describes."""
    from pydbml import PyDBML

    try:
        parsed: Any = PyDBML(text)
    except Exception as error:  # pyparsing's and pydbml's errors share no base class
        line = getattr(error, "lineno", 1)
        message = " ".join(str(getattr(error, "msg", error)).split())
        outcome = StatementOutcome(line, "rejected", "DBML", f"not DBML pydbml reads: {message}")
        return ImportResult(Schema("postgresql", ()), "dbml", (outcome,))
    outcomes: list[StatementOutcome] = []
    enums = {
        enum.name.lower(): ColumnType(
            "enum", values=tuple(item.name for item in enum.items), enum_type=enum.name
        )
        for enum in parsed.enums
    }
    for enum in parsed.enums:
        outcomes.append(_outcome(text, "Enum", enum.name))
    keys: dict[str, list[ForeignKey]] = {}
    for ref in parsed.refs:
        found = _foreign_key(ref)
        if found is None:
            outcomes.append(
                StatementOutcome(
                    _line(text, "Ref", ""),
                    "skipped",
                    "Ref",
                    "a many-to-many reference: a junction table holds it",
                )
            )
            continue
        holder, key = found
        keys.setdefault(holder, []).append(key)
    tables = []
    for table in parsed.tables:
        tables.append(_table(table, enums, keys.get(table.name, [])))
        outcomes.append(_outcome(text, "Table", table.name))
    outcomes.sort(key=lambda outcome: outcome.line)
    schema = Schema(
        "postgresql",
        tuple(tables),
        enums=tuple(
            EnumType(enum.name, tuple(i.name for i in enum.items)) for enum in parsed.enums
        ),
        key_strategy="imported",
        key_reason="as imported",
    )
    return ImportResult(schema, "dbml", tuple(outcomes))


def _table(table: Any, enums: dict[str, ColumnType], keys: list[ForeignKey]) -> Table:
    columns = []
    primary: list[str] = []
    uniques: list[Key] = []
    for column in table.columns:
        kind = _type(column.type, enums)
        default = column.default
        default_now = hasattr(default, "text") and "now" in str(default.text).lower()
        value = None
        if isinstance(default, str | int | float | bool) and not hasattr(default, "text"):
            value = fitted_default(default, kind)
        note = getattr(column.note, "text", "") or ""
        columns.append(
            Column(
                column.name,
                kind,
                nullable=not (column.not_null or column.pk),
                default=value,
                default_now=default_now,
                identity=bool(column.autoinc),
                comment=note,
            )
        )
        if column.pk:
            primary.append(column.name)
        if column.unique:
            uniques.append(Key(f"{table.name}_{column.name}_key", (column.name,)))
    indexes = []
    for position, index in enumerate(table.indexes):
        names = [getattr(subject, "name", None) for subject in index.subjects]
        if not all(isinstance(name, str) for name in names):
            continue  # an index on an expression: the model keeps columns only
        if index.pk:
            primary = [str(name) for name in names]
            continue
        name = index.name or f"{table.name}_{'_'.join(str(n) for n in names)}_idx{position}"
        indexes.append(
            Index(
                name,
                tuple(IndexColumn(str(n)) for n in names),
                unique=bool(index.unique),
                reason="imported",
            )
        )
    nullable = {column.name: column.nullable for column in columns}
    keys = [
        replace(key, required=all(not nullable.get(c, True) for c in key.columns)) for key in keys
    ]
    return Table(
        table.name,
        tuple(columns),
        primary_key=Key(f"{table.name}_pkey", tuple(primary)) if primary else None,
        uniques=tuple(uniques),
        foreign_keys=tuple(keys),
        indexes=tuple(indexes),
        comment=getattr(table.note, "text", "") or "",
        source=f"{table.schema}.{table.name}" if table.schema else table.name,
    )


def _type(spelled: Any, enums: dict[str, ColumnType]) -> ColumnType:
    if not isinstance(spelled, str):  # a pydbml Enum
        found = enums.get(str(getattr(spelled, "name", "")).lower())
        return replace(found, original=found.enum_type or "") if found else ColumnType("text")
    try:
        with quiet_sqlglot():
            built = exp.DataType.build(spelled, dialect="postgres", udt=True)
    except Exception:  # sqlglot raises several error types for a type it cannot read
        return ColumnType("text", original=spelled)
    return column_type(built, spelled, "postgresql", enums=enums)


def _foreign_key(ref: Any) -> tuple[str, ForeignKey] | None:
    """(the table holding the reference, its key); None for a many-to-many reference."""
    if ref.type == "<>":
        return None
    many, one = (ref.col2, ref.col1) if ref.type == "<" else (ref.col1, ref.col2)
    holder = many[0].table.name
    columns = tuple(column.name for column in many)
    name = ref.name or f"{holder}_{'_'.join(columns)}_fkey"
    return holder, ForeignKey(
        name,
        columns,
        one[0].table.name,
        tuple(column.name for column in one),
        on_delete=ON_DELETE.get(str(ref.on_delete or "").lower(), "restrict"),
    )


def _line(text: str, keyword: str, name: str) -> int:
    pattern = rf"^\s*{keyword}\b[^\n]*?{re.escape(name)}" if name else rf"^\s*{keyword}\b"
    match = re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _outcome(text: str, keyword: str, name: str) -> StatementOutcome:
    return StatementOutcome(_line(text, keyword, name), "imported", f"{keyword} {name}")

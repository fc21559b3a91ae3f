"""The ERD as DBML (dbdiagram.io's language): tables, enums, references and context groups.

Every name is double-quoted; a double quote, backslash or line break inside a name is written
with a backslash escape (`\\"`, `\\\\`, `\\n`), the convention of DBML's strings. Enum columns of
dialects without named enum types get an `Enum` block named `<table>_<column>`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from advisor.erd.model import Erd, ErdColumn, ErdTable, Link

DATABASE_TYPES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
}
_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_ESCAPED = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


def dbml_name(name: str) -> str:
    """`name` as a quoted DBML identifier.

    >>> print(dbml_name('order "x"'))
    "order \\"x\\""
    """
    # Most names hold none of them: searching for one costs less than translating.
    return '"' + (name.translate(_ESCAPES) if _ESCAPED.search(name) else name) + '"'


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


@lru_cache(maxsize=1024)  # a schema spells its thousands of columns' types a few ways
def _type(text: str) -> str:
    """A type name bare when DBML takes it so (`varchar(255)`), else quoted."""
    bare = text.replace("(", "").replace(")", "").replace("_", "")
    return text if bare.isascii() and bare.isalnum() else dbml_name(text)


def enum_names(erd: Erd) -> dict[tuple[str, str], str]:
    """The DBML enum of each enum column: its named type, or `<table>_<column>`."""
    named = {enum.name for enum in erd.enums}
    taken = named | {table.name for table in erd.tables}
    found = {}
    for table in erd.tables:
        for column in table.columns:
            if not column.enum_values:
                continue
            if column.type in named:
                found[(table.name, column.name)] = column.type
                continue
            name = f"{table.name}_{column.name}"
            while name in taken:
                name += "_"
            taken.add(name)
            found[(table.name, column.name)] = name
    return found


def _column(table: ErdTable, column: ErdColumn, enum: str | None) -> str:
    settings = []
    if column.primary_key and table.primary_key == (column.name,):
        settings.append("pk")
    if column.identity:
        settings.append("increment")
    if not column.nullable:
        settings.append("not null")
    if column.unique:
        settings.append("unique")
    if column.comment:
        settings.append(f"note: {_string(column.comment)}")
    type_text = dbml_name(enum) if enum else _type(column.type)
    line = f"  {dbml_name(column.name)} {type_text}"
    return f"{line} [{', '.join(settings)}]" if settings else line


def _columns(names: tuple[str, ...]) -> str:
    return f"({', '.join(dbml_name(name) for name in names)})"


def _ref(link: Link) -> str:
    relation = "-" if link.child_end == "zero_or_one" else ">"

    def end(table: str, columns: tuple[str, ...]) -> str:
        held = dbml_name(columns[0]) if len(columns) == 1 else _columns(columns)
        return f"{dbml_name(table)}.{held}"

    on_delete = link.on_delete.replace("_", " ")
    return (
        f"Ref {dbml_name(link.name)}: {end(link.child, link.child_columns)} {relation} "
        f"{end(link.parent, link.parent_columns)} [delete: {on_delete}]"
    )


def erd_dbml(erd: Erd) -> str:
    """The diagram as DBML, which dbdiagram.io and the `pydbml` package read.

    >>> from advisor.erd.model import ErdColumn, ErdTable
    >>> table = ErdTable("user", "accounts", (ErdColumn("id", "bigint", False, True),), ("id",))
    >>> print(erd_dbml(Erd("", "postgresql", (table,), ())))
    Project "design" {
      database_type: 'PostgreSQL'
    }
    <BLANKLINE>
    Table "user" {
      "id" bigint [pk, not null]
    }
    <BLANKLINE>
    TableGroup "accounts" {
      "user"
    }
    <BLANKLINE>
    """
    blocks = [
        f"Project {dbml_name(erd.title or 'design')} {{\n"
        f"  database_type: {_string(DATABASE_TYPES.get(erd.dialect, erd.dialect))}\n}}"
    ]
    enums = enum_names(erd)
    written: set[str] = set()
    for table in erd.tables:
        for column in table.columns:
            name = enums.get((table.name, column.name)) if column.enum_values else None
            if name is None or name in written:
                continue
            written.add(name)
            values = "\n".join(f"  {dbml_name(value)}" for value in column.enum_values)
            blocks.append(f"Enum {dbml_name(name)} {{\n{values}\n}}")
    for table in erd.tables:
        lines = [f"Table {dbml_name(table.name)} {{"]
        lines += [
            _column(table, c, enums.get((table.name, c.name)) if c.enum_values else None)
            for c in table.columns
        ]
        indexes = []
        if len(table.primary_key) > 1:
            indexes.append(f"    {_columns(table.primary_key)} [pk]")
        indexes += [f"    {_columns(keyset)} [unique]" for keyset in table.uniques]
        if indexes:
            lines += ["", "  indexes {", *indexes, "  }"]
        if table.comment:
            lines.append(f"  Note: {_string(table.comment)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    if erd.links:
        blocks.append("\n".join(_ref(link) for link in erd.links))
    for context in erd.contexts:
        members = "\n".join(
            f"  {dbml_name(table.name)}" for table in erd.tables if table.context == context
        )
        blocks.append(f"TableGroup {dbml_name(context)} {{\n{members}\n}}")
    return "\n\n".join(blocks) + "\n"

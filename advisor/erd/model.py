"""What every diagram format draws: tables with their context, columns and the links between them.

`erd_model` reads a logical `Schema` (and, when there is one, the `Requirements` it was built
from, for the bounded contexts) once; the DOT, Mermaid, PlantUML and DBML writers all draw this
same model, so they agree on names, types, keys and the cardinality at both ends of a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from advisor.requirements.model import Requirements
from advisor.schema.dialects import Dialect, dialect
from advisor.schema.model import Column, ColumnType, ForeignKey, Schema, Table

# How many rows one row at the other end of a link has at this end.
End = Literal["one", "zero_or_one", "many", "one_or_many"]
END_WORDS: dict[End, str] = {
    "one": "exactly one",
    "zero_or_one": "zero or one",
    "many": "zero or more",
    "one_or_many": "one or more",
}

# The crow's-foot ends as text, as Mermaid and PlantUML write them: `parent ||--o{ child`.
LEFT_GLYPHS: dict[End, str] = {"one": "||", "zero_or_one": "|o", "many": "}o", "one_or_many": "}|"}
RIGHT_GLYPHS: dict[End, str] = {"one": "||", "zero_or_one": "o|", "many": "o{", "one_or_many": "|{"}

_SOURCE = re.compile(r"(entities|relationships)\[(\d+)\]")


@dataclass(frozen=True)
class ErdColumn:
    name: str
    type: str  # as the dialect spells it, in lower case; an enum shows its type's name
    nullable: bool = True
    primary_key: bool = False
    foreign_key: bool = False
    unique: bool = False  # alone, or with the others of `ErdTable.uniques`
    identity: bool = False
    enum_values: tuple[str, ...] = ()
    comment: str = ""

    @property
    def markers(self) -> tuple[str, ...]:
        """PK, FK, UK (unique) and NN (not null), in that order.

        >>> ErdColumn("id", "bigint", nullable=False, primary_key=True).markers
        ('PK', 'NN')
        """
        return _markers(self.primary_key, self.foreign_key, self.unique, self.nullable)


@cache  # sixteen sets at most, asked for by every writer for each of thousands of columns
def _markers(primary_key: bool, foreign_key: bool, unique: bool, nullable: bool) -> tuple[str, ...]:
    flags = (("PK", primary_key), ("FK", foreign_key), ("UK", unique), ("NN", not nullable))
    return tuple(marker for marker, on in flags if on)


@dataclass(frozen=True)
class ErdTable:
    name: str
    context: str | None
    columns: tuple[ErdColumn, ...]
    primary_key: tuple[str, ...] = ()
    uniques: tuple[tuple[str, ...], ...] = ()  # composite ones; single: ErdColumn.unique
    comment: str = ""

    def column(self, name: str) -> ErdColumn | None:
        return next((column for column in self.columns if column.name == name), None)


@dataclass(frozen=True)
class Link:
    """A foreign key of `child` referring to `parent`, with the cardinality of both ends.

    `parent_end` says how many parent rows a child row has (exactly one when the foreign key is
    NOT NULL, else zero or one); `child_end` how many child rows a parent row has (zero or one
    when the foreign key columns are unique, else zero or more). Identifying: the foreign key
    is part of the child's primary key (a junction table).
    """

    name: str
    child: str
    child_columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    child_end: End
    parent_end: End
    identifying: bool = False
    on_delete: str = "restrict"


@dataclass(frozen=True)
class ErdEnum:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Erd:
    title: str
    dialect: str
    tables: tuple[ErdTable, ...]
    links: tuple[Link, ...]
    enums: tuple[ErdEnum, ...] = ()

    def table(self, name: str) -> ErdTable | None:
        return next((table for table in self.tables if table.name == name), None)

    @property
    def contexts(self) -> tuple[str, ...]:
        """The bounded contexts that hold at least one table, sorted."""
        return tuple(sorted({table.context for table in self.tables if table.context}))


def _contexts(schema: Schema, requirements: Requirements | None) -> dict[str, str | None]:
    """The bounded context of each table: its entity's, or for a junction table its source's."""
    found: dict[str, str | None] = {}
    if requirements is None:
        return found
    by_entity = {entity.name: entity.context for entity in requirements.entities}
    for table in schema.tables:
        match = _SOURCE.fullmatch(table.source)
        if match is None:
            continue
        position = int(match.group(2))
        if match.group(1) == "entities" and position < len(requirements.entities):
            found[table.name] = requirements.entities[position].context
        elif match.group(1) == "relationships" and position < len(requirements.relationships):
            found[table.name] = by_entity.get(requirements.relationships[position].source)
    return found


def _unique_sets(table: Table) -> list[tuple[str, ...]]:
    sets = [key.columns for key in table.uniques]
    sets += [
        index.column_names
        for index in table.indexes
        if index.unique and not index.where and index.column_names not in sets
    ]
    return sets


def type_text(column: Column, target: Dialect) -> str:
    """The column's type as `target` spells it, in lower case (enum types by their name).

    >>> from advisor.schema.model import ColumnType
    >>> type_text(Column("price", ColumnType("decimal", precision=10, scale=2)), dialect("mysql"))
    'decimal(10, 2)'
    """
    kind = column.type
    types = target.types
    if kind.kind == "enum":
        return kind.enum_type or "enum"
    length, limit = kind.length, target.varchar_limit
    if kind.kind == "string" and length is None:
        spelled = types["string_unbounded"]
    elif kind.kind == "string":
        key = (
            "string_long"
            if limit is not None and length is not None and length > limit
            else "string"
        )
        spelled = types[key].format(length=length)
    elif kind.kind == "decimal" and kind.precision is None:
        spelled = types["decimal_unbounded"]
    elif kind.kind in types:
        spelled = types[kind.kind].format(
            precision=kind.precision, scale=kind.scale or 0, dimensions=kind.dimensions
        )
    else:
        spelled = kind.kind
    return spelled.lower()


def _link(table: Table, key: ForeignKey, unique_sets: list[tuple[str, ...]]) -> Link:
    columns = [table.column(name) for name in key.columns]
    not_null = all(column is not None and not column.nullable for column in columns)
    primary = table.primary_key.columns if table.primary_key else ()
    unique = any(set(key.columns) == set(keyset) for keyset in [*unique_sets, primary] if keyset)
    return Link(
        name=key.name,
        child=table.name,
        child_columns=key.columns,
        parent=key.target,
        parent_columns=key.target_columns,
        child_end="zero_or_one" if unique else "many",
        parent_end="one" if not_null else "zero_or_one",
        identifying=bool(primary) and set(key.columns) <= set(primary),
        on_delete=key.on_delete,
    )


def erd_model(schema: Schema, requirements: Requirements | None = None) -> Erd:
    """The diagram model of `schema`; `requirements` gives the title and bounded contexts.

    >>> from advisor.requirements import read_requirements
    >>> from advisor.schema import build_schema
    >>> shop = read_requirements('''
    ... format: advisor/v1
    ... project: Shop
    ... entities: [{name: customer, context: sales}, {name: order, context: sales}]
    ... relationships: [{from: order, to: customer, cardinality: many-to-one, required: true}]
    ... ''')
    >>> erd = erd_model(build_schema(shop, "postgresql"), shop)
    >>> link = erd.links[0]
    >>> link.child, link.parent, END_WORDS[link.parent_end], END_WORDS[link.child_end]
    ('order', 'customer', 'exactly one', 'zero or more')
    >>> erd.table("order").column("customer_id").markers
    ('FK', 'NN')
    """
    target = dialect(schema.dialect)
    contexts = _contexts(schema, requirements)
    spelled: dict[ColumnType, str] = {}  # each type once: most columns share theirs
    tables = []
    links = []
    for table in schema.tables:
        unique_sets = _unique_sets(table)
        primary = table.primary_key.columns if table.primary_key else ()
        referencing = {name for key in table.foreign_keys for name in key.columns}
        alone = {keyset[0] for keyset in unique_sets if len(keyset) == 1}
        columns = []
        for column in table.columns:
            kind = column.type
            type_name = spelled.get(kind)
            if type_name is None:
                type_name = spelled[kind] = type_text(column, target)
            columns.append(
                ErdColumn(
                    name=column.name,
                    type=type_name,
                    nullable=column.nullable,
                    primary_key=column.name in primary,
                    foreign_key=column.name in referencing,
                    unique=column.name in alone,
                    identity=column.identity,
                    enum_values=kind.values if kind.kind == "enum" else (),
                    comment=column.comment,
                )
            )
        tables.append(
            ErdTable(
                name=table.name,
                context=contexts.get(table.name),
                columns=tuple(columns),
                primary_key=primary,
                uniques=tuple(keyset for keyset in unique_sets if len(keyset) > 1),
                comment=table.comment,
            )
        )
        links += [_link(table, key, unique_sets) for key in table.foreign_keys]
    return Erd(
        title=requirements.project if requirements else "",
        dialect=schema.dialect,
        tables=tuple(tables),
        links=tuple(links),
        enums=tuple(ErdEnum(enum.name, enum.values) for enum in schema.enums),
    )

"""What differs between two schemas of one dialect: tables, columns, keys, checks, foreign
keys, indexes, enums and partitioning, with the renames the new requirements declare.

A rename is never guessed: a table or column whose name is gone is dropped, one whose name is
new is added, unless the new version says `renamed_from`. Renames reach the schema through the
`source` each table and column keeps (`entities[3]`, `entities[3].attributes[1]`,
`relationships[2]`): the columns of a relationship follow the entities it joins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from advisor.errors import AdvisorError
from advisor.requirements.model import Requirements
from advisor.schema.model import (
    Check,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    Key,
    Schema,
    Table,
    copy_with,
)


@dataclass(frozen=True)
class Renames:
    """Old table name -> new; (new table, old column) -> new column."""

    tables: Mapping[str, str]
    columns: Mapping[tuple[str, str], str]

    def table(self, old: str) -> str:
        return self.tables.get(old, old)

    def column(self, new_table: str, old: str) -> str:
        return self.columns.get((new_table, old), old)

    def inverted(self) -> Renames:
        """The same renames seen from the new version back to the old one."""
        tables = {new: old for old, new in self.tables.items()}
        columns = {
            (tables.get(table, table), new): old for (table, old), new in self.columns.items()
        }
        return Renames(tables, columns)


NO_RENAMES = Renames({}, {})


def renames_between(
    old: Requirements, new: Requirements, old_schema: Schema, new_schema: Schema
) -> Renames:
    """The renames `new` declares, as physical names of `old_schema` and `new_schema`.

    A `renamed_from` naming nothing of `old` is refused, unless the new name is already in
    `old`: the rename was made in an earlier version and its note left in the document.

    >>> from advisor.requirements import read_requirements
    >>> from advisor.schema import build_schema
    >>> v1 = read_requirements("format: advisor/v1\\nproject: S\\nentities: "
    ...     "[{name: customer, attributes: [{name: email, type: string}]}]\\n")
    >>> v2 = read_requirements("format: advisor/v1\\nproject: S\\nentities: "
    ...     "[{name: client, renamed_from: customer, attributes: "
    ...     "[{name: mail, type: string, renamed_from: email}]}]\\n")
    >>> renames = renames_between(v1, v2, build_schema(v1, "sqlite"), build_schema(v2, "sqlite"))
    >>> dict(renames.tables), dict(renames.columns)
    ({'customer': 'client'}, {('client', 'email'): 'mail'})
    """
    old_entities = {entity.name: index for index, entity in enumerate(old.entities)}
    entity_of: dict[int, int] = {}  # old entity index -> new entity index
    attribute_of: dict[str, str] = {}  # old attribute source -> new attribute source
    for index, entity in enumerate(new.entities):
        previous = entity.renamed_from or entity.name
        if previous not in old_entities and entity.name in old_entities:
            previous = entity.name  # renamed in an earlier version; the note stayed
        if previous not in old_entities:
            if entity.renamed_from is not None:
                raise AdvisorError(
                    f"{entity.renamed_from!r} is not an entity of the old version",
                    location=f"entities[{index}].renamed_from",
                )
            continue
        old_index = old_entities[previous]
        entity_of[old_index] = index
        old_attributes = {a.name: at for at, a in enumerate(old.entities[old_index].attributes)}
        for at, attribute in enumerate(entity.attributes):
            if attribute.renamed_from is None or (
                attribute.renamed_from not in old_attributes and attribute.name in old_attributes
            ):
                continue
            if attribute.renamed_from not in old_attributes:
                raise AdvisorError(
                    f"{attribute.renamed_from!r} is not an attribute of {previous!r} in the old "
                    "version",
                    location=f"entities[{index}].attributes[{at}].renamed_from",
                )
            old_at = old_attributes[attribute.renamed_from]
            attribute_of[f"entities[{old_index}].attributes[{old_at}]"] = (
                f"entities[{index}].attributes[{at}]"
            )
    entity_names = {old.entities[o].name: new.entities[n].name for o, n in entity_of.items()}

    def relationship_key(source: str, target: str, name: str | None, kind: str) -> tuple[str, ...]:
        return (
            entity_names.get(source, source),
            entity_names.get(target, target),
            name or "",
            kind,
        )

    new_relationships = {
        relationship_key(r.source, r.target, r.name, r.cardinality): f"relationships[{index}]"
        for index, r in enumerate(new.relationships)
    }
    sources = {f"entities[{o}]": f"entities[{n}]" for o, n in entity_of.items()} | attribute_of
    for index, r in enumerate(old.relationships):
        key = relationship_key(r.source, r.target, r.name, r.cardinality)
        if key in new_relationships:
            sources[f"relationships[{index}]"] = new_relationships[key]

    new_by_source: dict[str, Table] = {t.source: t for t in new_schema.tables if t.source}
    new_names = {t.name for t in new_schema.tables}
    tables: dict[str, str] = {}
    columns: dict[tuple[str, str], str] = {}
    for table in old_schema.tables:
        target = new_by_source.get(sources.get(table.source, ""))
        if target is None or (target.name != table.name and table.name in new_names):
            continue
        if target.name != table.name:
            tables[table.name] = target.name
        before_of = _names_by_source(table)
        after_of = _names_by_source(target)
        for source, before in before_of.items():
            if source not in sources:
                continue
            after = after_of.get(sources[source], [])
            if len(before) == len(after):
                columns.update(
                    {(target.name, b): a for b, a in zip(before, after, strict=True) if b != a}
                )
    return Renames(tables, columns)


def tables_by_name(schema: Schema) -> dict[str, Table]:
    """`schema`'s tables by name, built once: `Schema.table` reads every table per call."""
    tables: dict[str, Table] = {}
    for table in schema.tables:
        tables.setdefault(table.name, table)  # the first of a name, as `Schema.table` finds it
    return tables


def _names_by_source(table: Table) -> dict[str, list[str]]:
    """The names of `table`'s columns, by the source they came from, in column order."""
    names: dict[str, list[str]] = {}
    for column in table.columns:
        names.setdefault(column.source, []).append(column.name)
    return names


@dataclass(frozen=True)
class ColumnChange:
    """A column in both versions (`old` with its old name) that differs."""

    old: Column
    new: Column

    @property
    def renamed(self) -> bool:
        return self.old.name != self.new.name

    @property
    def type_changed(self) -> bool:
        return _bare(self.old.type) != _bare(self.new.type)

    @property
    def nullability_changed(self) -> bool:
        return self.old.nullable != self.new.nullable

    @property
    def default_changed(self) -> bool:
        return (self.old.default, type(self.old.default), self.old.default_now) != (
            self.new.default,
            type(self.new.default),
            self.new.default_now,
        )


T = TypeVar("T", Key, Check, ForeignKey, Index)
Item = Key | Check | ForeignKey | Index


@dataclass(frozen=True)
class Objects(Generic[T]):
    """Keys, checks, foreign keys or indexes of one table: added, dropped, and renamed ones
    (same definition once the column renames are applied, another name)."""

    added: tuple[T, ...] = ()
    dropped: tuple[T, ...] = ()
    renamed: tuple[tuple[T, T], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.dropped or self.renamed)


@dataclass(frozen=True)
class TableDiff:
    """A table in both versions; `old` keeps its old names."""

    old: Table
    new: Table
    added_columns: tuple[Column, ...] = ()
    dropped_columns: tuple[Column, ...] = ()
    changed_columns: tuple[ColumnChange, ...] = ()
    primary_key: tuple[Key | None, Key | None] | None = None  # (old, new) when it changed
    uniques: Objects[Key] = Objects()
    checks: Objects[Check] = Objects()
    foreign_keys: Objects[ForeignKey] = Objects()
    indexes: Objects[Index] = Objects()
    partitioning_changed: bool = False

    @property
    def renamed(self) -> bool:
        return self.old.name != self.new.name

    def __bool__(self) -> bool:
        return bool(
            self.renamed
            or self.added_columns
            or self.dropped_columns
            or self.changed_columns
            or self.primary_key
            or self.uniques
            or self.checks
            or self.foreign_keys
            or self.indexes
            or self.partitioning_changed
        )


@dataclass(frozen=True)
class SchemaDiff:
    old: Schema
    new: Schema
    renames: Renames
    added_tables: tuple[Table, ...] = ()
    dropped_tables: tuple[Table, ...] = ()
    tables: tuple[TableDiff, ...] = ()  # tables of both versions that differ
    added_enums: tuple[EnumType, ...] = ()
    dropped_enums: tuple[EnumType, ...] = ()
    changed_enums: tuple[tuple[EnumType, EnumType], ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.added_tables
            or self.dropped_tables
            or self.tables
            or self.added_enums
            or self.dropped_enums
            or self.changed_enums
        )


def _bare(kind: ColumnType) -> ColumnType:
    """The type without how an import spelled it."""
    return copy_with(kind, original="") if kind.original else kind


# The diff compares every column and constraint of both versions: `copy_with` spares the
# `__init__` of each copy that `dataclasses.replace` would run (a third of a large diff's time).
def _same_column(old: Column, new: Column) -> bool:
    return copy_with(old, name=new.name, source=new.source, type=_bare(old.type)) == copy_with(
        new, type=_bare(new.type)
    )


def _translated(item: Item, table: str, renames: Renames) -> Item:
    """`item` of the old version with the new names of its columns (and target table)."""

    def names(columns: tuple[str, ...], of: str = table) -> tuple[str, ...]:
        return tuple(renames.column(of, column) for column in columns)

    if isinstance(item, Key):
        return copy_with(item, columns=names(item.columns))
    if isinstance(item, Check):
        return copy_with(item, column=renames.column(table, item.column))
    if isinstance(item, ForeignKey):
        target = renames.table(item.target)
        return copy_with(
            item,
            columns=names(item.columns),
            target=target,
            target_columns=names(item.target_columns, target),
            set_null_columns=names(item.set_null_columns),
        )
    columns = tuple(copy_with(c, name=renames.column(table, c.name)) for c in item.columns)
    where = tuple((renames.column(table, c), v) for c, v in item.where)
    return copy_with(
        item, columns=columns, include=names(item.include), where=where, serves=(), reason=""
    )


def _definition(item: Key | Check | ForeignKey | Index) -> object:
    """What an item is, without its name (and without what an index serves)."""
    if isinstance(item, Index):
        return copy_with(item, name="", serves=(), reason="")
    if isinstance(item, ForeignKey):
        return copy_with(item, name="", source="")
    return copy_with(item, name="")


def _objects(old: tuple[T, ...], new: tuple[T, ...], table: str, renames: Renames) -> Objects[T]:
    translated = [(item, cast(T, _translated(item, table, renames))) for item in old]
    kept = {(_definition(t), t.name) for _, t in translated}
    new_keys = {(_definition(item), item.name) for item in new}
    by_definition = {
        _definition(item): item for item in new if (_definition(item), item.name) not in kept
    }
    renamed: list[tuple[T, T]] = []
    dropped: list[T] = []
    for item, translation in translated:
        if (_definition(translation), translation.name) in new_keys:
            continue
        match = by_definition.pop(_definition(translation), None)
        if match is not None:
            renamed.append((item, match))
        else:
            dropped.append(item)
    matched = {id(pair[1]) for pair in renamed}
    added = tuple(
        item
        for item in new
        if (_definition(item), item.name) not in kept and id(item) not in matched
    )
    return Objects(added, tuple(dropped), tuple(renamed))


def _table_diff(old: Table, new: Table, renames: Renames) -> TableDiff:
    old_by_new_name = {renames.column(new.name, column.name): column for column in old.columns}
    new_names = {column.name for column in new.columns}
    added = tuple(column for column in new.columns if column.name not in old_by_new_name)
    dropped = tuple(
        column for column in old.columns if renames.column(new.name, column.name) not in new_names
    )
    changed = tuple(
        ColumnChange(old_by_new_name[column.name], column)
        for column in new.columns
        if column.name in old_by_new_name
        and (
            old_by_new_name[column.name].name != column.name
            or not _same_column(old_by_new_name[column.name], column)
        )
    )
    old_key = (
        cast(Key, _translated(old.primary_key, new.name, renames)) if old.primary_key else None
    )
    primary_key = (
        None
        if (old_key.columns if old_key else None)
        == (new.primary_key.columns if new.primary_key else None)
        else (old.primary_key, new.primary_key)
    )
    return TableDiff(
        old,
        new,
        added_columns=added,
        dropped_columns=dropped,
        changed_columns=changed,
        primary_key=primary_key,
        uniques=_objects(old.uniques, new.uniques, new.name, renames),
        checks=_objects(old.checks, new.checks, new.name, renames),
        foreign_keys=_objects(old.foreign_keys, new.foreign_keys, new.name, renames),
        indexes=_objects(old.indexes, new.indexes, new.name, renames),
        partitioning_changed=(old.partitioning is None) != (new.partitioning is None)
        or (
            old.partitioning is not None
            and new.partitioning is not None
            and (old.partitioning.column, old.partitioning.interval)
            != (new.partitioning.column, new.partitioning.interval)
        ),
    )


def diff_schemas(old: Schema, new: Schema, renames: Renames = NO_RENAMES) -> SchemaDiff:
    """What changes from `old` to `new` (one dialect), reading `renames` as declared.

    >>> from advisor.schema.model import Column, ColumnType, Schema, Table
    >>> v1 = Schema("sqlite", (Table("tag", (Column("label", ColumnType("text")),)),))
    >>> v2 = Schema("sqlite", (Table("tag", (Column("name", ColumnType("text")),)),))
    >>> change = diff_schemas(v1, v2, Renames({}, {("tag", "label"): "name"})).tables[0]
    >>> [(c.old.name, c.new.name) for c in change.changed_columns], change.dropped_columns
    ([('label', 'name')], ())
    """
    if old.dialect != new.dialect:
        raise AdvisorError(
            f"the schemas are of two dialects ({old.dialect}, {new.dialect}); a migration "
            "plan joins two versions of one"
        )
    new_by_name = tables_by_name(new)
    new_names = set(new_by_name)
    matched = {renames.table(table.name) for table in old.tables} & new_names
    tables = []
    for table in old.tables:
        target = new_by_name.get(renames.table(table.name))
        if target is not None:
            difference = _table_diff(table, target, renames)
            if difference:
                tables.append(difference)
    old_enums = {enum.name: enum for enum in old.enums}
    new_enums = {enum.name: enum for enum in new.enums}
    return SchemaDiff(
        old,
        new,
        renames,
        added_tables=tuple(t for t in new.tables if t.name not in matched),
        dropped_tables=tuple(t for t in old.tables if renames.table(t.name) not in new_names),
        tables=tuple(tables),
        added_enums=tuple(e for name, e in new_enums.items() if name not in old_enums),
        dropped_enums=tuple(e for name, e in old_enums.items() if name not in new_enums),
        changed_enums=tuple(
            (e, new_enums[name])
            for name, e in old_enums.items()
            if name in new_enums and new_enums[name].values != e.values
        ),
    )

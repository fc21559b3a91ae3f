"""The logical schema: tables, columns, keys, constraints and indexes for one SQL dialect.

The model does not know where it came from: the schema builder makes it from `Requirements`,
and an importer can make it from existing DDL; the DDL renderer and the linter read it alike.
Names are physical (already fitted to the dialect); `source` fields say what they came from.

The records keep their fields in slots, not in a dict each: a large design holds hundreds of
thousands of them, and the linter's rules walk every table and column one pass after another,
which took twice as long over the larger, scattered objects.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar, cast

from advisor.requirements.model import Scalar

Record = TypeVar("Record")

# Column kinds: the attribute types of the requirements, plus `timestamp` for a date and time
# without a zone (only imported schemas have it: `datetime` keeps the zone where it can).
TEMPORAL_KINDS = ("date", "datetime", "timestamp", "time")
NUMERIC_KINDS = ("integer", "bigint", "decimal", "float")
# Kinds a B-tree must not hold: a point and an embedding have no useful order, and a vector,
# a blob or a JSON document overflows a B-tree entry (PostgreSQL: 2704 bytes; InnoDB: 3072).
# `coordinate` is a longitude or latitude where the dialect has no spatial type.
SPATIAL_KINDS = ("point", "coordinate")
UNORDERED_KINDS = ("point", "vector", "binary", "json")


@dataclass(frozen=True, slots=True)
class ColumnType:
    kind: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    values: tuple[str, ...] = ()  # enum values
    enum_type: str | None = None  # the named type holding them, where the dialect makes one
    dimensions: int | None = None  # of a vector
    original: str = ""  # the type as an imported schema spelled it (`MONEY`, `varchar(40)`)

    @property
    def label(self) -> str:
        """The type as a person reads it in a plan or a diff: the enum type's name, or the
        kind with its length or precision.

        >>> ColumnType("decimal", precision=12, scale=2).label
        'decimal(12, 2)'
        >>> ColumnType("string", length=40).label, ColumnType("enum", enum_type="status").label
        ('string(40)', 'status')
        """
        if self.enum_type:
            return self.enum_type
        if self.length is not None:
            return f"{self.kind}({self.length})"
        if self.precision is not None:
            return f"{self.kind}({self.precision}, {self.scale or 0})"
        return self.kind


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool = True
    default: Scalar | None = None
    default_now: bool = False  # DEFAULT the current time
    on_update_now: bool = False  # set to the current time by every UPDATE of the row
    identity: bool = False  # the database numbers new rows
    comment: str = ""
    source: str = ""  # e.g. entities[0].attributes[2], relationships[1], implicit
    # Compared without case: a case-insensitive collation, or keys over lower(column).
    case_insensitive: bool = False


@dataclass(frozen=True, slots=True)
class Key:
    """A primary key or a unique constraint."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """A CHECK constraint on one column: `in` (values), `range` (min, max) or `email`."""

    name: str
    column: str
    kind: str
    values: tuple[Scalar, ...] = ()
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    on_delete: str = "restrict"  # cascade, restrict or set_null
    required: bool = False  # the relationship must be present
    source: str = ""
    # ON DELETE SET NULL of only these columns (PostgreSQL 15): a composite tenant-scoped key
    # must not null the tenant id with the reference.
    set_null_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexColumn:
    name: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Index:
    """An index; `where` holds `column = constant` conditions of a partial index."""

    name: str
    columns: tuple[IndexColumn, ...]
    # btree, full_text, spatial (a point), vector (nearest neighbours), or unique_lower (a
    # unique key over lower() of its case-insensitive columns, where the dialect's collations
    # do not ignore case)
    kind: str = "btree"
    include: tuple[str, ...] = ()
    where: tuple[tuple[str, Scalar], ...] = ()
    unique: bool = False
    serves: tuple[str, ...] = ()  # names of the access patterns it serves
    reason: str = ""
    # Leading columns compared for equality: their direction does not matter to a query.
    equality_columns: int = 0

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    start: str | None  # ISO date; None for the default partition
    end: str | None


@dataclass(frozen=True, slots=True)
class Partitioning:
    """Declarative range partitioning by time, and how old partitions go."""

    column: str
    interval: str  # day or month
    partitions: tuple[Partition, ...]
    retention_days: int | None  # None: partitions are kept (detached and archived, not dropped)
    policy: str


@dataclass(frozen=True, slots=True)
class RowTtl:
    """Rows expire by themselves `days` after their time `column` (physical name)."""

    column: str
    days: int


@dataclass(frozen=True, slots=True)
class PartitionOutcome:
    """How one schema carried out one of the engine's partitioning decisions: applied, or not
    and why, so that the records and the page never claim a partition the DDL lacks."""

    entity: str
    table: str
    column: str  # physical name
    interval: str
    applied: bool
    why_not: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: Key | None = None
    uniques: tuple[Key, ...] = ()
    checks: tuple[Check, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    partitioning: Partitioning | None = None
    row_ttl: RowTtl | None = None
    comment: str = ""
    source: str = ""  # e.g. entities[3], relationships[2] for a junction table
    append_only: bool = False  # rows are inserted, never updated or deleted
    changed_by: tuple[str, ...] = ()  # access patterns that update or delete its rows
    # The named schema the table lives in (its bounded context's, when the design keeps a
    # schema per context); None: the database's default schema.
    namespace: str | None = None

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None


@dataclass(frozen=True, slots=True)
class EnumType:
    """A named enum type (PostgreSQL `CREATE TYPE ... AS ENUM`)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PatternIndex:
    """How one access pattern is served: the index (or key) it uses, or why it needs none."""

    pattern: str
    table: str
    index: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class TenantScope:
    """Shared-schema tenancy as the schema carries it out: `column` (the tenant id, referring
    to `table`) is in every table of `scoped` and leads its keys, indexes and foreign keys."""

    table: str
    column: str
    column_type: ColumnType
    scoped: tuple[str, ...]
    # True: the primary key is (tenant id, id); False: the dialect numbers rows only through a
    # key of `id` alone, which stays the primary key beside a UNIQUE (tenant id, id).
    leading_primary_key: bool


@dataclass(frozen=True, slots=True)
class Schema:
    dialect: str
    tables: tuple[Table, ...]
    enums: tuple[EnumType, ...] = ()
    patterns: tuple[PatternIndex, ...] = ()
    key_strategy: str = "bigint_identity"
    key_reason: str = ""
    notes: tuple[str, ...] = ()
    partitions: tuple[PartitionOutcome, ...] = ()
    tenancy: TenantScope | None = None  # shared-schema tenancy, when the design has it

    def table(self, name: str) -> Table | None:
        for table in self.tables:
            if table.name == name:
                return table
        return None

    @property
    def namespaces(self) -> tuple[str, ...]:
        """The named schemas the tables live in, in the order they first appear."""
        return tuple(dict.fromkeys(t.namespace for t in self.tables if t.namespace is not None))


# Each record class's field slots, found once: see `copy_with`.
_SLOTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def copy_with(record: Record, **changes: object) -> Record:
    """`dataclasses.replace` for the records of this module, without running `__init__`: a
    frozen dataclass sets each field through `object.__setattr__`, and the schema builder
    copies tens of thousands of tables and indexes. Sets each slot through its descriptor,
    which the frozen class's `__setattr__` does not guard. Only for records with no
    `__post_init__`; `changes` must name fields.

    >>> index = Index("", (IndexColumn("placed_at"),), reason="sorted by placed_at")
    >>> copy_with(index, name="ix_order_placed_at") == Index(
    ...     "ix_order_placed_at", (IndexColumn("placed_at"),), reason="sorted by placed_at")
    True
    >>> index.name
    ''
    """
    kind = type(record)
    slots = _SLOTS.get(kind)
    if slots is None:
        slots = _SLOTS[kind] = tuple((name, getattr(kind, name)) for name in _field_names(kind))
    copy = object.__new__(kind)
    for name, slot in slots:
        slot.__set__(copy, changes[name] if name in changes else slot.__get__(record))
    return copy


def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cast(Any, kind)))

"""Indexes from access patterns and foreign keys, without duplicates or prefix-covered ones.

Each access pattern becomes at most one index: equality-filter columns first, then range and
sort columns; a boolean filter becomes the condition of a partial index where the dialect has
them; aggregates over a few measures get them as INCLUDE columns where the dialect can cover.
An index another one starts with is dropped and its patterns move to the longer one; a pattern
whose columns start the primary key or a unique constraint is served by that key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from advisor.schema.dialects import Dialect
from advisor.schema.model import (
    NUMERIC_KINDS,
    SPATIAL_KINDS,
    TEMPORAL_KINDS,
    UNORDERED_KINDS,
    Column,
    Index,
    IndexColumn,
    Key,
    PatternIndex,
    Table,
    copy_with,
)

RANGE_PATTERN_KINDS = ("range", "aggregate", "time_window")
COVERING_PATTERN_KINDS = ("aggregate", "time_window")
MAX_INCLUDED_COLUMNS = 3  # "reads few columns": a few measures, not the whole row
TEXT_KINDS = ("string", "text")
UNBOUNDED_INDEXED_LENGTH = 255  # an indexed string of no stated length: VARCHAR(255) in MySQL


@dataclass(frozen=True, slots=True)
class PatternNeed:
    """An access pattern with its names resolved to the columns of its table."""

    pattern: str
    table: str
    operation: str
    kind: str
    filters: tuple[str, ...] = ()
    sort: tuple[IndexColumn, ...] = ()
    elsewhere: str = ""  # why part of the filter is served by another table's index
    search_served: bool = False  # a search component serves this full-text pattern


@dataclass(frozen=True, slots=True)
class _Plan:
    """One pattern's outcome before names are given: an index to make, or a record."""

    need: PatternNeed
    index: Index | None
    record: PatternIndex | None = None


def _describe(equality: Sequence[str], ranges: Sequence[str], sort: Sequence[IndexColumn]) -> str:
    parts = []
    if equality:
        parts.append(f"equality on {', '.join(equality)}")
    if ranges:
        parts.append(f"range on {', '.join(ranges)}")
    if sort:
        spelled = (f"{column.name}{' descending' if column.descending else ''}" for column in sort)
        parts.append(f"sorted by {', '.join(spelled)}")
    return "; ".join(parts)


def _served_by_key(columns: Sequence[str], keys: Iterable[Key]) -> Key | None:
    for key in keys:
        if tuple(columns) == key.columns[: len(columns)]:
            return key
    return None


def _plan(
    need: PatternNeed, table: Table, columns: Mapping[str, Column], dialect: Dialect
) -> _Plan:
    """`columns` are the table's columns by name (see `_columns_by_name`)."""
    if need.operation == "write" and not need.filters:
        reason = "an insert looks nothing up; each index only adds work to it"
        return _Plan(need, None, PatternIndex(need.pattern, table.name, None, reason))
    if need.kind == "full_text":
        return _plan_full_text(need, table, columns, dialect)
    if need.kind in ("nearby", "similarity"):
        return _plan_nearest(need, table, columns, dialect)
    foreign = {column for key in table.foreign_keys for column in key.columns}
    equality: list[str] = []
    ranges: list[str] = []
    constants: list[str] = []
    for name in need.filters:
        column = columns.get(name)
        kind = column.type.kind if column is not None else ""
        if kind == "boolean":
            constants.append(name)
        elif kind in TEMPORAL_KINDS or (
            kind in NUMERIC_KINDS
            and name not in foreign
            and not (column is not None and column.identity)
            and need.kind in RANGE_PATTERN_KINDS
        ):
            ranges.append(name)
        else:
            equality.append(name)
    if constants and (not dialect.partial_index or not (equality or ranges or need.sort)):
        equality += constants
        constants = []
    keys = [IndexColumn(name) for name in dict.fromkeys(equality + ranges)]
    for sorted_by in need.sort:
        if sorted_by.name in ranges:
            keys[[key.name for key in keys].index(sorted_by.name)] = sorted_by
        elif sorted_by.name not in equality:
            keys.append(sorted_by)
    keys, unordered = _orderable(keys, columns)
    keys, dropped = _fitting(keys, columns, dialect)
    dropped = "; ".join(part for part in (unordered, dropped) if part)
    if not keys:
        reason = (
            need.elsewhere
            or dropped
            or (
                "it reads the whole table, so no index helps"
                if need.kind == "aggregate"
                else "it names no column of the table to look up or sort by"
            )
        )
        return _Plan(need, None, PatternIndex(need.pattern, table.name, None, reason))
    include: tuple[str, ...] = ()
    if dialect.covering_index and need.kind in COVERING_PATTERN_KINDS:
        key_names = {key.name for key in keys}
        measures = tuple(
            column.name
            for column in table.columns
            if column.type.kind in NUMERIC_KINDS
            and not column.identity
            and column.name not in foreign
            and column.name not in key_names
        )
        if 0 < len(measures) <= MAX_INCLUDED_COLUMNS:
            include = measures
    sort_names = {sorted_by.name for sorted_by in need.sort}
    description = _describe(equality, [r for r in ranges if r not in sort_names], need.sort)
    if constants:
        description += f"; only rows where {' and '.join(constants)} is true (partial index)"
    if dropped:
        description += f"; {dropped}"
    if include:
        description += f"; covers {', '.join(include)} so the rows are not read"
    if not include and not constants:
        key = _served_by_key([column.name for column in keys], _keys(table))
        if key is not None:
            reason = f"{description}: the key {key.name} starts with these columns"
            return _Plan(need, None, PatternIndex(need.pattern, table.name, key.name, reason))
    index = Index(
        name="",
        columns=tuple(keys),
        include=include,
        where=tuple((name, True) for name in constants),
        serves=(need.pattern,),
        reason=description,
        equality_columns=len([key for key in keys if key.name in equality]),
    )
    return _Plan(need, index)


def _fitting(
    keys: list[IndexColumn], columns: Mapping[str, Column], dialect: Dialect
) -> tuple[list[IndexColumn], str]:
    """The leading key columns that fit the dialect's index key size, and what was left out."""
    budget = dialect.indexable_string_length
    if budget is None:
        return keys, ""
    used = 0
    for position, key in enumerate(keys):
        column = columns.get(key.name)
        kind = column.type.kind if column is not None else ""
        length = column.type.length if column is not None else None
        if kind == "text" or (kind == "string" and length is not None and used + length > budget):
            left_out = ", ".join(k.name for k in keys[position:])
            return keys[:position], (
                f"{left_out} left out: {dialect.name} index keys hold at most "
                f"{budget} characters of text"
            )
        if kind == "string":
            used += length if length is not None else UNBOUNDED_INDEXED_LENGTH
    return keys, ""


def _orderable(
    keys: list[IndexColumn], columns: Mapping[str, Column]
) -> tuple[list[IndexColumn], str]:
    """The key columns a B-tree can order: never a point or a vector."""
    kept = [key for key in keys if _kind(columns, key.name) not in UNORDERED_KINDS]
    if len(kept) == len(keys):
        return keys, ""
    left_out = [key.name for key in keys if key not in kept]
    return kept, (
        f"{', '.join(left_out)} left out: a B-tree holds no point, vector, binary or JSON "
        "value (a nearby or similarity pattern gets a spatial or vector index)"
    )


def _kind(columns: Mapping[str, Column], name: str) -> str:
    column = columns.get(name)
    return column.type.kind if column is not None else ""


def _columns_by_name(table: Table) -> dict[str, Column]:
    """The table's columns by name, the first of each name as `Table.column` finds it: a
    pattern looks several up, and a scan of a wide table for each took time."""
    columns: dict[str, Column] = {}
    for column in table.columns:
        columns.setdefault(column.name, column)
    return columns


def _plan_nearest(
    need: PatternNeed, table: Table, columns: Mapping[str, Column], dialect: Dialect
) -> _Plan:
    """A nearby search gets a spatial index on its point, a similarity search a vector index
    on its vector, where the dialect has one; never a B-tree. Boolean filters become the
    condition of a partial index where the dialect has them; other filters are checked on the
    rows the index finds."""

    def record(reason: str) -> _Plan:
        return _Plan(need, None, PatternIndex(need.pattern, table.name, None, reason))

    spatial = need.kind == "nearby"
    kinds = SPATIAL_KINDS if spatial else ("vector",)
    searched = [name for name in need.filters if _kind(columns, name) in kinds]
    what = "spatial" if spatial else "vector"
    if not searched:
        return record(f"it names no {'point' if spatial else 'vector'} column to search by")
    if need.search_served:
        return record(f"the search component serves it, so the database keeps no {what} index")
    if (dialect.spatial_index if spatial else dialect.vector_index) is None:
        missing = (
            "SQLite has no spatial index without SpatiaLite or an R*Tree virtual table"
            if spatial and dialect.family == "sqlite"
            else f"the advisor writes no {what} index for {dialect.name}"
        )
        return record(f"{missing}; serve it from a search component")
    column = searched[0]
    constants = [n for n in need.filters if _kind(columns, n) == "boolean"]
    # Spatial indexes outside PostgreSQL (MySQL SPATIAL, SQL Server, Oracle) take no condition.
    partial = dialect.partial_index and (not spatial or dialect.spatial_index == "gist")
    constants = constants if partial else []
    others = [n for n in need.filters if n != column and n not in constants]
    reason = (
        f"points within a distance of a place, nearest first, on {column}"
        if spatial
        else f"nearest neighbours of a vector by cosine distance (HNSW) on {column}"
    )
    if constants:
        reason += f"; only rows where {' and '.join(constants)} is true (partial index)"
    if others:
        reason += f"; {', '.join(others)} checked on the rows it finds"
    index = Index(
        name="",
        columns=(IndexColumn(column),),
        kind="spatial" if spatial else "vector",
        where=tuple((name, True) for name in constants),
        serves=(need.pattern,),
        reason=reason,
    )
    return _Plan(need, index)


def _plan_full_text(
    need: PatternNeed, table: Table, columns: Mapping[str, Column], dialect: Dialect
) -> _Plan:
    def record(reason: str) -> _Plan:
        return _Plan(need, None, PatternIndex(need.pattern, table.name, None, reason))

    if need.search_served:
        return record("the search component serves it, so the database keeps no text index")
    if dialect.full_text is None:
        return record(
            f"the advisor writes no full-text index for {dialect.name}; "
            "serve it from a search component"
        )
    names = tuple(
        name
        for name in need.filters
        if (column := columns.get(name)) is not None and column.type.kind in TEXT_KINDS
    )
    if not names:
        return record("it names no text column to index")
    index = Index(
        name="",
        columns=tuple(IndexColumn(name) for name in names),
        kind="full_text",
        serves=(need.pattern,),
        reason=f"full-text search over {', '.join(names)}",
    )
    return _Plan(need, index)


def _keys(table: Table) -> tuple[Key, ...]:
    return ((table.primary_key,) if table.primary_key else ()) + table.uniques


def _is_prefix(short: Index, long: Index) -> bool:
    """Whether `long` can do all `short` does: same kind and condition, starting alike."""
    if short.kind != "btree" or long.kind != "btree" or short.where != long.where:
        return False
    if short.unique or len(short.columns) > len(long.columns):
        return False
    head = long.columns[: len(short.columns)]
    if [c.name for c in short.columns] != [c.name for c in head]:
        return False
    # A b-tree reads backwards as well as forwards: after the columns both compare for equality
    # (whose direction no query sees), the directions must all match or all be flipped.
    skip = min(short.equality_columns, long.equality_columns)
    pairs = list(zip(short.columns, head, strict=True))[skip:]
    same = all(a.descending == b.descending for a, b in pairs)
    flipped = all(a.descending != b.descending for a, b in pairs)
    covered = set(long.column_names) | set(long.include)
    return (len(pairs) <= 1 or same or flipped) and set(short.include) <= covered


def _merge(indexes: Sequence[Index]) -> list[Index]:
    """Drops duplicate and prefix-covered indexes; their patterns move to the covering one."""
    if len(indexes) < 2:
        return list(indexes)  # most tables: nothing to compare
    merged: list[Index] = []
    positions: dict[tuple[object, ...], int] = {}  # by shape (see `_shape`)
    for index in indexes:
        shape = _shape(index)
        position = positions.get(shape)
        if position is None:
            positions[shape] = len(merged)
            merged.append(index)
            continue
        kept = merged[position]
        include = tuple(dict.fromkeys(kept.include + index.include))
        merged[position] = replace(kept, include=include, serves=kept.serves + index.serves)
    changed = True
    while changed:
        changed = False
        for short in merged:
            long = next((o for o in merged if o is not short and _is_prefix(short, o)), None)
            if long is not None:
                merged[merged.index(long)] = replace(long, serves=long.serves + short.serves)
                merged.remove(short)
                changed = True
                break
    return merged


def _shape(index: Index) -> tuple[object, ...]:
    """What two indexes share when one is a duplicate of the other: the kind, the condition
    and the columns (in order for a B-tree)."""
    columns = index.columns if index.kind == "btree" else frozenset(index.columns)
    return (index.kind, index.where, columns)


def _leads_with(columns: tuple[str, ...], candidates: Iterable[tuple[str, ...]]) -> bool:
    return any(candidate[: len(columns)] == columns for candidate in candidates)


def _index_name(table: Table, index: Index) -> str:
    name = f"ix_{table.name}_{'_'.join(index.column_names)}"
    if index.kind == "full_text":
        return f"{name}_fts"
    if index.where:
        return f"{name}_where_{'_'.join(column for column, _ in index.where)}"
    return name


def plan_indexes(
    tables: Sequence[Table],
    needs: Sequence[PatternNeed],
    dialect: Dialect,
    claim: Callable[[str], str],
) -> tuple[tuple[Table, ...], tuple[PatternIndex, ...]]:
    """The tables with their indexes, and for each need how it is served, in need order.

    `claim` turns a wanted name into a unique physical one (see `NameRegistry.claim`). Indexes
    already on a table (a junction table's reverse index) take part in the merge.
    """
    by_name = {table.name: table for table in tables}
    columns: dict[str, dict[str, Column]] = {}  # by table, for the tables with patterns
    plans = []
    for need in needs:
        table = by_name[need.table]
        found = columns.get(table.name)
        if found is None:
            found = columns[table.name] = _columns_by_name(table)
        plans.append(_plan(need, table, found, dialect))
    planned: dict[str, list[Index]] = {}
    for plan in plans:
        if plan.index is not None:
            planned.setdefault(plan.need.table, []).append(plan.index)
    result: list[Table] = []
    for table in tables:
        wanted = list(table.indexes) + planned.get(table.name, [])
        indexes = _merge(wanted)
        leading = [key.columns for key in _keys(table)] + [
            index.column_names for index in indexes if index.kind == "btree" and not index.where
        ]
        for key in table.foreign_keys:
            if not _leads_with(key.columns, leading):
                reason = (
                    f"supports the foreign key {key.name}: joins from {key.target} and deletes "
                    f"there find the rows of {table.name} without a scan"
                )
                index = Index("", tuple(IndexColumn(c) for c in key.columns), reason=reason)
                indexes.append(index)
                leading.append(key.columns)
        named = tuple(
            index if index.name else copy_with(index, name=claim(_index_name(table, index)))
            for index in indexes
        )
        result.append(table if named == table.indexes else copy_with(table, indexes=named))
    by_result = {table.name: table for table in result}
    serving: dict[str, dict[str, Index]] = {}  # by table, each pattern's (first) index
    records: list[PatternIndex] = []
    for plan in plans:
        if plan.record is not None:
            records.append(plan.record)
            continue
        table = by_result[plan.need.table]
        served = serving.get(table.name)
        if served is None:
            served = serving[table.name] = _serving(table)
        index = served[plan.need.pattern]
        reason = plan.index.reason if plan.index is not None else ""
        if plan.need.elsewhere:
            reason = f"{reason}; {plan.need.elsewhere}"
        records.append(PatternIndex(plan.need.pattern, table.name, index.name, reason))
    return tuple(result), tuple(records)


def _serving(table: Table) -> dict[str, Index]:
    """The first index of `table` that serves each pattern, by the pattern's name."""
    served: dict[str, Index] = {}
    for index in table.indexes:
        for pattern in index.serves:
            served.setdefault(pattern, index)
    return served

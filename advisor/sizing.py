"""How big each entity is and how much of it each access pattern touches.

The engine weighs patterns by work, not by requests: a dashboard that scans a billion rows ten
times a second costs more than a hundred thousand single-row inserts. Row counts and row sizes
come from the requirements when given (`entities[].rows`, `entities[].row_bytes`), otherwise
they are estimates, and say so: the volume is shared among the entities by how fast each one
grows, and a row's size is the sum of its columns' storage sizes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.requirements.model import AccessPattern, Attribute, Entity, Relationship

# Storage sizes in bytes, from the PostgreSQL documentation, chapter 8 "Data Types" (numeric,
# date/time, boolean, UUID, geometric types): fixed-size types as documented; variable ones
# (strings, numerics, JSON, binary) at a typical filling, as planning figures.
TYPE_BYTES: Mapping[str, int] = {
    "integer": 4,
    "bigint": 8,
    "decimal": 12,
    "float": 8,
    "boolean": 1,
    "date": 4,
    "datetime": 8,
    "time": 8,
    "uuid": 16,
    "enum": 4,
    "text": 200,
    "json": 500,
    "binary": 1000,
    "point": 32,  # PostGIS geography(Point): a 32-byte serialised point
}
DEFAULT_STRING_BYTES = 32  # an unbounded string: a name, a code, a short label
IMPLICIT_COLUMN_BYTES = 8 + 8 + 8  # id, created_at, updated_at
REFERENCE_BYTES = 8  # a bigint foreign key
# PostgreSQL "Database Page Layout": a 23-byte tuple header (padded to 24) and a 4-byte line
# pointer per row.
ROW_OVERHEAD_BYTES = 28
# An entity nobody writes to still changes slowly (reference data, accounts): one new row a
# second is its planning floor when the volume is shared among entities by their growth.
FLOOR_INSERTS_PER_SECOND = 1.0


@dataclass(frozen=True)
class EntitySize:
    entity: str
    rows: float
    row_bytes: int
    inserts_per_second: float
    estimated: bool  # True when `rows` was not given in the requirements

    @property
    def gigabytes(self) -> float:
        return self.rows * self.row_bytes / 1e9


def attribute_bytes(attribute: Attribute) -> int:
    """The storage size of one value of `attribute`.

    >>> attribute_bytes(Attribute("name", "string", length=100))
    50
    >>> attribute_bytes(Attribute("embedding", "vector", dimensions=768))
    3080
    """
    if attribute.type == "string":
        return attribute.length // 2 if attribute.length else DEFAULT_STRING_BYTES
    if attribute.type == "vector":
        return 4 * (attribute.dimensions or 0) + 8  # pgvector: 4 bytes a dimension + header
    return TYPE_BYTES[attribute.type]


def estimated_row_bytes(entity: Entity, outgoing: tuple[Relationship, ...]) -> int:
    """A row's size: its declared columns, the implicit ones, its references and the row
    header."""
    declared = sum(attribute_bytes(attribute) for attribute in entity.attributes)
    references = REFERENCE_BYTES * sum(
        1 for relationship in outgoing if relationship.cardinality != "many-to-many"
    )
    return declared + IMPLICIT_COLUMN_BYTES + references + ROW_OVERHEAD_BYTES


def entity_sizes(
    entities: Mapping[str, Entity],
    outgoing: Mapping[str, tuple[Relationship, ...]],
    inserts_per_second: Mapping[str, float],
    volume_gb: float,
) -> Mapping[str, EntitySize]:
    """Rows and row size of every entity: as given, or the volume not held by entities with
    given rows, shared by how many bytes each entity adds a second (its insert rate, at least
    the floor, times its row size)."""
    row_bytes = {
        name: entity.row_bytes or estimated_row_bytes(entity, outgoing.get(name, ()))
        for name, entity in entities.items()
    }
    inserts = _with_children(inserts_per_second, outgoing)
    rates = {name: max(inserts.get(name, 0.0), FLOOR_INSERTS_PER_SECOND) for name in entities}
    given_bytes = sum(
        entity.rows * row_bytes[name]
        for name, entity in entities.items()
        if entity.rows is not None
    )
    unsized = [name for name, entity in entities.items() if entity.rows is None]
    remaining = max(volume_gb * 1e9 - given_bytes, 0.0)
    growth = sum(rates[name] * row_bytes[name] for name in unsized)
    sizes = {}
    for name, entity in entities.items():
        if entity.rows is not None:
            rows = entity.rows
        else:
            share = rates[name] * row_bytes[name] / growth if growth else 0.0
            rows = remaining * share / row_bytes[name]
        sizes[name] = EntitySize(
            entity=name,
            rows=rows,
            row_bytes=row_bytes[name],
            inserts_per_second=inserts.get(name, 0.0),
            estimated=entity.rows is None,
        )
    return sizes


def _with_children(
    inserts_per_second: Mapping[str, float],
    outgoing: Mapping[str, tuple[Relationship, ...]],
    passes: int = 3,
) -> dict[str, float]:
    """Insert rates with those of children filled in: an entity with no write pattern of its
    own that belongs to a parent (a required many-to-one reference: the lines of an order)
    gains at least a row whenever its parent does."""
    rates = dict(inserts_per_second)
    for _ in range(passes):
        changed = False
        for name, relationships in outgoing.items():
            if inserts_per_second.get(name):
                continue
            inherited = max(
                (
                    rates.get(relationship.target, 0.0)
                    for relationship in relationships
                    if relationship.required and relationship.cardinality == "many-to-one"
                ),
                default=0.0,
            )
            if inherited > rates.get(name, 0.0):
                rates[name] = inherited
                changed = True
        if not changed:
            break
    return rates


def rows_touched(
    pattern: AccessPattern,
    depth: int,
    sizes: Mapping[str, EntitySize],
    entities: Mapping[str, Entity],
    relationships: tuple[Relationship, ...],
    page_rows: float,
    window_seconds: float,
) -> float:
    """How many rows one execution of `pattern` reads or writes.

    Writes touch one row; lookups, ranges, joins, searches and nearest-neighbour queries read a
    page of results; an aggregate scans the entity (or, filtered by a reference, one parent's
    share of it); a time window, or an aggregate filtered by a time, scans what the entity
    gains in one window; a traversal reads the average degree to the power of its depth.
    """
    size = sizes[pattern.entity]
    if pattern.operation != "read":
        return 1.0
    if pattern.kind == "lookup" and pattern.filter:
        return 1.0 if entities[pattern.entity].identified_by(pattern.filter) else page_rows
    timed = any(entities[pattern.entity].is_time(name) for name in pattern.filter)
    if pattern.kind == "aggregate" and not timed:
        return max(size.rows / _parent_rows(pattern, sizes, relationships), 1.0)
    if pattern.kind in ("aggregate", "time_window"):
        per_second = size.inserts_per_second or size.rows / (365 * 86400)
        return max(per_second * window_seconds / _parent_rows(pattern, sizes, relationships), 1.0)
    if pattern.kind == "traversal":
        degree = max(_degree(pattern.entity, sizes, relationships, page_rows), 1.0)
        total = sum(item.rows for item in sizes.values())
        return max(min(degree**depth, total), 1.0)
    return page_rows


def _parent_rows(
    pattern: AccessPattern,
    sizes: Mapping[str, EntitySize],
    relationships: tuple[Relationship, ...],
) -> float:
    """How many parents a filter by references splits the entity into (1: no such filter)."""
    parents = 1.0
    for relationship in relationships:
        if relationship.source != pattern.entity or relationship.cardinality == "many-to-many":
            continue
        if relationship.role in pattern.filter or relationship.target in pattern.filter:
            parents *= max(sizes[relationship.target].rows, 1.0)
    return parents


def _degree(
    entity: str,
    sizes: Mapping[str, EntitySize],
    relationships: tuple[Relationship, ...],
    page_rows: float,
) -> float:
    """The average number of neighbours of one item: items referring to it, per item, plus
    the items it refers to; a many-to-many relationship, whose pairs have no count of their
    own, is taken to relate each item to a page of others."""
    own = max(sizes[entity].rows, 1.0)
    degree = 0.0
    for relationship in relationships:
        ends = (relationship.source, relationship.target).count(entity)
        if relationship.cardinality == "many-to-many":
            degree += ends * page_rows
        elif relationship.target == entity:
            degree += sizes[relationship.source].rows / own + (ends - 1)
        elif relationship.source == entity:
            degree += 1.0
    return degree


def work_weight(rate: float, rows: float, row_bytes: int) -> float:
    """Bytes a second a pattern moves, on a log scale: ten times the work weighs one step
    more, so a scan of billions of rows outweighs a stream of single-row writes without
    silencing every other pattern."""
    return math.log10(1.0 + rate * rows * row_bytes)

"""How big each entity is and how much of it each access pattern touches.

The engine weighs patterns by work, not by requests: a dashboard that scans a billion rows ten
times a second costs more than a hundred thousand single-row inserts. Row counts and row sizes
come from the requirements when given (`entities[].rows`, `entities[].row_bytes`), otherwise
they are estimates, and say so: the volume is shared among the entities by how fast each one
grows, and a row's size is the sum of its columns' storage sizes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.knowledge import knowledge
from advisor.requirements.model import AccessPattern, Attribute, Entity, Relationship

IMPLICIT_TYPES = {"id": "bigint", "created_at": "datetime", "updated_at": "datetime"}
REFERENCE_BYTES = 8  # a bigint reference


@dataclass(frozen=True, slots=True)
class EntitySize:
    """The rows of an entity and the size of one, given or estimated, its inserts per second
    and its rows at the end of the planning horizon."""

    entity: str
    rows: float  # today
    row_bytes: float
    inserts_per_second: float
    estimated: bool  # True when `rows` was not given in the requirements
    projected_rows: float = 0.0  # at the end of the planning horizon


def value_bytes(attribute: Attribute) -> float:
    """The planned average size of one value of `attribute`, in bytes (`value_bytes` and
    `string_fill` of stores.yaml).

    >>> value_bytes(Attribute("sku", "string", length=40)), value_bytes(Attribute("n", "bigint"))
    (20.0, 8)
    """
    figures = knowledge()
    if attribute.type == "enum":
        return max((len(v.encode()) for v in attribute.values), default=1)
    if attribute.type == "string" and attribute.length is not None:
        return float(attribute.length * figures["string_fill"])
    if attribute.type == "vector":
        return 4.0 * (attribute.dimensions or 0)
    size: float = figures["value_bytes"][attribute.type]
    return size


def estimated_row_bytes(entity: Entity, outgoing: tuple[Relationship, ...]) -> float:
    """An item's size: its values (the implicit `id` and times included) and the references
    it holds."""
    size = sum(
        value_bytes(attribute) if (attribute := entity.attribute(name)) else _implicit_bytes(name)
        for name in entity.attribute_names()
    )
    return size + REFERENCE_BYTES * sum(
        1 for relationship in outgoing if relationship.cardinality != "many-to-many"
    )


@functools.cache
def _implicit_bytes(name: str) -> float:
    """The size of an implicit attribute (`id`, `created_at`, `updated_at`)."""
    return value_bytes(Attribute(name, IMPLICIT_TYPES[name]))


def entity_sizes(
    entities: Mapping[str, Entity],
    outgoing: Mapping[str, tuple[Relationship, ...]],
    inserts_per_second: Mapping[str, float],
    volume_gb: float,
    projected_volume_gb: float,
    *,
    row_bytes: Mapping[str, float] | None = None,
) -> Mapping[str, EntitySize]:
    """Rows and row size of every entity: as given, or the volume not held by entities with
    given rows, shared by how many bytes each entity adds a second (its insert rate, at least
    the floor, times its row size). `row_bytes`, the row sizes already worked out for these
    entities and relationships, saves estimating them again."""
    if row_bytes is None:
        row_bytes = {
            name: entity.row_bytes or estimated_row_bytes(entity, outgoing.get(name, ()))
            for name, entity in entities.items()
        }
    growth = entity_growth(entities, parents_held(outgoing), inserts_per_second, row_bytes)
    return sized_entities(entities, growth, row_bytes, volume_gb, projected_volume_gb)


@dataclass(frozen=True)
class Growth:
    """How the entities grow, whatever the volume: their insert rates (children's filled in),
    each one's share of the bytes added a second, and the bytes of the entities with given
    rows."""

    inserts: Mapping[str, float]
    shares: Mapping[str, float]
    given_bytes: float


def entity_growth(
    entities: Mapping[str, Entity],
    parents: Mapping[str, tuple[str, ...]],
    inserts_per_second: Mapping[str, float],
    row_bytes: Mapping[str, float],
) -> Growth:
    """The growth that `entity_sizes` shares a volume by (see `Growth`); `parents`: the
    parents of each entity (see `parents_held`)."""
    inserts = _with_children(inserts_per_second, parents)
    # An entity nobody writes still changes slowly (reference data, accounts): it grows at the
    # planning floor, so that it gets a small share of the volume rather than none.
    floor = float(knowledge()["unwritten_entity_writes_per_second"])
    rates = {name: max(inserts.get(name, 0.0), floor) for name in entities}
    given_bytes = sum(
        entity.rows * row_bytes[name]
        for name, entity in entities.items()
        if entity.rows is not None
    )
    unsized = [name for name, entity in entities.items() if entity.rows is None]
    growth = sum(rates[name] * row_bytes[name] for name in unsized)
    shares = {name: rates[name] * row_bytes[name] / growth if growth else 0.0 for name in entities}
    return Growth(inserts, shares, given_bytes)


def sized_entities(
    entities: Mapping[str, Entity],
    growth: Growth,
    row_bytes: Mapping[str, float],
    volume_gb: float,
    projected_volume_gb: float,
) -> dict[str, EntitySize]:
    """The sizes of the entities growing as `growth` says, holding `volume_gb` today and
    `projected_volume_gb` at the end of the horizon."""
    given_bytes = growth.given_bytes
    # Given rows grow with the volume; the rest of each volume is shared by growth.
    ratio = projected_volume_gb / volume_gb if volume_gb > 0 else 1.0
    remaining = max(volume_gb * 1e9 - given_bytes, 0.0)
    projected_remaining = max(projected_volume_gb * 1e9 - given_bytes * ratio, 0.0)
    inserts = growth.inserts
    sizes = {}
    for name, entity in entities.items():
        share = growth.shares[name]
        if entity.rows is not None:
            rows, projected = entity.rows, entity.rows * ratio
        else:
            rows = remaining * share / row_bytes[name]
            projected = projected_remaining * share / row_bytes[name]
        sizes[name] = EntitySize(
            name, rows, row_bytes[name], inserts.get(name, 0.0), entity.rows is None, projected
        )
    return sizes


def parents_held(
    outgoing: Mapping[str, tuple[Relationship, ...]],
) -> dict[str, tuple[str, ...]]:
    """The parents of each entity that has any, in the order of `outgoing`: the targets of
    its required many-to-one references (the order of an order line). Worked out once for
    the entities' relationships, whatever the rates whose growth `_with_children` fills in."""
    parents = {}
    for name, relationships in outgoing.items():
        held = tuple(
            relationship.target
            for relationship in relationships
            if relationship.required and relationship.cardinality == "many-to-one"
        )
        if held:
            parents[name] = held
    return parents


def _with_children(
    inserts_per_second: Mapping[str, float],
    parents: Mapping[str, tuple[str, ...]],
    passes: int = 3,
) -> dict[str, float]:
    """Insert rates with those of children filled in: an entity with no write pattern of its
    own that belongs to a parent (a required many-to-one reference: the lines of an order)
    gains at least a row whenever its parent does."""
    rates = dict(inserts_per_second)
    for _ in range(passes):
        changed = False
        for name, targets in parents.items():
            if inserts_per_second.get(name):
                continue
            inherited = max(rates.get(target, 0.0) for target in targets)
            if inherited > rates.get(name, 0.0):
                rates[name] = inherited
                changed = True
        if not changed:
            break
    return rates


@dataclass(frozen=True)
class Neighbourhood:
    """What sizing asks of the relationships, found once: for each entity, the relationships
    it holds and all those it is an end of (each in document order)."""

    outgoing: Mapping[str, tuple[Relationship, ...]]
    touching: Mapping[str, tuple[Relationship, ...]]


def neighbourhood(relationships: tuple[Relationship, ...]) -> Neighbourhood:
    outgoing: dict[str, list[Relationship]] = {}
    touching: dict[str, list[Relationship]] = {}
    for relationship in relationships:
        outgoing.setdefault(relationship.source, []).append(relationship)
        touching.setdefault(relationship.source, []).append(relationship)
        if relationship.target != relationship.source:
            touching.setdefault(relationship.target, []).append(relationship)
    return Neighbourhood(
        outgoing={name: tuple(items) for name, items in outgoing.items()},
        touching={name: tuple(items) for name, items in touching.items()},
    )


def rows_touched(
    pattern: AccessPattern,
    depth: int,
    sizes: Mapping[str, EntitySize],
    links: Neighbourhood,
    page_rows: float,
    window_seconds: float,
    *,
    identified: bool,
    timed: bool,
    total_rows: float,
) -> float:
    """How many rows one execution of `pattern` reads or writes; `identified`: its filter
    finds at most one item; `timed`: its filter names a time of its entity; `total_rows`:
    the rows of all entities.

    Writes touch one row; lookups, ranges, joins, searches and nearest-neighbour queries read a
    page of results; an aggregate scans the entity (or, filtered by a reference, one parent's
    share of it); a time window, or an aggregate filtered by a time, scans what the entity
    gains in one window; a traversal reads the average degree to the power of its depth.
    """
    size = sizes[pattern.entity]
    if pattern.operation != "read":
        return 1.0
    if pattern.kind == "lookup" and pattern.filter:
        return 1.0 if identified else page_rows
    held = links.outgoing.get(pattern.entity, ())
    if pattern.kind == "aggregate" and not timed:
        return max(size.rows / _parent_rows(pattern, sizes, held), 1.0)
    if pattern.kind in ("aggregate", "time_window"):
        per_second = size.inserts_per_second or size.rows / (365 * 86400)
        return max(per_second * window_seconds / _parent_rows(pattern, sizes, held), 1.0)
    if pattern.kind == "traversal":
        ends = links.touching.get(pattern.entity, ())
        degree = max(_degree(pattern.entity, sizes, ends, page_rows), 1.0)
        return max(min(degree**depth, total_rows), 1.0)
    return page_rows


def _parent_rows(
    pattern: AccessPattern,
    sizes: Mapping[str, EntitySize],
    held: tuple[Relationship, ...],
) -> float:
    """How many parents a filter by references splits the entity into (1: no such filter);
    `held` are the relationships the pattern's entity holds."""
    parents = 1.0
    for relationship in held:
        if relationship.cardinality == "many-to-many":
            continue
        if relationship.role in pattern.filter or relationship.target in pattern.filter:
            parents *= max(sizes[relationship.target].rows, 1.0)
    return parents


def _degree(
    entity: str,
    sizes: Mapping[str, EntitySize],
    ends: tuple[Relationship, ...],
    page_rows: float,
) -> float:
    """The average number of neighbours of one item: items referring to it, per item, plus
    the items it refers to; a many-to-many relationship, whose pairs have no count of their
    own, is taken to relate each item to a page of others. `ends` are the relationships
    `entity` is an end of."""
    own = max(sizes[entity].rows, 1.0)
    degree = 0.0
    for relationship in ends:
        count = (relationship.source, relationship.target).count(entity)
        if relationship.cardinality == "many-to-many":
            degree += count * page_rows
        elif relationship.target == entity:
            degree += sizes[relationship.source].rows / own + (count - 1)
        elif relationship.source == entity:
            degree += 1.0
    return degree


def work_weight(rate: float, rows: float, row_bytes: float) -> float:
    """Bytes a second a pattern moves, on a log scale: ten times the work weighs one step
    more, so a scan of billions of rows outweighs a stream of single-row writes without
    silencing every other pattern."""
    return math.log10(1.0 + rate * rows * row_bytes)

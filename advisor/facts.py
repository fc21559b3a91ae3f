"""The facts the engine derives once from the requirements: what each access pattern needs,
the workload's rates and projected volume, and the answers to "which column does this name mean".

`create_design` builds them once and hands them to the rules, the schema builders, the stores
and the records, so that every output reads the same resolved figures.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from advisor.matrix import Matrix, Technology
from advisor.requirements.model import (
    IMPLICIT_ATTRIBUTES,
    IMPLICIT_TIME_COLUMN,
    TIME_TYPES,
    AccessPattern,
    Entity,
    Relationship,
    Requirements,
)
from advisor.sizing import (
    EntitySize,
    Growth,
    Neighbourhood,
    entity_growth,
    estimated_row_bytes,
    neighbourhood,
    parents_held,
    rows_touched,
    sized_entities,
    work_weight,
)

DEFAULT_TRAVERSAL_DEPTH = 2
WRITE_OPERATIONS = ("write", "update", "delete")
TIME_PATTERN_KINDS = ("append", "time_window")
RATED_KINDS = ("append", "increment")  # whose needs depend on their rate (see `_needs_afresh`)
SIZED_KINDS = ("aggregate", "time_window", "traversal")  # whose reads touch a share of an entity
# The workload's figures that the facts read (the others only the rules read).
WORKLOAD_FIGURES = (
    "reads_per_second",
    "writes_per_second",
    "data_volume_gb",
    "growth_gb_per_month",
    "retention_days",
    "latency_p99_ms",
    "consistency",
)


@dataclass(frozen=True, slots=True)
class PatternFacts:
    """One access pattern with its defaults resolved and what it needs from a store."""

    index: int
    pattern: AccessPattern
    rate: float  # per second, stated or a share of the workload's rate
    latency_ms: float
    consistency: str
    depth: int  # traversal hops (0 unless kind traversal)
    needs: Mapping[str, float]  # capability -> share, adding up to 1
    rows: float  # rows one execution reads or writes (see advisor.sizing)
    work: float  # log10 of the bytes a second it moves: how much it weighs

    @property
    def path(self) -> str:
        return f"access_patterns[{self.index}]"

    @property
    def writes(self) -> bool:
        return self.pattern.operation in WRITE_OPERATIONS


@dataclass(frozen=True)
class Facts:
    """What the rules read, worked out once from the requirements and the matrix: the
    technologies, the facts of each access pattern, the rates, the projected volume and the
    size of every entity."""

    requirements: Requirements
    matrix: Matrix
    technologies: tuple[Technology, ...]
    patterns: tuple[PatternFacts, ...]
    reads_per_second: float  # the workload's, or the sum of the read patterns if higher
    writes_per_second: float
    appends_per_second: float  # the part of the writes that append patterns make
    projected_volume_gb: float  # at the end of the planning horizon
    entities: Mapping[str, Entity]
    outgoing: Mapping[str, tuple[Relationship, ...]]  # relationships whose source is the entity
    sizes: Mapping[str, EntitySize]  # rows and row size of every entity, given or estimated
    # What the entities and relationships alone decide, lent to the facts of changed figures.
    layout: Layout = field(compare=False, repr=False, kw_only=True)
    positions: Positions = field(compare=False, repr=False, kw_only=True)
    # How the sizes were worked out, lent to the facts of a workload with the same inserts.
    sized: Sized = field(compare=False, repr=False, kw_only=True)

    def threshold(self, name: str) -> float:
        return self.matrix.threshold(name)

    @functools.cached_property
    def patterns_by_entity(self) -> Mapping[str, tuple[PatternFacts, ...]]:
        """The patterns of each entity, in document order (rules ask it per entity)."""
        grouped: dict[str, list[PatternFacts]] = {}
        for p in self.patterns:
            grouped.setdefault(p.pattern.entity, []).append(p)
        return MappingProxyType({name: tuple(items) for name, items in grouped.items()})

    @property
    def positions_by_kind(self) -> Mapping[str, tuple[int, ...]]:
        """The positions of the patterns of each kind, in document order."""
        return self.positions.by_kind

    @property
    def write_positions(self) -> tuple[int, ...]:
        """The positions of the patterns that write, in document order."""
        return self.positions.writes

    def paths(self, positions: tuple[int, ...]) -> tuple[str, ...]:
        """The paths of the patterns at `positions`, as `PatternFacts.path` writes them; the
        rules name the same groups of patterns in every run of the search, so each group's
        paths are written once."""
        found = self.layout.paths.get(positions)
        if found is None:
            found = self.layout.paths[positions] = tuple(
                f"access_patterns[{index}]" for index in positions
            )
        return found

    @functools.cached_property
    def incoming(self) -> Mapping[str, tuple[Relationship, ...]]:
        """The relationships whose target is each entity, in document order."""
        grouped: dict[str, list[Relationship]] = {}
        for relationship in self.requirements.relationships:
            grouped.setdefault(relationship.target, []).append(relationship)
        return MappingProxyType({name: tuple(items) for name, items in grouped.items()})

    @functools.cached_property
    def write_rates(self) -> Mapping[str, float]:
        """How many times a second each entity is written (0 when never): its writing
        patterns' rates, summed in document order."""
        return MappingProxyType(
            {
                name: sum(p.rate for p in self.patterns_by_entity.get(name, ()) if p.writes)
                for name in self.entities
            }
        )

    def write_load(self) -> float:
        """How many single nodes the writes fill: transactional writes against one node's write
        budget, batched appends against its (higher) append budget."""
        other = max(self.writes_per_second - self.appends_per_second, 0)
        return other / self.threshold("single_node_writes_per_second") + (
            self.appends_per_second / self.threshold("single_node_appends_per_second")
        )

    def weight(self, name: str) -> float:
        return self.matrix.weights[name]

    def levels(self, capability: str) -> tuple[float, ...]:
        """Each technology's level of `capability` as a fit, 0-1, in matrix order."""
        found = self.layout.levels.get(capability)
        if found is None:
            found = self.layout.levels[capability] = tuple(
                technology.level(capability) for technology in self.technologies
            )
        return found

    @functools.cached_property
    def time_series_share(self) -> float:
        """The share of the projected bytes in entities appended in time order (append
        patterns): what a time-series store compresses."""
        appended = {p.pattern.entity for p in self.patterns if p.pattern.kind == "append"}
        total = sum(size.projected_rows * size.row_bytes for size in self.sizes.values())
        timed = sum(
            size.projected_rows * size.row_bytes
            for name, size in self.sizes.items()
            if name in appended
        )
        return share(timed, total) if total else 0.0

    def stored_volume_gb(self, technology: Technology) -> float:
        """The projected volume as `technology` stores it: divided by its compression ratio,
        on the time-series share only where its compression applies to that alone."""
        ratio = technology.compression
        if technology.compression_scope == "time_series":
            timed = self.time_series_share
            return self.projected_volume_gb * (timed / ratio + (1 - timed))
        return self.projected_volume_gb / ratio


@dataclass(frozen=True, eq=False)
class Positions:
    """Where the patterns of each kind, and those that write, stand in the document: worked
    out once, and lent to the facts of every changed workload, whose patterns have the same
    kinds and operations (the search changes only their rates)."""

    patterns: tuple[AccessPattern, ...]

    @functools.cached_property
    def by_kind(self) -> Mapping[str, tuple[int, ...]]:
        grouped: dict[str, list[int]] = {}
        for position, pattern in enumerate(self.patterns):
            grouped.setdefault(pattern.kind, []).append(position)
        return MappingProxyType({kind: tuple(items) for kind, items in grouped.items()})

    @functools.cached_property
    def writes(self) -> tuple[int, ...]:
        return tuple(
            position
            for position, pattern in enumerate(self.patterns)
            if pattern.operation in WRITE_OPERATIONS
        )


@dataclass(frozen=True, eq=False)
class Layout:
    """What the facts read from the entities and relationships alone, worked out once and
    lent to the facts of every changed workload (the what-would-change-the-answer search
    builds facts a dozen times for one model): the entities by name, the relationships each
    holds and each is an end of, the size of a row, and answers about filters and needs
    remembered as they are asked."""

    matrix: Matrix
    entity_list: tuple[Entity, ...]
    relationships: tuple[Relationship, ...]
    technologies: tuple[Technology, ...]
    entities: Mapping[str, Entity]
    outgoing: Mapping[str, tuple[Relationship, ...]]
    row_bytes: Mapping[str, float]
    links: Neighbourhood
    parents: Mapping[str, tuple[str, ...]]  # see `parents_held`
    derived: tuple[str, ...]  # the entities rebuilt from a system of record elsewhere
    # Remembered answers, by their inputs: they depend on nothing else.
    identified: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict)
    timed: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict)
    needs: dict[tuple[object, ...], Mapping[str, float]] = field(default_factory=dict)
    levels: dict[str, tuple[float, ...]] = field(default_factory=dict)
    references: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)
    paths: dict[tuple[int, ...], tuple[str, ...]] = field(default_factory=dict)

    def holds(self, requirements: Requirements, matrix: Matrix) -> bool:
        """Whether these are the entities, relationships and matrix of `requirements`."""
        return (
            self.matrix is matrix
            and self.entity_list is requirements.entities
            and self.relationships is requirements.relationships
        )

    def identifies(self, pattern: AccessPattern) -> bool:
        """Whether the filter of `pattern` finds at most one item of its entity."""
        key = (pattern.entity, pattern.filter)
        found = self.identified.get(key)
        if found is None:
            found = self.identified[key] = self.entities[pattern.entity].identified_by(
                pattern.filter
            )
        return found

    def filters_by_time(self, pattern: AccessPattern) -> bool:
        """Whether the filter of `pattern` names a time of its entity."""
        key = (pattern.entity, pattern.filter)
        found = self.timed.get(key)
        if found is None:
            entity = self.entities[pattern.entity]
            found = self.timed[key] = any(entity.is_time(name) for name in pattern.filter)
        return found


def layout(requirements: Requirements, matrix: Matrix) -> Layout:
    """The layout of `requirements`' entities and relationships (see `Layout`)."""
    entities = {entity.name: entity for entity in requirements.entities}
    outgoing: dict[str, list[Relationship]] = {name: [] for name in entities}
    for relationship in requirements.relationships:
        outgoing.setdefault(relationship.source, []).append(relationship)
    frozen_outgoing = {name: tuple(items) for name, items in outgoing.items()}
    return Layout(
        matrix=matrix,
        entity_list=requirements.entities,
        relationships=requirements.relationships,
        technologies=tuple(matrix.technologies.values()),
        entities=MappingProxyType(entities),
        outgoing=MappingProxyType(frozen_outgoing),
        row_bytes={
            name: entity.row_bytes or estimated_row_bytes(entity, frozen_outgoing.get(name, ()))
            for name, entity in entities.items()
        },
        links=neighbourhood(requirements.relationships),
        parents=parents_held(frozen_outgoing),
        derived=tuple(name for name, entity in entities.items() if entity.derived),
    )


def build_facts(requirements: Requirements, matrix: Matrix, *, like: Facts | None = None) -> Facts:
    """Resolve defaults and work out what each access pattern needs.

    `like`, the facts of requirements with the same entities and relationships (the same
    objects: the what-would-change-the-answer search changes only the workload and the
    patterns' rates), lends what depends on those alone (its `Layout`), and each of its
    patterns whose figures are unchanged.
    """
    workload = requirements.workload
    shared = like is not None and like.layout.holds(requirements, matrix)
    if (
        like is not None
        and shared
        and requirements.access_patterns is like.requirements.access_patterns
        and all(
            getattr(workload, name) == getattr(like.requirements.workload, name)
            for name in WORKLOAD_FIGURES
        )
    ):
        # Another figure changed (the write regions): the facts derive the same from these.
        return dataclasses.replace(like, requirements=requirements)
    plan = like.layout if like is not None and shared else layout(requirements, matrix)
    before = like.patterns if like is not None and shared else ()
    entities = plan.entities
    patterns = requirements.access_patterns
    unstated = {False: 0, True: 0}
    for p in patterns:
        if p.per_second is None:
            unstated[p.operation in WRITE_OPERATIONS] += 1
    stated_share = {
        False: workload.reads_per_second / max(unstated[False], 1),
        True: workload.writes_per_second / max(unstated[True], 1),
    }
    rates = [
        pattern.per_second
        if pattern.per_second is not None
        else stated_share[pattern.operation in WRITE_OPERATIONS]
        for pattern in patterns
    ]
    inserts: dict[str, float] = {}
    for pattern, rate in zip(patterns, rates, strict=True):
        if pattern.operation == "write":
            inserts[pattern.entity] = inserts.get(pattern.entity, 0.0) + rate
    horizon = matrix.threshold("planning_horizon_months")
    if workload.retention_days is not None:
        horizon = min(horizon, workload.retention_days / 30)
    projected_volume_gb = workload.data_volume_gb + workload.growth_gb_per_month * horizon
    sized = _sized(
        plan,
        inserts,
        workload.data_volume_gb,
        projected_volume_gb,
        like.sized if like is not None and shared else None,
    )
    sizes, total_rows = sized.sizes, sized.total_rows
    page_rows = matrix.threshold("result_page_rows")
    window_seconds = matrix.threshold("time_window_seconds")
    write_cost = matrix.threshold("write_amplification")
    reuse = len(before) == len(patterns)
    # Whether the patterns' kinds and operations are those of `like`'s (see `Positions`).
    same_shapes = like is not None and shared and reuse
    same_sizes = like is not None and sizes is like.sizes
    facts = []
    # Summed in document order, as `sum` over the patterns would.
    reads: float = 0
    writes_sum: float = 0
    appends: float = 0
    for index, (pattern, rate) in enumerate(zip(patterns, rates, strict=True)):
        writes = pattern.operation in WRITE_OPERATIONS
        if writes:
            writes_sum += rate
            if pattern.kind == "append":
                appends += rate
        else:
            reads += rate
        latency = pattern.latency_ms if pattern.latency_ms is not None else workload.latency_p99_ms
        consistency = pattern.consistency or workload.consistency
        old = before[index] if reuse else None
        if old is not None and old.pattern is not pattern and not _same_shape(old.pattern, pattern):
            old = None
            same_shapes = False
        if old is not None:
            # The rows one execution touches change only with the sizes, and only for the
            # kinds that read a share of an entity.
            if same_sizes or writes or pattern.kind not in SIZED_KINDS:
                rows = old.rows
            else:
                rows = _rows(pattern, old.depth, sizes, plan, total_rows, page_rows, window_seconds)
            if old.rows == rows:
                # The same rows at another rate, latency or consistency.
                if old.rate != rate:
                    needs = (
                        _needs(pattern, plan, old.depth, rate, rows)
                        if pattern.kind in RATED_KINDS
                        else old.needs
                    )
                    work = work_weight(
                        rate * (write_cost if writes else 1.0), rows, plan.row_bytes[pattern.entity]
                    )
                elif (
                    old.pattern is pattern
                    and old.latency_ms == latency
                    and old.consistency == consistency
                ):
                    facts.append(old)
                    continue
                else:
                    rate, needs, work = old.rate, old.needs, old.work
                # Built whole, as it is twice as fast as copying the old one field by field.
                facts.append(
                    PatternFacts(
                        index, pattern, rate, latency, consistency, old.depth, needs, old.rows, work
                    )
                )
                continue
        depth = (pattern.depth or DEFAULT_TRAVERSAL_DEPTH) if pattern.kind == "traversal" else 0
        rows = _rows(pattern, depth, sizes, plan, total_rows, page_rows, window_seconds)
        facts.append(
            PatternFacts(
                index=index,
                pattern=pattern,
                rate=rate,
                latency_ms=latency,
                consistency=consistency,
                depth=depth,
                needs=_needs(pattern, plan, depth, rate, rows),
                rows=rows,
                work=work_weight(
                    rate * (write_cost if writes else 1.0), rows, plan.row_bytes[pattern.entity]
                ),
            )
        )
    return Facts(
        requirements=requirements,
        matrix=matrix,
        technologies=plan.technologies,
        patterns=tuple(facts),
        reads_per_second=max(workload.reads_per_second, reads),
        writes_per_second=max(workload.writes_per_second, writes_sum),
        appends_per_second=appends,
        projected_volume_gb=projected_volume_gb,
        entities=entities,
        outgoing=plan.outgoing,
        sizes=sizes,
        layout=plan,
        sized=sized,
        positions=like.positions if like is not None and same_shapes else Positions(patterns),
    )


def _rows(
    pattern: AccessPattern,
    depth: int,
    sizes: Mapping[str, EntitySize],
    plan: Layout,
    total_rows: float,
    page_rows: float,
    window_seconds: float,
) -> float:
    """The rows one execution of `pattern` touches (see `rows_touched`)."""
    read = pattern.operation == "read"
    return rows_touched(
        pattern,
        depth,
        sizes,
        plan.links,
        page_rows,
        window_seconds,
        identified=read and pattern.kind == "lookup" and plan.identifies(pattern),
        timed=read and pattern.kind == "aggregate" and plan.filters_by_time(pattern),
        total_rows=total_rows,
    )


def _same_shape(first: AccessPattern, second: AccessPattern) -> bool:
    """Whether the two patterns touch the same rows and need the same at the same rate: all
    that `rows_touched` and `_needs` read of them is equal (their rates may differ)."""
    return first is second or (
        first.entity == second.entity
        and first.operation == second.operation
        and first.kind == second.kind
        and first.filter == second.filter
        and first.sort == second.sort
        and first.depth == second.depth
    )


@dataclass(frozen=True, eq=False)
class Sized:
    """The sizes of the entities, and what they were worked out from: the inserts a second
    of each written entity, how the entities grow by them, the volumes shared."""

    inserts: Mapping[str, float]
    growth: Growth
    volumes: tuple[float, float]  # today's, projected
    sizes: Mapping[str, EntitySize]
    total_rows: float


def _sized(
    plan: Layout,
    inserts: dict[str, float],
    volume_gb: float,
    projected_volume_gb: float,
    before: Sized | None,
) -> Sized:
    """The sizes of the entities and their rows in all, as `entity_sizes` works them out;
    those worked out `before` (for facts with the same layout) when the same inserts and
    volumes give the same, and their growth when the same inserts share other volumes."""
    volumes = (volume_gb, projected_volume_gb)
    if before is not None and before.inserts == inserts:
        if before.volumes == volumes:
            return before
        growth = before.growth
    else:
        growth = entity_growth(plan.entities, plan.parents, inserts, plan.row_bytes)
    sizes = sized_entities(plan.entities, growth, plan.row_bytes, volume_gb, projected_volume_gb)
    total_rows = sum(item.rows for item in sizes.values())
    return Sized(inserts, growth, volumes, MappingProxyType(sizes), total_rows)


def _needs(
    pattern: AccessPattern, plan: Layout, depth: int, rate: float, rows: float
) -> Mapping[str, float]:
    """What `pattern` needs (see `_needs_afresh`); patterns that need the same get the same
    mapping, remembered by all that decides it."""
    kind = pattern.kind
    variant = ""
    if kind == "lookup" and pattern.filter:
        variant = "identified" if plan.identifies(pattern) else "filtered"
    elif kind == "range" and pattern.sort and len(_unsorted(pattern)) <= 1:
        variant = "sorted"
    by_rows = kind == "traversal" or "aggregation" in plan.matrix.pattern_needs[kind]
    key = (
        kind,
        pattern.operation,
        variant,
        rate if kind in RATED_KINDS else None,
        depth,
        rows if by_rows else None,
    )
    found = plan.needs.get(key)
    if found is None:
        found = plan.needs[key] = _needs_afresh(pattern, plan, depth, rate, rows)
    return found


def _needs_afresh(
    pattern: AccessPattern, plan: Layout, depth: int, rate: float | None, rows: float
) -> Mapping[str, float]:
    matrix = plan.matrix
    needs = dict(matrix.pattern_needs[pattern.kind])
    if pattern.kind == "lookup" and pattern.filter:
        if not plan.identifies(pattern):
            needs = {"point_lookup": 0.5, "secondary_indexes": 0.5}
    elif pattern.kind == "range" and pattern.sort and len(_unsorted(pattern)) <= 1:
        # One equality and an order (the sorted column may be filtered too, as a range): a
        # partition-local ordered scan (a Cassandra partition with clustering columns, a Redis
        # sorted set, a DynamoDB sort key); no secondary index.
        needs = {"range_scan": 1.0}
    elif pattern.kind == "append" and rate is not None:
        # A slow stream of inserts is ordinary writes; log-structured ingest matters only as
        # the rate approaches what one node takes.
        intensity = min(1.0, rate / matrix.threshold("single_node_writes_per_second"))
        needs = {"append": intensity, "point_lookup": 1 - intensity}
    elif pattern.kind == "increment" and rate is not None:
        # A few increments a second are ordinary updates of one row; native counters matter as
        # the rate on one item approaches what a row lock lets through.
        intensity = min(1.0, rate / matrix.threshold("hot_row_updates_per_second"))
        needs = {"increments": intensity, "point_lookup": 1 - intensity}
    elif pattern.kind == "traversal":
        # Deep, or wide: joins serve a few hops over few rows; from the hops or the rows where
        # joins slow down, the need moves to index-free adjacency.
        native = max(matrix.threshold("traversal_native_depth"), 2)
        deep = min(1.0, (depth - 1) / (native - 1))
        wide = _log_ramp(rows / matrix.threshold("traversal_join_rows"))
        traversal = max(deep, wide)
        needs = {"traversal": traversal, "joins": 1 - traversal}
    if "aggregation" in needs and pattern.operation == "read":
        # Above what a row store scans in about a second, aggregating needs columns: from
        # nothing at the threshold to all of it at a hundred times it. Time bucketing stays.
        columnar = _log_ramp(rows / matrix.threshold("row_store_scan_rows"))
        aggregation = needs["aggregation"]
        needs["aggregation"] = aggregation * (1 - columnar)
        needs["large_scans"] = aggregation * columnar
    return MappingProxyType({name: share for name, share in needs.items() if share > 0})


def _unsorted(pattern: AccessPattern) -> tuple[str, ...]:
    """The filters of `pattern` that are not also its sort columns."""
    sorted_by = {name.lstrip("-") for name in pattern.sort}
    return tuple(name for name in pattern.filter if name not in sorted_by)


def _log_ramp(times: float) -> float:
    """0 up to a threshold, 1 from a hundred times it, on a log scale between.

    >>> _log_ramp(0.5), _log_ramp(10), _log_ramp(1000)
    (0.0, 0.5, 1.0)
    """
    return min(1.0, max(0.0, math.log10(times) / 2)) if times > 0 else 0.0


def resolve_reference(facts: Facts, entity: str, name: str) -> tuple[str, str] | None:
    """What a filter name of `entity` stores on the entity itself: ("attribute", name) or
    ("relationship", role) for a reference held by the entity; None for anything else (a
    relationship held by the other side, or many-to-many)."""
    key = (entity, name)
    references = facts.layout.references
    if key not in references:
        references[key] = _reference(facts, entity, name)
    return references[key]


def _reference(facts: Facts, entity: str, name: str) -> tuple[str, str] | None:
    found = facts.entities.get(entity)
    if found is None:
        return None
    if found.attribute(name) is not None or (
        name in IMPLICIT_ATTRIBUTES and not (found.append_only and name == "updated_at")
    ):
        return ("attribute", name)  # one of `found.attribute_names()`, without listing them
    for relationship in facts.outgoing.get(entity, ()):
        if relationship.cardinality == "many-to-many":
            continue
        if name in (relationship.role, relationship.target):
            return ("relationship", relationship.role)
    return None


def share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def ceil_div(numerator: float, denominator: float) -> int:
    return math.ceil(numerator / denominator) if denominator > 0 else 0


def time_column(facts: Facts, entity: str) -> str:
    """The time by which `entity` is read: the first time attribute (or the implicit
    `created_at`) that its appends and time windows filter or sort on, else its first time
    attribute, else `created_at`. The partitioning rule, the SQL schema and the stores all ask
    this one function, so a table is split on the column its queries name.

    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> from advisor.requirements import read_requirements
    >>> events = read_requirements('''
    ... format: advisor/v1
    ... project: Events
    ... entities: [{name: event, attributes: [{name: seen, type: date},
    ...                                       {name: at, type: datetime}]}]
    ... access_patterns: [{name: recent, entity: event, operation: read, kind: time_window,
    ...                    filter: [at]}]
    ... ''')
    >>> time_column(build_facts(events, DEFAULT_MATRIX), "event")
    'at'
    """
    found = facts.entities[entity]

    for p in facts.patterns_by_entity.get(entity, ()):
        if p.pattern.kind not in TIME_PATTERN_KINDS:
            continue
        for name in (*p.pattern.filter, *(s.lstrip("-") for s in p.pattern.sort)):
            if found.is_time(name):
                return name
    return next((a.name for a in found.attributes if a.type in TIME_TYPES), IMPLICIT_TIME_COLUMN)


COUNTER_TYPES = ("integer", "bigint")
DEFAULT_COUNTER_COLUMN = "count"


def counter_columns(facts: Facts, entity: str) -> tuple[str, ...]:
    """The numbers of `entity` that its increment patterns add to: its integer attributes that
    are neither unique nor named by a filter (filters find the item, counters change), or the
    implicit `count` when it declares none.

    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> from advisor.requirements import read_requirements
    >>> posts = read_requirements('''
    ... format: advisor/v1
    ... project: Posts
    ... entities: [{name: post, attributes: [{name: title, type: string},
    ...                                      {name: likes, type: bigint}]}]
    ... access_patterns: [{name: like, entity: post, operation: update, kind: increment,
    ...                    filter: [id]}]
    ... ''')
    >>> counter_columns(build_facts(posts, DEFAULT_MATRIX), "post")
    ('likes',)
    """
    filtered = {
        name.lstrip("-")
        for p in facts.patterns_by_entity.get(entity, ())
        for name in (*p.pattern.filter, *p.pattern.sort)
    }
    found = tuple(
        a.name
        for a in facts.entities[entity].attributes
        if a.type in COUNTER_TYPES and not a.unique and a.name not in filtered and a.name != "id"
    )
    return found or (DEFAULT_COUNTER_COLUMN,)

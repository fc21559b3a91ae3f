"""What the rules read and write: the facts derived once from the requirements, and the draft.

A rule is a pure function `Draft -> Draft`. The draft carries the facts (requirements, matrix,
and what each access pattern needs), the scoring criteria added so far, the decisions taken so
far, and the trace of reasons. Rules never mutate it; they return a new one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from advisor.matrix import Matrix, Technology
from advisor.recommendation import (
    ArchitecturePattern,
    Cache,
    Component,
    Keys,
    Partitioning,
    ReadReplicas,
    Reason,
    Regions,
    Sharding,
)
from advisor.requirements.model import AccessPattern, Entity, Relationship, Requirements

DEFAULT_TRAVERSAL_DEPTH = 2
WRITE_OPERATIONS = ("write", "update", "delete")
TIME_TYPES = ("datetime", "date")


@dataclass(frozen=True)
class PatternFacts:
    """One access pattern with its defaults resolved and what it needs from a store."""

    index: int
    pattern: AccessPattern
    rate: float  # per second, stated or a share of the workload's rate
    latency_ms: float
    consistency: str
    depth: int  # traversal hops (0 unless kind traversal)
    needs: Mapping[str, float]  # capability -> share, adding up to 1

    @property
    def path(self) -> str:
        return f"access_patterns[{self.index}]"

    @property
    def writes(self) -> bool:
        return self.pattern.operation in WRITE_OPERATIONS


@dataclass(frozen=True)
class Facts:
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

    def threshold(self, name: str) -> float:
        return self.matrix.threshold(name)

    def write_load(self) -> float:
        """How many single nodes the writes fill: transactional writes against one node's write
        budget, batched appends against its (higher) append budget."""
        other = max(self.writes_per_second - self.appends_per_second, 0)
        return other / self.threshold("single_node_writes_per_second") + (
            self.appends_per_second / self.threshold("single_node_appends_per_second")
        )

    def weight(self, name: str) -> float:
        return self.matrix.weights[name]


@dataclass(frozen=True)
class Criterion:
    """A weighted requirement and how well each technology (in matrix order) fits it, 0-1."""

    rule: str
    weight: float
    fits: tuple[float, ...]


@dataclass(frozen=True)
class Draft:
    facts: Facts
    criteria: tuple[Criterion, ...] = ()
    trace: tuple[Reason, ...] = ()
    ranking: tuple[tuple[Technology, float], ...] = ()
    components: tuple[Component, ...] = ()
    pattern: ArchitecturePattern | None = None
    read_replicas: ReadReplicas | None = None
    cache: Cache | None = None
    partitioning: tuple[Partitioning, ...] = ()
    sharding: Sharding | None = None
    regions: Regions | None = None
    keys: Keys | None = None
    notes: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def primary(self) -> Technology:
        """The chosen technology; only rules after `choose_primary` may ask."""
        if not self.ranking:
            raise LookupError("no primary technology has been chosen yet")
        return self.ranking[0][0]

    def replace(self, **changes: object) -> Draft:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def explain(self, reason: Reason, **changes: object) -> Draft:
        """A new draft with `reason` appended to the trace and the given fields replaced."""
        return dataclasses.replace(self, trace=(*self.trace, reason), **changes)  # type: ignore[arg-type]

    def score(
        self,
        rule: str,
        weight: float,
        fit: Callable[[Technology], float],
        reason: Reason,
    ) -> Draft:
        """A new draft with one more criterion (skipped when its weight is 0) and its reason."""
        return self.weigh(reason, (rule, weight, fit))

    def weigh(
        self, reason: Reason, *criteria: tuple[str, float, Callable[[Technology], float]]
    ) -> Draft:
        """A new draft with several criteria explained by one reason."""
        added = tuple(
            Criterion(rule, weight, tuple(fit(t) for t in self.facts.technologies))
            for rule, weight, fit in criteria
            if weight > 0
        )
        return self.explain(reason, criteria=(*self.criteria, *added))

    def scores(self) -> tuple[float, ...]:
        """Each technology's score, 0-100: the weighted mean of its fits over all criteria."""
        total = sum(criterion.weight for criterion in self.criteria)
        if total == 0:
            return tuple(0.0 for _ in self.facts.technologies)
        return tuple(
            100 * sum(c.weight * c.fits[index] for c in self.criteria) / total
            for index in range(len(self.facts.technologies))
        )


def build_facts(requirements: Requirements, matrix: Matrix) -> Facts:
    """Resolve defaults and work out what each access pattern needs."""
    workload = requirements.workload
    entities = {entity.name: entity for entity in requirements.entities}
    outgoing: dict[str, list[Relationship]] = {name: [] for name in entities}
    for relationship in requirements.relationships:
        outgoing.setdefault(relationship.source, []).append(relationship)
    patterns = requirements.access_patterns
    unstated = {
        writes: sum(
            1
            for p in patterns
            if p.per_second is None and (p.operation in WRITE_OPERATIONS) == writes
        )
        for writes in (False, True)
    }
    stated_share = {
        False: workload.reads_per_second / max(unstated[False], 1),
        True: workload.writes_per_second / max(unstated[True], 1),
    }
    facts = []
    for index, pattern in enumerate(patterns):
        writes = pattern.operation in WRITE_OPERATIONS
        rate = pattern.per_second if pattern.per_second is not None else stated_share[writes]
        latency = pattern.latency_ms if pattern.latency_ms is not None else workload.latency_p99_ms
        depth = (pattern.depth or DEFAULT_TRAVERSAL_DEPTH) if pattern.kind == "traversal" else 0
        facts.append(
            PatternFacts(
                index=index,
                pattern=pattern,
                rate=rate,
                latency_ms=latency,
                consistency=pattern.consistency or workload.consistency,
                depth=depth,
                needs=_needs(pattern, entities, depth, rate, matrix),
            )
        )
    reads = sum(p.rate for p in facts if not p.writes)
    writes_sum = sum(p.rate for p in facts if p.writes)
    horizon = matrix.threshold("planning_horizon_months")
    if workload.retention_days is not None:
        horizon = min(horizon, workload.retention_days / 30)
    return Facts(
        requirements=requirements,
        matrix=matrix,
        technologies=tuple(matrix.technologies.values()),
        patterns=tuple(facts),
        reads_per_second=max(workload.reads_per_second, reads),
        writes_per_second=max(workload.writes_per_second, writes_sum),
        appends_per_second=sum(p.rate for p in facts if p.writes and p.pattern.kind == "append"),
        projected_volume_gb=workload.data_volume_gb + workload.growth_gb_per_month * horizon,
        entities=MappingProxyType(entities),
        outgoing=MappingProxyType({name: tuple(items) for name, items in outgoing.items()}),
    )


def _needs(
    pattern: AccessPattern,
    entities: Mapping[str, Entity],
    depth: int,
    rate: float | None,
    matrix: Matrix,
) -> Mapping[str, float]:
    needs = dict(matrix.pattern_needs[pattern.kind])
    if pattern.kind == "lookup" and pattern.filter:
        entity = entities[pattern.entity]
        if not all(_is_key(entity, name) for name in pattern.filter):
            needs = {"point_lookup": 0.5, "secondary_indexes": 0.5}
    elif pattern.kind == "range" and len(pattern.filter) <= 1 and pattern.sort:
        # One equality and an order: a partition-local ordered scan (a Cassandra partition with
        # clustering columns, a Redis sorted set, a DynamoDB sort key); no secondary index.
        needs = {"range_scan": 1.0}
    elif pattern.kind == "append" and rate is not None:
        # A slow stream of inserts is ordinary writes; log-structured ingest matters only as
        # the rate approaches what one node takes.
        intensity = min(1.0, rate / matrix.threshold("single_node_writes_per_second"))
        needs = {"append": intensity, "point_lookup": 1 - intensity}
    elif pattern.kind == "traversal":
        native = max(matrix.threshold("traversal_native_depth"), 2)
        deep = min(1.0, (depth - 1) / (native - 1))
        needs = {"traversal": deep, "joins": 1 - deep}
    return MappingProxyType({name: share for name, share in needs.items() if share > 0})


def _is_key(entity: Entity, name: str) -> bool:
    """Whether filtering by `name` finds at most one item of `entity`."""
    attribute = entity.attribute(name)
    if attribute is None:
        return name == "id"
    return attribute.unique or name == "id"


def resolve_reference(facts: Facts, entity: str, name: str) -> tuple[str, str] | None:
    """What a filter name of `entity` stores on the entity itself: ("attribute", name) or
    ("relationship", role) for a reference held by the entity; None for anything else (a
    relationship held by the other side, or many-to-many)."""
    found = facts.entities.get(entity)
    if found is None:
        return None
    if name in found.attribute_names():
        return ("attribute", name)
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

"""The engine's output: a frozen `Recommendation` with a stable JSON form and a text form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RECOMMENDATION_FORMAT = "advisor/recommendation/v1"
SYNC_METHODS = (
    "cache_aside",
    "transactional_outbox",
    "change_data_capture",
    "dual_write",
    "write_through",
    "periodic_flush",
)
ARCHITECTURE_PATTERNS = ("single_database", "database_per_service", "cqrs", "event_sourcing")
SCHEMA_KINDS = ("sql", "store", "none")
EXPIRY_METHODS = ("drop_partition", "row_ttl", "scheduled_delete")
TENANCY_MODELS = ("none", "shared_schema", "schema_per_tenant", "database_per_tenant")
COUNTER_METHODS = ("in_place", "native_counter", "counter_store", "sharded_counter")


@dataclass(frozen=True)
class Reason:
    """Why the engine did something: the rule, the inputs it read (document paths such as
    `workload.writes_per_second` or `access_patterns[3]`), what it changed, and one sentence."""

    rule: str
    inputs: tuple[str, ...]
    effect: str
    sentence: str

    @property
    def took_effect(self) -> bool:
        """Whether the rule changed anything (rules that looked and left the draft as it was
        say so with the effect `none`)."""
        return self.effect != "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "inputs": list(self.inputs),
            "effect": self.effect,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Choice:
    """The chosen primary store: its category, its technology (matrix id and name) and score."""

    category: str
    technology: str
    name: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "technology": self.technology,
            "name": self.name,
            "score": _score(self.score),
        }


@dataclass(frozen=True)
class RankedTechnology:
    """A candidate primary store in the ranking: its score and, when a hard requirement
    rules it out, why."""

    technology: str
    name: str
    score: float
    disqualified: str = ""  # why a hard requirement rules it out as the primary store

    def to_dict(self) -> dict[str, Any]:
        return {
            "technology": self.technology,
            "name": self.name,
            "score": _score(self.score),
            "disqualified": self.disqualified,
        }


@dataclass(frozen=True)
class Shortfall:
    """Where a technology loses score points to the primary store: one scoring criterion
    (`criterion`, the rule that weighed it, with the capability for an access pattern's need),
    named for a person (`label`), and the points of 100 it loses there."""

    criterion: str
    label: str
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "label": self.label, "points": _score(self.points)}


@dataclass(frozen=True)
class Alternative:
    """A category, scored by its best feasible technology, with all its technologies ranked;
    `feasible` is False when every one of them is ruled out. `behind`: the criteria on which
    that best technology loses most to the primary store, the largest first."""

    category: str
    score: float
    technologies: tuple[RankedTechnology, ...]
    feasible: bool = True
    behind: tuple[Shortfall, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "score": _score(self.score),
            "feasible": self.feasible,
            "technologies": [technology.to_dict() for technology in self.technologies],
            "behind": [shortfall.to_dict() for shortfall in self.behind],
        }


@dataclass(frozen=True)
class Component:
    """A store added beside the primary one (polyglot persistence) and how it is kept in sync."""

    role: str  # cache, search_index, time_series_store, graph_store, analytics
    category: str
    technology: str
    name: str
    patterns: tuple[str, ...]  # names of the access patterns it serves
    inputs: tuple[str, ...]  # their paths, access_patterns[i]
    sync: str  # one of SYNC_METHODS
    risky: bool  # dual write: two systems written without a transaction between them
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "category": self.category,
            "technology": self.technology,
            "name": self.name,
            "patterns": list(self.patterns),
            "inputs": list(self.inputs),
            "sync": self.sync,
            "risky": self.risky,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PatternWarning:
    """A caveat of the architecture pattern (`kind`), the inputs it reads and one sentence."""

    kind: str  # shared_database, cross_region_latency, ...
    inputs: tuple[str, ...]
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "inputs": list(self.inputs), "sentence": self.sentence}


@dataclass(frozen=True)
class ArchitecturePattern:
    """How the data is divided between services and models.

    `cross_service` lists the relationships (their paths) whose ends belong to different
    services' databases: the schemas keep the id but no foreign key across them.
    `schema_per_context`: the contexts share one database, a schema each, because
    transactions cross them; foreign keys between contexts are kept (one database enforces
    them), so `cross_service` is empty.
    """

    name: str  # one of ARCHITECTURE_PATTERNS
    reasons: tuple[str, ...]
    warnings: tuple[PatternWarning, ...] = ()
    cross_service: tuple[str, ...] = ()
    schema_per_context: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reasons": list(self.reasons),
            "warnings": [warning.to_dict() for warning in self.warnings],
            "cross_service": list(self.cross_service),
            "schema_per_context": self.schema_per_context,
        }


@dataclass(frozen=True)
class ReadReplicas:
    """Read replicas of a single primary; a distributed store keeps `replication_factor`
    copies of its data itself instead (for availability: its reads scale by adding nodes)."""

    count: int
    reason: str
    replication_factor: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "reason": self.reason,
            "replication_factor": self.replication_factor,
        }


@dataclass(frozen=True)
class Cache:
    """Whether a cache sits in front of the primary store, and why."""

    enabled: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "reason": self.reason}


@dataclass(frozen=True)
class Partitioning:
    """Split an entity's table by time into range partitions of one `interval` each.

    `column` is the requirement's name of the time the entity's patterns read by (an attribute
    or the implicit `created_at`); `retention_days` None keeps every partition. Each SQL schema
    applies it or says, in its `partitions`, why it could not.
    """

    entity: str
    by: str  # time
    column: str
    interval: str  # hour, day, week or month
    retention_days: int | None
    reason: str
    inputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "by": self.by,
            "column": self.column,
            "interval": self.interval,
            "retention_days": self.retention_days,
            "reason": self.reason,
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True)
class Expiry:
    """How an entity that grows by appends loses rows older than `days`: `drop_partition`
    (its time partitions, see `Partitioning`), `row_ttl` (the store deletes expired rows itself)
    or `scheduled_delete` (a job deletes them in batches). `column` is the requirement's name of
    the time the entity is read by."""

    entity: str
    column: str
    days: int
    how: str  # one of EXPIRY_METHODS
    reason: str
    inputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "column": self.column,
            "days": self.days,
            "how": self.how,
            "reason": self.reason,
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True)
class Counter:
    """How an increment pattern adds to its numbers without a hot row: `in_place` (an ordinary
    update, below the hot-row rate), `native_counter` (the primary store's own counters: Redis
    INCRBY, Cassandra counter columns), `counter_store` (increments go to the counter
    component `technology`, flushed to the primary every `flush_seconds`) or `sharded_counter`
    (a table of `slots` rows per item, one picked at random per increment, summed on read).
    `columns` are the requirement's names of the numbers."""

    pattern: str
    entity: str
    columns: tuple[str, ...]
    rate: float  # increments a second on the hottest item
    how: str  # one of COUNTER_METHODS
    reason: str
    inputs: tuple[str, ...] = ()
    slots: int = 0  # sharded_counter only
    technology: str | None = None  # counter_store only
    flush_seconds: float = 0  # counter_store only

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "entity": self.entity,
            "columns": list(self.columns),
            "rate": self.rate,
            "how": self.how,
            "slots": self.slots,
            "technology": self.technology,
            "flush_seconds": self.flush_seconds,
            "reason": self.reason,
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True, slots=True)
class ShardKey:
    """What one entity is sharded by (an attribute, a relationship or a point's cell), and why."""

    entity: str
    key: str
    kind: str  # attribute, relationship, or geo_cell (the H3 cell of a point, `key` = <point>_cell)
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "key": self.key, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class Sharding:
    """Whether the primary store is sharded, into how many shards and by which keys, and the
    access patterns that cross shards."""

    needed: bool
    shards: int
    keys: tuple[ShardKey, ...]
    cross_shard_patterns: tuple[str, ...]
    reason: str
    hot_keys: tuple[str, ...] = ()  # warnings: one value takes a large share of a pattern

    def to_dict(self) -> dict[str, Any]:
        return {
            "needed": self.needed,
            "shards": self.shards,
            "keys": [key.to_dict() for key in self.keys],
            "cross_shard_patterns": list(self.cross_shard_patterns),
            "reason": self.reason,
            "hot_keys": list(self.hot_keys),
        }


@dataclass(frozen=True)
class Regions:
    """How many regions take writes and how they agree (`strategy`), and why."""

    write_regions: int
    strategy: str  # single_region, multi_region_consensus, multi_region_conflict_resolution
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "write_regions": self.write_regions,
            "strategy": self.strategy,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Scaling:
    """How the primary store scales: replicas, cache, partitions, shards, regions, expiry and
    counters, and what changes at ten times the stated load (`at_10x`)."""

    read_replicas: ReadReplicas
    cache: Cache
    partitioning: tuple[Partitioning, ...]
    sharding: Sharding
    regions: Regions
    at_10x: tuple[str, ...]
    expiry: tuple[Expiry, ...] = ()
    counters: tuple[Counter, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "read_replicas": self.read_replicas.to_dict(),
            "cache": self.cache.to_dict(),
            "partitioning": [item.to_dict() for item in self.partitioning],
            "expiry": [item.to_dict() for item in self.expiry],
            "counters": [item.to_dict() for item in self.counters],
            "sharding": self.sharding.to_dict(),
            "regions": self.regions.to_dict(),
            "at_10x": list(self.at_10x),
        }


@dataclass(frozen=True)
class EntityKey:
    """The primary key type of an entity that declares its own id, and why."""

    entity: str
    type: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "type": self.type, "reason": self.reason}


@dataclass(frozen=True)
class Keys:
    """Primary keys: `bigint_identity` by default, `uuid_v7` when ids are made in many places."""

    strategy: str  # bigint_identity or uuid_v7
    reason: str
    inputs: tuple[str, ...]
    entities: tuple[EntityKey, ...] = ()  # entities that declare their own id

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "reason": self.reason,
            "inputs": list(self.inputs),
            "entities": [entity.to_dict() for entity in self.entities],
        }


@dataclass(frozen=True)
class Tenancy:
    """How the data of many tenants is kept apart (`workload.tenancy`): `none`, `shared_schema`
    (every table in `scoped` holds the tenant's id, which leads its keys), `schema_per_tenant`
    or `database_per_tenant` (the DDL is applied once per tenant). `tenant_entity` holds the
    tenants; `provisioning` says how a new tenant gets its place."""

    model: str  # one of TENANCY_MODELS
    tenant_entity: str | None
    scoped: tuple[str, ...]  # tenant-scoped entities, in the document's order
    provisioning: str
    reason: str
    inputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "tenant_entity": self.tenant_entity,
            "scoped": list(self.scoped),
            "provisioning": self.provisioning,
            "reason": self.reason,
            "inputs": list(self.inputs),
        }


NO_TENANCY = Tenancy("none", None, (), "", "One tenant: no tenant id in the tables.")


@dataclass(frozen=True)
class Placement:
    """Where a document store keeps one relationship: `embed` (the source lives inside the
    target's document), `reference` (the source holds the target's id) or `id_array`
    (many-to-many: the source holds an array of the target's ids)."""

    relationship: str  # its path, relationships[i]
    source: str
    target: str
    role: str
    how: str  # embed, reference or id_array
    reason: str
    inputs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "relationship": self.relationship,
            "source": self.source,
            "target": self.target,
            "role": self.role,
            "how": self.how,
            "reason": self.reason,
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True)
class SchemaTarget:
    """The schema the primary store gets.

    `kind` says which leads: `sql` (the DDL in `dialect`, the file `schema/<dialect>.sql`),
    `store` (the schema the store generator `store` writes) or `none` (no schema from the
    advisor). `dialect` is the SQL the primary runs, if any (TimescaleDB, a store, runs
    PostgreSQL's); `family` the one of the five SQL dialects whose schema that DDL renders
    (`postgresql` for CockroachDB's own dialect). `label` names that DDL for a person, or the
    store's schema when the primary runs no SQL.
    """

    kind: str  # one of SCHEMA_KINDS
    technology: str
    label: str
    dialect: str | None = None
    family: str | None = None
    store: str | None = None

    @property
    def path(self) -> str | None:
        """The SQL file of the primary store's DDL, in the design folder."""
        return f"schema/{self.dialect}.sql" if self.dialect else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "technology": self.technology,
            "label": self.label,
            "dialect": self.dialect,
            "family": self.family,
            "store": self.store,
            "path": self.path,
        }


@dataclass(frozen=True)
class Flip:
    """The smallest change of one input that gives another primary store."""

    input: str  # the document path, e.g. workload.writes_per_second
    change: str  # what it becomes, e.g. "30,000 writes/s (x10)"
    technology: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "change": self.change,
            "technology": self.technology,
            "name": self.name,
        }


@dataclass(frozen=True)
class Confidence:
    """How far the primary store leads the best feasible store of another category, what that
    margin means (high, medium, low), and what would change the answer."""

    margin: float
    level: str  # high, medium or low
    runner_up: str
    runner_up_name: str
    flips: tuple[Flip, ...] = ()
    flips_checked: bool = False  # whether the changes were tried (flips may then be empty)

    def to_dict(self) -> dict[str, Any]:
        return {
            "margin": _score(self.margin),
            "level": self.level,
            "runner_up": self.runner_up,
            "runner_up_name": self.runner_up_name,
            "flips": [flip.to_dict() for flip in self.flips],
            "flips_checked": self.flips_checked,
        }


@dataclass(frozen=True, slots=True)
class EntityVolume:
    """How many items an entity holds and how big they are: given in the requirements, or
    estimated (see advisor/sizing.py), and said so."""

    entity: str
    rows: float
    row_bytes: float
    estimated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "rows": round(self.rows),
            "row_bytes": max(round(self.row_bytes), 1),
            "estimated": self.estimated,
        }


@dataclass(frozen=True, slots=True)
class PatternWork:
    """How much one access pattern weighs: the rows one execution touches and its share of
    the pattern weight."""

    pattern: str
    rows: float
    weight: float  # share of the access patterns' weight, 0-1

    def to_dict(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "rows": round(self.rows), "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class Recommendation:
    """The design recommended for a requirements document: the primary store and its
    alternatives, the components beside it, the architecture, scaling and keys, and the trace
    of every rule that fired. `to_dict` and `to_json` give its stable JSON form."""

    project: str
    primary: Choice
    alternatives: tuple[Alternative, ...]
    components: tuple[Component, ...]
    pattern: ArchitecturePattern
    scaling: Scaling
    keys: Keys
    trace: tuple[Reason, ...]
    documents: tuple[Placement, ...] = ()  # for a document primary store: each relationship
    confidence: Confidence | None = None
    primary_schema: SchemaTarget | None = None  # None only in recommendations made by hand
    tenancy: Tenancy = NO_TENANCY
    volumes: tuple[EntityVolume, ...] = ()
    work: tuple[PatternWork, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form as plain data; `recommendation.schema.json` describes it."""
        return {
            "format": RECOMMENDATION_FORMAT,
            "project": self.project,
            "primary": self.primary.to_dict(),
            "primary_schema": self.primary_schema.to_dict() if self.primary_schema else None,
            "alternatives": [alternative.to_dict() for alternative in self.alternatives],
            "components": [component.to_dict() for component in self.components],
            "pattern": self.pattern.to_dict(),
            "scaling": self.scaling.to_dict(),
            "keys": self.keys.to_dict(),
            "documents": [placement.to_dict() for placement in self.documents],
            "confidence": self.confidence.to_dict() if self.confidence else None,
            "tenancy": self.tenancy.to_dict(),
            "volumes": [volume.to_dict() for volume in self.volumes],
            "work": [item.to_dict() for item in self.work],
            "trace": [reason.to_dict() for reason in self.trace],
        }

    def to_json(self) -> str:
        """The stable JSON text: same requirements, byte-identical text."""
        from advisor.typed_json import indented_json  # here: `recommend` prints text by default

        return indented_json(self.to_dict()) + "\n"

    @property
    def search_served(self) -> frozenset[str]:
        """The access patterns a search index serves beside the primary store: the SQL schemas
        leave their full-text indexes to it."""
        return frozenset(
            name
            for component in self.components
            if component.role == "search_index"
            for name in component.patterns
        )

    def reasons_for(self, path: str) -> tuple[Reason, ...]:
        """The reasons that read the input at `path` or inside it (for the web page's pointers).

        `reasons_for("workload")` also returns reasons that read `workload.regions`.
        """
        return tuple(
            reason
            for reason in self.trace
            if any(
                item == path or item.startswith((f"{path}.", f"{path}[")) for item in reason.inputs
            )
        )


def _score(score: float) -> float:
    return round(score, 1)


def render_text(recommendation: Recommendation) -> str:
    """The recommendation as readable text, reasons included (the command line's output)."""
    primary = recommendation.primary
    lines = [
        f"Recommendation for {recommendation.project}",
        "",
        f"Primary store: {primary.name} ({primary.category}), score {_score(primary.score)}",
        *(
            [f"  schema: {recommendation.primary_schema.label}"]
            if recommendation.primary_schema
            else []
        ),
        "",
        "Alternatives:",
    ]
    for alternative in recommendation.alternatives:
        best = ", ".join(
            f"{technology.name} {_score(technology.score)}"
            + (" (ruled out)" if technology.disqualified else "")
            for technology in alternative.technologies[:3]
        )
        lines.append(f"  {alternative.category:<12} {_score(alternative.score):>5}  {best}")
    ruled = [
        f"  {technology.name}: {technology.disqualified}"
        for alternative in recommendation.alternatives
        for technology in alternative.technologies
        if technology.disqualified
    ]
    if ruled:
        lines += ["", "Ruled out as the primary store:", *ruled]
    confidence = recommendation.confidence
    if confidence is not None and confidence.runner_up:
        lines += [
            "",
            f"Confidence: {confidence.level}, {_score(confidence.margin)} points ahead of "
            f"{confidence.runner_up_name} (the best store of another category).",
        ]
        lines += [
            f"  {flip.change} ({flip.input}) would give {flip.name}" for flip in confidence.flips
        ]
    if recommendation.volumes:
        lines += ["", "Data (est.: estimated from the volume, write rates and types):"]
        lines += [
            f"  {volume.entity}: {volume.rows:,.0f} rows of {volume.row_bytes:,.0f} bytes"
            + (" (est.)" if volume.estimated else "")
            for volume in recommendation.volumes
        ]
        lines += [
            f"  {item.pattern!r}: {item.rows:,.0f} row{'' if round(item.rows) == 1 else 's'} "
            f"each time, {round(100 * item.weight)}% of the pattern weight"
            for item in recommendation.work
        ]
    lines += ["", "Components:"]
    if not recommendation.components:
        lines.append("  none: the primary store serves every access pattern")
    for component in recommendation.components:
        risk = " (risky)" if component.risky else ""
        lines.append(
            f"  {component.role}: {component.name}, kept in sync by "
            f"{component.sync.replace('_', ' ')}{risk}"
        )
        lines.append(f"    serves: {', '.join(component.patterns)}")
        lines.append(f"    {component.reason}")
    pattern = recommendation.pattern
    lines += ["", f"Architecture: {pattern.name.replace('_', ' ')}"]
    lines += [f"  {reason}" for reason in pattern.reasons]
    lines += [f"  warning: {warning.sentence}" for warning in pattern.warnings]
    scaling = recommendation.scaling
    lines += [
        "",
        "Scaling:",
        (
            f"  replication factor: {scaling.read_replicas.replication_factor}. "
            if scaling.read_replicas.replication_factor
            else f"  read replicas: {scaling.read_replicas.count}. "
        )
        + scaling.read_replicas.reason,
        f"  cache: {'yes' if scaling.cache.enabled else 'no'}. {scaling.cache.reason}",
    ]
    for item in scaling.partitioning:
        lines.append(f"  partition {item.entity} by {item.by} ({item.column}). {item.reason}")
    for expiry in scaling.expiry:
        how = expiry.how.replace("_", " ")
        lines.append(f"  expire {expiry.entity} after {expiry.days} days by {how}. {expiry.reason}")
    for counter in scaling.counters:
        how = counter.how.replace("_", " ")
        lines.append(f"  counter {counter.pattern!r}: {how}. {counter.reason}")
    sharding = scaling.sharding
    if sharding.needed:
        lines.append(f"  sharding: {sharding.shards} shards. {sharding.reason}")
        lines += [f"    {key.entity}: by {key.key} ({key.reason})" for key in sharding.keys]
        if sharding.cross_shard_patterns:
            lines.append(f"    cross-shard: {', '.join(sharding.cross_shard_patterns)}")
    else:
        lines.append(f"  sharding: not needed. {sharding.reason}")
    lines.append(
        f"  regions: {scaling.regions.strategy.replace('_', ' ')}. {scaling.regions.reason}"
    )
    lines += ["", "At 10x the stated load:"]
    lines += [f"  {sentence}" for sentence in scaling.at_10x]
    tenancy = recommendation.tenancy
    if tenancy.model != "none":
        lines += ["", f"Tenancy: {tenancy.model.replace('_', ' ')}. {tenancy.reason}"]
        lines.append(f"  provisioning: {tenancy.provisioning}")
    keys = recommendation.keys
    lines += ["", f"Primary keys: {keys.strategy.replace('_', ' ')}. {keys.reason}"]
    lines += [f"  {key.entity}: {key.type} ({key.reason})" for key in keys.entities]
    lines += ["", "Reasons:"]
    for reason in recommendation.trace:
        inputs = f" [{', '.join(reason.inputs[:4])}{', ...' if len(reason.inputs) > 4 else ''}]"
        lines.append(f"  {reason.rule}{inputs if reason.inputs else ''}: {reason.sentence}")
    return "\n".join(lines) + "\n"

"""The requirements of format `advisor/v1` as frozen dataclasses.

The model does not know where it came from: a YAML document, the web form, and later imported
SQL DDL or DBML all end up as the same `Requirements`. Instances compare by value, so two
versions of a project's requirements can be compared (see `diff_requirements`).

The classes a document holds thousands of (entities, attributes, relationships, access
patterns) have `__slots__`: the reader of large documents makes them without `__init__` (see
`well_formed.instances`), and an instance with a `__dict__` made that way held a whole dict,
560 bytes where slots take 170.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

FORMAT = "advisor/v1"

ATTRIBUTE_TYPES = (
    "string",
    "text",
    "integer",
    "bigint",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "time",
    "uuid",
    "json",
    "enum",
    "binary",
    "point",
    "vector",
)
NUMERIC_TYPES = ("integer", "bigint", "decimal", "float")
TEXT_TYPES = ("string", "text")
FORMATS = ("email", "url", "phone")
CARDINALITIES = ("many-to-one", "one-to-one", "many-to-many")
MIRRORED_CARDINALITIES = {"one-to-many": "many-to-one"}
ON_DELETE = ("cascade", "restrict", "set_null")
OPERATIONS = ("read", "write", "update", "delete")
KINDS = (
    "lookup",
    "range",
    "join",
    "aggregate",
    "full_text",
    "traversal",
    "time_window",
    "append",
    "increment",
    "nearby",
    "similarity",
)
# A location (WGS84 longitude and latitude) and an embedding of `dimensions` numbers: neither
# has an order, so no B-tree serves them; `nearby` and `similarity` patterns search them.
SPATIAL_TYPES = ("point",)
VECTOR_TYPES = ("vector",)
CONSISTENCY = ("strong", "eventual")
TRANSACTIONS = ("none", "single_entity", "multi_entity")
SCHEMA_STABILITY = ("stable", "evolving")
MANAGED_SERVICE = ("required", "preferred", "avoid")
BUDGET = ("low", "medium", "high")
TENANCY = ("none", "shared_schema", "schema_per_tenant", "database_per_tenant")

# The schema generators add these to every entity that does not declare them.
IMPLICIT_ATTRIBUTES = ("id", "created_at", "updated_at")
TIME_TYPES = ("datetime", "date")  # attributes that place an item in time
IMPLICIT_TIME_COLUMN = "created_at"

NAME_MAX_LENGTH = 128

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Workload:
    """Peak load and the guarantees the data needs; every field has a documented default."""

    reads_per_second: float = 100
    writes_per_second: float = 10
    data_volume_gb: float = 10
    growth_gb_per_month: float = 1
    retention_days: int | None = None  # None: kept forever
    consistency: str = "strong"
    transactions: str = "single_entity"
    schema_stability: str = "stable"
    regions: int = 1
    # Where the write regions are (cloud region names or continents), for round trips per pair.
    region_names: tuple[str, ...] = ()
    availability_percent: float = 99.9
    latency_p99_ms: float = 100
    tenancy: str = "none"  # how the data of many tenants is kept apart


@dataclass(frozen=True)
class Team:
    """Who will run the database: what they know and what they can afford."""

    expertise: tuple[str, ...] = ()
    managed_service: str = "preferred"
    budget: str = "medium"


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute of an entity: its name and type, what the type needs (length, precision,
    values, dimensions) and the constraints on its values."""

    name: str
    type: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    values: tuple[str, ...] = ()
    required: bool = False
    unique: bool = False
    default: Scalar | None = None
    min: float | None = None
    max: float | None = None
    format: str | None = None
    case_insensitive: bool = False  # U@EX.COM and u@ex.com are the same value (for unique)
    dimensions: int | None = None  # of a vector
    # The enum of the same entity whose value gives this amount's direction (debit or credit,
    # in or out): rollups keep it per direction and as a signed sum, never as a plain sum.
    signed_by: str | None = None
    renamed_from: str | None = None  # its name in the previous version (for a migration)


class _AttributesByName:
    """The slot an entity keeps its declared attributes by name in, made when first asked for
    (see `Entity.attribute`): not a field, so equality and hashing do not see it."""

    __slots__ = ("_by_name",)
    _by_name: Mapping[str, Attribute]


@dataclass(frozen=True, slots=True)
class Entity(_AttributesByName):
    """A kind of thing the design stores: its attributes, bounded context and unique keys."""

    name: str
    context: str | None = None
    attributes: tuple[Attribute, ...] = ()
    derived: bool = False  # rebuilt from the system of record, or safe to lose
    # Unique keys over several names (attributes or relationship roles): natural and
    # idempotency keys, "one like per user and post".
    unique: tuple[tuple[str, ...], ...] = ()
    append_only: bool = False  # rows are inserted, never updated or deleted (audit, ledger)
    tenant: bool = False  # the entity whose items are the tenants (workload.tenancy)
    rows: float | None = None  # items stored today; None: estimated from the volume and rates
    row_bytes: int | None = None  # average size of one item; None: estimated from the types
    renamed_from: str | None = None  # its name in the previous version (for a migration)

    def attribute(self, name: str) -> Attribute | None:
        """The declared attribute called `name`, if any (implicit ones are not declared)."""
        try:
            by_name: Mapping[str, Attribute] = self._by_name
        except AttributeError:
            by_name = {}
            for attribute in self.attributes:
                by_name.setdefault(attribute.name, attribute)  # the first, as a scan would find
            object.__setattr__(self, "_by_name", by_name)  # frozen: not a field
        return by_name.get(name)

    def is_time(self, name: str) -> bool:
        """Whether `name` is a time of the entity: a date or datetime attribute, or the
        implicit `created_at` when it declares no such name.

        >>> Entity("event", attributes=(Attribute("at", "datetime"),)).is_time("at")
        True
        >>> Entity("event").is_time("created_at"), Entity("event").is_time("kind")
        (True, False)
        """
        attribute = self.attribute(name)
        if attribute is None:
            return name == IMPLICIT_TIME_COLUMN
        return attribute.type in TIME_TYPES

    def identified_by(self, names: tuple[str, ...]) -> bool:
        """Whether filtering by all of `names` finds at most one item: each is `id` or a
        unique attribute, or together they cover one of the composite unique keys.

        >>> score = Entity("score", unique=(("season", "player"),))
        >>> score.identified_by(("season", "player")), score.identified_by(("season",))
        (True, False)
        """

        def unique(name: str) -> bool:
            attribute = self.attribute(name)
            return name == "id" if attribute is None else attribute.unique or name == "id"

        if names and all(unique(name) for name in names):
            return True
        return any(set(key) <= set(names) for key in self.unique)

    def attribute_names(self) -> tuple[str, ...]:
        """Declared attributes first, then the implicit ones that are not declared (an
        append-only entity has no `updated_at`: its rows never change).

        >>> Entity("order", attributes=(Attribute("total", "decimal"),)).attribute_names()
        ('total', 'id', 'created_at', 'updated_at')
        >>> Entity("audit_entry", append_only=True).attribute_names()
        ('id', 'created_at')
        """
        declared = tuple(attribute.name for attribute in self.attributes)
        implicit = tuple(
            name
            for name in IMPLICIT_ATTRIBUTES
            if name not in declared and not (self.append_only and name == "updated_at")
        )
        return declared + implicit


@dataclass(frozen=True, slots=True)
class Relationship:
    """A reference from `source` to `target` (`from` and `to` in the document).

    `one-to-many` never appears here: the parser mirrors it to `many-to-one`, so the entity
    holding the reference is always `source`.
    """

    source: str
    target: str
    cardinality: str
    name: str | None = None
    required: bool = False
    on_delete: str | None = None

    @property
    def role(self) -> str:
        """How `source` calls the referenced entity: the name, or else the target's name."""
        return self.name if self.name is not None else self.target

    @property
    def inverse_role(self) -> str:
        """How `target` calls the referencing entity: the name, or else the source's name."""
        return self.name if self.name is not None else self.source


@dataclass(frozen=True, slots=True)
class AccessPattern:
    """How the application reads or writes an entity (`kind`: lookup, range, join, ...),
    filtered and sorted by what names, and its own rate, latency and consistency when given."""

    name: str
    entity: str
    operation: str
    kind: str
    filter: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()
    per_second: float | None = None  # None: a share of the workload's rate
    latency_ms: float | None = None  # None: the workload's latency_p99_ms
    consistency: str | None = None  # None: the workload's consistency
    depth: int | None = None  # traversal hops, only for kind traversal


@dataclass(frozen=True, slots=True)
class LintIgnore:
    """A schema lint finding accepted on purpose: the rule, where (`None`: wherever it fires),
    and why, for the next reader."""

    rule: str
    target: str | None = None  # a finding's location (`order.total`) or a table's name
    reason: str = ""


@dataclass(frozen=True)
class Lint:
    """How the schema linter treats this design (`python -m advisor lint`)."""

    ignore: tuple[LintIgnore, ...] = ()


@dataclass(frozen=True)
class Requirements:
    """A requirements document, validated: the project, its workload and team, its entities,
    relationships and access patterns, and the lint findings accepted on purpose."""

    project: str
    description: str = ""
    workload: Workload = field(default_factory=Workload)
    team: Team = field(default_factory=Team)
    entities: tuple[Entity, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    access_patterns: tuple[AccessPattern, ...] = ()
    lint: Lint = field(default_factory=Lint)

    def entity(self, name: str) -> Entity | None:
        position = self.entity_positions.get(name)
        return None if position is None else self.entities[position]

    @functools.cached_property
    def entity_positions(self) -> Mapping[str, int]:
        """Where each entity is in `entities`, by name (the first, should names repeat)."""
        found: dict[str, int] = {}
        for position, entity in enumerate(self.entities):
            found.setdefault(entity.name, position)
        return found

    @functools.cached_property
    def contexts(self) -> tuple[str, ...]:
        """The bounded contexts the entities name, sorted."""
        return tuple(sorted({e.context for e in self.entities if e.context}))

    @functools.cached_property
    def relationship_positions(self) -> Mapping[Relationship, int]:
        """Where each relationship is in `relationships` (the first of equal ones)."""
        found: dict[Relationship, int] = {}
        for position, relationship in enumerate(self.relationships):
            found.setdefault(relationship, position)
        return found

"""Every field of a requirements document, in one table.

The parser's checks, the JSON Schema (`python -m advisor schema --write`), the editor's labels,
units and choices and the field reference in docs/requirements.md are all read from `FIELDS`.
A new field is one row here plus the typed attribute of the model that the rules read; the
model's dataclass holds its default, so the default is stated once.

Paths are written as in the document, with `[]` for "every item of the list":
`workload.reads_per_second`, `entities[].attributes[].type`.

>>> FIELDS["workload.regions"].maximum
50
>>> [field.key for field in fields_of("relationships[]")]
['from', 'to', 'cardinality', 'name', 'required', 'on_delete']
>>> default_of(FIELDS["team.budget"])
'medium'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from advisor.requirements.model import (
    ATTRIBUTE_TYPES,
    BUDGET,
    CARDINALITIES,
    CONSISTENCY,
    FORMAT,
    FORMATS,
    KINDS,
    MANAGED_SERVICE,
    MIRRORED_CARDINALITIES,
    NUMERIC_TYPES,
    ON_DELETE,
    OPERATIONS,
    SCHEMA_STABILITY,
    TENANCY,
    TEXT_TYPES,
    TRANSACTIONS,
    AccessPattern,
    Attribute,
    Entity,
    Lint,
    LintIgnore,
    Relationship,
    Requirements,
    Team,
    Workload,
)

Kind = Literal[
    "const",  # exactly the one value in `choices`
    "text",  # a string of min_length to max_length characters
    "name",  # a name: 1 to 128 characters, not blank, no control characters
    "number",
    "integer",
    "boolean",
    "choice",  # one of `choices`
    "value",  # a value of the type named by the field `typed_by` (an attribute's default)
    "scalar",  # a string, a number or a boolean
    "list",  # a list of `items` (text or name)
    "keys",  # a list of keys, each a list of names (at least one, distinct)
    "section",  # a mapping of the fields under this path
    "items",  # a list of mappings of the fields under this path + "[]"
]

# Upper bounds keep the arithmetic of the engine meaningful; they are far above any real system.
MAX_RATE = 1_000_000_000
MAX_VOLUME_GB = 1_000_000_000
MAX_REGIONS = 50
MAX_LATENCY_MS = 3_600_000  # one hour
MAX_RETENTION_DAYS = 365_000  # a thousand years
MAX_DEPTH = 100
MAX_ROWS = 1e15
MAX_ROW_BYTES = 1_073_741_824  # PostgreSQL's limit for one field value
MAX_LENGTH = (
    10_485_760  # PostgreSQL's limit for varchar(n), the largest of the dialects we generate
)
MAX_PRECISION = 1000  # PostgreSQL's limit for numeric(p, s)
MAX_DIMENSIONS = 16_000  # pgvector's limit for vector(n), the largest of the stores we generate
PROJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
EXPERTISE_MAX_LENGTH = 64
TARGET_MAX_LENGTH = 500  # a table, a column and a constraint's name, with room to spare
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# The size of a document: large enough for the estates people import (thousands of tables; the
# engine is benchmarked at 500 and aimed at 5,000 entities), small enough that no document can
# make one read, parse or design run away. The limits are checked while the document is read.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_NESTING = 20  # levels of mappings and lists; a document needs 6
MAX_NODES = 2_000_000  # values, keys and items; a document at the limits below holds about 1.3 M
MAX_ENTITIES = 5_000
MAX_ATTRIBUTES = 100_000  # in the whole document
MAX_RELATIONSHIPS = 20_000
MAX_ACCESS_PATTERNS = 10_000
# What the web editor shows as a form (about 16 inputs per attribute): a larger document is
# edited as a file and imported, and the editor says so. These also size the form's field limit
# (designs/settings.py).
EDITOR_MAX_ENTITIES = 200
EDITOR_MAX_ATTRIBUTES = 2_000
EDITOR_MAX_RELATIONSHIPS = 500
EDITOR_MAX_ACCESS_PATTERNS = 300

# The kind of an attribute's default (and of its min and max), by the attribute's type. Dates
# and times stay strings, so that a document stays JSON.
VALUE_KINDS: Mapping[str, Kind] = {
    "string": "text",
    "text": "text",
    "integer": "integer",
    "bigint": "integer",
    "decimal": "number",
    "float": "number",
    "boolean": "boolean",
    "date": "text",
    "datetime": "text",
    "time": "text",
    "uuid": "text",
    "json": "scalar",
    "enum": "text",
    "binary": "text",
    "point": "text",  # no default is accepted (the parser says so); kept for the type's kind
    "vector": "text",
}


@dataclass(frozen=True)
class Only:
    """A field that applies only when another field of the same item has one of `values`.

    >>> str(Only("type", ("string", "text"))), str(Only("kind", ("traversal",)))
    ('types string and text', 'kind traversal')
    """

    key: str
    values: tuple[str, ...]
    wording: str = ""  # how a message names the condition, when the plain form reads badly

    def __str__(self) -> str:
        if self.wording:
            return self.wording
        if len(self.values) == 1:
            return f"{self.key} {self.values[0]}"
        return f"{self.key}s {', '.join(self.values[:-1])} and {self.values[-1]}"


@dataclass(frozen=True)
class Field:
    """One key of the document: what it holds, its limits, and how people see it."""

    path: str
    kind: Kind
    label: str  # the form's label
    help: str  # one phrase for the reference, the schema and the form's hint
    unit: str = ""  # of a number: GB, ms, per second
    required: bool = False
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    min_length: int = 0
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    choice_help: tuple[tuple[str, str], ...] = ()  # (choice, what it means) for the reference
    items: Kind | None = None  # kind of the items of a list
    unique_items: bool = False
    min_items: int = 0
    max_items: int | None = None  # of a list of mappings
    only: Only | None = None
    required_when_it_applies: bool = False
    needs: str = ""  # another key of the same item that must be given with this one
    typed_by: str = ""  # for kind value: the key whose value names the type
    attribute: str = ""  # the model's attribute when it is not called like the key
    absent: str = ""  # what an absent value means, when the model's default does not say it
    hint: str = ""  # a short note the form shows beside the label
    placeholder: str = ""
    suggest: Literal["", "entities", "fields"] = ""  # names the form offers while typing

    @functools.cached_property
    def key(self) -> str:
        return self.path.rpartition(".")[2]

    @functools.cached_property
    def parent(self) -> str:
        """The path of the mapping that holds this field ("" for the top level)."""
        return self.path.rpartition(".")[0]

    @property
    def optional_choice(self) -> bool:
        return self.kind == "choice" and not self.required


FIELDS_TABLE: tuple[Field, ...] = (
    Field(
        "format",
        "const",
        "Format",
        "the format and its version",
        required=True,
        choices=(FORMAT,),
    ),
    Field(
        "project",
        "text",
        "Name in the document",
        "the project's name",
        required=True,
        min_length=1,
        max_length=PROJECT_MAX_LENGTH,
    ),
    Field(
        "description",
        "text",
        "Description",
        "what the project is about",
        max_length=DESCRIPTION_MAX_LENGTH,
        absent="empty",
    ),
    Field("workload", "section", "Workload", "a mapping: peak load and guarantees, below"),
    Field("team", "section", "Team", "a mapping: who runs the database, below"),
    Field("entities", "items", "Entities", "a list of entities, below", max_items=MAX_ENTITIES),
    Field(
        "relationships",
        "items",
        "Relationships",
        "a list of relationships, below",
        max_items=MAX_RELATIONSHIPS,
    ),
    Field(
        "access_patterns",
        "items",
        "Access patterns",
        "a list of access patterns, below",
        max_items=MAX_ACCESS_PATTERNS,
    ),
    Field("lint", "section", "Lint", "a mapping: schema lint findings accepted on purpose, below"),
    # Workload --------------------------------------------------------------------------------
    Field(
        "workload.reads_per_second",
        "number",
        "Reads",
        "peak reads per second, all patterns together",
        unit="per second",
        minimum=0,
        maximum=MAX_RATE,
    ),
    Field(
        "workload.writes_per_second",
        "number",
        "Writes",
        "peak writes (inserts, updates, deletes) per second, all patterns together",
        unit="per second",
        minimum=0,
        maximum=MAX_RATE,
    ),
    Field(
        "workload.data_volume_gb",
        "number",
        "Data volume",
        "data stored today",
        unit="GB",
        minimum=0,
        maximum=MAX_VOLUME_GB,
    ),
    Field(
        "workload.growth_gb_per_month",
        "number",
        "Growth",
        "growth of the data",
        unit="GB per month",
        minimum=0,
        maximum=MAX_VOLUME_GB,
    ),
    Field(
        "workload.retention_days",
        "integer",
        "Retention",
        "how long data is kept",
        unit="days",
        minimum=1,
        maximum=MAX_RETENTION_DAYS,
        absent="forever",
    ),
    Field(
        "workload.consistency",
        "choice",
        "Consistency",
        "what a read sees",
        choices=CONSISTENCY,
        choice_help=(("strong", "a read sees every committed write"),),
    ),
    Field(
        "workload.transactions",
        "choice",
        "Transactions",
        "what must change atomically",
        choices=TRANSACTIONS,
        choice_help=(
            ("single_entity", "atomic changes to one item"),
            ("multi_entity", "atomic changes across items or entities"),
        ),
    ),
    Field(
        "workload.schema_stability",
        "choice",
        "Schema",
        "how often the shape of the data changes",
        choices=SCHEMA_STABILITY,
        choice_help=(("evolving", "attributes change often, items differ"),),
    ),
    Field(
        "workload.regions",
        "integer",
        "Write regions",
        "regions that **accept writes**",
        minimum=1,
        maximum=MAX_REGIONS,
    ),
    Field(
        "workload.region_names",
        "list",
        "Where the write regions are",
        "where the write regions are, so that round trips are those of each pair: cloud region "
        "names (`eu-west-1`, `us-east-1`, `ap-southeast-1`, `europe-west4`) or continents "
        "(`europe`, `north_america`, `south_america`, `asia_pacific`); a name not recognised "
        "counts as one continent with the others",
        items="text",
        max_length=MAX_REGIONS,
        unique_items=True,
        placeholder="eu-west-1, us-east-1",
        absent="all regions on one continent",
    ),
    Field(
        "workload.availability_percent",
        "number",
        "Availability",
        "the availability the system must reach",
        unit="percent",
        minimum=0,
        maximum=100,
        exclusive_maximum=True,
    ),
    Field(
        "workload.latency_p99_ms",
        "number",
        "Latency p99",
        "the 99th percentile latency the application needs",
        unit="ms",
        minimum=0,
        maximum=MAX_LATENCY_MS,
        exclusive_minimum=True,
    ),
    Field(
        "workload.tenancy",
        "choice",
        "Tenancy",
        "how the data of many tenants (customer companies) is kept apart; the entity whose items "
        "are the tenants says `tenant: true`",
        choices=TENANCY,
        choice_help=(
            ("none", "one tenant, or tenants are not kept apart"),
            (
                "shared_schema",
                "one set of tables: every tenant-scoped table holds the tenant id, which leads "
                "its keys, indexes and foreign keys",
            ),
            ("schema_per_tenant", "the same tables in one schema per tenant"),
            ("database_per_tenant", "the same tables in one database per tenant"),
        ),
    ),
    # Team ------------------------------------------------------------------------------------
    Field(
        "team.expertise",
        "list",
        "Technologies the team runs",
        "technologies the team already runs: ids of the matrix such as `postgresql`, `mysql`, "
        "`mongodb`, `redis`, `cassandra` (see `advisor/data/matrix.yaml`; common aliases such as "
        "`postgres` are understood; an unknown name is reported in the recommendation's trace, "
        "not as an error)",
        items="text",
        min_length=1,
        max_length=EXPERTISE_MAX_LENGTH,
        unique_items=True,
        placeholder="postgresql, redis",
    ),
    Field(
        "team.managed_service",
        "choice",
        "Managed service",
        "whether the database is bought as a service",
        choices=MANAGED_SERVICE,
        choice_help=(("required", "only managed offerings"), ("avoid", "self-hosted")),
    ),
    Field("team.budget", "choice", "Budget", "what the team can spend", choices=BUDGET),
    # Entities --------------------------------------------------------------------------------
    Field(
        "entities[].name",
        "name",
        "Entity name",
        "unique among entities",
        required=True,
        placeholder="customer",
    ),
    Field(
        "entities[].context",
        "name",
        "Context",
        "the bounded context (service) that owns the entity",
        placeholder="service that owns it, e.g. sales",
    ),
    Field(
        "entities[].renamed_from",
        "name",
        "Renamed from",
        "the entity's name in the previous version, when it is renamed: a migration renames "
        "its table and keeps its rows instead of dropping one table and creating another",
        hint="only in the version that renames it",
        placeholder="previous name",
    ),
    Field(
        "entities[].derived",
        "boolean",
        "Derived",
        "rebuilt from the system of record or safe to lose (a feed, a cache, a counter window)",
        hint="derived data may live in a cache or a search index alone",
    ),
    Field(
        "entities[].tenant",
        "boolean",
        "Tenant",
        "its items are the tenants of `workload.tenancy`; entities that refer to it, directly or "
        "through others, are tenant-scoped",
        hint="one entity, with a tenancy other than none",
    ),
    Field(
        "entities[].append_only",
        "boolean",
        "Append-only",
        "rows are inserted and never updated or deleted (an audit log, a ledger, events): no "
        "`updated_at`, and deleting a row it refers to is restricted, never cascaded into it",
        hint="audit logs, ledgers, events",
    ),
    Field(
        "entities[].rows",
        "number",
        "Rows",
        "items stored today; when absent, estimated from the data volume, the write rates and "
        "the row size (the recommendation shows the estimate)",
        minimum=0,
        maximum=MAX_ROWS,
        placeholder="estimated",
    ),
    Field(
        "entities[].row_bytes",
        "integer",
        "Row size",
        "average bytes of one item; when absent, estimated from the attribute types",
        unit="bytes",
        minimum=1,
        maximum=MAX_ROW_BYTES,
        placeholder="estimated",
    ),
    Field(
        "entities[].unique",
        "keys",
        "Unique keys",
        "keys no two items may share, each a list of names of the entity's attributes or of "
        "its relationships (roles, on the side that holds the reference): natural and "
        "idempotency keys such as `[[post, user]]`",
        hint="keys separated by ;, names in a key by commas",
        items="name",
        placeholder="post, user; order_number",
        suggest="fields",
    ),
    Field(
        "entities[].attributes",
        "items",
        "Attributes",
        "a list of attributes, below; the limit counts those of all the entities together",
        max_items=MAX_ATTRIBUTES,
    ),
    Field(
        "entities[].attributes[].name",
        "name",
        "Attribute name",
        "unique within the entity",
        required=True,
        placeholder="email",
    ),
    Field(
        "entities[].attributes[].renamed_from",
        "name",
        "Renamed from",
        "the attribute's name in the previous version, when it is renamed: a migration moves "
        "its values to the new name instead of dropping one column and adding another",
        hint="only in the version that renames it",
        placeholder="previous name",
    ),
    Field(
        "entities[].attributes[].type",
        "choice",
        "Type",
        "the type of the values",
        required=True,
        choices=ATTRIBUTE_TYPES,
        choice_help=(
            ("point", "a location: WGS84 longitude and latitude (SRID 4326)"),
            ("vector", "an embedding of `dimensions` numbers, searched by similarity"),
        ),
    ),
    Field(
        "entities[].attributes[].length",
        "integer",
        "Length",
        "maximum characters",
        minimum=1,
        maximum=MAX_LENGTH,
        only=Only("type", ("string",)),
        absent="no limit stated",
    ),
    Field(
        "entities[].attributes[].precision",
        "integer",
        "Precision",
        "total digits",
        minimum=1,
        maximum=MAX_PRECISION,
        only=Only("type", ("decimal",)),
        absent="unconstrained",
    ),
    Field(
        "entities[].attributes[].scale",
        "integer",
        "Scale",
        "digits after the point, at most `precision`",
        minimum=0,
        maximum=MAX_PRECISION,
        only=Only("type", ("decimal",)),
        needs="precision",
    ),
    Field(
        "entities[].attributes[].dimensions",
        "integer",
        "Dimensions",
        "how many numbers the vector holds, e.g. 768 for an embedding",
        minimum=1,
        maximum=MAX_DIMENSIONS,
        only=Only("type", ("vector",)),
        required_when_it_applies=True,
        placeholder="for vector",
    ),
    Field(
        "entities[].attributes[].values",
        "list",
        "Enum values",
        "the values",
        items="name",
        unique_items=True,
        min_items=1,
        only=Only("type", ("enum",)),
        required_when_it_applies=True,
        placeholder="for enum",
    ),
    Field("entities[].attributes[].required", "boolean", "Required", "a value must be given"),
    Field("entities[].attributes[].unique", "boolean", "Unique", "no two items share a value"),
    Field(
        "entities[].attributes[].case_insensitive",
        "boolean",
        "Ignore case",
        "values that differ only in case are the same value, so `U@EX.COM` cannot sit next to "
        "`u@ex.com` in `unique` and in the entity's unique keys",
        only=Only("type", TEXT_TYPES),
        hint="for unique emails, user names",
    ),
    Field(
        "entities[].attributes[].default",
        "value",
        "Default",
        "a value of the attribute's type: one of `values` for `enum`, a string for text, dates "
        "and times (`2024-01-31`; they stay strings), any string, number or boolean for `json`; "
        "within `min`, `max` and `length`",
        typed_by="type",
    ),
    Field(
        "entities[].attributes[].min",
        "value",
        "Minimum",
        "the smallest value allowed, at most `max`",
        typed_by="type",
        only=Only("type", NUMERIC_TYPES, f"numeric types ({', '.join(NUMERIC_TYPES)})"),
    ),
    Field(
        "entities[].attributes[].max",
        "value",
        "Maximum",
        "the largest value allowed",
        typed_by="type",
        only=Only("type", NUMERIC_TYPES, f"numeric types ({', '.join(NUMERIC_TYPES)})"),
    ),
    Field(
        "entities[].attributes[].format",
        "choice",
        "Format",
        "what the text holds, checked by the application",
        choices=FORMATS,
        only=Only("type", TEXT_TYPES),
    ),
    Field(
        "entities[].attributes[].signed_by",
        "name",
        "Signed by",
        "the enum attribute of the same entity whose value gives this amount's direction "
        "(`side` with values `debit` and `credit`, in and out, deposit and withdrawal, sale and "
        "refund): rollups keep a sum per direction and a signed net (credits, deposits, sales "
        "and inflows add; debits, withdrawals, refunds and outflows subtract), never a plain sum",
        only=Only("type", NUMERIC_TYPES, f"numeric types ({', '.join(NUMERIC_TYPES)})"),
        absent="inferred when the entity has exactly one enum of two values naming opposite "
        "directions (debit and credit, in and out); otherwise the amount has no direction",
        hint="for ledger amounts",
        placeholder="side",
    ),
    # Relationships ---------------------------------------------------------------------------
    Field(
        "relationships[].from",
        "name",
        "From (holds the reference)",
        "the entity that holds the reference",
        required=True,
        attribute="source",
        suggest="entities",
    ),
    Field(
        "relationships[].to",
        "name",
        "To",
        "the entity referred to",
        required=True,
        attribute="target",
        suggest="entities",
    ),
    Field(
        "relationships[].cardinality",
        "choice",
        "Cardinality",
        "how many items on each side",
        required=True,
        choices=(*CARDINALITIES, *MIRRORED_CARDINALITIES),
        choice_help=(
            (
                "one-to-many",
                "accepted and mirrored: `{from: customer, to: order, cardinality: one-to-many}` "
                "becomes `{from: order, to: customer, cardinality: many-to-one}`",
            ),
        ),
    ),
    Field(
        "relationships[].name",
        "name",
        "Role name",
        "the role, e.g. `billing_address`",
        absent="the name of the `to` entity",
        placeholder="optional, e.g. billing_address",
    ),
    Field(
        "relationships[].required",
        "boolean",
        "Required",
        "every `from` item refers to a `to` item",
    ),
    Field(
        "relationships[].on_delete",
        "choice",
        "On delete",
        "what deleting the `to` item does; `set_null` not with `required: true`",
        choices=ON_DELETE,
        absent="not stated (the schema generator uses `restrict`)",
    ),
    # Access patterns -------------------------------------------------------------------------
    Field(
        "access_patterns[].name",
        "name",
        "Name",
        "unique among access patterns",
        required=True,
        placeholder="orders of a customer, newest first",
    ),
    Field(
        "access_patterns[].entity",
        "name",
        "Entity",
        "the entity read or written",
        required=True,
        suggest="entities",
    ),
    Field(
        "access_patterns[].operation",
        "choice",
        "Operation",
        "what the pattern does",
        required=True,
        choices=OPERATIONS,
    ),
    Field(
        "access_patterns[].kind",
        "choice",
        "Kind",
        "the shape of the query",
        required=True,
        choices=KINDS,
        choice_help=(
            ("lookup", "one item by key"),
            ("range", "items by a filter, sorted"),
            ("join", "an item with related items"),
            ("aggregate", "sums, counts over many items"),
            ("full_text", "relevance search in text"),
            ("traversal", "following relationships several hops"),
            ("time_window", "aggregates over recent time buckets"),
            ("append", "a stream of inserts"),
            ("increment", "adds to a number in place: likes, views, stock levels"),
            ("nearby", "items near a place: within a radius or the k nearest (filter: a point)"),
            ("similarity", "the items most similar to a vector (filter: a vector)"),
        ),
    ),
    Field(
        "access_patterns[].filter",
        "list",
        "Filter on",
        "names the pattern selects by: attributes of the entity (including the implicit ones), "
        "names of its relationships (roles) or of the entities it is related to, in either "
        "direction",
        hint="attributes or relationships, comma-separated",
        items="name",
        placeholder="customer, status",
        suggest="fields",
    ),
    Field(
        "access_patterns[].sort",
        "list",
        "Sort by",
        "the same names as `filter`, `-` in front for descending",
        hint="- for descending",
        items="name",
        placeholder="-created_at",
        suggest="fields",
    ),
    Field(
        "access_patterns[].per_second",
        "number",
        "Per second",
        "peak rate of this pattern",
        unit="per second",
        minimum=0,
        maximum=MAX_RATE,
        absent="the workload's rate (reads or writes) shared equally among the patterns of that "
        "operation that state no rate",
    ),
    Field(
        "access_patterns[].latency_ms",
        "number",
        "Latency",
        "the latency this pattern needs",
        unit="ms",
        minimum=0,
        maximum=MAX_LATENCY_MS,
        exclusive_minimum=True,
        absent="the workload's `latency_p99_ms`",
    ),
    Field(
        "access_patterns[].consistency",
        "choice",
        "Consistency",
        "overrides the workload's",
        choices=CONSISTENCY,
        absent="the workload's",
    ),
    Field(
        "access_patterns[].depth",
        "integer",
        "Depth",
        "hops",
        unit="hops",
        minimum=1,
        maximum=MAX_DEPTH,
        only=Only("kind", ("traversal",)),
        absent="2 for a traversal",
    ),
    # Lint ------------------------------------------------------------------------------------
    Field(
        "lint.ignore",
        "items",
        "Ignored findings",
        "a list of schema lint findings accepted on purpose, below; `python -m advisor lint` "
        "reports them as suppressed and does not fail on them (docs/ci.md)",
    ),
    Field(
        "lint.ignore[].rule",
        "name",
        "Rule",
        "the lint rule, e.g. `redundant-index` (the rules are listed in docs/ci.md)",
        required=True,
        placeholder="redundant-index",
    ),
    Field(
        "lint.ignore[].target",
        "text",
        "Target",
        "where: a finding's location as the linter prints it (`order.total`, `table user`, "
        "`order: index ix_order_status`) or a table's name, for every finding on that table",
        min_length=1,
        max_length=TARGET_MAX_LENGTH,
        absent="wherever the rule fires",
        placeholder="order.total",
    ),
    Field(
        "lint.ignore[].reason",
        "text",
        "Reason",
        "why the finding is accepted, for the next reader",
        max_length=DESCRIPTION_MAX_LENGTH,
        absent="empty",
    ),
)

FIELDS: Mapping[str, Field] = {field.path: field for field in FIELDS_TABLE}

# The model each mapping of the document becomes; its dataclass holds the defaults.
MODELS: Mapping[str, type[Any]] = {
    "": Requirements,
    "workload": Workload,
    "team": Team,
    "entities[]": Entity,
    "entities[].attributes[]": Attribute,
    "relationships[]": Relationship,
    "access_patterns[]": AccessPattern,
    "lint": Lint,
    "lint.ignore[]": LintIgnore,
}

# The format names the document's version; it is not a requirement and has no attribute.
NOT_IN_MODEL = ("format",)


@functools.cache  # asked for every item of a document, of a table that never changes
def fields_of(parent: str) -> tuple[Field, ...]:
    """The fields of the mapping at `parent`, in the document's order."""
    return tuple(field for field in FIELDS_TABLE if field.parent == parent)


@functools.cache
def keys_of(parent: str) -> tuple[str, ...]:
    """The keys a mapping at `parent` accepts.

    >>> keys_of("team")
    ('expertise', 'managed_service', 'budget')
    """
    return tuple(field.key for field in fields_of(parent))


def attribute_of(field: Field) -> str:
    """The name of the model's attribute that holds the field."""
    return field.attribute or field.key


def default_of(field: Field) -> Any:
    """The value an absent field takes: its model's default (None when there is none).

    >>> default_of(FIELDS["workload.reads_per_second"]), default_of(FIELDS["project"])
    (100, None)
    """
    model = MODELS.get(field.parent)
    if model is None or field.path in NOT_IN_MODEL:
        return None
    for found in dataclasses.fields(model):
        if found.name == attribute_of(field):
            if found.default is not dataclasses.MISSING:
                return found.default
            if found.default_factory is not dataclasses.MISSING:
                return found.default_factory()
    return None


def _check(table: tuple[Field, ...]) -> None:
    """Mistakes in the table that would otherwise surface far away, in a form or a schema."""
    paths = [field.path for field in table]
    assert len(paths) == len(set(paths)), "a path is listed twice"
    for field in table:
        assert field.parent == "" or field.parent.removesuffix("[]") in paths, field.path
        assert (field.kind in ("choice", "const")) == bool(field.choices), field.path
        assert {choice for choice, _ in field.choice_help} <= set(field.choices), field.path
        assert (field.kind in ("list", "keys")) == (field.items is not None), field.path
        assert (field.kind == "value") == bool(field.typed_by), field.path
        assert field.kind != "name" or field.max_length is None, field.path


_check(FIELDS_TABLE)
assert tuple(VALUE_KINDS) == ATTRIBUTE_TYPES

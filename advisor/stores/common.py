"""What every store generator shares: the request in, the schema out, the scope of a store,
sizes and names."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from advisor.errors import AdvisorError
from advisor.facts import Facts, PatternFacts, resolve_reference
from advisor.knowledge import knowledge
from advisor.recommendation import Counter, Placement, Reason, ShardKey
from advisor.requirements.model import Attribute, Entity, Relationship, Requirements

if TYPE_CHECKING:
    from advisor.schema import SchemaParts

SECONDS_PER_DAY = 86400
TIME_KINDS = ("time_window", "append")
TEMPORAL_TYPES = ("datetime", "date")
BYTES_PER_GB = 1e9
BYTES_PER_MB = 1e6


@dataclass(frozen=True)
class StoreRequest:
    """What one store generator is asked for: which store, in which role, and every decision
    of the design it must follow.

    A generator reads its decisions from here and decides none of them again; it never reads
    the technology matrix either (`facts` were built with the caller's matrix). A new decision
    for the stores is one more field here, filled in where `advisor.stores` builds requests
    from a `Recommendation` (`primary_request`, `component_request`).
    """

    facts: Facts  # the requirements' facts, built once by the caller with its matrix
    technology: str  # the matrix id the schema is for (documentdb, scylladb, neptune, ...)
    role: str = "primary"  # primary, or the component's role (cache, search_index, ...)
    patterns: tuple[str, ...] | None = None  # a component's patterns; None: every entity
    sync: str = "cache_aside"  # how a component is kept in step with the primary store
    key_strategy: str = "bigint_identity"  # the recommendation's primary keys
    search_served: frozenset[str] = frozenset()  # patterns a search index component serves
    distinct_values: Mapping[str, float] = field(default_factory=dict)  # per key field, if known
    # A document store's embed-or-reference decision per relationship (the recommendation's
    # `documents`); None when no recommendation decided it (a store asked for directly).
    placements: tuple[Placement, ...] | None = None
    # How each increment pattern adds to its numbers (the recommendation's `scaling.counters`).
    counters: tuple[Counter, ...] = ()
    # The recommendation's shard keys (`scaling.sharding.keys`), for the primary store only.
    shard_keys: tuple[ShardKey, ...] = ()
    # What the design's SQL schemas share (`advisor.schema.SchemaParts`), for a generator that
    # builds one more; it changes no output, only how much is made again.
    schema_parts: SchemaParts | None = field(default=None, compare=False, repr=False)

    @property
    def requirements(self) -> Requirements:
        return self.facts.requirements

    @property
    def system_of_record(self) -> bool:
        """Whether the store holds every entity (a primary store) rather than the entities of
        some patterns (a component)."""
        return self.patterns is None


@dataclass(frozen=True)
class StoreSchema:
    """One store's schema as text, with the decisions that shaped it.

    `store` names the generator (mongodb, redis, cassandra, neo4j, elasticsearch, timescaledb,
    influxdb, clickhouse, dynamodb), `technology` the recommended technology it is for
    (documentdb gets the mongodb generator), `filename` where the command line writes it under
    `schema/`.
    """

    store: str
    technology: str
    filename: str
    text: str
    decisions: tuple[Reason, ...]
    role: str = "primary"  # primary, or the component's role (cache, search_index, ...)
    patterns: tuple[str, ...] = ()  # the access patterns this store serves


def figure(store: str, name: str) -> float:
    """A number of `stores.yaml` (`figure("cassandra", "partition_max_mb")` is 100)."""
    value = knowledge()[store][name]["value"]
    if not isinstance(value, int | float):
        raise AdvisorError(f"{store}.{name} is not a number", location="stores.yaml")
    return value


def text_figure(store: str, name: str) -> str:
    return str(knowledge()[store][name]["value"])


@dataclass(frozen=True)
class Scope:
    """What one store holds: the requirements' facts, its entities and its access patterns."""

    facts: Facts
    entities: tuple[Entity, ...]
    patterns: tuple[PatternFacts, ...]

    @property
    def requirements(self) -> Requirements:
        return self.facts.requirements

    def patterns_of(self, entity: str) -> tuple[PatternFacts, ...]:
        return self._patterns_by_entity.get(entity, ())

    @functools.cached_property
    def _patterns_by_entity(self) -> dict[str, tuple[PatternFacts, ...]]:
        if self.patterns is self.facts.patterns:
            return dict(self.facts.patterns_by_entity)
        grouped: dict[str, list[PatternFacts]] = {}
        for p in self.patterns:
            grouped.setdefault(p.pattern.entity, []).append(p)
        return {name: tuple(items) for name, items in grouped.items()}

    def outgoing(self, entity: str) -> tuple[Relationship, ...]:
        return self.facts.outgoing.get(entity, ())

    def field(self, entity: str, name: str) -> str | None:
        """The field of `entity` a filter or sort name stands for: the attribute itself, or the
        reference `<role>_id` for a relationship the entity holds; None otherwise."""
        resolved = resolve_reference(self.facts, entity, name.removeprefix("-") or name)
        if resolved is None:
            return None
        kind, found = resolved
        return found if kind == "attribute" else f"{found}_id"


def scope(request: StoreRequest) -> Scope:
    """All entities and patterns (a system of record), or the request's patterns and their
    entities (a component)."""
    facts, requirements = request.facts, request.requirements
    if request.patterns is None:
        return Scope(facts, requirements.entities, facts.patterns)
    wanted = set(request.patterns)
    chosen = tuple(p for p in facts.patterns if p.pattern.name in wanted)
    names = {p.pattern.entity for p in chosen}
    entities = tuple(e for e in requirements.entities if e.name in names)
    return Scope(facts, entities, chosen)


def unread_entities(scope: Scope) -> tuple[Entity, ...]:
    """The entities of `scope` that no access pattern of the requirements reads."""
    read = {p.pattern.entity for p in scope.facts.patterns if not p.writes}
    return tuple(e for e in scope.entities if e.name not in read)


def unread_reason(store: str, scope: Scope, entity: str, home: str) -> Reason:
    """The sentence a system of record gives an entity no pattern reads: where it lives."""
    return reason(
        f"{store}_unread_entity",
        (entity_path(scope.requirements, entity),),
        "kept though no pattern reads it",
        f"No access pattern reads {entity} yet; it is part of the system of record, so it "
        f"lives in {home}.",
    )


def implicit_attribute(entity: Entity, name: str, key_type: str = "bigint") -> Attribute:
    """The declared attribute `name`, or the implicit one (`id`, `created_at`, `updated_at`);
    any other name is a reference (`<role>_id`), typed like a key."""
    declared = entity.attribute(name)
    if declared is not None:
        return declared
    if name == "id":
        return Attribute("id", key_type, required=True, unique=True)
    if name in ("created_at", "updated_at"):
        return Attribute(name, "datetime", required=True)
    return Attribute(name, key_type)  # a reference, <role>_id


def row_bytes(scope: Scope, entity: Entity) -> float:
    """The planned size of one item of `entity` (the engine's, `Facts.sizes`)."""
    return scope.facts.sizes[entity.name].row_bytes


def write_rate(scope: Scope, entity: str) -> float:
    return scope.facts.write_rates.get(entity, 0)


def entity_volume_bytes(scope: Scope) -> dict[str, float]:
    """Each entity's share of the projected data volume, in bytes (`Facts.sizes`)."""
    sizes = scope.facts.sizes
    # Whole bytes: rows times row size comes back as the volume it was shared from.
    return {
        e.name: float(round(sizes[e.name].projected_rows * sizes[e.name].row_bytes))
        for e in scope.requirements.entities
    }


def entity_rows(scope: Scope) -> dict[str, float]:
    """Each entity's planned number of items at the end of the planning horizon: the engine's
    estimate (`Facts.sizes`), or the rows the requirements give, grown with the volume."""
    return {e.name: scope.facts.sizes[e.name].projected_rows for e in scope.requirements.entities}


def bounded_values(attribute: Attribute) -> int | None:
    """How many values an attribute can take when its type bounds them (boolean, enum).

    >>> bounded_values(Attribute("active", "boolean")), bounded_values(Attribute("n", "integer"))
    (2, None)
    """
    if attribute.type == "boolean":
        return 2
    if attribute.type == "enum":
        return len(attribute.values)
    return None


def retention_days(scope: Scope) -> int | None:
    return scope.requirements.workload.retention_days


def time_attribute(scope: Scope, entity: Entity) -> str | None:
    """The time attribute of `entity` its time patterns filter or sort on, else a declared
    datetime, else `created_at` when the entity has time patterns; None otherwise."""
    timed = [p.pattern for p in scope.facts.patterns_by_entity.get(entity.name, ())]
    named = [n.removeprefix("-") for p in timed for n in (*p.filter, *p.sort)]
    for name in named:
        attribute = entity.attribute(name)
        if attribute is not None and attribute.type in TEMPORAL_TYPES:
            return name
    for attribute in entity.attributes:
        if attribute.type in TEMPORAL_TYPES and not is_expiry(attribute):
            return attribute.name
    if any(p.kind in TIME_KINDS for p in timed):
        return "created_at"
    return None


def is_expiry(attribute: Attribute) -> bool:
    """Whether the attribute says when the item expires (`expires_at`, `expiry`, ...)."""
    return attribute.type in TEMPORAL_TYPES and "expir" in attribute.name.casefold()


def is_timed(scope: Scope, entity: str) -> bool:
    """Whether the entity is written as a stream or read by time windows."""
    return any(p.pattern.kind in TIME_KINDS for p in scope.facts.patterns_by_entity.get(entity, ()))


_WORD = re.compile(r"[^\W_]+")


def words(name: str) -> list[str]:
    """The words of a name, split at anything that is not a letter or digit.

    >>> words("order item"), words("OrderItem"), words("客户_地址")
    (['order', 'item'], ['OrderItem'], ['客户', '地址'])
    """
    return _WORD.findall(name)


def digest(name: str, length: int = 8) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:length]


def ascii_name(name: str, limit: int, *, lower: bool = False) -> str:
    """`name` as ASCII letters, digits and underscores within `limit` characters. A name whose
    letters are not all ASCII gets a stable hash suffix, so that two such names stay apart.

    >>> ascii_name("message", 48), ascii_name("Order item", 48, lower=True), ascii_name("客户", 48)
    ('message', 'order_item', 'n_ad4af312')
    """
    source = name.lower() if lower else name
    plain = "_".join(re.findall(r"[A-Za-z0-9]+", source))
    if plain and not plain[0].isalpha():
        plain = f"n_{plain}"
    readable = "_".join(words(source))
    if plain and plain == readable and len(plain) <= limit:
        return plain
    suffix = f"_{digest(name)}"
    return (plain or "n")[: limit - len(suffix)] + suffix


def unique_names(names: Iterable[str]) -> list[str]:
    """The names, with `_2`, `_3`... added where one repeats (compared without case)."""
    return UniqueNames(names).names


class UniqueNames:
    """Names handed out one at a time, each apart from all before it: `claim(name)` gives
    what `unique_names` would give as the last of every name claimed so far, without going
    through them again.

    >>> names = UniqueNames(["order", "Order"])
    >>> names.claim("order"), names.names
    ('order_3', ['order', 'Order_2', 'order_3'])
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        self._seen: set[str] = set()
        for name in names:
            self.claim(name)

    def claim(self, name: str) -> str:
        candidate, attempt = name, 1
        while candidate.casefold() in self._seen:
            attempt += 1
            candidate = f"{name}_{attempt}"
        self._seen.add(candidate.casefold())
        self.names.append(candidate)
        return candidate


def number(value: float) -> str:
    """A size or rate as people write it: `1,234`, `0.5`, `12.3`.

    >>> number(1234.0), number(0.5), number(12.345)
    ('1,234', '0.5', '12.3')
    """
    if value >= 100 or value == int(value):
        return f"{round(value):,}"
    return f"{value:.3g}"


def plural(count: float, noun: str) -> str:
    """A count with its noun: `1 row`, `2 rows`, `1,500 rows`."""
    return f"{number(count)} {noun}" if round(count) == 1 else f"{number(count)} {noun}s"


def megabytes(size: float) -> str:
    """Bytes as MB or GB for a sentence.

    >>> megabytes(2.5e6), megabytes(3.4e9), megabytes(512)
    ('2.5 MB', '3.4 GB', '512 bytes')
    """
    if size >= BYTES_PER_GB:
        return f"{number(size / BYTES_PER_GB)} GB"
    if size >= BYTES_PER_MB:
        return f"{number(size / BYTES_PER_MB)} MB"
    if size >= 1000:
        return f"{number(size / 1000)} kB"
    return f"{number(size)} bytes"


def ceil_int(value: float) -> int:
    return max(1, math.ceil(value))


def reason(rule: str, inputs: Iterable[str], effect: str, sentence: str) -> Reason:
    return Reason(rule, tuple(inputs), effect, sentence)


def entity_path(requirements: Requirements, name: str) -> str:
    position = requirements.entity_positions.get(name)
    return f"entities[{position}]" if position is not None else "entities"


def relationship_path(requirements: Requirements, relationship: Relationship) -> str:
    return f"relationships[{requirements.relationship_positions[relationship]}]"


def js_string(text: str) -> str:
    """A JavaScript (and JSON) string literal, safe anywhere in a script.

    >>> print(js_string('say "hi"\\u2028'))
    "say \\"hi\\"\\u2028"
    """
    literal = json.dumps(text, ensure_ascii=False)
    return literal.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def md_code(text: str) -> str:
    """Markdown inline code that holds any text, backticks and table pipes included.

    >>> md_code("a"), md_code("a`b"), md_code("x|y")
    ('`a`', '`` a`b ``', '`x\\\\|y`')
    """
    text = text.replace("|", "\\|")
    longest = max((len(run) for run in _backtick_runs(text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _backtick_runs(text: str) -> list[str]:
    runs, current = [], ""
    for character in text:
        if character == "`":
            current += character
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


# How a column rolls up into time buckets: one table, read by every generator that keeps
# rollups (ClickHouse materialized views, TimescaleDB continuous aggregates, InfluxDB tasks),
# and documented in docs/stores.md ("Rollups"). The words are planning knowledge (ClickHouse
# "AggregateFunction", "quantiles", "argMax"; Prometheus "Metric types" (counters and gauges)
# and "Histograms and summaries": quantiles cannot be aggregated, their states can).
#
# | role       | what it is                                   | rolls up as                    |
# | identifier | *_id, *_ref, *_code, uuids, unique values    | nothing (a group key, if any); |
# |            |                                              | a distinct count when asked    |
# | coordinate | latitude, longitude, x, y; a point           | last value by time, never avg  |
# | directed   | an amount signed by an enum (debit/credit)   | sum and count per direction,   |
# |            |                                              | and the signed net             |
# | duration   | latency, duration, ms; or percentiles asked  | sum, count, min, max, quantiles|
# | gauge      | temperature, price, balance, level           | sum, count, min, max, last     |
# | counter    | any other number (amounts, counts, bytes)    | sum, count, min, max           |
IDENTIFIER_WORDS = frozenset({"id", "ids", "ref", "key", "uuid", "code", "number", "no"})
COORDINATE_WORDS = frozenset(
    {"lat", "latitude", "lng", "lon", "long", "longitude", "x", "y", "z", "coord", "coordinates"}
)
QUANTILE_WORDS = frozenset(
    {"latency", "duration", "elapsed", "response", "ms", "millis", "seconds", "wait", "ttfb"}
)
PERCENTILE_PATTERN_WORDS = frozenset(
    {"percentile", "percentiles", "quantile", "quantiles", "median", "p50", "p90", "p95", "p99"}
)
# A pattern that counts distinct values (unique visitors, distinct devices): its identifiers
# keep a mergeable distinct-count state (HyperLogLog), since distinct counts do not add up.
DISTINCT_PATTERN_WORDS = frozenset({"distinct", "unique", "uniques"})
IDENTIFYING_TYPES = ("integer", "bigint", "string", "uuid")
# A gauge is a level read at an instant: a sum of two temperatures or two balances means
# nothing by itself (it is kept only to divide by the count), but the average, the extremes
# and the latest value do.
GAUGE_WORDS = frozenset(
    {
        "temperature", "temp", "celsius", "fahrenheit", "kelvin", "humidity", "pressure",
        "voltage", "level", "balance", "price", "rate", "ratio", "percent", "pct", "usage",
        "utilization", "utilisation", "load", "speed", "altitude", "heading", "battery", "gauge",
    }
)  # fmt: skip
# The values of an enum that name a direction: those that add to a balance and those that
# take from it (credits minus debits, deposits minus withdrawals, sales minus refunds).
ADDING_WORDS = frozenset(
    {
        "credit", "credits", "in", "inbound", "incoming", "inflow", "deposit", "deposits",
        "sale", "sales", "receipt", "received", "income", "revenue", "top", "topup", "refill",
        "add", "added", "increase", "increment", "gain", "plus", "earn", "earned",
    }
)  # fmt: skip
SUBTRACTING_WORDS = frozenset(
    {
        "debit", "debits", "out", "outbound", "outgoing", "outflow", "withdrawal",
        "withdrawals", "withdraw", "refund", "refunds", "chargeback", "return", "returns",
        "reversal", "expense", "spend", "spent", "sent", "remove", "removed", "decrease",
        "decrement", "loss", "minus", "redeem", "redeemed", "redemption", "payout",
    }
)  # fmt: skip
QUANTILE_LEVELS = (0.5, 0.9, 0.99)
MEASURED_TYPES = ("integer", "bigint", "decimal", "float")


@dataclass(frozen=True)
class Direction:
    """The enum whose value gives an amount's direction, and the sign of each of its values."""

    attribute: str  # the enum attribute (`side`)
    adds: tuple[str, ...]  # its values that add to a balance (`credit`)
    subtracts: tuple[str, ...]  # its values that take from it (`debit`)
    others: tuple[str, ...]  # its values that name no known direction
    declared: bool  # `signed_by` in the requirements; False: inferred from the values

    @property
    def values(self) -> tuple[str, ...]:
        return (*self.adds, *self.subtracts, *self.others)

    @property
    def net(self) -> bool:
        """Whether a signed net can be kept: every value adds or subtracts, and some do each."""
        return bool(self.adds and self.subtracts and not self.others)


@dataclass(frozen=True)
class Rollup:
    """How one column rolls up into time buckets (the role and its aggregates, from the table
    above). `aggregates` are some of `sum`, `count`, `min`, `max`, `quantiles`, `last` (the
    value at the latest time), `uniq` (a distinct-count state) and `net`; with a `direction`,
    `sum` and `count` are kept per direction value and `net` is the adding values' sum minus
    the subtracting ones'."""

    attribute: Attribute
    role: str  # identifier, category, coordinate, directed, duration, gauge or counter
    aggregates: tuple[str, ...]
    direction: Direction | None = None

    @property
    def name(self) -> str:
        return self.attribute.name

    def __contains__(self, aggregate: str) -> bool:
        return aggregate in self.aggregates


def _sign(value: str) -> int:
    named = {w.casefold() for w in words(value)}
    adds, subtracts = bool(named & ADDING_WORDS), bool(named & SUBTRACTING_WORDS)
    return 1 if adds and not subtracts else -1 if subtracts and not adds else 0


def direction(enum: Attribute, *, declared: bool) -> Direction:
    """The sign of each value of an enum.

    >>> direction(Attribute("side", "enum", values=("debit", "credit")), declared=False)
    Direction(attribute='side', adds=('credit',), subtracts=('debit',), others=(), declared=False)
    """
    signs = [(value, _sign(value)) for value in enum.values]
    return Direction(
        enum.name,
        tuple(v for v, s in signs if s > 0),
        tuple(v for v, s in signs if s < 0),
        tuple(v for v, s in signs if s == 0),
        declared,
    )


def directing_enum(entity: Entity) -> Direction | None:
    """The enum that signs the entity's amounts when the requirements do not say: the only enum
    of exactly two values, one adding and one subtracting (debit and credit, in and out)."""
    found = [
        d
        for a in entity.attributes
        if a.type == "enum" and len(a.values) == 2 and (d := direction(a, declared=False)).net
    ]
    return found[0] if len(found) == 1 else None


def rollup(
    entity: Entity, attribute: Attribute, pattern_names: Iterable[str] = (), *, timed: bool = True
) -> Rollup:
    """How `attribute` of `entity` rolls up into buckets (the table above). `pattern_names` are
    the names of the patterns that read the rollup: one that asks for percentiles gets every
    measure quantile states. `timed`: the rollup has a time column, so a last value exists.

    >>> ledger = Entity("entry", attributes=(
    ...     Attribute("amount", "decimal", precision=12, scale=2),
    ...     Attribute("side", "enum", values=("debit", "credit")),
    ...     Attribute("latitude", "float"), Attribute("celsius", "float")))
    >>> amount = rollup(ledger, ledger.attributes[0])
    >>> amount.role, amount.aggregates, amount.direction.adds, amount.direction.subtracts
    ('directed', ('sum', 'count', 'net'), ('credit',), ('debit',))
    >>> [rollup(ledger, a).aggregates for a in ledger.attributes[1:]]
    [(), ('last',), ('sum', 'count', 'min', 'max', 'last')]
    >>> rollup(ledger, Attribute("latency_ms", "integer")).aggregates
    ('sum', 'count', 'min', 'max', 'quantiles')
    >>> rollup(ledger, Attribute("host_id", "bigint")).aggregates
    ()
    >>> rollup(ledger, Attribute("visitor_id", "bigint"), ["daily unique visitors"]).aggregates
    ('uniq',)
    """
    named = {w.casefold() for w in words(attribute.name)}
    asked = {w.casefold() for name in pattern_names for w in words(name)}
    last = ("last",) if timed else ()
    if attribute.type == "point" or (attribute.type in MEASURED_TYPES and named & COORDINATE_WORDS):
        return Rollup(attribute, "coordinate", last)
    if attribute.type in IDENTIFYING_TYPES and (
        attribute.unique or named & IDENTIFIER_WORDS or attribute.type == "uuid"
    ):
        distinct = ("uniq",) if asked & DISTINCT_PATTERN_WORDS else ()
        return Rollup(attribute, "identifier", distinct)
    if attribute.type not in MEASURED_TYPES:
        return Rollup(attribute, "category", ())
    if attribute.signed_by is not None:
        enum = entity.attribute(attribute.signed_by)
        if enum is not None and enum.type == "enum":
            signs = direction(enum, declared=True)
            return Rollup(attribute, "directed", _directed(signs), signs)
    if named & QUANTILE_WORDS or asked & PERCENTILE_PATTERN_WORDS:
        return Rollup(attribute, "duration", ("sum", "count", "min", "max", "quantiles"))
    if named & GAUGE_WORDS:
        return Rollup(attribute, "gauge", ("sum", "count", "min", "max", *last))
    inferred = directing_enum(entity)
    if inferred is not None:
        return Rollup(attribute, "directed", _directed(inferred), inferred)
    return Rollup(attribute, "counter", ("sum", "count", "min", "max"))


def _directed(signs: Direction) -> tuple[str, ...]:
    return ("sum", "count", *(("net",) if signs.net else ()))

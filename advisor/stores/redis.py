"""Redis: a key pattern and a data structure per access pattern, TTLs, invalidation, and a memory
estimate with every assumption stated, as Markdown.

Structures (redis.io, "Redis data types"):

- an item read or changed by its key: a **hash** when every value is a scalar (fields can be read
  and changed one by one), a **string** of JSON when it holds nested or long values;
- an item that is a single number changed in place: a **string** counter (INCRBY);
- items ranked or read in order within a group: a **sorted set** per group, scored by the sort
  attribute; a lookup of one member's rank in the same group reads the same sorted set;
- items of a group read without order: a **set** of ids per group;
- a stream of appended items: a **stream**, trimmed by time (XADD MINID) to the retention.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.facts import PatternFacts
from advisor.knowledge import knowledge
from advisor.recommendation import Reason
from advisor.requirements.model import Entity, Requirements
from advisor.sizing import value_bytes
from advisor.stores.common import (
    BYTES_PER_GB,
    SECONDS_PER_DAY,
    Scope,
    StoreRequest,
    StoreSchema,
    bounded_values,
    entity_rows,
    figure,
    implicit_attribute,
    is_expiry,
    megabytes,
    number,
    reason,
    retention_days,
    scope,
    unread_entities,
    unread_reason,
    words,
)
from advisor.stores.common import (
    md_code as code,
)

SCALAR_TYPES = (
    "string",
    "integer",
    "bigint",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "time",
    "uuid",
    "enum",
)
COUNTER_TYPES = ("integer", "bigint")
ORDERED_KINDS = ("range", "aggregate", "time_window")
UNSERVED_KINDS = ("full_text", "traversal")
WRITE_OPERATIONS = ("write", "update", "delete")
HOMES = ("hash", "string", "string (counter)", "stream")  # structures that hold the items


@dataclass(frozen=True)
class KeyPlan:
    """One key pattern: what it holds, how long it lives, and how much memory it takes."""

    key: str
    structure: str  # string, hash, sorted set, set, stream
    entity: str
    patterns: tuple[str, ...]
    commands: str
    ttl: str
    keys: float  # how many such keys
    bytes_per_key: float
    why: str
    count_basis: str  # where `keys` comes from

    @property
    def total_bytes(self) -> float:
        return self.keys * self.bytes_per_key


def key_segment(name: str) -> str:
    """A name as one segment of a key: `%`, `:`, braces and white space are percent-encoded, so
    that segments stay apart and no name makes a Redis Cluster hash tag.

    >>> key_segment("order item"), key_segment("a:{b}"), key_segment("客户")
    ('order%20item', 'a%3A%7Bb%7D', '客户')
    """
    out: list[str] = []
    for character in name:
        if character in "%:{}" or character.isspace():
            out.extend(f"%{byte:02X}" for byte in character.encode())
        else:
            out.append(character)
    return "".join(out)


class _Planner:
    def __init__(
        self, scope: Scope, role: str, sync: str, distinct_values: dict[str, float]
    ) -> None:
        self.scope = scope
        self.requirements: Requirements = scope.requirements
        self.role = role
        self.sync = sync
        self.rows = entity_rows(scope)
        self.distinct_values = distinct_values
        self.decisions: list[Reason] = []
        self.plans: list[KeyPlan] = []
        # Where in `plans` each key (with its structure) and each entity's plans are: a plan
        # is replaced in place with more patterns, never moved.
        self.positions: dict[tuple[str, str], int] = {}
        self.entity_positions: dict[str, list[int]] = {}
        self.prefix = key_segment("_".join(words(self.requirements.project.lower())) or "app")
        self.entities = {e.name: e for e in self.requirements.entities}

    def field(self, entity: str, name: str) -> str | None:
        return self.scope.field(entity, name)

    def key(self, entity: str, fields: Sequence[str], tail: str = "") -> str:
        parts = [self.prefix, key_segment(entity)]
        for name in fields:
            parts += [key_segment(name), f"<{key_segment(name)}>"]
        if tail:
            parts.append(tail)
        return ":".join(parts)

    def ttl(self, entity: Entity, pattern: PatternFacts | None) -> tuple[str, float | None]:
        """The TTL of an item key and its reason, and the seconds it lasts (None: no expiry)."""
        if self.role == "cache":
            strong = pattern is not None and pattern.consistency == "strong"
            name = "strong_cache_ttl_seconds" if strong else "cache_ttl_seconds"
            seconds = figure("redis", name)
            why = "strong consistency asks for a short safety net" if strong else "cache entry"
            return f"{seconds:g} s ({why})", seconds
        for attribute in entity.attributes:
            if is_expiry(attribute):
                return f"EXPIREAT its {attribute.name}", None
        days = retention_days(self.scope)
        if days is not None:
            return f"{days * SECONDS_PER_DAY:,} s (retention of {days} days)", None
        return "none: kept until deleted", None

    def item_bytes(self, entity: Entity, structure: str) -> float:
        names = entity.attribute_names()
        values = sum(value_bytes(implicit_attribute(entity, n)) for n in names)
        references = [
            r for r in self.scope.outgoing(entity.name) if r.cardinality != "many-to-many"
        ]
        values += 8 * len(references)
        fields = [*names, *(f"{r.role}_id" for r in references)]
        if structure == "hash":
            overhead = figure("redis", "field_overhead_bytes")
            return values + sum(len(f.encode()) + 2 * overhead for f in fields)
        # JSON: names, quotes, colons and commas, and numbers spelled out (about twice as long)
        return 2 * values + sum(len(f.encode()) + 4 for f in fields)

    def key_bytes(self, key: str, entity: Entity, fields: Sequence[str]) -> float:
        placeholders = sum(len(f"<{key_segment(f)}>".encode()) for f in fields)
        values = sum(value_bytes(implicit_attribute(entity, f)) for f in fields)
        return len(key.encode()) - placeholders + values

    def groups(self, entity: Entity, fields: Sequence[str]) -> tuple[float, str]:
        """How many distinct values the fields take together, and why we think so."""
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        assumed = float(knowledge()["assumed_distinct_values"])
        count = 1.0
        basis = []
        for name in fields:
            if name in self.distinct_values:
                value = self.distinct_values[name]
                basis.append(f"{name}: {number(value)} values (given)")
            elif (bounded := bounded_values(implicit_attribute(entity, name))) is not None:
                value = float(bounded)
                basis.append(f"{name}: {bounded} values (its type)")
            elif name.endswith("_id") and name.removesuffix("_id") in self._roles(entity):
                target = self._roles(entity)[name.removesuffix("_id")]
                value = max(self.rows.get(target, assumed), 1.0)
                basis.append(f"{name}: one per {target} ({number(value)})")
            else:
                value = assumed
                basis.append(f"{name}: {number(value)} distinct values (assumed)")
            count *= value
        return min(count, rows), "; ".join(basis)

    def _roles(self, entity: Entity) -> dict[str, str]:
        return {r.role: r.target for r in self.scope.outgoing(entity.name)}

    def is_unique(self, entity: Entity, fields: Sequence[str]) -> bool:
        return len(fields) == 1 and (
            fields[0] == "id" or implicit_attribute(entity, fields[0]).unique
        )

    def structure(self, entity: Entity) -> str:
        declared = [a for a in entity.attributes if a.name != "id"]
        if all(a.type in SCALAR_TYPES for a in declared):
            return "hash"
        return "string"

    def ranked(self, entity: Entity, facts: PatternFacts) -> tuple[str | None, set[str]]:
        """The member of the sorted set `facts` reads in order, and the patterns of one member
        it serves too: a rank or score read (ZREVRANK, ZSCORE) or a change of the score
        (ZINCRBY, ZADD). A pattern that compares the sorted set's groups and one more field
        reads one member: within a group always, and over the whole entity when the sorted
        set holds the whole item (its member and score are all the entity has), so that a
        rank is never a separate counter out of step with the order."""
        pattern = facts.pattern
        if pattern.kind not in ORDERED_KINDS:
            return None, set()
        fields = [f for n in pattern.filter if (f := self.field(entity.name, n)) is not None]
        if self.is_unique(entity, fields):
            return None, set()
        sort = [f for s in pattern.sort if (f := self.field(entity.name, s.removeprefix("-")))]
        groups = [
            f
            for f in fields
            if f not in sort and implicit_attribute(entity, f).type not in ("datetime", "date")
        ]
        if not sort:
            return None, set()
        member, served = None, set()
        for other in self.scope.patterns_of(entity.name):
            if other.pattern.kind in ORDERED_KINDS or other.pattern.name == pattern.name:
                continue
            named = [f for n in other.pattern.filter if (f := self.field(entity.name, n))]
            extra = [f for f in named if f not in groups]
            declared = {a.name for a in entity.attributes}
            whole = declared <= {*groups, *extra, sort[0]}
            if (
                set(groups) <= set(named)
                and len(extra) == 1
                and extra[0] != sort[0]
                and (groups or whole)
                and member in (None, extra[0])
            ):
                member = extra[0]
                served.add(other.pattern.name)
        return member, served

    def plan(self) -> None:
        done: set[str] = set()
        # Patterns a sorted set serves (a player's rank, an increment of the score) wait for
        # the ordered pattern that makes it, rather than getting an item key of their own.
        waiting = {
            name
            for facts in self.scope.patterns
            for name in self.ranked(self.entities[facts.pattern.entity], facts)[1]
        }
        items: dict[str, tuple[str, ...]] = {}  # entity -> the fields its item key uses
        for facts in self.scope.patterns:
            pattern = facts.pattern
            if pattern.name in done or pattern.name in waiting:
                continue
            entity = self.entities[pattern.entity]
            if pattern.kind in UNSERVED_KINDS:
                self.decisions.append(
                    reason(
                        "redis_not_served",
                        (facts.path,),
                        "no key",
                        f"{pattern.name!r} is a {pattern.kind.replace('_', ' ')} pattern, which "
                        "Redis does not serve; it stays with the primary store.",
                    )
                )
                continue
            fields = [f for n in pattern.filter if (f := self.field(entity.name, n)) is not None]
            if pattern.kind in ("nearby", "similarity"):
                self.nearest(entity, facts, fields)
            elif pattern.kind == "append" and pattern.operation == "write":
                self.stream(entity, facts)
            elif pattern.kind in ORDERED_KINDS and not self.is_unique(entity, fields):
                done.update(self.ordered(entity, facts, fields, done))
            else:
                wanted = tuple(fields) or items.get(entity.name, ("id",))
                if entity.name in items and items[entity.name] != wanted:
                    self.pointer(entity, facts, wanted, items[entity.name])
                elif entity.name not in items:
                    items[entity.name] = wanted
                    self.item(entity, facts, wanted)
                else:
                    self.join(entity.name, pattern.name)
            done.add(pattern.name)

    def add(self, plan: KeyPlan) -> None:
        self.positions.setdefault((plan.key, plan.structure), len(self.plans))
        self.entity_positions.setdefault(plan.entity, []).append(len(self.plans))
        self.plans.append(plan)

    def plans_of(self, entity: str) -> list[KeyPlan]:
        return [self.plans[position] for position in self.entity_positions.get(entity, ())]

    def join(self, entity: str, pattern: str) -> None:
        """Adds a pattern to the item key of `entity` that serves it already."""
        for position in self.entity_positions.get(entity, ()):
            plan = self.plans[position]
            if plan.structure in ("hash", "string", "string (counter)"):
                self.plans[position] = KeyPlan(
                    **{**plan.__dict__, "patterns": (*plan.patterns, pattern)}
                )
                return

    def homes(self) -> None:
        """An item key by id for every entity no pattern gives a key, so that the store holds
        the whole system of record."""
        for entity in self.scope.entities:
            if entity.name not in self.entity_positions:
                self.item(entity, None, ("id",))
        for entity in unread_entities(self.scope):
            own = self.plans_of(entity.name)
            home = next((p for p in own if p.structure in HOMES), own[0])
            self.decisions.append(
                unread_reason(
                    "redis", self.scope, entity.name, f"the key {home.key} ({home.structure})"
                )
            )

    def item(self, entity: Entity, facts: PatternFacts | None, fields: Sequence[str]) -> None:
        numeric = [a for a in entity.attributes if a.name not in fields]
        counter = (
            len(numeric) == 1
            and numeric[0].type in COUNTER_TYPES
            and any(p.pattern.operation == "update" for p in self.scope.patterns_of(entity.name))
        )
        structure = "string (counter)" if counter else self.structure(entity)
        key = self.key(entity.name, fields)
        ttl, seconds = self.ttl(entity, facts)
        if counter:
            commands = f"INCRBY key n, then EXPIRE key ttl NX; GET key ({numeric[0].name})"
            why = (
                f"{entity.name} is one number ({numeric[0].name}) changed in place: a string "
                "counter, incremented atomically"
            )
            size = value_bytes(numeric[0])
        elif structure == "hash":
            commands = "HSET key field value ...; HGETALL key or HMGET key field ...; EXPIRE"
            why = (
                f"every value of {entity.name} is a scalar: a hash reads and changes fields one "
                "by one"
            )
            size = self.item_bytes(entity, "hash")
        else:
            nested = [a.name for a in entity.attributes if a.type not in SCALAR_TYPES]
            commands = "SET key json EX ttl; GET key"
            why = (
                f"{entity.name} holds nested or long values ({', '.join(nested)}): one JSON "
                "string, read and written whole"
            )
            size = self.item_bytes(entity, "string")
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        if seconds is not None and facts is not None:
            keys = min(rows, max(facts.rate * seconds, 1.0))
            basis = (
                f"at most {number(facts.rate)} reads/s x {seconds:g} s TTL = "
                f"{number(facts.rate * seconds)} distinct keys, capped at the "
                f"{number(rows)} {entity.name} items"
            )
        else:
            keys = rows
            basis = f"one per {entity.name} item ({number(rows)}, from the data volume)"
        overhead = figure("redis", "key_overhead_bytes")
        per_key = overhead + self.key_bytes(key, entity, fields) + size
        self.add(
            KeyPlan(
                key,
                structure,
                entity.name,
                (facts.pattern.name,) if facts is not None else (),
                commands,
                ttl,
                keys,
                per_key,
                why,
                basis,
            )
        )
        if facts is not None:
            self.invalidation(entity, facts)

    def pointer(
        self, entity: Entity, facts: PatternFacts, fields: Sequence[str], item: Sequence[str]
    ) -> None:
        key = self.key(entity.name, fields)
        ttl, seconds = self.ttl(entity, facts)
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        keys = min(rows, facts.rate * seconds) if seconds is not None else rows
        overhead = figure("redis", "key_overhead_bytes")
        value = sum(value_bytes(implicit_attribute(entity, f)) for f in item)
        per_key = overhead + self.key_bytes(key, entity, fields) + value
        why = (
            f"{facts.pattern.name!r} finds {entity.name} by {', '.join(fields)}: a string holding "
            f"the item's {', '.join(item)}, then the item key (two reads, one copy of the item)"
        )
        self.add(
            KeyPlan(
                key,
                "string",
                entity.name,
                (facts.pattern.name,),
                "GET key; then the item",
                ttl,
                keys,
                per_key,
                why,
                f"one per {entity.name} item",
            )
        )

    def ordered(
        self, entity: Entity, facts: PatternFacts, fields: list[str], done: set[str]
    ) -> set[str]:
        pattern = facts.pattern
        sort = [
            (f, s.startswith("-"))
            for s in pattern.sort
            if (f := self.field(entity.name, s.removeprefix("-"))) is not None
        ]
        groups_fields = [
            f
            for f in fields
            if f not in {name for name, _ in sort}
            and implicit_attribute(entity, f).type not in ("datetime", "date")
        ]
        served = {pattern.name}
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        groups, basis = self.groups(entity, groups_fields)
        ttl, _ = self.ttl(entity, facts)
        overhead = figure("redis", "key_overhead_bytes")
        if sort or any(implicit_attribute(entity, f).type in ("datetime", "date") for f in fields):
            score = (
                sort[0][0]
                if sort
                else next(
                    f for f in fields if implicit_attribute(entity, f).type in ("datetime", "date")
                )
            )
            found, ranked = self.ranked(entity, facts)
            member = found or "id"
            served |= ranked - done
            key = self.key(entity.name, groups_fields, f"by_{key_segment(score)}")
            order = "ZRANGE key 0 N REV" if sort and sort[0][1] else "ZRANGE key 0 N"
            commands = f"ZADD key score member; {order}"
            lexical = implicit_attribute(entity, score).type not in (
                *COUNTER_TYPES,
                "decimal",
                "float",
                "datetime",
                "date",
            )
            if lexical:
                commands = "ZADD key 0 value:member; ZRANGE key [a + BYLEX"
            if member != "id":
                commands += "; ZREVRANK / ZSCORE key member"
            changes = [
                p.pattern
                for p in self.scope.patterns_of(entity.name)
                if p.pattern.name in served - {pattern.name} and p.writes
            ]
            if any(c.kind == "increment" for c in changes):
                commands += "; ZINCRBY key n member"
            why = (
                f"{pattern.name!r} reads {entity.name} in order of {score}"
                + (f" within one {', '.join(groups_fields)}" if groups_fields else "")
                + (
                    f": a sorted set of equal scores ordered by {score} (lexicographic), "
                    f"one member per {member}"
                    if lexical
                    else f": a sorted set scored by {score}, one member per {member}"
                )
            )
            reads = sorted(p for p in served - {pattern.name} if p not in {c.name for c in changes})
            if reads:
                why += (
                    f"; {', '.join(repr(p) for p in reads)} reads the rank or score of one "
                    f"{member} from it"
                )
            if changes:
                why += (
                    f"; {', '.join(repr(c.name) for c in changes)} changes the score of one "
                    f"{member} in it ("
                    + ("ZINCRBY, atomic" if any(c.kind == "increment" for c in changes) else "ZADD")
                    + "), so the order and the ranks never lag a separate counter"
                )
            member_bytes = value_bytes(implicit_attribute(entity, member))
            per_member = figure("redis", "sorted_set_member_bytes") + member_bytes + 8
            structure = "sorted set"
        else:
            key = self.key(entity.name, groups_fields, "ids")
            commands = "SADD key id; SMEMBERS key or SSCAN key"
            why = (
                f"{pattern.name!r} reads the {entity.name} items of one "
                f"{', '.join(groups_fields) or 'group'} without order: a set of their ids"
            )
            per_member = 16 + value_bytes(implicit_attribute(entity, "id"))
            structure = "set"
        members = rows / groups
        per_key = overhead + len(key.encode()) + members * per_member
        each = f"{number(members)} members each ({number(rows)} items / {number(groups)})"
        basis = f"{basis}; {each}" if basis else each
        position = self.positions.get((key, structure))
        if position is not None:
            plan = self.plans[position]
            patterns = tuple(sorted({*plan.patterns, *served}))
            self.plans[position] = KeyPlan(**{**plan.__dict__, "patterns": patterns})
            return served
        self.add(
            KeyPlan(
                key,
                structure,
                entity.name,
                tuple(sorted(served)),
                commands,
                ttl,
                groups,
                per_key,
                why,
                basis,
            )
        )
        return served

    def nearest(self, entity: Entity, facts: PatternFacts, fields: list[str]) -> None:
        """A nearby pattern: a geo set (a sorted set scored by geohash) of the items' ids per
        group of its other filters, for live positions; a similarity pattern: a vector index of
        the Redis Query Engine over the items."""
        pattern = facts.pattern
        kind = "point" if pattern.kind == "nearby" else "vector"
        searched = next(f for f in fields if implicit_attribute(entity, f).type == kind)
        groups_fields = [f for f in fields if f != searched]
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        overhead = figure("redis", "key_overhead_bytes")
        if kind == "point":
            groups, basis = self.groups(entity, groups_fields)
            key = self.key(entity.name, groups_fields, f"by_{key_segment(searched)}")
            commands = (
                "GEOADD key longitude latitude id (on every move); GEOSEARCH key FROMLONLAT "
                "lon lat BYRADIUS r m ASC COUNT k"
            )
            why = (
                f"{pattern.name!r} finds {entity.name} near a place"
                + (f" within one {', '.join(groups_fields)}" if groups_fields else "")
                + f": a geo set of ids scored by the geohash of {searched}; moving an item is "
                "one GEOADD, and a search reads only the cells around the place"
            )
            members = rows / groups
            per_member = (
                figure("redis", "sorted_set_member_bytes")
                + 8
                + value_bytes(implicit_attribute(entity, "id"))
            )
            per_key = overhead + len(key.encode()) + members * per_member
            basis = f"{basis}; {number(members)} members each"
            plan = KeyPlan(
                key,
                "geo set",
                entity.name,
                (pattern.name,),
                commands,
                "none",
                groups,
                per_key,
                why,
                basis,
            )
        else:
            attribute = implicit_attribute(entity, searched)
            key = self.key(entity.name, (), "vector_index")
            on = "HASH" if self.structure(entity) == "hash" else "JSON"
            commands = (
                f"FT.CREATE key ON {on} PREFIX 1 {self.key(entity.name, ())} SCHEMA {searched} "
                f"VECTOR HNSW 6 TYPE FLOAT32 DIM {attribute.dimensions} DISTANCE_METRIC COSINE; "
                f'FT.SEARCH key "*=>[KNN k @{searched} $vector]" PARAMS 2 vector <bytes> '
                "DIALECT 2"
            )
            why = (
                f"{pattern.name!r} finds the {entity.name} items most similar to a vector: an "
                f"HNSW index of the Redis Query Engine over {searched} (cosine distance)"
            )
            per_key = overhead + rows * value_bytes(attribute)
            basis = f"one index over the {number(rows)} {entity.name} items (vectors counted)"
            plan = KeyPlan(
                key,
                "vector index",
                entity.name,
                (pattern.name,),
                commands,
                "none",
                1.0,
                per_key,
                why,
                basis,
            )
        self.add(plan)

    def stream(self, entity: Entity, facts: PatternFacts) -> None:
        days = retention_days(self.scope)
        key = self.key(entity.name, (), "stream")
        if days is not None:
            trim = f"XADD key MINID ~ <now - {days} days in ms> * field value ..."
            entries = facts.rate * days * SECONDS_PER_DAY
            basis = f"{number(facts.rate)} appends/s x {days} days of retention"
            ttl = f"entries older than {days} days trimmed by MINID"
        else:
            trim = "XADD key MAXLEN ~ N * field value ..."
            entries = max(self.rows.get(entity.name, 1.0), 1.0)
            basis = f"{number(entries)} {entity.name} items (from the data volume)"
            ttl = "none: trim with MAXLEN to what you keep"
        values = sum(value_bytes(implicit_attribute(entity, n)) for n in entity.attribute_names())
        per_entry = values + figure("redis", "stream_entry_overhead_bytes")
        why = (
            f"{facts.pattern.name!r} appends {entity.name} items: a stream keeps them in order, "
            "with consumer groups for the readers"
        )
        self.add(
            KeyPlan(
                key,
                "stream",
                entity.name,
                (facts.pattern.name,),
                f"{trim}; XREAD / XRANGE",
                ttl,
                1,
                entries * per_entry + figure("redis", "key_overhead_bytes"),
                why,
                f"one stream of {number(entries)} entries ({basis})",
            )
        )

    def invalidation(self, entity: Entity, facts: PatternFacts) -> None:
        if self.role != "cache":
            return
        writers = [
            p
            for p in self.scope.facts.patterns_by_entity.get(entity.name, ())
            if p.pattern.operation in WRITE_OPERATIONS
        ]
        names = ", ".join(repr(p.pattern.name) for p in writers) or "none stated"
        method = self.sync.replace("_", " ")
        self.decisions.append(
            reason(
                "redis_invalidation",
                (facts.path, *(p.path for p in writers)),
                f"invalidate {entity.name} keys on write",
                f"Kept in sync by {method}: on a miss the application reads the primary store and "
                f"sets the key with its TTL; the writes to {entity.name} ({names}) delete the key "
                "after they commit, and the TTL bounds staleness if a delete is lost.",
            )
        )


def _render(
    requirements: Requirements, plans: Sequence[KeyPlan], role: str, technology: str, total: float
) -> str:
    title = "cache" if role == "cache" else "store"
    lines = [
        f"# Redis {title} for {requirements.project}",
        "",
        f"Technology: {technology}. Generated by the database design advisor; every number below "
        "is an estimate from the requirements and the planning figures in "
        "`advisor/data/stores.yaml`.",
        "",
        "Key names: `<...>` marks a value. Names are percent-encoded inside keys (`:`, `%`, "
        "braces and spaces), so no name can make a Redis Cluster hash tag.",
        "",
        "## Keys",
        "",
        "| key | structure | serves | TTL |",
        "| --- | --- | --- | --- |",
    ]
    for plan in plans:
        served = ", ".join(code(p) for p in plan.patterns) or "none yet"
        lines.append(f"| {code(plan.key)} | {plan.structure} | {served} | {plan.ttl} |")
    for plan in plans:
        lines += [
            "",
            f"### {code(plan.key)}",
            "",
            f"- Why: {_escape(plan.why)}.",
            f"- Commands: {code(plan.commands)}",
            f"- TTL: {plan.ttl}",
            f"- Keys: {number(plan.keys)} ({_escape(plan.count_basis)})",
            f"- Memory: {megabytes(plan.bytes_per_key)} per key, "
            f"{megabytes(plan.total_bytes)} in all",
        ]
    ratio = figure("redis", "fragmentation_ratio")
    raw = sum(plan.total_bytes for plan in plans)
    lines += [
        "",
        "## Memory estimate",
        "",
        "| key | keys | per key | total |",
        "| --- | ---: | ---: | ---: |",
    ]
    for plan in plans:
        lines.append(
            f"| {code(plan.key)} | {number(plan.keys)} | {megabytes(plan.bytes_per_key)} | "
            f"{megabytes(plan.total_bytes)} |"
        )
    lines += [
        f"| data | | | {megabytes(raw)} |",
        f"| with fragmentation x{ratio:g} | | | {megabytes(total)} |",
        "",
        "Assumptions:",
        "",
        f"- Per key: {figure('redis', 'key_overhead_bytes'):g} bytes of overhead plus the key and "
        "the value (measured with MEMORY USAGE on Redis 7).",
        f"- Hash fields: {figure('redis', 'field_overhead_bytes'):g} bytes of listpack header per "
        "field name and per value; JSON strings: twice the raw values plus names and punctuation.",
        f"- Sorted set members: {figure('redis', 'sorted_set_member_bytes'):g} bytes each plus the "
        "member and an 8-byte score (skip list and dict).",
        f"- Stream entries: the values plus {figure('redis', 'stream_entry_overhead_bytes'):g} "
        "bytes.",
        "- Value sizes: `value_bytes` in `advisor/data/stores.yaml` (a string of declared length n "
        "holds n/2 bytes on average).",
        "- Items per entity: the projected data volume shared among entities by row size times "
        "write rate.",
        f"- Fragmentation: x{ratio:g} (INFO memory, mem_fragmentation_ratio).",
        "",
    ]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Text for a Markdown paragraph: characters Markdown would read as markup are escaped."""
    out = []
    for character in text:
        if character in "\\`*_[]<>|":
            out.append("\\" + character)
        else:
            out.append(character)
    return "".join(out)


def redis_schema(request: StoreRequest) -> StoreSchema:
    """Redis key patterns, structures, TTLs and a memory estimate, as Markdown.

    `request.role` is `primary` (Redis holds the data: every entity gets an item key or a
    stream) or `cache` (in front of the primary store, kept in step by `request.sync`);
    `request.distinct_values` states how many values a grouping field takes (default: the
    planning figure `assumed_distinct_values`).

    >>> from advisor.requirements import read_requirements
    >>> board = read_requirements('''
    ... format: advisor/v1
    ... project: Games
    ... entities:
    ...   - {name: score, attributes: [{name: player, type: string, length: 20},
    ...                                {name: level, type: integer}, {name: points, type: bigint}]}
    ... access_patterns:
    ...   - {name: top, entity: score, operation: read, kind: range, filter: [level],
    ...      sort: [-points]}
    ...   - {name: rank, entity: score, operation: read, kind: lookup, filter: [player, level]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> schema = redis_schema(StoreRequest(build_facts(board, DEFAULT_MATRIX), "redis"))
    >>> "games:score:level:<level>:by_points" in schema.text, "ZREVRANK" in schema.text
    (True, True)
    """
    requirements, role, technology = request.requirements, request.role, request.technology
    if role == "counter_store":
        return _counter_store_schema(request)
    chosen = scope(request)
    planner = _Planner(chosen, role, request.sync, dict(request.distinct_values))
    planner.plan()
    if request.system_of_record:
        planner.homes()
    paths: dict[str, list[tuple[int, str]]] = {}
    for position, p in enumerate(chosen.patterns):
        paths.setdefault(p.pattern.name, []).append((position, p.path))
    for plan in planner.plans:
        served = sorted(found for name in set(plan.patterns) for found in paths.get(name, ()))
        planner.decisions.append(
            reason(
                "redis_structure",
                tuple(path for _, path in served),
                f"{plan.key}: {plan.structure}",
                f"{plan.key} is a {plan.structure}: {plan.why}.",
            )
        )
    ratio = figure("redis", "fragmentation_ratio")
    total = sum(plan.total_bytes for plan in planner.plans) * ratio
    planner.decisions.append(
        reason(
            "redis_memory",
            ("workload.data_volume_gb", "workload.growth_gb_per_month", "access_patterns"),
            f"{megabytes(total)} of memory",
            f"The keys take about {megabytes(total)} of memory, fragmentation included"
            + _cluster_note(total, chosen.facts.threshold("in_memory_practical_gb"))
            + ".",
        )
    )
    return StoreSchema(
        store="redis",
        technology=technology,
        filename="redis.md",
        text=_render(requirements, planner.plans, role, technology, total),
        decisions=tuple(planner.decisions),
        role=role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def _cluster_note(total: float, practical_gb: float) -> str:
    practical = practical_gb * BYTES_PER_GB
    if total <= practical:
        return ""
    shards = math.ceil(total / practical)
    return (
        f"; more than one node holds ({megabytes(practical)}), so plan Redis Cluster with at "
        f"least {shards} shards"
    )


def _counter_store_schema(request: StoreRequest) -> StoreSchema:
    """The counter component: one hash of pending increments per item, and the job that adds
    them to the primary store every `flush_seconds` (the engine's `counter_store` decisions)."""
    requirements = request.requirements
    prefix = "_".join(words(requirements.project.lower())) or "app"
    decisions: list[Reason] = []
    lines = [
        f"# Redis counters for {requirements.project}",
        "",
        "Generated by the database design advisor. Increments land here, not on the primary "
        "store's rows; a job adds them to the primary store.",
    ]
    for counter in request.counters:
        if counter.how != "counter_store":
            continue
        key = f"{prefix}:{counter.entity}:<id>:pending"
        fields = " ".join(counter.columns)
        seconds = f"{counter.flush_seconds:g}"
        first = counter.columns[0]
        update = f"UPDATE {counter.entity} SET {first} = {first} + :n WHERE id = :id"
        lines += [
            "",
            f"## {code(counter.pattern)}",
            "",
            f"- Key: {code(key)}, a hash with one field per counter "
            f"({', '.join(code(c) for c in counter.columns)}).",
            f"- Increment: {code(f'HINCRBY {key} {counter.columns[0]} 1')}, and "
            f"{code(f'SADD {prefix}:{counter.entity}:dirty <id>')} so the job finds it.",
            f"- Flush, every {seconds} s: for each id popped from "
            f"{code(f'{prefix}:{counter.entity}:dirty')} (SPOP), read and delete the hash in "
            f"one MULTI/EXEC (HGETALL, DEL), then in the primary store "
            f"{code(update)}.",
            f"- Read: the primary store's value plus the pending {code(f'HMGET {key} {fields}')}"
            " when the last seconds matter.",
        ]
        decisions.append(
            reason(
                "redis_counters",
                counter.inputs[:1],
                f"{key}: hash of pending increments, flushed every {seconds} s",
                f"{counter.pattern!r} adds to {', '.join(counter.columns)} "
                f"{number(counter.rate)} times a second on its hottest {counter.entity}: the "
                f"increments go to a hash per item and a job adds them to the primary store every "
                f"{seconds} s, so the primary takes one write per changed item per flush.",
            )
        )
    return StoreSchema(
        store="redis",
        technology=request.technology,
        filename="redis-counters.md",
        text="\n".join(lines) + "\n",
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(c.pattern for c in request.counters if c.how == "counter_store"),
    )

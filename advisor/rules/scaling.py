"""Rules that size the chosen store: replicas, cache, partitioning, sharding, regions."""

from __future__ import annotations

import math
from collections import defaultdict

from advisor.draft import Draft
from advisor.facts import (
    TIME_PATTERN_KINDS,
    ceil_div,
    resolve_reference,
    time_column,
)
from advisor.recommendation import (
    Cache,
    Expiry,
    Partitioning,
    ReadReplicas,
    Reason,
    Regions,
    Sharding,
    ShardKey,
)
from advisor.requirements.model import TIME_TYPES, Relationship
from advisor.rules.common import listing, number, percent, region_round_trip
from advisor.schema.dialects import Dialect, dialect, primary_dialect

LOW_CARDINALITY_TYPES = ("boolean", "enum")
SPATIAL_TYPES = ("point",)
# Values people change: a row whose shard key changes must move to another shard.
MUTABLE_NAMES = frozenset({"email", "handle", "username", "phone", "nickname", "slug", "login"})
MUTABLE_FORMATS = ("email", "phone")
MONTHLY_FROM_RETENTION_DAYS = 60  # shorter retention: daily partitions, so expiry is prompt
ADJECTIVES = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly"}
DAYS_PER_INTERVAL = {"month": 30.0, "week": 7.0, "day": 1.0, "hour": 1 / 24}
SECONDS_PER_DAY = 86_400


def read_replicas(draft: Draft) -> Draft:
    """Replicas for failover (from the availability target) and for read load, whichever is
    more; only load and availability count, so more load never means fewer replicas."""
    facts = draft.facts
    workload = facts.requirements.workload
    reads = facts.reads_per_second
    budget = facts.threshold("single_node_reads_per_second")
    maximum = int(facts.threshold("max_read_replicas"))
    target = workload.availability_percent
    if target >= facts.threshold("second_replica_from_availability_percent"):
        for_failover = 2
    elif target > facts.threshold("standby_above_availability_percent"):
        for_failover = 1
    else:
        for_failover = 0
    for_reads = max(ceil_div(reads, budget) - 1, 0)
    count = min(max(for_failover, for_reads), maximum)
    parts = []
    if for_failover:
        parts.append(
            f"{number(target)}% availability needs {for_failover} standby "
            f"replica{'s' if for_failover > 1 else ''} to fail over to"
        )
    if for_reads:
        parts.append(
            f"{number(reads)} reads/s need {for_reads + 1} nodes at {number(budget)} reads/s each"
        )
    else:
        parts.append(f"{number(reads)} reads/s fit on one node ({number(budget)}/s)")
    sentence = "; ".join(parts) + "."
    if for_reads > maximum:
        sentence += (
            f" That is more than the {maximum} replicas one primary can feed: spread reads by "
            f"sharding as well."
        )
    if draft.primary.scaling == "distributed":
        high = target >= facts.threshold("second_replica_from_availability_percent")
        factor = int(
            facts.threshold(
                "high_availability_replication_factor" if high else "replication_factor"
            )
        )
        sentence += (
            f" {draft.primary.name} keeps {factor} copies of every range itself (replication "
            f"factor {factor}, for availability, not for reads): reads scale by adding nodes, "
            f"over which the ranges and their leaders spread, and by follower reads where "
            f"slightly stale data is acceptable."
        )
    inputs = ("workload.reads_per_second", "workload.availability_percent")
    if draft.primary.scaling == "distributed":
        effect = f"replication_factor = {factor}"
        result = ReadReplicas(0, sentence, replication_factor=factor)
    else:
        effect = f"read_replicas = {count}"
        result = ReadReplicas(count, sentence)
    reason = Reason("read_replicas", inputs, effect, sentence)
    return draft.explain(reason, read_replicas=result)


def cache(draft: Draft) -> Draft:
    caches = [c for c in draft.components if c.role == "cache"]
    if caches:
        sentence = (
            f"Cache {listing(repr(name) for name in caches[0].patterns)} in {caches[0].name}."
        )
        result = Cache(True, sentence)
        inputs = caches[0].inputs
    elif draft.notes.get("cache_refused"):
        refused = draft.notes["cache_refused"]
        assert isinstance(refused, tuple)
        sentence = " ".join(str(item) for item in refused)
        result = Cache(False, sentence)
        inputs = tuple(p.path for p in draft.facts.patterns if p.pattern.kind == "lookup")
    elif draft.primary.level("low_latency") == 1.0:
        sentence = f"{draft.primary.name} already serves from memory; no separate cache."
        result = Cache(False, sentence)
        inputs = ()
    else:
        hot = number(draft.facts.threshold("cache_reads_per_second"))
        sentence = (
            f"No lookup pattern reaches {hot} reads/s or needs memory latency; the database's "
            f"own buffer cache is enough."
        )
        result = Cache(False, sentence)
        inputs = tuple(p.path for p in draft.facts.patterns if p.pattern.kind == "lookup")
    reason = Reason("cache", inputs, f"cache = {str(result.enabled).lower()}", sentence)
    return draft.explain(reason, cache=result)


def partitioning(draft: Draft) -> Draft:
    """Partition by time the entities that grow by appends, when the data is large or
    expires: old partitions are dropped (or moved) instead of deleted row by
    row. Declarative range partitions are a feature of single-primary relational stores
    (PostgreSQL, MySQL/MariaDB, SQL Server, Oracle) and of distributed ones whose DDL has them
    (YugabyteDB); other stores lay data out by time in their own way, which the rule says
    instead of deciding partitions they do not have."""
    facts = draft.facts
    workload = facts.requirements.workload
    large = facts.projected_volume_gb >= facts.threshold("partition_volume_gb")
    if not large and workload.retention_days is None:
        return draft
    appended = {p.pattern.entity for p in facts.patterns if p.pattern.kind == "append"}
    by_entity: dict[str, list[int]] = defaultdict(list)
    for p in facts.patterns:
        # Only append-only growth: a row updated in place would move between partitions.
        if p.pattern.entity in appended and p.pattern.kind in TIME_PATTERN_KINDS:
            by_entity[p.pattern.entity].append(p.index)
    if not by_entity:
        return draft
    if not _declares_partitions(draft):
        sentence = _own_time_layout(draft)
        inputs = tuple(
            f"access_patterns[{i}]" for i in sorted(i for v in by_entity.values() for i in v)
        )
        return draft.explain(
            Reason("partitioning", (*inputs, "workload.retention_days"), "none", sentence)
        )
    retention = workload.retention_days
    target = facts.threshold("partition_target_rows")
    results = []
    for name, indexes in by_entity.items():
        column = time_column(facts, name)
        per_day = SECONDS_PER_DAY * sum(
            p.rate for p in facts.patterns_by_entity.get(name, ()) if p.pattern.kind == "append"
        )
        interval = _interval(per_day, target, retention)
        size = (
            f"about {number(round(per_day))} rows a day, so about "
            f"{number(round(per_day * DAYS_PER_INTERVAL[interval]))} rows per partition "
            f"(target {number(target)})"
        )
        why = (
            f"{name} grows by appends ({size}) and is read by time; {ADJECTIVES[interval]} "
            f"partitions by {column} let old data "
            + (
                f"expire after {number(retention)} days by dropping a partition"
                if retention is not None
                else "move to cheaper storage by detaching a partition"
            )
            + " and keep recent ones in memory."
        )
        inputs = (
            *(f"access_patterns[{i}]" for i in indexes),
            "workload.writes_per_second",
            "workload.retention_days",
            "workload.data_volume_gb",
            "workload.growth_gb_per_month",
        )
        results.append(Partitioning(name, "time", column, interval, retention, why, inputs))
        draft = draft.explain(Reason("partitioning", inputs, f"partition {name} by time", why))
    return draft.replace(partitioning=tuple(results))


def _interval(rows_per_day: float, target: float, retention: int | None) -> str:
    """The longest interval whose partitions stay within `target` rows (hourly at most), and
    at most daily when data is kept under MONTHLY_FROM_RETENTION_DAYS (prompt expiry)."""
    longest = "month" if retention is None or retention >= MONTHLY_FROM_RETENTION_DAYS else "day"
    intervals = list(DAYS_PER_INTERVAL)
    for interval in intervals[intervals.index(longest) :]:
        if rows_per_day * DAYS_PER_INTERVAL[interval] <= target:
            return interval
    return "hour"


def _primary_dialect(draft: Draft) -> Dialect | None:
    spoken = primary_dialect(draft.primary.id)
    return dialect(spoken) if spoken else None


def _declares_partitions(draft: Draft) -> bool:
    primary = draft.primary
    if primary.category != "relational":
        return False
    if primary.scaling == "single_primary":
        return True
    spoken = _primary_dialect(draft)
    return spoken is not None and spoken.partitioning


def _own_time_layout(draft: Draft) -> str:
    primary = draft.primary
    if primary.category == "relational":
        how = (
            f"{primary.name} splits tables into ranges by key itself"
            if primary.scaling == "distributed"
            else f"{primary.name} has no table partitions"
        )
        expire = (
            "; old rows expire as the expiry decision says"
            if draft.facts.requirements.workload.retention_days is not None
            else ""
        )
        return f"{how}, with no declarative time partitions{expire}."
    return (
        f"{primary.name} has no table partitions: its schema lays data out by time in its own "
        "keys (time buckets, chunks or indexes per period) and expires it with its own TTL."
    )


def expiry(draft: Draft) -> Draft:
    """When rows expire (`workload.retention_days`), how each entity that grows by appends in a
    relational primary store loses its old rows: a partitioned entity drops partitions (see
    `partitioning`), a store with row-level TTL (CockroachDB) deletes expired rows itself, and
    any other entity needs a job deleting them in batches. Non-relational stores expire data by
    their own TTL in their schemas."""
    facts = draft.facts
    retention = facts.requirements.workload.retention_days
    if retention is None or draft.primary.category != "relational":
        return draft
    appends: dict[str, list[int]] = defaultdict(list)
    for p in facts.patterns:
        if p.pattern.kind == "append":
            appends[p.pattern.entity].append(p.index)
    partitioned = {item.entity for item in draft.partitioning}
    spoken = _primary_dialect(draft)
    row_ttl = spoken is not None and spoken.row_ttl is not None
    name = draft.primary.name
    results = []
    for entity, indexes in appends.items():
        column = time_column(facts, entity)
        after = f"{entity} grows by appends and expires {number(retention)} days after {column}"
        if entity in partitioned:
            how, sentence = "drop_partition", f"{after}: drop each partition once it is older."
        elif row_ttl:
            how = "row_ttl"
            sentence = (
                f"{after}: {name}'s row-level TTL deletes expired rows in the background, "
                "with no job to run."
            )
        else:
            how = "scheduled_delete"
            sentence = (
                f"{after}: {name} has no time partitions for it, so a scheduled job deletes "
                "expired rows in small batches."
            )
        inputs = ("workload.retention_days", *(f"access_patterns[{i}]" for i in indexes))
        results.append(Expiry(entity, column, retention, how, sentence, inputs))
        draft = draft.explain(Reason("expiry", inputs, f"expire {entity} by {how}", sentence))
    return draft.replace(expiry=tuple(results))


def sharding(draft: Draft) -> Draft:
    """Shard when writes or data outgrow one node. The shard key of each entity is the filter
    name with the most traffic behind it, weighed by how many distinct values it can have and
    how evenly new items spread over them."""
    facts = draft.facts
    writes = facts.writes_per_second
    write_budget = facts.threshold("single_node_writes_per_second")
    # As the primary stores it: compressed where it compresses (`compression` in the matrix).
    volume = facts.stored_volume_gb(draft.primary)
    stored = "" if volume == facts.projected_volume_gb else f" as {draft.primary.name} stores it"
    storage = facts.threshold("single_node_storage_gb")
    load = facts.write_load()
    needed = load > 1 or volume > storage
    shards = max(math.ceil(load), ceil_div(volume, storage), 2) if needed else 0
    distributed = draft.primary.scaling == "distributed"
    inputs = (
        "workload.writes_per_second",
        "workload.data_volume_gb",
        "workload.growth_gb_per_month",
    )
    if not needed and not distributed:
        sentence = (
            f"{number(writes)} writes/s and about {number(round(volume))} GB{stored} fit one "
            f"primary ({number(write_budget)} writes/s, {number(storage)} GB)."
        )
        result = Sharding(False, 0, (), (), sentence)
        return draft.explain(
            Reason("sharding", inputs, "sharding = none", sentence), sharding=result
        )
    keys, cross = _shard_keys(draft)
    if needed:
        sentence = (
            f"{number(writes)} writes/s and about {number(round(volume))} GB{stored} need at least "
            f"{shards} shards ({number(write_budget)} writes/s or "
            f"{number(facts.threshold('single_node_appends_per_second'))} appends/s, and "
            f"{number(storage)} GB per node); "
            f"each entity is sharded by the key its hottest patterns filter on."
        )
    else:
        sentence = (
            f"{draft.primary.name} partitions data itself; the partition keys below keep the "
            f"hottest patterns on one partition."
        )
    if cross:
        sentence += f" {len(cross)} pattern(s) must read across shards."
    hot = _hot_keys(draft)
    sentence += "".join(f" {warning}" for warning in hot)
    result = Sharding(
        needed, shards, keys, tuple(facts.patterns[i].pattern.name for i in cross), sentence, hot
    )
    key_inputs = tuple(f"access_patterns[{i}]" for i in sorted({*cross}))
    effect = f"sharding = {shards} shards" if needed else "partition keys"
    return draft.explain(
        Reason("sharding", (*inputs, *key_inputs), effect, sentence), sharding=result
    )


def _shard_keys(draft: Draft) -> tuple[tuple[ShardKey, ...], tuple[int, ...]]:
    """The shard key of each entity with patterns, and the patterns that read across shards:
    each entity's patterns are read once, their filters resolved once."""
    facts = draft.facts
    keys = []
    cross: list[int] = []
    for entity, patterns in facts.patterns_by_entity.items():
        scored: dict[tuple[str, str], float] = {}
        reads: dict[str, float] = {}  # the traffic of the reads behind each filter name
        spreads: dict[tuple[str, str], float] = {}
        # The names each pattern's filter resolves to; None for an insert, which stays on
        # one shard whatever its filter (the new item carries its key).
        resolved_filters: list[list[str] | None] = []
        for p in patterns:
            resolved_filter: list[str] = []
            rate = p.rate + 1e-9
            reading = not p.writes
            for name in p.pattern.filter:
                resolved = resolve_reference(facts, entity, name)
                if resolved is None:
                    continue
                resolved_filter.append(resolved[1])
                spread = spreads.get(resolved)
                if spread is None:
                    spread = spreads[resolved] = _spread(draft, entity, resolved)
                scored[resolved] = scored.get(resolved, 0.0) + rate * spread
                if reading:
                    reads[resolved[1]] = reads.get(resolved[1], 0.0) + rate
            resolved_filters.append(resolved_filter if reading or p.pattern.filter else None)
        parent = _parent(draft, entity, reads)
        if parent is not None:
            kind, key = "relationship", parent.role
            why = (
                f"its patterns go through its parent {parent.target}: sharded by the "
                f"{parent.target}'s key, each {entity} lives on the shard of its {parent.target}, "
                f"so both are read and written in one shard and one transaction (lookups by "
                f"other keys need a global index)"
            )
        elif scored:
            kind, key = max(scored, key=scored.__getitem__)
            why = (
                "the filter with the most traffic behind it: required, never changed, with "
                "many distinct values"
            )
        else:
            kind, key = "attribute", "id"
            why = "no pattern filters it, so its id spreads it evenly"
        spread = spreads.get((kind, key))
        if spread is None:
            spread = _spread(draft, entity, (kind, key))
        if spread < 0.5:
            kind, key = "attribute", "id"
            why = (
                "its filters have too few values, can be NULL, move (a position that changes), "
                "change (email, handle) or grow in time order; its id spreads evenly and never "
                "changes"
            )
        if kind == "attribute" and _is_point(draft, entity, key):
            keys.append(_geo_cell_key(draft, entity, key))
        else:
            keys.append(ShardKey(entity, key, kind, why))
        # A pattern stays on one shard when its filter holds the shard key.
        for p, names in zip(patterns, resolved_filters, strict=True):
            if names is not None and key not in names:
                cross.append(p.index)
    return tuple(keys), tuple(sorted(cross))


def _spread(draft: Draft, entity_name: str, resolved: tuple[str, str]) -> float:
    """How well a key spreads items over shards: many values, not in time order, always
    present and never changed (a row whose key changes must move to another shard)."""
    kind, name = resolved
    if kind == "relationship":
        reference = _reference(draft, entity_name, name)
        return 1.0 if reference is not None and reference.required else 0.0
    if name == "id":
        return 1.0
    attribute = draft.facts.entities[entity_name].attribute(name)
    if name in ("created_at", "updated_at") and attribute is None:
        return 0.2
    if attribute is None:
        return 1.0
    if attribute.type in SPATIAL_TYPES:
        # Sharded by the cell of a place: neighbours share a shard. An item that moves would
        # change shards on every move, so a moving position is no shard key.
        return 0.0 if _moves(draft, entity_name) else 1.0
    if attribute.type in LOW_CARDINALITY_TYPES or not attribute.required:
        return 0.0  # a handful of values, or NULL for many rows: a few shards take everything
    if _mutable(attribute.name, attribute.format):
        return 0.0
    if attribute.type in (*TIME_TYPES, "time"):
        return 0.2  # every new item lands on the newest shard
    return 1.0 if attribute.unique or attribute.type == "uuid" else 0.6


def _moves(draft: Draft, entity: str) -> bool:
    """Whether items of `entity` change after they are written (update patterns)."""
    return any(
        p.pattern.operation == "update" for p in draft.facts.patterns_by_entity.get(entity, ())
    )


def _is_point(draft: Draft, entity: str, name: str) -> bool:
    attribute = draft.facts.entities[entity].attribute(name)
    return attribute is not None and attribute.type in SPATIAL_TYPES


def _geo_cell_key(draft: Draft, entity: str, point: str) -> ShardKey:
    """A shard key for places: the H3 cell of the point at `geo_shard_cell_resolution`, a
    value the application writes beside the point (`<point>_cell`); a nearby search reads the
    cell and its ring of neighbours, a few shards rather than all."""
    resolution = round(draft.facts.threshold("geo_shard_cell_resolution"))
    why = (
        f"its hottest patterns search near a place: sharded by the H3 cell (resolution "
        f"{resolution}) of {point}, written by the application as {point}_cell, items near each "
        f"other share a shard and a nearby search reads the cell and its ring of neighbours "
        f"(7 cells), not every shard; the cell of a place never changes"
    )
    return ShardKey(entity, f"{point}_cell", "geo_cell", why)


def _mutable(name: str, format: str | None) -> bool:
    """Attributes people change: an email address, a handle, a phone number."""
    words = set(name.lower().split("_"))
    return format in MUTABLE_FORMATS or bool(words & MUTABLE_NAMES)


def _reference(draft: Draft, entity: str, role: str) -> Relationship | None:
    for relationship in draft.facts.outgoing.get(entity, ()):
        if relationship.role == role and relationship.cardinality != "many-to-many":
            return relationship
    return None


def _parent(draft: Draft, entity: str, reads: dict[str, float]) -> Relationship | None:
    """The required many-to-one reference that the entity's busiest reads go through (filter
    on): its children are sharded with it. `reads`: the traffic of the entity's reads behind
    each name its filters resolve to (only reads count, since an insert carries its parent's
    key whatever it filters on, an idempotency check included)."""
    if not reads:
        return None
    busiest = max(reads.values())
    for relationship in draft.facts.outgoing.get(entity, ()):
        if (
            relationship.cardinality == "many-to-one"
            and relationship.required
            and reads.get(relationship.role, 0.0) >= busiest
        ):
            return relationship
    return None


def _hot_keys(draft: Draft) -> tuple[str, ...]:
    """Patterns whose every filter is a low-cardinality attribute: one value takes at least
    1 / (its number of values) of the pattern's traffic, all on the shards holding it."""
    facts = draft.facts
    share_limit = facts.threshold("hot_key_share")
    warnings = []
    for p in facts.patterns:
        entity = facts.entities[p.pattern.entity]
        distinct = 1 if p.pattern.filter else 0
        for name in p.pattern.filter:
            attribute = entity.attribute(name)
            if attribute is None or attribute.type not in LOW_CARDINALITY_TYPES:
                distinct = 0  # a name that is no attribute, or one of many values
                break
            distinct *= 2 if attribute.type == "boolean" else max(len(attribute.values), 1)
        if not distinct or 1 / distinct <= share_limit:
            continue
        warnings.append(
            f"Hot key: {p.pattern.name!r} filters only on {listing(p.pattern.filter)}, with "
            f"{distinct} distinct value{'s' if distinct > 1 else ''}: the most common takes at "
            f"least {percent(1 / distinct)} of its {number(p.rate)} requests/s (more than "
            f"{percent(share_limit)}), on the one shard or index range holding it; cache it or "
            f"add a high-cardinality key to the filter."
        )
    return tuple(warnings)


def regions(draft: Draft) -> Draft:
    facts = draft.facts
    workload = facts.requirements.workload
    primary = draft.primary
    count = workload.regions
    inputs: tuple[str, ...] = (
        "workload.regions",
        "workload.consistency",
        "workload.latency_p99_ms",
    )
    if count <= 1:
        sentence = "One write region; read replicas can be placed in other regions for reads."
        result = Regions(1, "single_region", sentence)
        return draft.explain(Reason("regions", inputs, "single_region", sentence), regions=result)
    rtt, pair, read = region_round_trip(facts)
    inputs = (*inputs, *read)
    if primary.multi_region == "consensus":
        strategy = "multi_region_consensus"
        sentence = (
            f"{primary.name} accepts writes in all {count} regions and commits each one by "
            f"consensus across them: strongly consistent, at the price of a cross-region round "
            f"trip (up to about {number(rtt)} ms, {pair}) per commit."
        )
        if workload.consistency == "strong" and workload.latency_p99_ms < rtt:
            sentence += (
                f" That is more than the {number(workload.latency_p99_ms)} ms p99 target: pin "
                f"each item's leader to the region that writes it most (regional tables or "
                f"rows)."
            )
    elif primary.multi_region == "conflict_resolution":
        strategy = "multi_region_conflict_resolution"
        sentence = (
            f"{primary.name} accepts writes locally in all {count} regions and replicates them "
            f"asynchronously; concurrent updates of one item are resolved by last writer wins, "
            f"so design items to be appended rather than updated in place."
        )
    else:
        strategy = "home_region_per_key"
        sentence = (
            f"{primary.name} has one writable primary per data set: give each customer or tenant "
            f"a home region holding its primary, and route its writes there."
        )
    result = Regions(count, strategy, sentence)
    return draft.explain(Reason("regions", inputs, strategy, sentence), regions=result)

"""DynamoDB: a single-table design. Every item has a partition key `PK` and a sort key `SK`
composed from its entity and the fields its access patterns name; the patterns the table's key
does not serve get overloaded global secondary indexes (`GSI1PK`/`GSI1SK`, ...), shared by the
entities. The output is a `CreateTable` request with the item key patterns, the TTL and the way
each access pattern is served.

An entity's base key is its busiest pattern whose partition fields take many values (the id, a
unique attribute, a reference): `CUSTOMER#<id>` / `CUSTOMER#<id>`, or, for the items of a parent,
`CUSTOMER#<customer_id>` / `ORDER#<created_at>#<id>`, so that a parent and its children share a
partition (an item collection) and one Query reads them in order. A point read or change needs
the full key, so when a pattern reads or changes one item by its id alone, the base key is the
id (a key the caller has) and the item collection becomes an index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from advisor.facts import PatternFacts
from advisor.recommendation import Reason
from advisor.requirements.model import Entity
from advisor.stores.common import (
    TEMPORAL_TYPES,
    Scope,
    StoreRequest,
    StoreSchema,
    ascii_name,
    bounded_values,
    entity_path,
    figure,
    implicit_attribute,
    is_expiry,
    is_timed,
    number,
    reason,
    retention_days,
    row_bytes,
    scope,
    unique_names,
    unread_entities,
    unread_reason,
)
from advisor.typed_json import indented_json

NUMERIC = ("integer", "bigint", "decimal", "float")
RANGE_KINDS = ("range", "aggregate", "time_window")
NOT_SERVED = ("full_text", "traversal", "aggregate")
TTL_ATTRIBUTE = "ttl"
WRITE_CALLS = {"write": "PutItem", "update": "UpdateItem", "delete": "DeleteItem"}


@dataclass(frozen=True)
class Need:
    """The key an access pattern asks for: equality fields, then the fields it orders by."""

    equal: tuple[str, ...]
    order: tuple[str, ...]
    descending: bool
    ranged: bool  # a range condition on the first sort field


@dataclass
class Key:
    """A key of an entity's items: on the table (index None) or on an index slot (1-20)."""

    entity: str
    index: int | None
    partition: str
    sort: str
    equal: tuple[str, ...]
    order: tuple[str, ...]
    shards: int = 1
    patterns: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "table" if self.index is None else f"GSI{self.index}"

    @property
    def attributes(self) -> tuple[str, str]:
        return ("PK", "SK") if self.index is None else (f"GSI{self.index}PK", f"GSI{self.index}SK")


class _Designer:
    def __init__(self, chosen: Scope) -> None:
        self.scope = chosen
        self.requirements = chosen.requirements
        self.decisions: list[Reason] = []
        self.entities = {e.name: e for e in self.requirements.entities}
        names = unique_names(ascii_name(e.name, 64).upper() for e in self.requirements.entities)
        self.prefixes = dict(zip(self.entities, names, strict=True))
        self.keys: list[Key] = []
        self.entity_keys: dict[str, list[Key]] = {}  # `keys` by entity, in the same order
        self.access: list[dict[str, Any]] = []
        self.served: dict[str, Key] = {}

    def need(self, entity: Entity, facts: PatternFacts) -> Need:
        equal: list[str] = []
        ranges: list[str] = []
        for spelled in facts.pattern.filter:
            found = self.scope.field(entity.name, spelled)
            if found is None:
                continue
            reference = entity.attribute(found) is None and found not in ("id", "created_at")
            kind = "reference" if reference else implicit_attribute(entity, found).type
            if kind in TEMPORAL_TYPES or (kind in NUMERIC and facts.pattern.kind in RANGE_KINDS):
                ranges.append(found)
            else:
                equal.append(found)
        order = []
        for spelled in facts.pattern.sort:
            found = self.scope.field(entity.name, spelled.removeprefix("-"))
            if found is not None and found not in equal:
                order.append(found)
        order += [r for r in ranges if r not in order]
        descending = bool(facts.pattern.sort) and facts.pattern.sort[0].startswith("-")
        ranged = bool(order) and order[0] in ranges  # a BETWEEN on the sort key
        return Need(tuple(dict.fromkeys(equal)), tuple(dict.fromkeys(order)), descending, ranged)

    def many_values(self, entity: Entity, name: str) -> bool:
        """Whether a field takes a value per item or per parent (a good partition key)."""
        if name == "id":
            return True
        if any(f"{r.role}_id" == name for r in self.scope.outgoing(entity.name)):
            return True
        return implicit_attribute(entity, name).unique

    def unique(self, entity: Entity, need: Need) -> bool:
        return len(need.equal) == 1 and (
            need.equal[0] == "id" or implicit_attribute(entity, need.equal[0]).unique
        )

    def key_fields(self, need: Need) -> tuple[str, ...]:
        """The values a caller must have to name one item under the key `need` makes: the
        partition's fields, the sort's fields and the id."""
        return tuple(dict.fromkeys([*need.equal, *need.order, "id"]))

    def unknown_key(
        self, entity: Entity, base: Need, needs: list[tuple[PatternFacts, Need]]
    ) -> list[PatternFacts]:
        """The patterns that read, change or delete one item by its id alone when the item's
        key `base` makes would need more than the id (a parent's id, a creation time)."""
        wanted = set(self.key_fields(base))
        return [
            p
            for p, n in needs
            if p.pattern.operation != "write" and n.equal == ("id",) and wanted != {"id"}
        ]

    def templates(self, entity: Entity, need: Need) -> tuple[str, str]:
        own = self.prefixes[entity.name]
        parents = {f"{r.role}_id": r.target for r in self.scope.outgoing(entity.name)}
        if len(need.equal) == 1 and need.equal[0] in parents:
            name = need.equal[0]
            partition = f"{self.prefixes[parents[name]]}#<{name}>"
        elif need.equal == ("id",):
            partition = f"{own}#<id>"
        else:
            partition = own + "".join(f"#{ascii_name(f, 64).upper()}#<{f}>" for f in need.equal)
        tail = [*need.order, *([] if "id" in need.order else ["id"])]
        return partition, own + "".join(f"#<{f}>" for f in tail)

    def item_bytes(self, entity: Entity, keys: int) -> float:
        names = sum(len(n.encode()) for n in entity.attribute_names())
        return (
            row_bytes(self.scope, entity) + names + keys * figure("dynamodb", "key_attribute_bytes")
        )

    def write_units(self, entity: Entity) -> float:
        keys = self.keys_of(entity.name)
        size = self.item_bytes(entity, 2 * len(keys))
        per_write = math.ceil(size / figure("dynamodb", "write_unit_bytes"))
        rate = sum(p.rate for p in self.scope.patterns_of(entity.name) if p.writes)
        return rate * per_write

    def design(self) -> None:
        limit = int(figure("dynamodb", "max_global_secondary_indexes"))
        for entity in self.scope.entities:
            patterns = self.scope.patterns_of(entity.name)
            needs = [
                (p, self.need(entity, p))
                for p in patterns
                if p.pattern.kind not in NOT_SERVED and (not p.writes or p.pattern.filter)
            ]
            candidates = [
                (p, n)
                for p, n in needs
                if n.equal and all(self.many_values(entity, f) for f in n.equal)
            ]
            if candidates:
                best, base_need = max(candidates, key=lambda c: c[0].rate)
                why = (
                    "the busiest of its patterns with a well-spread partition key, "
                    f"{best.pattern.name!r}"
                )
            else:
                base_need = Need(("id",), (), False, False)
                why = "id, since none of its patterns has a well-spread partition key"
            unknown = self.unknown_key(entity, base_need, needs)
            if unknown:
                point = max(unknown, key=lambda p: p.rate)
                fields = ", ".join(self.key_fields(base_need))
                why = (
                    f"id, which {point.pattern.name!r} has: a key of {fields} (for the busiest "
                    "pattern) would be one the caller cannot know when it reads or changes one "
                    "item by its id, and GetItem and UpdateItem need the full key; the "
                    "patterns of many items read indexes"
                )
                base_need = Need(("id",), (), False, False)
            partition, sort = self.templates(entity, base_need)
            base = Key(entity.name, None, partition, sort, base_need.equal, base_need.order)
            self.add(base)
            self.decisions.append(
                reason(
                    "dynamodb_item_key",
                    (entity_path(self.requirements, entity.name),),
                    f"{entity.name}: PK {partition}, SK {sort}",
                    f"{entity.name} items are keyed by {why}: PK {partition}, SK {sort}.",
                )
            )
            slot = 0
            for facts, need in needs:
                key = self.serving(entity, need)
                if key is None:
                    if slot >= limit:
                        self.decisions.append(
                            reason(
                                "dynamodb_index_limit",
                                (facts.path,),
                                "not served",
                                f"{facts.pattern.name!r} would need a global secondary index "
                                f"beyond the {limit} a table may have: serve it with a Scan "
                                "and a filter, or merge it into another index.",
                            )
                        )
                        self.served.pop(facts.pattern.name, None)
                        continue
                    slot += 1
                    partition, sort = self.templates(entity, need)
                    key = Key(entity.name, slot, partition, sort, need.equal, need.order)
                    self.add(key)
                key.patterns.append(facts.pattern.name)
                self.served[facts.pattern.name] = key
        for entity in self.scope.entities:
            self.hot_partitions(entity)

    def add(self, key: Key) -> None:
        self.keys.append(key)
        self.entity_keys.setdefault(key.entity, []).append(key)

    def keys_of(self, entity: str) -> list[Key]:
        return self.entity_keys.get(entity, [])

    def base_key(self, entity: str) -> Key:
        return next(k for k in self.keys_of(entity) if k.index is None)

    def serving(self, entity: Entity, need: Need) -> Key | None:
        for key in self.keys_of(entity.name):
            if key.equal != need.equal:
                continue
            if key.order[: len(need.order)] == need.order:
                return key
        return None

    def hot_partitions(self, entity: Entity) -> None:
        """Keys whose partition takes few values get a shard suffix when the entity's writes
        exceed what one partition takes."""
        units = self.write_units(entity)
        most = figure("dynamodb", "partition_max_write_units")
        for key in self.keys_of(entity.name):
            few = not key.equal or all(
                bounded_values(implicit_attribute(entity, f)) is not None for f in key.equal
            )
            if not few or units <= most:
                continue
            key.shards = math.ceil(units / most)
            key.partition += f"#<shard 0-{key.shards - 1}>"
            self.decisions.append(
                reason(
                    "dynamodb_write_sharding",
                    tuple(p.path for p in self.scope.patterns_of(entity.name) if p.writes),
                    f"{key.name}: {key.shards} shards",
                    f"{entity.name}'s writes need about {number(units)} write units a second, "
                    f"more than the {number(most)} one partition takes, and the {key.name} "
                    f"partition key {key.partition} takes few values: items get a shard suffix "
                    f"0-{key.shards - 1} (a hash of the id), and a read queries the "
                    f"{key.shards} shards in parallel.",
                )
            )

    def how(self, entity: Entity, facts: PatternFacts) -> dict[str, Any]:
        """How one pattern is served: the call, the key or index, the key condition."""
        pattern = facts.pattern
        entry: dict[str, Any] = {"Name": pattern.name, "Entity": entity.name}
        if pattern.kind in NOT_SERVED:
            entry["Operation"] = "not served"
            entry["Note"] = (
                f"DynamoDB has no {pattern.kind.replace('_', ' ')} queries: serve it from a "
                "component fed by DynamoDB Streams."
            )
            return entry
        base = self.base_key(entity.name)
        key = self.served.get(pattern.name)
        if facts.writes:
            call = WRITE_CALLS[pattern.operation]
            entry["Operation"] = call
            entry["Key"] = {"PK": base.partition, "SK": base.sort}
            if key is not None and key.index is not None:
                entry["Operation"] = f"Query {key.name}, then {call}"
                entry["Index"] = key.name
            return entry
        if key is None:
            entry["Operation"] = "Scan"
            entry["Note"] = "No key serves it: a Scan with a filter expression reads the table."
            return entry
        partition_name, sort_name = key.attributes
        prefix = self.prefixes[entity.name]
        need = self.need(entity, facts)
        unique = key.index is None and self.unique(entity, need) and key.equal == need.equal
        if unique and not key.order:
            entry["Operation"] = "GetItem"
            entry["Key"] = {"PK": key.partition, "SK": key.sort}
            return entry
        entry["Operation"] = "Query"
        if key.index is not None:
            entry["Index"] = key.name
        condition = f"{partition_name} = :pk AND begins_with({sort_name}, :prefix)"
        if need.ranged and need.order:
            condition = f"{partition_name} = :pk AND {sort_name} BETWEEN :from AND :to"
        entry["KeyCondition"] = condition
        entry["Values"] = {":pk": key.partition, ":prefix": f"{prefix}#"}
        if need.ranged and need.order:
            entry["Values"] = {
                ":pk": key.partition,
                ":from": f"{prefix}#<{need.order[0]} from>",
                ":to": f"{prefix}#<{need.order[0]} to>",
            }
        entry["ScanIndexForward"] = not need.descending
        if self.unique(entity, need):
            entry["Limit"] = 1
        if pattern.kind == "join":
            entry["Note"] = "The related items are read by their keys with BatchGetItem."
        if key.shards > 1:
            entry["Note"] = f"One Query per shard (0-{key.shards - 1}), merged."
        return entry


def dynamodb_schema(request: StoreRequest) -> StoreSchema:
    """A single-table DynamoDB design as a `CreateTable` request with access patterns.

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements('''
    ... format: advisor/v1
    ... project: Shop
    ... entities:
    ...   - {name: customer, attributes: [{name: email, type: string, unique: true}]}
    ...   - {name: order, attributes: [{name: total, type: decimal}]}
    ... relationships: [{from: order, to: customer, cardinality: many-to-one, required: true}]
    ... access_patterns:
    ...   - {name: orders of a customer, entity: order, operation: read, kind: range,
    ...      filter: [customer], sort: [-created_at]}
    ... ''')
    >>> import json
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(shop, DEFAULT_MATRIX), "dynamodb")
    >>> table = json.loads(dynamodb_schema(request).text)
    >>> [(i["Entity"], i["PK"], i["SK"]) for i in table["Items"]][1]
    ('order', 'CUSTOMER#<customer_id>', 'ORDER#<created_at>#<id>')
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    designer = _Designer(chosen)
    designer.design()
    decisions = designer.decisions
    table_name = ascii_name(requirements.project, 255)
    if len(table_name) < 3:
        table_name = f"{table_name}_table"
    slots = sorted({k.index for k in designer.keys if k.index is not None})
    definitions = [{"AttributeName": n, "AttributeType": "S"} for n in ("PK", "SK")]
    indexes: list[dict[str, Any]] = []
    for slot in slots:
        partition, sort = f"GSI{slot}PK", f"GSI{slot}SK"
        definitions += [{"AttributeName": n, "AttributeType": "S"} for n in (partition, sort)]
        indexes.append(
            {
                "IndexName": f"GSI{slot}",
                "KeySchema": [
                    {"AttributeName": partition, "KeyType": "HASH"},
                    {"AttributeName": sort, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        )
    if slots:
        decisions.append(
            reason(
                "dynamodb_indexes",
                tuple(
                    p.path
                    for p in chosen.patterns
                    if (k := designer.served.get(p.pattern.name)) is not None and k.index
                ),
                f"{len(slots)} global secondary indexes",
                f"The patterns the table's key does not serve get {len(slots)} overloaded "
                "global secondary indexes (GSIn PK/SK attributes that each entity fills with "
                "its own key pattern; items without them stay out of the index), projecting "
                f"all attributes so that no read goes back to the table; a table may have "
                f"{int(figure('dynamodb', 'max_global_secondary_indexes'))}.",
            )
        )
    # Capacity: reads and writes per second of each key, in capacity units.
    read_bytes = figure("dynamodb", "read_unit_bytes")
    page = figure("dynamodb", "query_page_items")
    reads: dict[str, float] = {}
    writes: dict[str, float] = {}
    sizes = []
    for entity in chosen.entities:
        own = designer.keys_of(entity.name)
        size = designer.item_bytes(entity, 2 * len(own))
        sizes.append(f"{entity.name} {number(size)} bytes")
        units = designer.write_units(entity)
        for key in own:
            writes[key.name] = writes.get(key.name, 0.0) + units
        if size > figure("dynamodb", "item_max_kb") * 1000:
            decisions.append(
                reason(
                    "dynamodb_item_size",
                    (entity_path(requirements, entity.name),),
                    f"{entity.name} over 400 KB",
                    f"A {entity.name} item is about {number(size)} bytes, over DynamoDB's item "
                    "limit: keep the large values in S3 and a reference here.",
                )
            )
        for facts in chosen.patterns_of(entity.name):
            served = designer.served.get(facts.pattern.name)
            if served is None or (facts.writes and served.index is None):
                continue
            need = designer.need(entity, facts)
            # a write found through an index reads the item's key there first
            items = 1.0 if facts.writes or designer.unique(entity, need) else page
            factor = 0.5 if served.index is not None or facts.consistency != "strong" else 1.0
            units = math.ceil(items * size / read_bytes) * factor * served.shards
            reads[served.name] = reads.get(served.name, 0.0) + facts.rate * units
    total = sum(reads.values()) + sum(writes.values())
    threshold = figure("dynamodb", "on_demand_max_capacity_units")
    target = figure("dynamodb", "target_utilization")
    provisioned = total > threshold
    create_table: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": definitions,
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
    }
    if indexes:
        create_table["GlobalSecondaryIndexes"] = indexes
    assumptions = [
        f"item sizes with attribute names and keys: {', '.join(sizes)}",
        f"a read unit covers {number(read_bytes)} bytes (half a unit when eventually "
        "consistent, as index reads are), a write unit "
        f"{number(figure('dynamodb', 'write_unit_bytes'))}",
        f"a range Query reads {number(page)} items",
        "every write also writes each index its item appears in",
    ]
    if provisioned:

        def throughput(name: str) -> dict[str, int]:
            return {
                "ReadCapacityUnits": max(1, math.ceil(reads.get(name, 0.0) / target)),
                "WriteCapacityUnits": max(1, math.ceil(writes.get(name, 0.0) / target)),
            }

        create_table["BillingMode"] = "PROVISIONED"
        create_table["ProvisionedThroughput"] = throughput("table")
        for index in indexes:
            index["ProvisionedThroughput"] = throughput(index["IndexName"])
        assumptions.append(f"capacity is the need over {number(target * 100)}% utilization")
    else:
        create_table["BillingMode"] = "PAY_PER_REQUEST"
    decisions.append(
        reason(
            "dynamodb_billing",
            ("workload.reads_per_second", "workload.writes_per_second", "access_patterns"),
            create_table["BillingMode"],
            f"The patterns need about {number(sum(reads.values()))} read and "
            f"{number(sum(writes.values()))} write units a second ({'; '.join(assumptions)}): "
            + (
                f"above {number(threshold)} units provisioned capacity costs less than on demand, "
                "so the table is PROVISIONED at that need with auto scaling targeting "
                f"{number(target * 100)}%"
                if provisioned
                else f"below {number(threshold)} units, on demand (PAY_PER_REQUEST) costs little "
                "more and needs no capacity planning"
            )
            + ".",
        )
    )
    days = retention_days(chosen)
    expiring = [
        e.name
        for e in chosen.entities
        if (days is not None and is_timed(chosen, e.name))
        or any(is_expiry(a) for a in e.attributes)
    ]
    item_keys = []
    for entity in chosen.entities:
        item: dict[str, Any] = {"Entity": entity.name}
        for key in designer.keys_of(entity.name):
            partition_name, sort_name = key.attributes
            item[partition_name] = key.partition
            item[sort_name] = key.sort
        if entity.name in expiring:
            expiry = next((a.name for a in entity.attributes if is_expiry(a)), None)
            item[TTL_ATTRIBUTE] = (
                f"<{expiry}> as epoch seconds"
                if expiry is not None
                else f"<created_at> + {days} days, as epoch seconds"
            )
        item_keys.append(item)
    if expiring:
        create_table["TimeToLiveSpecification"] = {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
        decisions.append(
            reason(
                "dynamodb_ttl",
                ("workload.retention_days",),
                f"TTL on {TTL_ATTRIBUTE}",
                f"Items of {', '.join(expiring)} carry {TTL_ATTRIBUTE!r}, the epoch second they "
                "expire at (an expires... attribute, or the creation time plus the retention); "
                "DynamoDB deletes them within days of it at no write cost (UpdateTimeToLive).",
            )
        )
    access = []
    for facts in chosen.patterns:
        access.append(designer.how(designer.entities[facts.pattern.entity], facts))
    by_name: dict[str, PatternFacts] = {}
    for p in chosen.patterns:
        by_name.setdefault(p.pattern.name, p)
    for entry in access:
        if entry["Operation"] in ("not served", "Scan"):
            facts = by_name[entry["Name"]]
            decisions.append(
                reason(
                    "dynamodb_not_served",
                    (facts.path,),
                    entry["Operation"],
                    f"{entry['Name']!r}: {entry['Note']}",
                )
            )
    if request.system_of_record:
        for entity in unread_entities(chosen):
            base = designer.base_key(entity.name)
            home = f"the table's items with PK {base.partition}, SK {base.sort}"
            decisions.append(unread_reason("dynamodb", chosen, entity.name, home))
    document = {**create_table, "Items": item_keys, "AccessPatterns": access}
    return StoreSchema(
        store="dynamodb",
        technology=technology,
        filename="dynamodb.json",
        text=indented_json(document) + "\n",
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )

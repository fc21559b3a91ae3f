"""MongoDB (and Amazon DocumentDB): collections with `$jsonSchema` validators, embedding or
referencing per relationship, and the indexes the access patterns need, as a mongosh script.

Rules (sources in `advisor/data/stores.yaml`, explained in docs/stores.md):

- A child (the `from` side of a many-to-one or one-to-one) is **embedded** in its parent when
  the parent owns it (the relationship is required and deletes cascade), both belong to the same
  context, it does not grow without bound (no append pattern writes it), nothing reads it on its
  own (every pattern on it names the parent), nothing else refers to it, and it is not its own
  parent. Otherwise it is **referenced**: the child holds `<role>_id`.
- Many-to-many: an array of references `<role>_ids` on the `from` side, with a multikey index.
- Indexes follow the ESR guideline: equality fields, then sort fields, then range fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.facts import PatternFacts, resolve_reference
from advisor.recommendation import Placement, Reason, ShardKey
from advisor.requirements.model import Attribute, Entity, Relationship, Requirements
from advisor.rules.documents import place_relationships
from advisor.stores.common import (
    SECONDS_PER_DAY,
    TEMPORAL_TYPES,
    Scope,
    StoreRequest,
    StoreSchema,
    digest,
    entity_path,
    implicit_attribute,
    is_expiry,
    is_timed,
    js_string,
    reason,
    retention_days,
    scope,
    text_figure,
    time_attribute,
    unique_names,
    unread_entities,
    unread_reason,
)

BSON_TYPES = {
    "string": "string",
    "text": "string",
    "integer": "int",
    "bigint": "long",
    "decimal": "decimal",
    "float": "double",
    "boolean": "bool",
    "date": "date",
    "datetime": "date",
    "time": "string",
    "uuid": "binData",
    "json": "object",
    "enum": "string",
    "binary": "binData",
    "point": "object",  # a GeoJSON Point: {type: "Point", coordinates: [longitude, latitude]}
    "vector": "array",  # numbers; similarity search needs Atlas Vector Search
}
KEY_TYPES = {"bigint_identity": "objectId", "uuid_v7": "binData"}
RANGE_KINDS = ("range", "aggregate", "time_window")
NUMERIC = ("integer", "bigint", "decimal", "float")
MAX_INDEX_NAME = 120


@dataclass
class _Collection:
    entity: Entity
    name: str
    fields: dict[str, str] = field(default_factory=dict)  # attribute name -> field name
    references: list[tuple[str, Relationship]] = field(default_factory=list)  # field, rel
    arrays: list[tuple[str, Relationship]] = field(default_factory=list)  # many-to-many
    embedded: list[tuple[str, Relationship, _Collection]] = field(default_factory=list)


@dataclass(frozen=True)
class _Index:
    keys: tuple[tuple[str, int | str], ...]
    options: tuple[tuple[str, Any], ...] = ()
    serves: tuple[str, ...] = ()
    why: str = ""


def field_name(name: str) -> str:
    """A MongoDB field name for an attribute: dots (path separators) and a leading `$`
    (operators) are replaced, with a hash suffix so that two names never meet.

    >>> field_name("total"), field_name("a.b"), field_name("$price")
    ('total', 'a_b_2e7336dc', '_price_05e6b689')
    """
    if "." not in name and not name.startswith("$"):
        return name
    plain = name.replace(".", "_")
    plain = "_" + plain[1:] if plain.startswith("$") else plain
    return f"{plain}_{digest(name)}"


def collection_name(name: str) -> str:
    """A collection name: no `$`, not in the `system.` namespace.

    >>> collection_name("order"), collection_name("system.users"), collection_name("a$b")
    ('order', '_system.users', 'a_b_c7979da2')
    """
    plain = name
    if "$" in plain:
        plain = f"{plain.replace('$', '_')}_{digest(name)}"
    if plain.startswith("system."):
        plain = f"_{plain}"
    return plain


def _bson(attribute: Attribute) -> dict[str, Any]:
    schema: dict[str, Any] = {"bsonType": BSON_TYPES[attribute.type]}
    if attribute.type == "enum":
        schema["enum"] = list(attribute.values)
    if attribute.type == "string" and attribute.length is not None:
        schema["maxLength"] = attribute.length
    if attribute.min is not None:
        schema["minimum"] = attribute.min
    if attribute.max is not None:
        schema["maximum"] = attribute.max
    if attribute.format == "email":
        schema["pattern"] = text_figure("mongodb", "email_pattern")
    descriptions = []
    if attribute.format in ("url", "phone"):
        descriptions.append(f"format: {attribute.format}")
    if attribute.type == "time":
        descriptions.append("a time of day, HH:MM:SS")
    if attribute.type == "uuid":
        descriptions.append("a UUID (BinData subtype 4)")
    if attribute.type == "point":
        descriptions.append("a GeoJSON Point, coordinates [longitude, latitude] (WGS84)")
    if attribute.type == "vector":
        schema["maxItems"] = schema["minItems"] = attribute.dimensions
        schema["items"] = {"bsonType": "double"}
    if descriptions:
        schema["description"] = "; ".join(descriptions)
    return schema


class _Builder:
    def __init__(self, scope: Scope, key_strategy: str, search_served: frozenset[str]) -> None:
        self.scope = scope
        self.requirements: Requirements = scope.requirements
        self.key_strategy = key_strategy
        self.search_served = search_served
        self.decisions: list[Reason] = []
        self.names = {e.name for e in scope.entities}
        # Entities sharded by the cell of a place: the field the application writes the cell in.
        self.cell_fields: dict[str, str] = {}

    # Embedding versus referencing: decided by the engine (advisor.rules.documents) ----------

    def placement(self, placements: tuple[Placement, ...]) -> dict[str, Relationship]:
        """Which entity is embedded in which parent, by the relationship that owns it, as the
        design's placements say; each placement becomes one of the schema's reasons."""
        by_path = {
            f"relationships[{index}]": relationship
            for index, relationship in enumerate(self.requirements.relationships)
        }
        embedded: dict[str, Relationship] = {}
        for placement in placements:
            relationship = by_path[placement.relationship]
            if relationship.source not in self.names or relationship.target not in self.names:
                continue
            child, parent = relationship.source, relationship.target
            role = field_name(relationship.role)
            if placement.how == "embed":
                embedded[child] = relationship
                rule, effect = "mongodb_embed", f"{child} embedded in {parent}"
            elif placement.how == "reference":
                rule, effect = "mongodb_reference", f"{child}.{role}_id references {parent}"
            else:
                rule, effect = "mongodb_many_to_many", f"{child}.{role}_ids"
            self.decisions.append(reason(rule, placement.inputs, effect, placement.reason))
        return embedded

    def collection(
        self, entity: Entity, name: str, embedded: dict[str, Relationship], *, root: bool = True
    ) -> _Collection:
        built = _Collection(entity, name)
        key = "_id" if root else "id"
        # The key claims its name first, so that an attribute called `_id` cannot take it.
        names = ["id", *(n for n in entity.attribute_names() if n != "id")]
        attribute_fields = unique_names([key, *(field_name(n) for n in names[1:])])
        claimed = dict(zip(names, attribute_fields, strict=True))
        built.fields = {n: claimed[n] for n in entity.attribute_names()}
        taken = set(attribute_fields)
        for relationship in self.scope.outgoing(entity.name):
            if relationship.target not in self.names or embedded.get(entity.name) is relationship:
                continue
            suffix = "_ids" if relationship.cardinality == "many-to-many" else "_id"
            wanted = field_name(relationship.role) + suffix
            reference = unique_names([*taken, wanted])[-1]
            taken.add(reference)
            target = built.arrays if suffix == "_ids" else built.references
            target.append((reference, relationship))
        for child, relationship in embedded.items():
            if relationship.target != entity.name:
                continue
            child_entity = next(e for e in self.requirements.entities if e.name == child)
            siblings = [r for r in embedded.values() if r.source == child]
            wanted = field_name(child if len(siblings) <= 1 else f"{child}_{relationship.role}")
            name_in_parent = unique_names([*taken, wanted])[-1]
            taken.add(name_in_parent)
            built.embedded.append(
                (
                    name_in_parent,
                    relationship,
                    self.collection(child_entity, child, embedded, root=False),
                )
            )
        return built

    def key_type(self) -> str:
        return KEY_TYPES.get(self.key_strategy, "objectId")

    def document_schema(self, built: _Collection, *, root: bool) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for attribute_name, name in built.fields.items():
            attribute = implicit_attribute(built.entity, attribute_name)
            if attribute_name == "id" and built.entity.attribute("id") is None:
                properties[name] = {"bsonType": self.key_type()}
            else:
                properties[name] = _bson(attribute)
            if attribute.required or attribute_name in ("id", "created_at", "updated_at"):
                required.append(name)
        for name, relationship in built.references:
            properties[name] = {"bsonType": self.key_type()}
            if relationship.required:
                required.append(name)
        for name, _ in built.arrays:
            properties[name] = {"bsonType": "array", "items": {"bsonType": self.key_type()}}
        cell = self.cell_fields.get(built.entity.name) if root else None
        if cell is not None:
            properties[cell] = {
                "bsonType": "string",
                "description": "the H3 cell of the position, the shard key",
            }
            required.append(cell)
        for name, relationship, child in built.embedded:
            child_schema = self.document_schema(child, root=False)
            if relationship.cardinality == "many-to-one":
                properties[name] = {"bsonType": "array", "items": child_schema}
            else:
                properties[name] = child_schema
        schema: dict[str, Any] = {"bsonType": "object"}
        if required:
            schema["required"] = required
        schema["properties"] = properties
        if self.requirements.workload.schema_stability == "stable":
            schema["additionalProperties"] = False
        return schema

    # Indexes ------------------------------------------------------------------------------

    def field_of(self, built: _Collection, name: str) -> tuple[str, str] | None:
        """(field, attribute type or 'reference') for a filter or sort name."""
        resolved = resolve_reference(self.scope.facts, built.entity.name, name)
        if resolved is None:
            return None
        kind, found = resolved
        if kind == "attribute" and found in built.fields:
            attribute = implicit_attribute(built.entity, found)
            return built.fields[found], "reference" if found == "id" else attribute.type
        for reference, relationship in built.references:
            if relationship.role == found:
                return reference, "reference"
        return None

    def pattern_index(self, built: _Collection, facts: PatternFacts) -> _Index | None:
        pattern = facts.pattern
        if pattern.kind in ("full_text", "traversal"):
            return None
        if pattern.kind in ("nearby", "similarity"):
            return self.nearest_index(built, facts)
        equality: list[str] = []
        ranges: list[str] = []
        for name in pattern.filter:
            found = self.field_of(built, name)
            if found is None:
                continue
            field_, kind = found
            if kind in TEMPORAL_TYPES or (kind in NUMERIC and pattern.kind in RANGE_KINDS):
                ranges.append(field_)
            else:
                equality.append(field_)
        sort: list[tuple[str, int]] = []
        for spelled in pattern.sort:
            found = self.field_of(built, spelled.removeprefix("-"))
            if found is not None:
                sort.append((found[0], -1 if spelled.startswith("-") else 1))
        keys: list[tuple[str, int | str]] = [(f, 1) for f in dict.fromkeys(equality)]
        sorted_fields = {f for f, _ in sort}
        keys += [(f, d) for f, d in sort if f not in equality]
        keys += [(f, 1) for f in dict.fromkeys(ranges) if f not in sorted_fields]
        if not keys or keys == [("_id", 1)]:
            return None
        parts = []
        if equality:
            parts.append(f"equality on {', '.join(dict.fromkeys(equality))}")
        if sort:
            parts.append(f"sort on {', '.join(f for f, _ in sort)}")
        rest = [f for f in dict.fromkeys(ranges) if f not in sorted_fields]
        if rest:
            parts.append(f"range on {', '.join(rest)}")
        why = f"{'; '.join(parts)} (equality, sort, range)"
        return _Index(tuple(keys), serves=(pattern.name,), why=why)

    def nearest_index(self, built: _Collection, facts: PatternFacts) -> _Index | None:
        """A nearby pattern gets a 2dsphere index on its point (equality filters after it); a
        similarity pattern gets none here: Atlas Vector Search or the search component."""
        pattern = facts.pattern
        found = [f for n in pattern.filter if (f := self.field_of(built, n)) is not None]
        if pattern.kind == "similarity" or pattern.name in self.search_served:
            where = (
                "the search component"
                if pattern.name in self.search_served
                else "an Atlas Vector Search index ($vectorSearch), which self-managed MongoDB "
                "lacks"
            )
            self.decisions.append(
                reason(
                    "mongodb_served_elsewhere",
                    (facts.path,),
                    "no index",
                    f"{pattern.name!r} is served by {where}, so {built.name} has no index for it.",
                )
            )
            return None
        points = [f for f, kind in found if kind == "point"]
        if not points:
            return None
        others = [f for f, kind in found if kind != "point"]
        keys: tuple[tuple[str, int | str], ...] = ((points[0], "2dsphere"),)
        keys += tuple((f, 1) for f in dict.fromkeys(others))
        why = f"$near / $geoWithin on {points[0]} (GeoJSON, WGS84)"
        if others:
            why += f"; then {', '.join(others)}"
        return _Index(keys, serves=(pattern.name,), why=why)

    def indexes(self, built: _Collection) -> list[_Index]:
        entity = built.entity
        wanted: list[_Index] = []
        for attribute_name, name in built.fields.items():
            attribute = entity.attribute(attribute_name)
            if attribute is None or not attribute.unique or name == "_id":
                continue
            options: list[tuple[str, Any]] = [("unique", True)]
            why = f"{attribute_name} is unique"
            if not attribute.required:
                options.append(("partialFilterExpression", {name: {"$exists": True}}))
                why += "; partial, so that documents without it do not collide as null"
            wanted.append(_Index(((name, 1),), tuple(options), why=why))
        for facts in self.scope.patterns_of(entity.name):
            pattern = facts.pattern
            if pattern.operation == "write" and not pattern.filter:
                continue
            index = self.pattern_index(built, facts)
            if index is not None:
                wanted.append(index)
        text_fields = self.text_fields(built)
        if text_fields:
            keys = tuple((f, "text") for f in text_fields[1])
            wanted.append(_Index(keys, serves=text_fields[0], why="full-text search"))
        for name, relationship in built.references:
            wanted.append(
                _Index(
                    ((name, 1),),
                    why=f"finds the {entity.name} documents of one {relationship.target} (reads, "
                    "and the application's own cascade or restrict on delete)",
                )
            )
        for name, relationship in built.arrays:
            wanted.append(
                _Index(
                    ((name, 1),),
                    why=f"multikey: finds the {entity.name} documents that list a "
                    f"{relationship.target} (the reverse direction)",
                )
            )
        for path, relationship in _embedded_references(built, ""):
            wanted.append(
                _Index(
                    ((path, 1),),
                    why=f"multikey: finds the {entity.name} documents that contain a reference "
                    f"to one {relationship.target}",
                )
            )
        wanted += self.ttl_indexes(built)
        return _merge(wanted)

    def text_fields(self, built: _Collection) -> tuple[tuple[str, ...], list[str]] | None:
        patterns: list[str] = []
        fields: list[str] = []
        for facts in self.scope.patterns_of(built.entity.name):
            pattern = facts.pattern
            if pattern.kind != "full_text":
                continue
            if pattern.name in self.search_served:
                self.decisions.append(
                    reason(
                        "mongodb_text_elsewhere",
                        (facts.path,),
                        "no text index",
                        f"{pattern.name!r} is served by the search component, so {built.name} "
                        "has no text index.",
                    )
                )
                continue
            for name in pattern.filter:
                found = self.field_of(built, name)
                if found is not None and found[1] in ("string", "text"):
                    fields.append(found[0])
            patterns.append(pattern.name)
        fields = list(dict.fromkeys(fields))
        if not fields:
            return None
        return tuple(patterns), fields

    def ttl_indexes(self, built: _Collection) -> list[_Index]:
        entity = built.entity
        result = []
        for attribute in entity.attributes:
            if is_expiry(attribute):
                name = built.fields[attribute.name]
                result.append(
                    _Index(
                        ((name, 1),),
                        (("expireAfterSeconds", 0),),
                        why=f"TTL: a document is deleted once its {attribute.name} has passed",
                    )
                )
                self.decisions.append(
                    reason(
                        "mongodb_ttl_expiry",
                        (entity_path(self.requirements, entity.name),),
                        f"TTL index on {built.name}.{name}",
                        f"{built.name} expires at its {attribute.name}: a TTL index with "
                        "expireAfterSeconds 0 deletes each document then (the TTL monitor runs "
                        "every 60 seconds).",
                    )
                )
        days = retention_days(self.scope)
        if days is None or not is_timed(self.scope, entity.name) or result:
            return result
        time_name = time_attribute(self.scope, entity) or "created_at"
        name = built.fields.get(time_name, time_name)
        seconds = days * SECONDS_PER_DAY
        result.append(
            _Index(
                ((name, 1),),
                (("expireAfterSeconds", seconds),),
                why=f"TTL: retention of {days} days",
            )
        )
        self.decisions.append(
            reason(
                "mongodb_ttl_retention",
                ("workload.retention_days", entity_path(self.requirements, entity.name)),
                f"TTL index on {built.name}.{name}, {seconds} s",
                f"{built.name} is written as a stream or read by time windows and the workload "
                f"keeps data {days} days: a TTL index on {name} deletes documents "
                f"{seconds:,} seconds ({days} days) after it.",
            )
        )
        return result


def _embedded_references(built: _Collection, prefix: str) -> list[tuple[str, Relationship]]:
    """The reference fields inside embedded documents, as dotted paths."""
    found = []
    for name, _, child in built.embedded:
        path = f"{prefix}{name}."
        found += [(f"{path}{field_}", rel) for field_, rel in child.references + child.arrays]
        found += _embedded_references(child, path)
    return found


def _is_prefix(short: _Index, long: _Index) -> bool:
    if short.options or "partialFilterExpression" in dict(long.options):
        return False
    if any(d == "text" for _, d in short.keys + long.keys):
        return False
    if len(short.keys) >= len(long.keys) and short.keys != long.keys:
        return False
    head = long.keys[: len(short.keys)]
    same = [f for f, _ in head] == [f for f, _ in short.keys]
    directions = all(a == b for (_, a), (_, b) in zip(short.keys, head, strict=True))
    flipped = all(a == -b for (_, a), (_, b) in zip(short.keys, head, strict=True))  # type: ignore[operator]
    return same and (len(short.keys) == 1 or directions or flipped)


def _merge(indexes: Sequence[_Index]) -> list[_Index]:
    """Drops duplicate and prefix-covered indexes; what they serve moves to the one kept."""
    merged: list[_Index] = []
    for index in indexes:
        for position, kept in enumerate(merged):
            single = len(kept.keys) == len(index.keys) == 1 and "text" not in (
                kept.keys[0][1],
                index.keys[0][1],
            )
            if kept.keys == index.keys or (single and kept.keys[0][0] == index.keys[0][0]):
                options = dict(kept.options) | dict(index.options)
                merged[position] = _Index(
                    kept.keys,
                    tuple(options.items()),
                    kept.serves + index.serves,
                    "; ".join(dict.fromkeys(w for w in (*kept.why.split("; "), index.why) if w)),
                )
                break
        else:
            merged.append(index)
    changed = True
    while changed:
        changed = False
        for short in merged:
            long = next((o for o in merged if o is not short and _is_prefix(short, o)), None)
            if long is not None and not short.options:
                position = merged.index(long)
                merged[position] = _Index(
                    long.keys, long.options, long.serves + short.serves, long.why
                )
                merged.remove(short)
                changed = True
                break
    return merged


def _index_name(collection: str, index: _Index) -> str:
    spelled = "_".join(f"{f}_{d}" for f, d in index.keys)
    name = f"{collection}_{spelled}"
    if len(name) > MAX_INDEX_NAME:
        name = f"{name[: MAX_INDEX_NAME - 9]}_{digest(name)}"
    return name


def _json(value: Any, *, compact: bool = False) -> str:
    text = json.dumps(value, indent=None if compact else 2, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _comment(text: str) -> str:
    flat = " ".join(text.replace("\u2028", " ").replace("\u2029", " ").split())
    return f"// {flat}"


def _shard_collection(
    builder: _Builder, built: _Collection, name: str, keys: tuple[ShardKey, ...]
) -> list[str]:
    """The sharding the recommendation decided for the collection's entity: a hashed key on
    the chosen field spreads the writes, and equality on it still finds one shard."""
    key = next((key for key in keys if key.entity == built.entity.name), None)
    if key is None:
        return []
    if key.kind == "geo_cell":
        field = builder.cell_fields[key.entity]
    else:
        found = builder.field_of(built, key.key)
        if found is None:
            return []
        field, _ = found
    builder.decisions.append(
        reason(
            "mongodb_shard_key",
            ("scaling.sharding",),
            f"{name} sharded by hashed {field}",
            f"The collection {name!r} is sharded by a hashed {field!r}, the design's shard key: "
            f"{key.reason.rstrip('.')}.",
        )
    )
    return [
        _comment(f"sharded by the design's key ({key.key}); run on a mongos router"),
        "sh.enableSharding(db.getName());",
        f'sh.shardCollection(db.getName() + "." + {js_string(name)}, '
        f"{_json({field: 'hashed'}, compact=True)});",
    ]


def mongodb_schema(request: StoreRequest) -> StoreSchema:
    """The MongoDB schema of `requirements` (or of the entities of `patterns`) as a mongosh script.

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements('''
    ... format: advisor/v1
    ... project: Shop
    ... entities:
    ...   - {name: order}
    ...   - {name: line, attributes: [{name: quantity, type: integer, required: true, min: 1}]}
    ... relationships:
    ...   - {from: line, to: order, cardinality: many-to-one, required: true, on_delete: cascade}
    ... access_patterns:
    ...   - {name: order with lines, entity: order, operation: read, kind: join, filter: [id]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(shop, DEFAULT_MATRIX), "mongodb")
    >>> schema = mongodb_schema(request)
    >>> [decision.effect for decision in schema.decisions][:3]
    ['line embedded in order', 'validationLevel strict', '_id: ObjectId']
    >>> schema.decisions[-1].sentence.split("; ")[0]
    'No access pattern reads line yet'
    >>> 'ensureCollection("order", {' in schema.text, 'ensureCollection("line"' in schema.text
    (True, False)
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    builder = _Builder(chosen, request.key_strategy, request.search_served)
    builder.cell_fields = {
        key.entity: field_name(key.key) for key in request.shard_keys if key.kind == "geo_cell"
    }
    placements = request.placements
    if placements is None:
        placements = place_relationships(request.facts)
    embedded = builder.placement(placements)
    roots = [e for e in chosen.entities if e.name not in embedded]
    names = unique_names(collection_name(e.name) for e in roots)
    for entity, name in zip(roots, names, strict=True):
        if name != entity.name:
            builder.decisions.append(
                reason(
                    "mongodb_collection_name",
                    (entity_path(requirements, entity.name),),
                    f"collection {name}",
                    f"{entity.name!r} is stored in the collection {name!r}: collection names "
                    "cannot contain '$' or start with 'system.'.",
                )
            )
    lines = [
        _comment(f"MongoDB schema for {requirements.project}, from the database design advisor."),
        _comment('Run it with mongosh: mongosh "mongodb://HOST/DATABASE" mongodb.js'),
        _comment("It can run again: existing collections get the new validator (collMod)."),
    ]
    if technology == "documentdb":
        lines.append(
            _comment(
                "Amazon DocumentDB implements a subset of the MongoDB API: check $jsonSchema "
                "validation, partial and text indexes against the DocumentDB version you run."
            )
        )
    evolving = requirements.workload.schema_stability == "evolving"
    level = "moderate" if evolving else "strict"
    builder.decisions.append(
        reason(
            "mongodb_validation",
            ("workload.schema_stability",),
            f"validationLevel {level}",
            (
                "The schema evolves: validators check the declared fields but allow others "
                "(additionalProperties), at level moderate so that documents written before a "
                "change can still be updated."
                if evolving
                else "The schema is stable: validators reject unknown fields "
                "(additionalProperties false) on every insert and update (level strict)."
            ),
        )
    )
    if request.key_strategy == "bigint_identity":
        builder.decisions.append(
            reason(
                "mongodb_keys",
                ("keys.strategy",),
                "_id: ObjectId",
                "_id is an ObjectId made by the driver: MongoDB numbers nothing itself, and an "
                "ObjectId is ordered by creation time like an identity.",
            )
        )
    lines += [
        "",
        "function ensureCollection(name, options) {",
        "  if (db.getCollectionNames().includes(name)) {",
        "    db.runCommand(Object.assign({ collMod: name }, options));",
        "  } else {",
        "    db.createCollection(name, options);",
        "  }",
        "}",
    ]
    for entity, name in zip(roots, names, strict=True):
        built = builder.collection(entity, name, embedded)
        options = {
            "validator": {"$jsonSchema": builder.document_schema(built, root=True)},
            "validationLevel": level,
            "validationAction": "error",
        }
        lines += ["", _comment(f"{entity.name}")]
        for child_name, _, child in built.embedded:
            lines.append(_comment(f"embeds {child.entity.name} as {child_name}"))
        lines.append(f"ensureCollection({js_string(name)}, {_json(options)});")
        lines += _shard_collection(builder, built, name, request.shard_keys)
        for index in builder.indexes(built):
            options_out: dict[str, Any] = {"name": _index_name(name, index)}
            options_out.update(dict(index.options))
            served = f"; serves {', '.join(repr(s) for s in index.serves)}" if index.serves else ""
            lines.append(_comment(f"{index.why}{served}"))
            keys = {f: d for f, d in index.keys}
            lines.append(
                f"db.getCollection({js_string(name)}).createIndex("
                f"{_json(keys, compact=True)}, {_json(options_out, compact=True)});"
            )
    if request.system_of_record:
        collections = dict(zip((e.name for e in roots), names, strict=True))
        for entity in unread_entities(chosen):
            root = entity.name
            while root in embedded:
                root = embedded[root].target
            home = f"the collection {collections[root]}"
            if root != entity.name:
                home = f"its {embedded[entity.name].target} documents ({home})"
            builder.decisions.append(unread_reason("mongodb", chosen, entity.name, home))
    return StoreSchema(
        store="mongodb",
        technology=technology,
        filename="mongodb.js",
        text="\n".join(lines) + "\n",
        decisions=tuple(builder.decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )

"""Elasticsearch and OpenSearch: an index mapping per entity the search store serves, strict
when the schema is stable and dynamic when it evolves, text fields analysed (with a keyword
subfield for sorting and facets) and exact-match fields as keywords, as JSON.

The file holds `indices` (each value the body of `PUT /<index>`) for master data, which is kept
whatever the retention; `index_templates` (bodies of `PUT _index_template/<name>`) for time data
that is appended and read by time, each a data stream whose lifecycle policy (Elasticsearch
ILM, or OpenSearch ISM, under `ilm_policies` / `ism_policies`) is attached to its backing
indices and rolls them over, and deletes them after the retention.
"""

from __future__ import annotations

import json
import re
from typing import Any

from advisor.recommendation import Reason
from advisor.requirements.model import Attribute, Entity
from advisor.stores.common import (
    BYTES_PER_GB,
    TEMPORAL_TYPES,
    Scope,
    StoreRequest,
    StoreSchema,
    ceil_int,
    digest,
    entity_path,
    entity_volume_bytes,
    figure,
    implicit_attribute,
    megabytes,
    reason,
    retention_days,
    scope,
    time_attribute,
    unique_names,
    unread_entities,
    unread_reason,
)
from advisor.typed_json import indented_json

METADATA_FIELDS = frozenset(
    [
        "_id",
        "_index",
        "_source",
        "_routing",
        "_field_names",
        "_ignored",
        "_meta",
        "_tier",
        "_doc_count",
        "_size",
        "_version",
        "_seq_no",
        "_primary_term",
        "_data_stream_timestamp",
    ]
)
MAX_SCALED_FLOAT_SCALE = 6  # scaled_float keeps value * 10^scale in a long
_INDEX_FORBIDDEN = re.compile(r'[\\/*?"<>| ,#:]')
ANALYZER = "folded"


def index_name(name: str) -> str:
    """An index name: lower case, none of `\\ / * ? " < > | space , # :`, not starting with `-`,
    `_` or `+`; a changed name gets a hash suffix.

    >>> index_name("page"), index_name("Log Line"), index_name("_x")
    ('page', 'log_line_1e71081a', 'x_a01e47cb')
    """
    plain = _INDEX_FORBIDDEN.sub("_", name.lower()).lstrip("-_+.") or "index"
    if plain == name and len(plain.encode()) <= 200:
        return plain
    return f"{plain.encode()[:190].decode(errors='ignore')}_{digest(name)}"


def search_field(name: str) -> str:
    """A field name: dots would make objects and metadata names are taken, so both change.

    >>> search_field("title"), search_field("a.b"), search_field("_id")
    ('title', 'a_b', '_id_field')
    """
    if name in METADATA_FIELDS:
        return f"{name}_field"
    return name.replace(".", "_")


def _nearest_mapping(attribute: Attribute, technology: str) -> tuple[dict[str, Any], str] | None:
    """A point as geo_point; a vector as dense_vector (Elasticsearch) or knn_vector
    (OpenSearch), indexed with HNSW for cosine similarity; None for other types."""
    if attribute.type == "point":
        return {"type": "geo_point"}, "a location: geo_distance queries and distance sorting"
    if attribute.type != "vector":
        return None
    if technology == "opensearch":
        method = {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"}
        mapping = {"type": "knn_vector", "dimension": attribute.dimensions, "method": method}
        return mapping, "an embedding: k-NN search with HNSW, cosine similarity"
    mapping = {
        "type": "dense_vector",
        "dims": attribute.dimensions,
        "index": True,
        "similarity": "cosine",
    }
    return mapping, "an embedding: kNN search with HNSW, cosine similarity"


def _mapping(attribute: Attribute, text: bool, key_type: str) -> tuple[dict[str, Any], str]:
    """The field mapping and why."""
    ignore_above = int(figure("elasticsearch", "keyword_ignore_above"))
    kind = attribute.type
    if attribute.name == "id" and kind in ("bigint", "integer", "uuid"):
        return {"type": key_type}, "the key"
    if text or kind == "text":
        mapping: dict[str, Any] = {"type": "text", "analyzer": ANALYZER}
        if kind == "string":
            mapping["fields"] = {"keyword": {"type": "keyword", "ignore_above": ignore_above}}
            return mapping, "searched as text; the keyword subfield sorts and aggregates"
        return mapping, "long text, searched as text"
    if kind in ("string", "enum", "uuid", "time"):
        return {"type": "keyword"}, "matched exactly, sorted and aggregated: keyword"
    if kind == "integer":
        return {"type": "integer"}, "a number"
    if kind == "bigint":
        return {"type": "long"}, "a number"
    if kind == "float":
        return {"type": "double"}, "a number"
    if kind == "decimal":
        if attribute.scale is not None and attribute.scale <= MAX_SCALED_FLOAT_SCALE:
            factor = 10**attribute.scale
            return (
                {"type": "scaled_float", "scaling_factor": factor},
                f"a decimal with {attribute.scale} places: scaled_float keeps it exact",
            )
        return {"type": "double"}, "a decimal without a small scale: double (not exact)"
    if kind == "boolean":
        return {"type": "boolean"}, "a boolean"
    if kind == "date":
        return {"type": "date", "format": "strict_date"}, "a date"
    if kind == "datetime":
        return {"type": "date", "format": "strict_date_optional_time"}, "a time stamp"
    if kind == "json":
        return (
            {"type": "object", "enabled": False},
            "nested data of no declared shape: kept in _source, not indexed (map its keys to "
            "search them)",
        )
    return {"type": "binary"}, "binary, stored only"


def _appended(chosen: Scope, entity: Entity) -> bool:
    """Whether `entity` is time data that is appended, never changed and read by time: a
    log, events, readings. Only such data goes to a data stream, and only it loses its oldest
    documents to a retention; master data is changed in place and kept."""
    own = [p.pattern for p in chosen.facts.patterns_by_entity.get(entity.name, ())]
    appended = entity.append_only or any(p.kind == "append" and p.operation == "write" for p in own)
    if not appended or any(p.operation in ("update", "delete") for p in own):
        return False
    return any(
        p.kind == "time_window"
        or any(
            implicit_attribute(entity, n.removeprefix("-")).type in TEMPORAL_TYPES
            for n in (*p.filter, *p.sort)
            if entity.attribute(n.removeprefix("-")) is not None
            or n.removeprefix("-") in ("created_at", "updated_at")
        )
        for p in own
        if p.operation == "read"
    )


def search_schema(request: StoreRequest) -> StoreSchema:
    """Index mappings for the entities of `patterns` (all entities when None), as JSON.

    >>> from advisor.requirements import read_requirements
    >>> site = read_requirements('''
    ... format: advisor/v1
    ... project: Site
    ... entities: [{name: page, attributes: [{name: title, type: string, length: 300},
    ...                                      {name: section, type: enum, values: [help, blog]}]}]
    ... access_patterns:
    ...   - {name: search, entity: page, operation: read, kind: full_text, filter: [title]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(site, DEFAULT_MATRIX), "elasticsearch")
    >>> body = json.loads(search_schema(request).text)["indices"]["page"]
    >>> body["mappings"]["dynamic"], body["mappings"]["properties"]["section"]
    ('strict', {'type': 'keyword'})
    >>> body["mappings"]["properties"]["title"]["type"]
    'text'
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    decisions: list[Reason] = []
    key_type = "keyword" if request.key_strategy == "uuid_v7" else "long"
    volumes = entity_volume_bytes(chosen)
    indices: dict[str, Any] = {}
    templates: dict[str, Any] = {}
    policies: dict[str, Any] = {}
    # A stable schema is strict (a misspelt field is an error); an evolving one takes new
    # fields as they come (dynamic mapping), so that writes of a new field do not fail.
    stable = requirements.workload.schema_stability == "stable"
    dynamic: str | bool = "strict" if stable else True
    decisions.append(
        reason(
            "search_dynamic_mapping",
            ("workload.schema_stability",),
            f"dynamic: {json.dumps(dynamic)}",
            "The schema is stable: mappings are strict, so a document with an unmapped field "
            "is rejected rather than guessed."
            if stable
            else "The schema is evolving: mappings are dynamic (true), so documents with new "
            "fields are indexed and the new fields mapped as they come, where strict mappings "
            "would reject every write until the mapping is changed; map them explicitly when "
            "they settle.",
        )
    )
    names = unique_names(index_name(e.name) for e in chosen.entities)
    days = retention_days(chosen)
    shard_gb = figure("elasticsearch", "shard_max_gb")
    for entity, name in zip(chosen.entities, names, strict=True):
        text_names = {
            n
            for p in chosen.patterns_of(entity.name)
            if p.pattern.kind == "full_text"
            for n in p.pattern.filter
            if (a := entity.attribute(n)) is not None and a.type in ("string", "text")
        }
        properties: dict[str, Any] = {}
        knn = False
        fields = unique_names(search_field(n) for n in entity.attribute_names())
        properties_names = dict(zip(entity.attribute_names(), fields, strict=True))
        for attribute_name, field in zip(entity.attribute_names(), fields, strict=True):
            attribute = implicit_attribute(entity, attribute_name)
            mapping, why = _nearest_mapping(attribute, technology) or _mapping(
                attribute, attribute_name in text_names, key_type
            )
            properties[field] = mapping
            if attribute.type == "vector" and technology == "opensearch":
                knn = True
            if (
                attribute_name in text_names
                or attribute.type in ("json", "point", "vector")
                or field != attribute_name
            ):
                renamed = f" (field {field!r})" if field != attribute_name else ""
                decisions.append(
                    reason(
                        "search_field",
                        (entity_path(requirements, entity.name),),
                        f"{name}.{field}: {mapping['type']}",
                        f"{entity.name}.{attribute_name}{renamed} is {mapping['type']}: {why}.",
                    )
                )
        for relationship in chosen.outgoing(entity.name):
            suffix = "_ids" if relationship.cardinality == "many-to-many" else "_id"
            field = unique_names([*properties, search_field(relationship.role + suffix)])[-1]
            properties[field] = {"type": key_type}
        volume = volumes.get(entity.name, 0.0)
        shards = ceil_int(volume / (shard_gb * BYTES_PER_GB))
        settings: dict[str, Any] = {
            "number_of_shards": shards,
            "number_of_replicas": 1,
            "analysis": {
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    }
                }
            },
        }
        if knn:
            settings["index.knn"] = True  # OpenSearch k-NN fields need it
        mappings: dict[str, Any] = {"dynamic": dynamic, "properties": properties}
        time_name = time_attribute(chosen, entity)
        if time_name is None or not _appended(chosen, entity):
            indices[name] = {"settings": settings, "mappings": mappings}
            decisions.append(
                reason(
                    "search_shards",
                    ("workload.data_volume_gb", "workload.growth_gb_per_month"),
                    f"{name}: {shards} primary shards",
                    f"{name} holds about {megabytes(volume)} by the end of the planning horizon: "
                    f"{shards} primary shard{'s' if shards != 1 else ''} of at most "
                    f"{shard_gb:g} GB each, and one replica"
                    + (
                        f"; it is master data (changed in place, not appended), so the "
                        f"retention of {days} days deletes none of it"
                        if days is not None
                        else ""
                    )
                    + ".",
                )
            )
            continue
        time_field = properties_names[time_name]
        properties[time_field] = {"type": "alias", "path": "@timestamp"}
        properties["@timestamp"] = {"type": "date", "format": "strict_date_optional_time"}
        settings["number_of_shards"] = 1
        policy_name = f"{name}-lifecycle"
        if technology == "opensearch":
            policies[policy_name] = _policy(technology, days, shard_gb, name)
        else:
            settings["index.lifecycle.name"] = policy_name
            policies[policy_name] = _policy(technology, days, shard_gb, name)
        templates[name] = {
            "index_patterns": [name],
            "data_stream": {},
            "priority": 200,
            "template": {"settings": settings, "mappings": mappings},
        }
        attached = (
            "the policy's ism_template attaches it to the stream's backing indices"
            if technology == "opensearch"
            else "the template's index.lifecycle.name attaches it to every backing index"
        )
        decisions.append(
            reason(
                "search_lifecycle",
                (entity_path(requirements, entity.name), "workload.retention_days"),
                f"{name}: data stream, rollover at {shard_gb:g} GB"
                + (f", delete after {days} days" if days is not None else ""),
                f"{entity.name} is appended and read by time: a data stream {name} (index "
                f"template {name}, documents carry {time_name} as @timestamp, which "
                f"{time_field} stays an alias of) rolls over to a new backing index at "
                f"{shard_gb:g} GB per primary shard or one day"
                + (
                    f" and deletes backing indices {days} days old"
                    if days is not None
                    else ", and keeps them (no retention)"
                )
                + f", by the {'ISM' if technology == 'opensearch' else 'ILM'} policy "
                f"{policy_name}; {attached}.",
            )
        )
    decisions.append(
        reason(
            "search_analyzer",
            ("entities",),
            f"analyzer {ANALYZER}",
            f"Full-text fields use the {ANALYZER!r} analyzer: the standard tokenizer, lower "
            "case and ASCII folding, so that 'Café' finds 'cafe' in any language; add a "
            "language analyzer when the text is known to be in one language.",
        )
    )
    document: dict[str, Any] = {"indices": indices}
    if templates:
        document["index_templates"] = templates
    if policies:
        key = "ism_policies" if technology == "opensearch" else "ilm_policies"
        document[key] = policies
    if request.system_of_record:
        index_of = dict(zip((e.name for e in chosen.entities), names, strict=True))
        decisions += [
            unread_reason("elasticsearch", chosen, e.name, f"the index {index_of[e.name]}, by id")
            for e in unread_entities(chosen)
        ]
    return StoreSchema(
        store="elasticsearch",
        technology=technology,
        filename="elasticsearch.json",
        text=indented_json(document) + "\n",
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def _policy(technology: str, days: int | None, shard_gb: float, stream: str) -> dict[str, Any]:
    """The lifecycle policy of a data stream: roll over daily or at the shard size, and delete
    backing indices `days` old (kept when None)."""
    if technology == "opensearch":
        hot: dict[str, Any] = {
            "name": "hot",
            "actions": [
                {"rollover": {"min_primary_shard_size": f"{shard_gb:g}gb", "min_index_age": "1d"}}
            ],
            "transitions": [],
        }
        states = [hot]
        if days is not None:
            hot["transitions"] = [
                {"state_name": "delete", "conditions": {"min_index_age": f"{days}d"}}
            ]
            states.append({"name": "delete", "actions": [{"delete": {}}], "transitions": []})
        kept = f"delete after {days} days" if days is not None else "keep"
        return {
            "policy": {
                "description": f"roll over daily or at {shard_gb:g} GB, {kept}",
                "default_state": "hot",
                "states": states,
                "ism_template": [{"index_patterns": [stream], "priority": 100}],
            }
        }
    phases: dict[str, Any] = {
        "hot": {
            "actions": {"rollover": {"max_primary_shard_size": f"{shard_gb:g}gb", "max_age": "1d"}}
        }
    }
    if days is not None:
        phases["delete"] = {"min_age": f"{days}d", "actions": {"delete": {}}}
    return {"policy": {"phases": phases}}

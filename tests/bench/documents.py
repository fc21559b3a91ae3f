"""Generated requirements documents of any size, for the benchmarks of the whole design.

A document reads like a real one: entities in eight bounded contexts, typed attributes, a
reference to an earlier entity of the same context (one in five has a second one, anywhere;
one in ten a many-to-many link, which the schema turns into a junction table), and two access
patterns per entity whose kinds include those that send data to other stores (full text, time
windows, traversals, aggregates). The same size always gives the same document: 500 entities
make 549 tables.
"""

from __future__ import annotations

import json
import random
from typing import Any

import yaml

CONTEXTS = 8

_ATTRIBUTES: tuple[dict[str, Any], ...] = (
    {"name": "code", "type": "string", "length": 40, "required": True, "unique": True},
    {"name": "title", "type": "string", "length": 200, "required": True},
    {"name": "notes", "type": "text"},
    {"name": "amount", "type": "decimal", "precision": 12, "scale": 2},
    {"name": "state", "type": "enum", "values": ["new", "active", "closed"], "required": True},
    {"name": "happened_at", "type": "datetime"},
)

# The read of each entity in turn: kind, filter and sort ("{parent}" is its first reference).
_READS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("lookup", ("code",), ()),
    ("range", ("{parent}",), ("-happened_at",)),
    ("join", ("{parent}",), ()),
    ("aggregate", ("state",), ()),
    ("full_text", ("title",), ()),
    ("time_window", ("happened_at",), ("-happened_at",)),
    ("traversal", ("id",), ()),
    ("lookup", ("id",), ()),
)
_WRITES = ("write", "update", "write", "append")


def document(entity_count: int, *, seed: int = 7) -> dict[str, Any]:
    """A requirements document, as `load_document` returns it, with `entity_count` entities."""
    chance = random.Random(seed)
    per_context = max(1, -(-entity_count // CONTEXTS))
    entities: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    patterns: list[dict[str, Any]] = []
    for n in range(entity_count):
        name = f"entity_{n:04d}"
        attributes = [json.loads(json.dumps(attribute)) for attribute in _ATTRIBUTES]
        entities.append(
            {"name": name, "context": f"context_{n // per_context}", "attributes": attributes}
        )
        parent = "id"
        if n > 0:
            parent = "parent"
            target = chance.randrange(max(0, n - n % per_context - 1), n)
            relationships.append(
                {
                    "from": name,
                    "to": f"entity_{target:04d}",
                    "cardinality": "many-to-one",
                    "name": "parent",
                    "required": chance.random() < 0.7,
                }
            )
            if chance.random() < 0.2:
                other = f"entity_{chance.randrange(n):04d}"
                relationships.append(
                    {"from": name, "to": other, "cardinality": "many-to-one", "name": "other"}
                )
            if n % 10 == 0:
                linked = f"entity_{chance.randrange(n):04d}"
                relationships.append(
                    {"from": name, "to": linked, "cardinality": "many-to-many", "name": "link"}
                )
        kind, filters, sort = _READS[n % len(_READS)]
        patterns.append(
            {
                "name": f"read {name}",
                "entity": name,
                "operation": "read",
                "kind": kind,
                "filter": [item.format(parent=parent) for item in filters],
                "sort": list(sort),
                "per_second": 5 + chance.randrange(200),
            }
        )
        write = _WRITES[n % len(_WRITES)]
        patterns.append(
            {
                "name": f"{write} {name}",
                "entity": name,
                "operation": "write" if write == "append" else write,
                "kind": "append" if write == "append" else "lookup",
                "filter": [] if write in ("write", "append") else ["id"],
                "per_second": 1 + chance.randrange(50),
            }
        )
    return {
        "format": "advisor/v1",
        "project": f"Generated, {entity_count} entities",
        # A relational primary, so that every stage of a design has work: SQL in five dialects
        # and a search index beside it.
        "workload": {
            "reads_per_second": 20_000,
            "writes_per_second": 2_000,
            "data_volume_gb": 500,
            "growth_gb_per_month": 40,
            "latency_p99_ms": 20,
        },
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
    }


def json_text(entity_count: int) -> str:
    return json.dumps(document(entity_count), indent=2)


def yaml_text(entity_count: int) -> str:
    return yaml.safe_dump(document(entity_count), sort_keys=False, width=100)

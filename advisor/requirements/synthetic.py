"""Generated requirements documents of any size, for measuring every stage of a design.

A document looks like a real one: entities in a few bounded contexts, typed attributes, a
reference to an earlier entity (some a second one, some many-to-many links), and two access
patterns per entity whose kinds cover what sends data to the other stores (full text, time
windows, traversals, aggregates). The same size always gives the same document.
"""

from __future__ import annotations

import random
from typing import Any

from advisor.requirements.model import FORMAT

CONTEXTS = 8

_ATTRIBUTES = (
    {"name": "code", "type": "string", "length": 40, "required": True, "unique": True},
    {"name": "title", "type": "string", "length": 200, "required": True},
    {"name": "notes", "type": "text"},
    {"name": "amount", "type": "decimal", "precision": 12, "scale": 2},
    {"name": "state", "type": "enum", "values": ["new", "active", "closed"], "required": True},
    {"name": "happened_at", "type": "datetime"},
)

# The read of each entity in turn: its kind, filter and sort (`{parent}` is the role of the
# entity's first reference).
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


def synthetic_document(entity_count: int, *, seed: int = 7) -> dict[str, Any]:
    """A requirements document (as `load_document` returns it) with `entity_count` entities,
    two access patterns each and about 1.3 relationships each.

    >>> from advisor.requirements import parse_requirements
    >>> requirements = parse_requirements(synthetic_document(40))
    >>> len(requirements.entities), len(requirements.access_patterns)
    (40, 80)
    """
    chance = random.Random(seed)
    per_context = max(1, -(-entity_count // CONTEXTS))
    entities = []
    relationships: list[dict[str, Any]] = []
    patterns: list[dict[str, Any]] = []
    for n in range(entity_count):
        name = f"entity_{n:04d}"
        entities.append(
            {
                "name": name,
                "context": f"context_{n // per_context}",
                # copies: a dumper writes an object met twice as an alias, which loading refuses
                "attributes": [
                    {key: list(v) if isinstance(v, list) else v for key, v in a.items()}
                    for a in _ATTRIBUTES
                ],
            }
        )
        parent = "id"
        if n > 0:
            target = chance.randrange(max(0, n - per_context), n)
            parent = "parent"
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
                relationships.append(
                    {
                        "from": name,
                        "to": f"entity_{chance.randrange(n):04d}",
                        "cardinality": "many-to-one",
                        "name": "other",
                    }
                )
            if n % 10 == 0:
                relationships.append(
                    {
                        "from": name,
                        "to": f"entity_{chance.randrange(n):04d}",
                        "cardinality": "many-to-many",
                        "name": "link",
                    }
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
        operation = _WRITES[n % len(_WRITES)]
        patterns.append(
            {
                "name": f"{operation} {name}",
                "entity": name,
                "operation": "write" if operation == "append" else operation,
                "kind": "append" if operation == "append" else "lookup",
                "filter": [] if operation in ("write", "append") else ["id"],
                "per_second": 1 + chance.randrange(50),
            }
        )
    return {
        "format": FORMAT,
        "project": f"Generated, {entity_count} entities",
        "workload": {
            "reads_per_second": 40_000,
            "writes_per_second": 8_000,
            "data_volume_gb": 500,
            "growth_gb_per_month": 40,
            "regions": 2,
            "latency_p99_ms": 20,
        },
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
    }

"""What the Diagram page tells about each table when it is picked: its columns, indexes, the
access patterns it serves and its neighbours, read from the logical schema the design stored."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

from advisor.baseline import MODEL_FILE, MODEL_FORMAT
from advisor.erd import erd_model
from advisor.errors import AdvisorError
from advisor.schema import Schema
from advisor.typed_json import load
from designs import services
from designs.models import Design


def diagram_tables(design: Design, *, nodes: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One entry per table, with `node`, the id its box has in the drawings (`t<position>`, as
    `erd_dot` numbers them: the diagram is drawn from the PostgreSQL schema, the one
    `model.json` holds, so the positions agree). With `nodes`, only the tables of those ids
    and their neighbours (the Diagram page of one context of thousands of tables). Empty for
    a design stored without its logical schema."""
    document = _schema_document(design)
    if document is None:
        return []
    every = document["tables"]
    neighbours = _neighbours(every)
    wanted = range(len(every))
    if nodes is not None:
        drawn = {int(node[1:]) for node in nodes if node[1:].isdigit()} & set(wanted)
        names = {every[p]["name"] for p in drawn} | {n for p in drawn for n in neighbours[p]}
        wanted = range(0) if not drawn else [p for p, t in enumerate(every) if t["name"] in names]
    kept = [every[position] for position in wanted]
    kept_names = {table["name"] for table in kept}
    patterns = [p for p in document.get("patterns", ()) if p.get("table") in kept_names]
    try:
        schema = load(Schema, document | {"tables": kept, "patterns": patterns})
    except (ValueError, KeyError, TypeError, AdvisorError):
        return []
    try:
        requirements = services.requirements_of(design.version)
    except AdvisorError:
        requirements = None  # the tables then come without their bounded context
    erd = erd_model(schema, requirements)
    served: dict[str, list[dict[str, str]]] = {}
    for pattern in schema.patterns:
        served.setdefault(pattern.table, []).append(
            {"pattern": pattern.pattern, "index": pattern.index or "", "reason": pattern.reason}
        )
    return [
        {
            "node": f"t{position}",
            "name": table.name,
            "context": table.context or "",
            "columns": [
                {"name": column.name, "type": column.type, "markers": " ".join(column.markers)}
                for column in table.columns
            ],
            "indexes": [
                {
                    "name": index.name,
                    "columns": list(index.column_names),
                    "unique": index.unique,
                    "serves": list(index.serves),
                }
                for index in source.indexes
            ],
            "patterns": served.get(table.name, []),
            "neighbours": sorted(neighbours[position]),
        }
        for position, table, source in zip(wanted, erd.tables, schema.tables, strict=True)
    ]


def _neighbours(tables: list[dict[str, Any]]) -> list[set[str]]:
    """The tables each table (by position) refers to or is referred to by."""
    by_name: dict[str, set[str]] = {table["name"]: set() for table in tables}
    for table in tables:
        for key in table.get("foreign_keys", ()):
            if key["target"] != table["name"] and key["target"] in by_name:
                by_name[table["name"]].add(key["target"])
                by_name[key["target"]].add(table["name"])
    return [by_name[table["name"]] for table in tables]


def context_counts(tables: list[dict[str, Any]]) -> dict[str, int]:
    """How many tables each bounded context holds."""
    return dict(Counter(table["context"] for table in tables if table["context"]))


def _schema_document(design: Design) -> dict[str, Any] | None:
    """The logical schema the design stored, as JSON (typed per table by `diagram_tables`,
    which reads only the tables it shows)."""
    text = design.files.filter(path=MODEL_FILE).values_list("content", flat=True).first()
    if text is None:
        return None
    try:
        document = json.loads(text)
        if document.get("format") != MODEL_FORMAT:
            return None
        schema: dict[str, Any] = document["schema"]
        return schema if isinstance(schema.get("tables"), list) else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None

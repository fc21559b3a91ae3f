"""What the Diagram page tells about each table when it is picked: its columns, indexes, the
access patterns it serves and its neighbours, read from the logical schema the design stored."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from advisor.baseline import MODEL_FILE, MODEL_FORMAT
from advisor.erd import erd_model
from advisor.errors import AdvisorError
from advisor.schema import Schema
from advisor.typed_json import load
from designs import services
from designs.models import Design


def diagram_tables(design: Design) -> list[dict[str, Any]]:
    """One entry per table, with `node`, the id its box has in the drawings (`t<position>`, as
    `erd_dot` numbers them: the diagram is drawn from the PostgreSQL schema, the one
    `model.json` holds, so the positions agree). Empty for a design stored without its
    logical schema."""
    schema = _schema(design)
    if schema is None:
        return []
    try:
        requirements = services.requirements_of(design.version)
    except AdvisorError:
        requirements = None  # the tables then come without their bounded context
    erd = erd_model(schema, requirements)
    neighbours: dict[str, set[str]] = {table.name: set() for table in erd.tables}
    for link in erd.links:
        if link.child != link.parent:
            neighbours[link.child].add(link.parent)
            neighbours[link.parent].add(link.child)
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
            "patterns": [
                {"pattern": served.pattern, "index": served.index or "", "reason": served.reason}
                for served in schema.patterns
                if served.table == table.name
            ],
            "neighbours": sorted(neighbours[table.name]),
        }
        for position, (table, source) in enumerate(zip(erd.tables, schema.tables, strict=True))
    ]


def context_counts(tables: list[dict[str, Any]]) -> dict[str, int]:
    """How many tables each bounded context holds."""
    return dict(Counter(table["context"] for table in tables if table["context"]))


def _schema(design: Design) -> Schema | None:
    text = design.files.filter(path=MODEL_FILE).values_list("content", flat=True).first()
    if text is None:
        return None
    try:
        document = json.loads(text)
        if document.get("format") != MODEL_FORMAT:
            return None
        return load(Schema, document["schema"])
    except (ValueError, KeyError, TypeError, AdvisorError):
        return None

"""What the Diagram page tells about each table when it is picked: its columns, indexes, the
access patterns it serves and its neighbours, as the design wrote them (`erd/tables.json`), or
read from the logical schema a design made before stored."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

from advisor.baseline import MODEL_FILE, MODEL_FORMAT
from advisor.erd import erd_model
from advisor.erd.tables import TABLES_FILE, TABLES_FORMAT, for_view, table_details
from advisor.errors import AdvisorError
from advisor.schema import Schema
from advisor.typed_json import load
from designs import services
from designs.models import Design


def diagram_tables(design: Design, *, nodes: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One entry per table (see `table_details`). With `nodes`, only the tables of those ids
    and their neighbours (the Diagram page of one context of thousands of tables). Empty for
    a design stored without its logical schema."""
    stored = _stored_details(design)
    return for_view(stored if stored is not None else _details_from_schema(design), nodes)


def _stored_details(design: Design) -> list[dict[str, Any]] | None:
    """The details the design wrote as it was made; None for a design made before they were."""
    text = design.files.filter(path=TABLES_FILE).values_list("content", flat=True).first()
    if text is None:
        return None
    try:
        document = json.loads(text)
        tables = document["tables"] if document.get("format") == TABLES_FORMAT else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return tables if isinstance(tables, list) else None


def _details_from_schema(design: Design) -> list[dict[str, Any]]:
    """The details read back from the logical schema the design stored (`model.json`): the
    PostgreSQL schema, which the diagram is drawn from, so the boxes' ids agree."""
    document = _schema_document(design)
    if document is None:
        return []
    try:
        schema = load(Schema, document)
    except (ValueError, KeyError, TypeError, AdvisorError):
        return []
    try:
        requirements = services.requirements_of(design.version)
    except AdvisorError:
        requirements = None  # the tables then come without their bounded context
    return table_details(schema, erd_model(schema, requirements))


def context_counts(tables: list[dict[str, Any]]) -> dict[str, int]:
    """How many tables each bounded context holds."""
    return dict(Counter(table["context"] for table in tables if table["context"]))


def _schema_document(design: Design) -> dict[str, Any] | None:
    """The logical schema the design stored, as JSON."""
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

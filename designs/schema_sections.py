"""The design page's schema, one section per bounded context: a design of thousands of tables
stays readable when each context folds away."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Above this many tables the DDL starts folded; above the second, the page links to the file
# instead of holding megabytes of highlighted text.
DDL_FOLDED_TABLES = 60
DDL_INLINE_TABLES = 400
# Above this many rows (indexes and access patterns of every context), the page holds the rows
# of one context and fetches another's when it is opened: thousands of rows are megabytes.
SECTIONS_INLINE_ROWS = 1000


@dataclass
class SchemaSection:
    context: str  # "" for the tables of no context
    tables: int = 0
    indexes: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)


def schema_sections(details: dict[str, Any]) -> list[SchemaSection]:
    """The indexes and access patterns of one dialect's details grouped by the context of
    their table, in the order the contexts first appear (designs stored before tables knew
    their context give one section).

    >>> details = {"table_contexts": {"order": "sales", "product": "catalogue", "item": "sales"},
    ...     "indexes": [{"table": "product"}, {"table": "item"}], "patterns": [{"table": "order"}]}
    >>> [(s.context, s.tables, len(s.indexes), len(s.patterns)) for s in schema_sections(details)]
    [('sales', 2, 1, 1), ('catalogue', 1, 1, 0)]
    """
    contexts: dict[str, str] = details.get("table_contexts") or {}
    sections: dict[str, SchemaSection] = {}
    for context in contexts.values():
        sections.setdefault(context, SchemaSection(context)).tables += 1
    if not sections:
        sections[""] = SchemaSection("", tables=details.get("tables", 0))
    for key in ("indexes", "patterns"):
        for item in details.get(key, ()):
            context = contexts.get(item.get("table") or "", "")
            getattr(sections.setdefault(context, SchemaSection(context)), key).append(item)
    return list(sections.values())


def sections_folded(sections: list[SchemaSection]) -> bool:
    """Whether the page holds the rows of one context only."""
    rows = sum(len(section.indexes) + len(section.patterns) for section in sections)
    return len(sections) > 1 and rows > SECTIONS_INLINE_ROWS

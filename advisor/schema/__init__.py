"""The logical schema of a design: tables, columns, keys, constraints and indexes per dialect.

>>> from advisor.requirements import read_requirements
>>> from advisor.schema import build_schema
>>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: user}]\\n")
>>> schema = build_schema(shop, "mysql")
>>> [(column.name, column.type.kind) for column in schema.table("user").columns]
[('id', 'bigint'), ('created_at', 'datetime'), ('updated_at', 'datetime')]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.schema.build import (
        KEY_REASONS,
        KEY_STRATEGIES,
        SchemaParts,
        build_schema,
        schema_for,
    )
    from advisor.schema.dialects import (
        DIALECTS,
        ENGINES,
        SQL_DIALECTS,
        Dialect,
        dialect,
        primary_dialect,
    )
    from advisor.schema.model import (
        Check,
        Column,
        ColumnType,
        EnumType,
        ForeignKey,
        Index,
        IndexColumn,
        Key,
        Partition,
        Partitioning,
        PartitionOutcome,
        PatternIndex,
        RowTtl,
        Schema,
        Table,
    )
    from advisor.schema.names import NameRegistry, needs_quotes, physical_name

# Each name's module, loaded on first use: the engine reads only `advisor.schema.dialects`, and
# a short command such as `recommend` must not pay for building schemas.
_MODULES = {
    "advisor.schema.build": (
        "KEY_REASONS",
        "KEY_STRATEGIES",
        "SchemaParts",
        "build_schema",
        "schema_for",
    ),
    "advisor.schema.dialects": (
        "DIALECTS",
        "ENGINES",
        "SQL_DIALECTS",
        "Dialect",
        "dialect",
        "primary_dialect",
    ),
    "advisor.schema.model": (
        "Check",
        "Column",
        "ColumnType",
        "EnumType",
        "ForeignKey",
        "Index",
        "IndexColumn",
        "Key",
        "Partition",
        "PartitionOutcome",
        "Partitioning",
        "PatternIndex",
        "RowTtl",
        "Schema",
        "Table",
    ),
    "advisor.schema.names": ("NameRegistry", "needs_quotes", "physical_name"),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DIALECTS",
    "ENGINES",
    "KEY_REASONS",
    "KEY_STRATEGIES",
    "SQL_DIALECTS",
    "Check",
    "Column",
    "ColumnType",
    "Dialect",
    "EnumType",
    "ForeignKey",
    "Index",
    "IndexColumn",
    "Key",
    "NameRegistry",
    "Partition",
    "PartitionOutcome",
    "Partitioning",
    "PatternIndex",
    "RowTtl",
    "Schema",
    "SchemaParts",
    "Table",
    "build_schema",
    "dialect",
    "needs_quotes",
    "physical_name",
    "primary_dialect",
    "schema_for",
]

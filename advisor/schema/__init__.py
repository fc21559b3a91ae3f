"""The logical schema of a design: tables, columns, keys, constraints and indexes per dialect.

>>> from advisor.requirements import read_requirements
>>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: user}]\\n")
>>> schema = build_schema(shop, "mysql")
>>> [(column.name, column.type.kind) for column in schema.table("user").columns]
[('id', 'bigint'), ('created_at', 'datetime'), ('updated_at', 'datetime')]
"""

from __future__ import annotations

from advisor.schema.build import KEY_REASONS, KEY_STRATEGIES, build_schema, schema_for
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
    "Table",
    "build_schema",
    "dialect",
    "needs_quotes",
    "physical_name",
    "primary_dialect",
    "schema_for",
]

"""What the Diagram page tells about each table when it is picked: its columns, indexes, the
access patterns it serves and its neighbours. Made once with the design (`erd/tables.json`):
read back from the logical schema on every request, they took more than a second for a
design of 5,000 entities, most of it parsing the whole schema.

>>> from advisor.requirements import read_requirements
>>> from advisor.schema import build_schema
>>> from advisor.erd import erd_model
>>> shop = read_requirements('''
... format: advisor/v1
... project: Shop
... entities: [{name: customer}, {name: order}]
... relationships: [{from: order, to: customer, cardinality: many-to-one}]
... ''')
>>> schema = build_schema(shop, "postgresql")
>>> details = table_details(schema, erd_model(schema, shop))
>>> [(table["node"], table["name"], table["neighbours"]) for table in details]
[('t0', 'customer', ['order']), ('t1', 'order', ['customer'])]
>>> [table["name"] for table in for_view(details, ["t0"])]
['customer', 'order']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from advisor.erd.model import Erd
from advisor.schema import Schema

TABLES_FILE = "erd/tables.json"
TABLES_FORMAT = "advisor/erd-tables/v1"

TableDetails = dict[str, Any]


def table_details(schema: Schema, erd: Erd) -> list[TableDetails]:
    """One entry per table of `schema` (drawn as `erd`), with `node`, the id its box has in the
    drawings (`t<position>`, as `erd_dot` numbers them)."""
    references = (
        (table.name, (key.target for key in table.foreign_keys)) for table in schema.tables
    )
    neighbours = _neighbours(references)
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
        for position, (table, source) in enumerate(zip(erd.tables, schema.tables, strict=True))
    ]


def _neighbours(tables: Iterable[tuple[str, Iterable[str]]]) -> list[set[str]]:
    """The tables each table (name, the tables it refers to), by position, refers to or is
    referred to by."""
    listed = [(name, list(targets)) for name, targets in tables]
    by_name: dict[str, set[str]] = {name: set() for name, _ in listed}
    for name, targets in listed:
        for target in targets:
            if target != name and target in by_name:
                by_name[name].add(target)
                by_name[target].add(name)
    return [by_name[name] for name, _ in listed]


def for_view(details: Sequence[TableDetails], nodes: Collection[str] | None) -> list[TableDetails]:
    """The tables a view drawing the boxes `nodes` shows, with their neighbours (a context's
    tables refer to others'); all of them when `nodes` is None."""
    if nodes is None:
        return list(details)
    drawn = set(nodes)
    names = set()
    for table in details:
        if table["node"] in drawn:
            names.add(table["name"])
            names.update(table["neighbours"])
    return [table for table in details if table["name"] in names]

"""The requirements an imported schema starts a project from: `requirements_from_schema`.

Tables become entities, foreign keys relationships (a junction table, whose key is its two
foreign keys, a many-to-many relationship), indexes access patterns named `index_<name>` so
that a reader sees they were imported, not stated. Workload and team keep their defaults:
the schema does not say them.

>>> from advisor.importing.sql import import_sql
>>> schema = import_sql("CREATE TABLE artist (artist_id INT PRIMARY KEY, name VARCHAR(120));"
...     "CREATE TABLE album (album_id INT PRIMARY KEY, artist_id INT NOT NULL REFERENCES artist);"
...     "CREATE INDEX ix_name ON artist (name);").schema
>>> requirements = requirements_from_schema(schema, project="Music")
>>> [(r.source, r.target, r.cardinality, r.required) for r in requirements.relationships]
[('album', 'artist', 'many-to-one', True)]
>>> [(p.name, p.kind, p.filter) for p in requirements.access_patterns]
[('index_ix_name', 'lookup', ('name',))]
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from advisor.requirements.document import requirements_to_document
from advisor.requirements.fields import MAX_DIMENSIONS, MAX_LENGTH, MAX_PRECISION
from advisor.requirements.model import FORMAT, NAME_MAX_LENGTH, Requirements
from advisor.requirements.parse import parse_requirements
from advisor.schema.model import Column, ForeignKey, Schema, Table

# Columns a junction table may hold beside its two keys and still be only a link.
LINK_COLUMNS = ("last_update", "created_at", "updated_at", "modified_at", "created", "updated")
# Schemas that say nothing about a context: every table of most databases is in one of them.
DEFAULT_SCHEMAS = ("public", "dbo", "main")
TYPES = {"timestamp": "datetime", "coordinate": "float"}
ORDERLESS = {"point": "nearby", "vector": "similarity"}


def requirements_from_schema(schema: Schema, *, project: str = "Imported schema") -> Requirements:
    """Entities, relationships and imported access patterns of `schema`, validated."""
    return parse_requirements(requirements_document(schema, project=project))


def requirements_document(schema: Schema, *, project: str = "Imported schema") -> dict[str, Any]:
    """The requirements document (format advisor/v1) of `schema`, before validation."""
    by_name = {table.name: table for table in schema.tables}
    links = {table.name for table in schema.tables if _is_link(table)}
    contexts = _contexts(schema.tables)
    entities, relationships, patterns = [], [], []
    roles: dict[str, dict[tuple[str, ...], str]] = {}
    taken: set[str] = set()
    for table in schema.tables:
        if table.name in links:
            continue
        roles[table.name] = _roles(table)
    for table in schema.tables:
        if table.name in links:
            first, second = table.foreign_keys[:2]
            relationships.append(
                {"from": first.target, "to": second.target, "cardinality": "many-to-many"}
                | ({"name": table.name} if first.target == second.target else {})
            )
            continue
        entity: dict[str, Any] = {"name": table.name}
        if contexts.get(table.name):
            entity["context"] = contexts[table.name]
        referring = {c for key in table.foreign_keys for c in key.columns}
        entity["attributes"] = [
            _attribute(column, table) for column in table.columns if column.name not in referring
        ]
        unique = _unique_keys(table, roles[table.name])
        if unique:
            entity["unique"] = unique
        entities.append(entity)
        for key in table.foreign_keys:
            if key.target not in by_name or key.target in links:
                continue
            relationships.append(_relationship(table, key, roles[table.name]))
        patterns += _patterns(table, roles[table.name], taken)
    return {
        "format": FORMAT,
        "project": project,
        "description": f"Imported from a {schema.dialect} schema of {len(schema.tables)} tables.",
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
    }


def requirements_yaml(schema: Schema, *, project: str = "Imported schema") -> str:
    """The requirements of `schema` as a YAML document."""
    from advisor.requirements.document import dump_yaml

    return dump_yaml(requirements_to_document(requirements_from_schema(schema, project=project)))


def _is_primary(table: Table, name: str) -> bool:
    return table.primary_key is not None and name in table.primary_key.columns


def _is_link(table: Table) -> bool:
    """Two foreign keys whose columns are the primary key, and nothing else but timestamps."""
    if len(table.foreign_keys) != 2 or table.primary_key is None:
        return False
    keyed = {c for key in table.foreign_keys for c in key.columns}
    others = {c.name for c in table.columns} - keyed
    return set(table.primary_key.columns) == keyed and all(
        name.lower() in LINK_COLUMNS for name in others
    )


def _contexts(tables: tuple[Table, ...]) -> dict[str, str]:
    """A context per table from its schema, unless all share one (or the default one)."""
    schemas = {table.name: table.source.rpartition(".")[0] for table in tables}
    named = {schema for schema in schemas.values() if schema}
    if len(named) <= 1 and not (named - set(DEFAULT_SCHEMAS)):
        return {}
    return {name: _name(schema) for name, schema in schemas.items() if schema}


def _roles(table: Table) -> dict[tuple[str, ...], str]:
    """How each foreign key's columns are called as a relationship: the column without its
    `_id` or `Id` (support_rep_id -> support_rep), or the target's name when that is the same."""
    roles: dict[tuple[str, ...], str] = {}
    for key in table.foreign_keys:
        stem = re.sub(r"(_id|Id|ID|_fk)$", "", "_".join(key.columns)) or key.target
        roles[key.columns] = _name(stem)
    return roles


def _relationship(
    table: Table, key: ForeignKey, roles: dict[tuple[str, ...], str]
) -> dict[str, Any]:
    role = roles[key.columns]
    unique = any(set(u.columns) == set(key.columns) for u in table.uniques) or (
        table.primary_key is not None and set(table.primary_key.columns) == set(key.columns)
    )
    found: dict[str, Any] = {
        "from": table.name,
        "to": key.target,
        "cardinality": "one-to-one" if unique else "many-to-one",
    }
    if role.lower() != key.target.lower():
        found["name"] = role
    if key.required:
        found["required"] = True
    on_delete = key.on_delete
    if not (on_delete == "set_null" and key.required):
        found["on_delete"] = on_delete
    return found


def _attribute(column: Column, table: Table) -> dict[str, Any]:
    kind = column.type
    found: dict[str, Any] = {"name": _name(column.name), "type": TYPES.get(kind.kind, kind.kind)}
    if kind.kind == "string" and kind.length is not None and kind.length <= MAX_LENGTH:
        found["length"] = kind.length
    if kind.kind == "decimal" and kind.precision is not None and kind.precision <= MAX_PRECISION:
        found["precision"] = kind.precision
        if kind.scale is not None and kind.scale <= kind.precision:
            found["scale"] = kind.scale
    if kind.kind == "vector":
        found["dimensions"] = min(kind.dimensions or 1, MAX_DIMENSIONS)
    if kind.kind == "enum":
        values = [v for v in dict.fromkeys(kind.values) if _is_name(v)]
        if values:
            found["values"] = values
        else:
            found["type"] = "string"
    if not column.nullable:
        found["required"] = True
    single = [key.columns for key in table.uniques] + (
        [table.primary_key.columns] if table.primary_key else []
    )
    single += [index.column_names for index in table.indexes if index.unique and not index.where]
    if (column.name,) in single:
        found["unique"] = True
    if column.default is not None and found["type"] not in ("point", "vector"):
        default = column.default
        unlisted = found["type"] == "enum" and default not in found.get("values", ())
        too_long = isinstance(default, str) and len(default) > found.get("length", MAX_LENGTH)
        if not unlisted and not too_long:
            found["default"] = default
    return found


def _unique_keys(table: Table, roles: dict[tuple[str, ...], str]) -> list[list[str]]:
    """Keys of several columns, each column named as an attribute or as the role of the
    foreign key it belongs to; a key that cannot be named so is left out."""
    keys = [key.columns for key in table.uniques]
    keys += [index.column_names for index in table.indexes if index.unique and not index.where]
    if table.primary_key is not None:
        keys.append(table.primary_key.columns)
    referring = {c for key in table.foreign_keys for c in key.columns}
    found: list[list[str]] = []
    for key in keys:
        if len(key) < 2:
            continue
        names: list[str] = []
        for column in key:
            if column in referring:
                role = next(r for cols, r in roles.items() if column in cols)
                names.append(role)
            else:
                names.append(_name(column))
        named = list(dict.fromkeys(names))
        if len(named) > 1 and not any(set(named) == set(other) for other in found):
            found.append(named)
    return found


def _patterns(
    table: Table, roles: dict[tuple[str, ...], str], taken: set[str]
) -> list[dict[str, Any]]:
    """An access pattern per secondary index: what the index shows the application asks."""
    referring = {c: r for cols, r in roles.items() for c in cols}
    patterns = []
    for index in table.indexes:
        names = [referring[c] if c in referring else _name(c) for c in index.column_names]
        names = list(dict.fromkeys(names))
        first = table.column(index.column_names[0])
        kind = ORDERLESS.get(first.type.kind if first else "", "")
        if index.kind == "full_text":
            kind = "full_text"
        elif not kind:
            kind = "lookup" if len(names) == 1 else "range"
        name = _name(f"index_{index.name}")
        if name in taken:  # index names are per table in MySQL and SQLite
            name = _name(f"index_{table.name}_{index.name}")
        taken.add(name)
        pattern: dict[str, Any] = {
            "name": name,
            "entity": table.name,
            "operation": "read",
            "kind": kind,
            "filter": names[:-1] if kind == "range" else names,
        }
        if kind == "range":
            last = names[-1]
            descending = index.columns[-1].descending
            pattern["sort"] = [f"-{last}" if descending else last]
        patterns.append(pattern)
    return patterns


def _is_name(text: str) -> bool:
    return bool(text.strip()) and not any(
        unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text
    )


def _name(text: str) -> str:
    """A name the requirements accept: at most 128 characters, no control characters."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return cleaned.strip()[:NAME_MAX_LENGTH] or "unnamed"

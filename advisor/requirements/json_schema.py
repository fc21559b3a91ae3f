"""The JSON Schema of format `advisor/v1`, generated from the field table.

`python -m advisor schema --write` stores it as `advisor/data/requirements.schema.json`, the file
editors read and `advisor.schemas.requirements_schema()` returns; a test keeps the two equal.

>>> schema = generate_requirements_schema()
>>> schema["$defs"]["workload"]["properties"]["regions"]["maximum"]
50
>>> schema["$defs"]["attribute"]["required"]
['name', 'type']
"""

from __future__ import annotations

import json
from typing import Any

from advisor.requirements.fields import (
    VALUE_KINDS,
    Field,
    Kind,
    default_of,
    fields_of,
)
from advisor.requirements.model import NAME_MAX_LENGTH

SCHEMA_ID = "https://database-design-advisor.example/schemas/requirements-v1.json"

_NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": NAME_MAX_LENGTH,
    "pattern": "^(?=.*\\S)[^\\u0000-\\u001F\\u007F]+$",
    "description": (
        f"A free name: 1 to {NAME_MAX_LENGTH} characters, any Unicode, no control characters."
    ),
}

_JSON_TYPES: dict[Kind, str] = {
    "text": "string",
    "name": "string",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean",
    "list": "array",
    "keys": "array",
    "items": "array",
    "section": "object",
}

# Rules between two fields that the parser checks in its own code; every other rule of the
# schema comes from the table.
_BETWEEN_FIELDS: dict[str, list[dict[str, Any]]] = {
    "relationships[]": [
        {
            "if": {"properties": {"on_delete": {"const": "set_null"}}, "required": ["on_delete"]},
            "then": {"properties": {"required": {"enum": [False, None]}}},
        }
    ],
}


def generate_requirements_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a requirements document, from the field table."""
    definitions: dict[str, Any] = {"name": _NAME}
    for field in _nested():
        definitions[_definition(field)] = _mapping(_inner(field))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Requirements document, format advisor/v1",
        "description": (
            "Data and workload of a project, read by the database design advisor. Reference: "
            "docs/requirements.md. Generated from advisor/requirements/fields.py by "
            "`python -m advisor schema --write`. Rules a schema cannot express (references to "
            "entities and attributes, unique names, scale <= precision, min <= max) are checked "
            "by the advisor itself."
        ),
        **_mapping(""),
        "$defs": definitions,
    }


def requirements_schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(generate_requirements_schema(), indent=2, ensure_ascii=False) + "\n"


def _nested() -> list[Field]:
    """Every field that holds a mapping or a list of mappings, outermost first."""
    found: list[Field] = []
    parents = [""]
    while parents:
        parent = parents.pop(0)
        for field in fields_of(parent):
            if field.kind in ("section", "items"):
                found.append(field)
                parents.append(_inner(field))
    return found


def _inner(field: Field) -> str:
    return field.path + "[]" if field.kind == "items" else field.path


def _definition(field: Field) -> str:
    """`entities` -> `entity`, `access_patterns` -> `access_pattern`, `workload` stays."""
    if field.kind == "section":
        return field.key
    return field.key[:-3] + "y" if field.key.endswith("ies") else field.key.removesuffix("s")


def _mapping(parent: str) -> dict[str, Any]:
    fields = fields_of(parent)
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [field.key for field in fields if field.required]
    if required:
        schema["required"] = required
    schema["properties"] = {field.key: _property(field) for field in fields}
    conditions = [*_conditions(fields), *_BETWEEN_FIELDS.get(parent, [])]
    if conditions:
        schema["allOf"] = conditions
    return schema


def _property(field: Field) -> dict[str, Any]:
    schema = _value(field)
    if field.kind not in ("section", "items"):
        schema["description"] = _description(field)
    return schema


def _value(field: Field) -> dict[str, Any]:
    nullable = not field.required
    if field.kind == "const":
        return {"const": field.choices[0]}
    if field.kind == "choice":
        return {"enum": [*field.choices, None] if nullable else list(field.choices)}
    if field.kind == "name":
        reference = {"$ref": "#/$defs/name"}
        return {"anyOf": [reference, {"type": "null"}]} if nullable else reference
    if field.kind == "section":
        return {"anyOf": [{"$ref": f"#/$defs/{_definition(field)}"}, {"type": "null"}]}
    if field.kind in ("value", "scalar"):
        return {"type": ["string", "number", "boolean", "null"]}
    json_type = _JSON_TYPES[field.kind]
    schema: dict[str, Any] = {"type": [json_type, "null"] if nullable else json_type}
    if field.kind == "text":
        schema.update(_text(field))
    elif field.kind in ("number", "integer"):
        schema.update(_bounds(field))
    elif field.kind == "items":
        schema["items"] = {"$ref": f"#/$defs/{_definition(field)}"}
        if field.max_items is not None:
            schema["maxItems"] = field.max_items
    elif field.kind == "list":
        if field.min_items:
            schema["minItems"] = field.min_items
        if field.unique_items:
            schema["uniqueItems"] = True
        items = {"type": "string", **_text(field)}
        schema["items"] = {"$ref": "#/$defs/name"} if field.items == "name" else items
    elif field.kind == "keys":
        schema["items"] = {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"$ref": "#/$defs/name"},
        }
    return schema


def _text(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if field.min_length:
        schema.update(minLength=field.min_length, pattern="\\S")
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    return schema


def _bounds(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if field.minimum is not None:
        schema["exclusiveMinimum" if field.exclusive_minimum else "minimum"] = field.minimum
    if field.maximum is not None:
        schema["exclusiveMaximum" if field.exclusive_maximum else "maximum"] = field.maximum
    return schema


def _description(field: Field) -> str:
    text = field.help[0].upper() + field.help[1:]
    if field.only is not None:
        text += f"; {field.only} only"
    if field.needs:
        text += f"; needs {field.needs}"
    default = default_of(field)
    if field.absent:
        text += f". Default: {field.absent}"
    elif not field.required and default not in (None, (), "", False):
        text += f". Default {json.dumps(default)}"
    return text.replace("`", "") + "."


def _conditions(fields: tuple[Field, ...]) -> list[dict[str, Any]]:
    """The rules of one field that depend on another field of the same item."""
    conditions: list[dict[str, Any]] = []
    for field in fields:
        only = field.only
        if only is not None:
            conditions.append(
                {
                    "if": _has(only.key, {"not": {"enum": list(only.values)}}),
                    "then": {"properties": {field.key: {"type": "null"}}},
                }
            )
            if field.required_when_it_applies:
                conditions.append(
                    {
                        "if": _has(only.key, {"enum": list(only.values)}),
                        "then": {
                            "required": [field.key],
                            "properties": {field.key: {"type": _JSON_TYPES[field.kind]}},
                        },
                    }
                )
        if field.needs:
            conditions.append(
                {
                    "if": _has(field.key, {"not": {"type": "null"}}),
                    "then": _has(field.needs, {"not": {"type": "null"}}),
                }
            )
    typed = [field for field in fields if field.kind == "value"]
    for typed_by in dict.fromkeys(field.typed_by for field in typed):
        by_kind: dict[Kind, list[str]] = {}
        for type_, kind in VALUE_KINDS.items():
            by_kind.setdefault(kind, []).append(type_)
        for kind, types in by_kind.items():
            if kind == "scalar":  # any scalar: the property's own type says it
                continue
            json_type = _JSON_TYPES[kind]
            conditions.append(
                {
                    "if": _has(typed_by, {"enum": types}),
                    "then": {
                        "properties": {
                            field.key: {"type": [json_type, "null"]}
                            for field in typed
                            if field.typed_by == typed_by
                        }
                    },
                }
            )
    return conditions


def _has(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"properties": {key: schema}, "required": [key]}

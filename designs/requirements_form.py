"""The requirements editor's form: flat field names that are the document's own paths.

Each input is named after where its value sits in an `advisor/v1` document
(`workload.reads_per_second`, `entities[3].attributes[0].type`), so the engine's validator,
which reports problems by that same path, places every message beside its field. Rows added in
the browser get any unused index; `form_to_document` orders rows by index and renumbers them,
and `EditorState.field_path` maps a renumbered path back to the input that holds it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from advisor.errors import Problem
from advisor.requirements.model import (
    ATTRIBUTE_TYPES,
    BUDGET,
    CARDINALITIES,
    CONSISTENCY,
    FORMATS,
    KINDS,
    MANAGED_SERVICE,
    ON_DELETE,
    OPERATIONS,
    SCHEMA_STABILITY,
    TRANSACTIONS,
)

WORKLOAD_NUMBERS = (
    "reads_per_second",
    "writes_per_second",
    "data_volume_gb",
    "growth_gb_per_month",
    "retention_days",
    "regions",
    "availability_percent",
    "latency_p99_ms",
)
WORKLOAD_CHOICES = {
    "consistency": CONSISTENCY,
    "transactions": TRANSACTIONS,
    "schema_stability": SCHEMA_STABILITY,
}
TEAM_CHOICES = {"managed_service": MANAGED_SERVICE, "budget": BUDGET}

ENTITY_TEXT = ("name", "context")
ATTRIBUTE_TEXT = ("name", "length", "precision", "scale", "values", "default", "min", "max")
ATTRIBUTE_NUMBERS = ("length", "precision", "scale", "min", "max")
ATTRIBUTE_FLAGS = ("required", "unique")
RELATIONSHIP_TEXT = ("from", "to", "name")
PATTERN_TEXT = ("name", "entity", "filter", "sort", "per_second", "latency_ms", "depth")
PATTERN_NUMBERS = ("per_second", "latency_ms", "depth")
LISTS = ("values", "filter", "sort", "expertise")

CHOICES: dict[str, tuple[str, ...]] = {
    **WORKLOAD_CHOICES,
    **TEAM_CHOICES,
    "type": ATTRIBUTE_TYPES,
    "format": FORMATS,
    "cardinality": (*CARDINALITIES, "one-to-many"),
    "on_delete": ON_DELETE,
    "operation": OPERATIONS,
    "kind": KINDS,
}

_ROW = re.compile(r"^(entities|relationships|access_patterns)\[(\d+)\]\.(.+)$")
_ATTRIBUTE = re.compile(r"^attributes\[(\d+)\]\.(.+)$")


def split_list(text: str) -> list[str]:
    """Comma-separated names; a name holding a comma is written in double quotes.

    >>> split_list('customer, -created_at, "city, country"')
    ['customer', '-created_at', 'city, country']
    """
    if not text.strip():
        return []
    row = next(csv.reader([text], skipinitialspace=True))
    return [item.strip() for item in row if item.strip()]


def join_list(items: Any) -> str:
    """The inverse of `split_list`.

    >>> join_list(["customer", "city, country"])
    'customer,"city, country"'
    """
    if not isinstance(items, list | tuple):
        return "" if items is None else str(items)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([str(item) for item in items])
    return buffer.getvalue()


def number(text: str) -> int | float | str:
    """A number typed in a field; text that is not one is passed on for the validator to name.

    >>> number("3000"), number("99.9"), number("1e3"), number("lots")
    (3000, 99.9, 1000.0, 'lots')
    """
    cleaned = text.strip().replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return text.strip()


def typed_default(text: str, attribute_type: str) -> Any:
    if attribute_type == "boolean" and text.strip().lower() in {"true", "false"}:
        return text.strip().lower() == "true"
    if attribute_type in {"integer", "bigint", "decimal", "float"}:
        return number(text)
    return text


@dataclass
class EditorState:
    """A document read from the form, with the form's paths for the renumbered rows."""

    document: dict[str, Any]
    renumbered: dict[str, str] = field(default_factory=dict)

    def field_path(self, path: str) -> str:
        """The name of the input that holds `path` of the document.

        >>> EditorState({}, {"entities[0]": "entities[17]"}).field_path("entities[0].name")
        'entities[17].name'
        """
        head = re.match(r"^(\w+\[\d+\])(\.attributes\[\d+\])?", path)
        if not head:
            return path
        prefix = head.group(0)
        if prefix in self.renumbered:
            return self.renumbered[prefix] + path[len(prefix) :]
        row = head.group(1)
        if row in self.renumbered:
            return self.renumbered[row] + path[len(row) :]
        return path


def form_to_document(data: QueryDict | Mapping[str, str]) -> EditorState:
    """Read the editor's fields into a requirements document (not yet validated).

    Empty fields are left out, so defaults apply; rows whose text fields are all empty are
    dropped (an added row nobody filled in).
    """
    get = data.get
    document: dict[str, Any] = {"format": "advisor/v1", "project": get("project", "").strip()}
    if description := get("description", "").strip():
        document["description"] = description

    workload: dict[str, Any] = {}
    for key in WORKLOAD_NUMBERS:
        if text := get(f"workload.{key}", "").strip():
            workload[key] = number(text)
    for key in WORKLOAD_CHOICES:
        if text := get(f"workload.{key}", "").strip():
            workload[key] = text
    if workload:
        document["workload"] = workload

    team: dict[str, Any] = {}
    if expertise := split_list(get("team.expertise", "")):
        team["expertise"] = expertise
    for key in TEAM_CHOICES:
        if text := get(f"team.{key}", "").strip():
            team[key] = text
    if team:
        document["team"] = team

    rows: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    attributes: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for key in data:
        match = _ROW.match(key)
        if not match:
            continue
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        value = get(key, "")
        attribute = _ATTRIBUTE.match(rest) if section == "entities" else None
        if attribute:
            attributes[index][int(attribute.group(1))][attribute.group(2)] = value
        else:
            rows[section].setdefault(index, {})[rest] = value
        if section == "entities":
            rows[section].setdefault(index, {})

    state = EditorState(document)
    entities = []
    for index in sorted(rows["entities"]):
        entity = _entity(rows["entities"][index], attributes[index], index, state, len(entities))
        if entity is not None:
            entities.append(entity)
    readers = {"relationships": _relationship, "access_patterns": _pattern}
    for section, reader in readers.items():
        items = []
        for index in sorted(rows[section]):
            item = reader(rows[section][index])
            if item is not None:
                state.renumbered[f"{section}[{len(items)}]"] = f"{section}[{index}]"
                items.append(item)
        if items:
            document[section] = items
    if entities:
        document["entities"] = entities
    return state


def _blank(row: Mapping[str, str], keys: tuple[str, ...]) -> bool:
    return not any(row.get(key, "").strip() for key in keys)


def _entity(
    row: Mapping[str, str],
    attribute_rows: Mapping[int, Mapping[str, str]],
    index: int,
    state: EditorState,
    position: int,
) -> dict[str, Any] | None:
    attributes = []
    for attribute_index in sorted(attribute_rows):
        attribute = _attribute(attribute_rows[attribute_index])
        if attribute is not None:
            state.renumbered[f"entities[{position}].attributes[{len(attributes)}]"] = (
                f"entities[{index}].attributes[{attribute_index}]"
            )
            attributes.append(attribute)
    if _blank(row, ENTITY_TEXT) and not attributes:
        return None
    state.renumbered[f"entities[{position}]"] = f"entities[{index}]"
    entity: dict[str, Any] = {"name": row.get("name", "").strip()}
    if context := row.get("context", "").strip():
        entity["context"] = context
    if attributes:
        entity["attributes"] = attributes
    return entity


def _attribute(row: Mapping[str, str]) -> dict[str, Any] | None:
    if _blank(row, ATTRIBUTE_TEXT):
        return None
    attribute_type = row.get("type", "").strip() or "string"
    attribute: dict[str, Any] = {"name": row.get("name", "").strip(), "type": attribute_type}
    for key in ATTRIBUTE_NUMBERS:
        if text := row.get(key, "").strip():
            attribute[key] = number(text)
    if values := split_list(row.get("values", "")):
        attribute["values"] = values
    for flag in ATTRIBUTE_FLAGS:
        if row.get(flag):
            attribute[flag] = True
    if (default := row.get("default", "")).strip():
        attribute["default"] = typed_default(default.strip(), attribute_type)
    if text := row.get("format", "").strip():
        attribute["format"] = text
    return attribute


def _relationship(row: Mapping[str, str]) -> dict[str, Any] | None:
    if _blank(row, RELATIONSHIP_TEXT):
        return None
    relationship: dict[str, Any] = {
        "from": row.get("from", "").strip(),
        "to": row.get("to", "").strip(),
        "cardinality": row.get("cardinality", "").strip() or "many-to-one",
    }
    if name := row.get("name", "").strip():
        relationship["name"] = name
    if row.get("required"):
        relationship["required"] = True
    if on_delete := row.get("on_delete", "").strip():
        relationship["on_delete"] = on_delete
    return relationship


def _pattern(row: Mapping[str, str]) -> dict[str, Any] | None:
    if _blank(row, PATTERN_TEXT):
        return None
    pattern: dict[str, Any] = {
        "name": row.get("name", "").strip(),
        "entity": row.get("entity", "").strip(),
        "operation": row.get("operation", "").strip() or "read",
        "kind": row.get("kind", "").strip() or "lookup",
    }
    for key in ("filter", "sort"):
        if items := split_list(row.get(key, "")):
            pattern[key] = items
    for key in PATTERN_NUMBERS:
        if text := row.get(key, "").strip():
            pattern[key] = number(text)
    if consistency := row.get("consistency", "").strip():
        pattern["consistency"] = consistency
    return pattern


def errors_by_field(
    problems: tuple[Problem, ...], state: EditorState | None
) -> dict[str, list[str]]:
    """Problems keyed by the input they belong beside (a list item's problem goes to its list).

    >>> errors_by_field((Problem("access_patterns[0].filter[1]", "no such field"),), None)
    {'access_patterns[0].filter': ['no such field']}
    """
    result: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        path = re.sub(r"\.(values|filter|sort|expertise)\[\d+\]$", r".\1", problem.path)
        if state is not None:
            path = state.field_path(path)
        result[path].append(problem.message)
    return dict(result)

"""The requirements editor's form: flat field names that are the document's own paths.

Each input is named after where its value sits in an `advisor/v1` document
(`workload.reads_per_second`, `entities[3].attributes[0].type`), so the engine's validator,
which reports problems by that same path, places every message beside its field. Rows added in
the browser get any unused index; `form_to_document` orders rows by index and renumbers them,
and `EditorState.field_path` maps a renumbered path back to the input that holds it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict

from advisor.errors import Problem
from advisor.requirements.fields import FIELDS_TABLE, Field, fields_of

# The lists typed as comma-separated names; a problem with one item goes beside the list.
LISTS = tuple(dict.fromkeys(field.key for field in FIELDS_TABLE if field.kind in ("list", "keys")))

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


def split_keys(text: str) -> list[list[str]]:
    """Keys separated by semicolons, each a comma-separated list of names.

    >>> split_keys("post, user; order_number")
    [['post', 'user'], ['order_number']]
    """
    return [names for part in text.split(";") if (names := split_list(part))]


def join_keys(keys: Any) -> str:
    """The inverse of `split_keys`.

    >>> join_keys([["post", "user"], ["order_number"]])
    'post,user; order_number'
    """
    if not isinstance(keys, list | tuple):
        return "" if keys is None else str(keys)
    return "; ".join(join_list(key) for key in keys)


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


@dataclasses.dataclass
class EditorState:
    """A document read from the form, with the form's paths for the renumbered rows."""

    document: dict[str, Any]
    renumbered: dict[str, str] = dataclasses.field(default_factory=dict)

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


# Sections of a document that the editor has no inputs for: carried through the form as JSON in
# a hidden input, so that saving an edit never drops them.
KEPT_SECTIONS = ("lint",)


def _kept(raw: str) -> Any:
    """A kept section as it was; text that is not JSON goes to the parser as it is, which says
    what is wrong with it."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def form_to_document(data: QueryDict | Mapping[str, str]) -> EditorState:
    """Read the editor's fields into a requirements document (not yet validated).

    Empty fields are left out, so defaults apply; rows whose text fields are all empty are
    dropped (an added row nobody filled in).
    """
    document: dict[str, Any] = {"format": "advisor/v1"}
    document.update(_item("", data))
    for name in KEPT_SECTIONS:
        if raw := data.get(f"kept.{name}", ""):
            document[name] = _kept(raw)
    for section in ("workload", "team"):
        row = {field.key: data.get(field.path, "") for field in fields_of(section)}
        if values := _item(section, row):
            document[section] = values

    rows: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    attributes: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for key in data:
        match = _ROW.match(key)
        if not match:
            continue
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        value = data.get(key, "")
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
    for section in ("relationships", "access_patterns"):
        items = []
        for index in sorted(rows[section]):
            item = _row(f"{section}[]", rows[section][index])
            if item is not None:
                state.renumbered[f"{section}[{len(items)}]"] = f"{section}[{index}]"
                items.append(item)
        if items:
            document[section] = items
    if entities:
        document["entities"] = entities
    return state


def _entity(
    row: Mapping[str, str],
    attribute_rows: Mapping[int, Mapping[str, str]],
    index: int,
    state: EditorState,
    position: int,
) -> dict[str, Any] | None:
    attributes = []
    for attribute_index in sorted(attribute_rows):
        attribute = _row("entities[].attributes[]", attribute_rows[attribute_index])
        if attribute is not None:
            state.renumbered[f"entities[{position}].attributes[{len(attributes)}]"] = (
                f"entities[{index}].attributes[{attribute_index}]"
            )
            attributes.append(attribute)
    entity = _row("entities[]", row)
    if entity is None and not attributes:
        return None
    state.renumbered[f"entities[{position}]"] = f"entities[{index}]"
    entity = entity or _item("entities[]", row)
    if attributes:
        entity["attributes"] = attributes
    return entity


def _typed(field: Field) -> bool:
    """Whether a person types the field's value (a select or a checkbox always has one)."""
    return field.kind not in ("choice", "boolean", "section", "items")


def _row(parent: str, row: Mapping[str, str]) -> dict[str, Any] | None:
    """A list item from its row of inputs, or None for a row whose typed inputs are empty."""
    if not any(row.get(field.key, "").strip() for field in fields_of(parent) if _typed(field)):
        return None
    return _item(parent, row)


def _item(parent: str, row: Mapping[str, str]) -> dict[str, Any]:
    """The values of the inputs of the fields at `parent`, as the document writes them."""
    item: dict[str, Any] = {}
    for field in fields_of(parent):
        text = row.get(field.key, "")
        if field.kind in ("const", "section", "items"):
            continue
        if field.kind == "boolean":
            value: Any = True if text else None
        elif field.kind == "list":
            value = split_list(text) or None
        elif field.kind == "keys":
            value = split_keys(text) or None
        elif not text.strip():
            # A required select left empty shows its first choice; a required name left empty
            # goes to the validator, which says so beside the input.
            value = None
            if field.required:
                value = field.choices[0] if field.kind == "choice" else ""
        elif field.kind in ("number", "integer"):
            value = number(text)
        elif field.kind == "value":
            value = typed_default(text.strip(), item.get(field.typed_by, ""))
        else:
            value = text.strip()
        if value is not None:
            item[field.key] = value
    return item


def errors_by_field(
    problems: tuple[Problem, ...], state: EditorState | None
) -> dict[str, list[str]]:
    """Problems keyed by the input they belong beside (a list item's problem goes to its list).

    >>> errors_by_field((Problem("access_patterns[0].filter[1]", "no such field"),), None)
    {'access_patterns[0].filter': ['no such field']}
    """
    result: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        path = re.sub(rf"\.({'|'.join(LISTS)})(\[\d+\])+$", r".\1", problem.path)
        if state is not None:
            path = state.field_path(path)
        result[path].append(problem.message)
    return dict(result)

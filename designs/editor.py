"""What the requirements editor and its recommendation panel show, from a document."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from advisor.errors import InvalidRequirements, Problem
from advisor.requirements import IMPLICIT_ATTRIBUTES, parse_requirements
from advisor.requirements.fields import (
    EDITOR_MAX_ACCESS_PATTERNS,
    EDITOR_MAX_ATTRIBUTES,
    EDITOR_MAX_ENTITIES,
    EDITOR_MAX_RELATIONSHIPS,
    FIELDS,
    FIELDS_TABLE,
    Field,
    default_of,
    fields_of,
)
from designs.models import Project, RequirementsVersion
from designs.panel import Structure, document_figures, on_structure, structure_keep
from designs.requirements_form import KEPT_SECTIONS, EditorState, errors_by_field
from designs.services import recommendation_for

# The inputs of each part of the form, in the document's order, from the field table.
# A rename is stated once, in the version that renames: its input comes last in a row.
FORM_FIELDS: dict[str, tuple[Field, ...]] = {
    name: tuple(
        sorted(
            (f for f in fields_of(parent) if f.kind not in ("const", "section", "items")),
            key=lambda field: field.key == "renamed_from",
        )
    )
    for name, parent in {
        "document": "",
        "workload": "workload",
        "team": "team",
        "entity": "entities[]",
        "attribute": "entities[].attributes[]",
        "relationship": "relationships[]",
        "pattern": "access_patterns[]",
    }.items()
}
# What the workload and team inputs post to the panel when one of them changes (designs/panel.py).
FIGURE_PARAMS = ",".join(
    ["part", "structure", *(field.path for field in FORM_FIELDS["workload"] + FORM_FIELDS["team"])]
)
# What an empty input means, shown in it: the defaults of the workload and the team.
DEFAULTS = {
    field.path: default_of(field)
    for field in FIELDS_TABLE
    if default_of(field) not in (None, (), "", False) and field.kind not in ("section", "items")
}


def editor_context(
    project: Project,
    document: dict[str, Any],
    *,
    base_version: RequirementsVersion | None = None,
    note: str = "",
    problems: tuple[Problem, ...] = (),
) -> dict[str, Any]:
    """Everything the editor template needs to show `document` (and its problems)."""
    entities = [
        {
            "prefix": f"entities[{i}]",
            "data": entity,
            "attributes": [
                {"prefix": f"entities[{i}].attributes[{j}]", "data": attribute}
                for j, attribute in enumerate(_items(entity, "attributes"))
            ],
        }
        for i, entity in enumerate(_items(document, "entities"))
    ]
    errors = errors_by_field(problems, None)
    rows = _row_prefixes(document)
    context = {
        "project": project,
        "doc": document,
        "base_version": base_version,
        "note": note,
        "errors": errors,
        "problem_count": len(problems),
        "unplaced": [
            f"{path}: {message}" if path else message
            for path, messages in errors.items()
            if not _is_placed(path, rows)
            for message in messages
        ],
        "entities": entities,
        "relationships": _rows(document, "relationships"),
        "patterns": _rows(document, "access_patterns"),
        "fields": FORM_FIELDS,
        "figure_params": FIGURE_PARAMS,
        "defaults": DEFAULTS,
        "entity_names": [entity["data"].get("name", "") for entity in entities],
        "field_names": _field_names(document),
        "kept": {
            name: json.dumps(document[name], ensure_ascii=False)
            for name in KEPT_SECTIONS
            if name in document
        },
    }
    name_rows(context)
    return context


def name_rows(context: dict[str, Any]) -> None:
    """Name every row by its place, as the page script does after a row moves: `Entity 2`,
    `Attribute 3` `of entity customer`, `Access pattern 1`."""
    for i, entity in enumerate(context["entities"]):
        entity["head"] = f"Entity {i + 1}"
        for j, attribute in enumerate(entity["attributes"]):
            attribute["head"] = f"Attribute {j + 1}"
            attribute["tail"] = f" of entity {entity['data'].get('name') or i + 1}"
    for key, noun in (("relationships", "Relationship"), ("patterns", "Access pattern")):
        for i, row in enumerate(context[key]):
            row["head"] = f"{noun} {i + 1}"


EDITOR_LIMITS = (
    ("entities", EDITOR_MAX_ENTITIES),
    ("relationships", EDITOR_MAX_RELATIONSHIPS),
    ("access_patterns", EDITOR_MAX_ACCESS_PATTERNS),
)


def beyond_the_editor(document: dict[str, Any]) -> str:
    """Why `document` is too large to edit as a form (empty when it is not): a larger one is
    edited as a file and imported."""
    for key, limit in EDITOR_LIMITS:
        count = len(_items(document, key))
        if count > limit:
            return f"{count:,} {key.replace('_', ' ')} (the editor shows up to {limit:,})"
    attributes = sum(len(_items(entity, "attributes")) for entity in _items(document, "entities"))
    if attributes > EDITOR_MAX_ATTRIBUTES:
        return f"{attributes:,} attributes (the editor shows up to {EDITOR_MAX_ATTRIBUTES:,})"
    return ""


def entities_by_context(document: dict[str, Any]) -> list[tuple[str, int]]:
    """How many entities each bounded context of `document` holds, in the order the contexts
    first appear ("" for the entities of no context).

    >>> entities_by_context({"entities": [{"context": "sales"}, {}, {"context": "sales"}]})
    [('sales', 2), ('', 1)]
    """
    return list(Counter(str(e.get("context") or "") for e in _items(document, "entities")).items())


def applies(field: Field, row: Any) -> bool:
    """Whether the row's input for `field` is shown: the field applies to the row's type or
    kind, or it holds a value (which the validator then names as out of place).

    >>> applies(FIELDS["entities[].attributes[].length"], {"type": "integer"})
    False
    >>> applies(FIELDS["entities[].attributes[].length"], {})  # a new row is a string
    True
    """
    if field.only is None:
        return True
    data = row if isinstance(row, dict) else {}
    value = data.get(field.key)
    if value is not None and value is not False and value not in ("", [], ()):
        return True
    controller = FIELDS[f"{field.parent}.{field.only.key}"]
    current = data.get(field.only.key) or (controller.choices[0] if controller.required else "")
    return current in field.only.values


def control_label(row: dict[str, Any], field: Field) -> str:
    """The name a screen reader gives an input of a row: `Attribute 3 name of entity customer`.

    >>> control_label({"head": "Relationship 2"}, FIELDS["relationships[].on_delete"])
    'Relationship 2 on delete'
    """
    return f"{row.get('head', '')} {short_label(field)}{row.get('tail', '')}"


def short_label(field: Field) -> str:
    """A field's label after its row's name: `Attribute name` -> `name`."""
    short = re.sub(r"^(Attribute|Entity) ", "", field.label)
    return short[0].lower() + short[1:]


# What the live panel asks for before there is anything to design.
NEEDS_AN_ENTITY = (
    "Add your first entity (a thing the application stores, such as a customer or an order) "
    "with its attributes, then the access patterns that read and write it: until then the "
    "recommendation rests on the workload alone."
)


def panel_context(state: EditorState) -> dict[str, Any]:
    """The recommendation for the document as typed, or the problems that prevent one; a valid
    document's structure is kept for the posts of workload figures that follow."""
    try:
        requirements = parse_requirements(state.document)
    except InvalidRequirements as invalid:
        return _problems(invalid, state)
    structure = structure_keep(state, requirements)
    figures = document_figures(state)
    recommendation = structure.recommendations.get(figures)
    if recommendation is None:  # an editor opened again on a version is not advised again
        recommendation = recommendation_for(requirements, field_path=state.field_path)
        structure.recommendations.put(figures, recommendation)
    context: dict[str, Any] = {"recommendation": recommendation, "structure": structure.key}
    if not requirements.entities:
        context["needs"] = NEEDS_AN_ENTITY
    return context


def figures_panel_context(structure: Structure, data: Mapping[str, str]) -> dict[str, Any] | None:
    """The panel for the workload and team figures in `data` on a structure kept, equal to the
    panel of the whole form; None when the whole form is needed."""
    try:
        found = on_structure(structure, data)
    except InvalidRequirements as invalid:
        return _problems(invalid, None) | {"structure": structure.key}
    if found is None:
        return None
    requirements, state = found
    recommendation = recommendation_for(requirements, field_path=state.field_path)
    return {"recommendation": recommendation, "structure": structure.key}


def _problems(invalid: InvalidRequirements, state: EditorState | None) -> dict[str, Any]:
    errors = errors_by_field(invalid.problems, state)
    return {
        "problems": [
            {"field": path, "message": message}
            for path, messages in errors.items()
            for message in messages
        ]
    }


def _items(container: Any, key: str) -> list[Any]:
    items = container.get(key) if isinstance(container, dict) else None
    return (
        [item if isinstance(item, dict) else {} for item in items]
        if isinstance(items, list)
        else []
    )


def _rows(document: dict[str, Any], section: str) -> list[dict[str, Any]]:
    return [
        {"prefix": f"{section}[{i}]", "data": item}
        for i, item in enumerate(_items(document, section))
    ]


def _field_names(document: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for entity in _items(document, "entities"):
        names += [str(attribute.get("name", "")) for attribute in _items(entity, "attributes")]
    for relationship in _items(document, "relationships"):
        names.append(str(relationship.get("name") or relationship.get("to", "")))
    names += IMPLICIT_ATTRIBUTES
    return sorted({name for name in names if name})


def _row_prefixes(document: dict[str, Any]) -> set[str]:
    """Prefixes of every row the editor shows, for telling placed problems from the rest."""
    paths = {"workload", "team"}
    for i, entity in enumerate(_items(document, "entities")):
        paths.add(f"entities[{i}]")
        paths |= {
            f"entities[{i}].attributes[{j}]" for j in range(len(_items(entity, "attributes")))
        }
    for section in ("relationships", "access_patterns"):
        paths |= {f"{section}[{i}]" for i in range(len(_items(document, section)))}
    return paths


SHOWN_AT_TOP_LEVEL = {"project", "description", "entities", "relationships", "access_patterns"}


def _is_placed(path: str, rows: set[str]) -> bool:
    """Whether the editor shows `path`'s problem beside an input of its own."""
    head, _, key = path.rpartition(".")
    return path in SHOWN_AT_TOP_LEVEL or (head in rows and bool(key))

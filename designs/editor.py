"""What the requirements editor and its recommendation panel show, from a document."""

from __future__ import annotations

from typing import Any

from advisor.errors import InvalidRequirements, Problem
from advisor.requirements import parse_requirements
from advisor.requirements.model import (
    ATTRIBUTE_TYPES,
    CARDINALITIES,
    CONSISTENCY,
    FORMATS,
    KINDS,
    ON_DELETE,
    OPERATIONS,
    Workload,
)
from designs.models import Project, RequirementsVersion
from designs.requirements_form import (
    TEAM_CHOICES,
    WORKLOAD_CHOICES,
    EditorState,
    errors_by_field,
)
from designs.services import recommendation_for

WORKLOAD_NUMBERS = (
    ("reads_per_second", "Reads", "per second, peak"),
    ("writes_per_second", "Writes", "per second, peak"),
    ("data_volume_gb", "Data volume", "GB today"),
    ("growth_gb_per_month", "Growth", "GB per month"),
    ("retention_days", "Retention", "days (empty: forever)"),
    ("regions", "Write regions", "regions that accept writes"),
    ("availability_percent", "Availability", "percent"),
    ("latency_p99_ms", "Latency p99", "milliseconds"),
)
LABELS = {
    "consistency": "Consistency",
    "transactions": "Transactions",
    "schema_stability": "Schema",
    "managed_service": "Managed service",
    "budget": "Budget",
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
        "workload_numbers": WORKLOAD_NUMBERS,
        "workload_choices": [(k, LABELS[k], v) for k, v in WORKLOAD_CHOICES.items()],
        "team_choices": [(k, LABELS[k], v) for k, v in TEAM_CHOICES.items()],
        "workload_defaults": _defaults(),
        "attribute_types": ATTRIBUTE_TYPES,
        "formats": FORMATS,
        "cardinalities": (*CARDINALITIES, "one-to-many"),
        "on_delete": ON_DELETE,
        "operations": OPERATIONS,
        "kinds": KINDS,
        "consistencies": CONSISTENCY,
        "entity_names": [entity["data"].get("name", "") for entity in entities],
        "field_names": _field_names(document),
    }
    return context


def panel_context(state: EditorState) -> dict[str, Any]:
    """The recommendation for the document as typed, or the problems that prevent one."""
    try:
        requirements = parse_requirements(state.document)
    except InvalidRequirements as invalid:
        errors = errors_by_field(invalid.problems, state)
        return {
            "problems": [
                {"field": path, "message": message}
                for path, messages in errors.items()
                for message in messages
            ]
        }
    return {"recommendation": recommendation_for(requirements, field_path=state.field_path)}


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


def _defaults() -> dict[str, Any]:
    defaults = Workload()
    return {
        **{key: getattr(defaults, key) for key, _, _ in WORKLOAD_NUMBERS},
        **{key: getattr(defaults, key) for key in WORKLOAD_CHOICES},
    }


def _field_names(document: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for entity in _items(document, "entities"):
        names += [str(attribute.get("name", "")) for attribute in _items(entity, "attributes")]
    for relationship in _items(document, "relationships"):
        names.append(str(relationship.get("name") or relationship.get("to", "")))
    names += ["id", "created_at", "updated_at"]
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

"""Small helpers for the requirements editor's template."""

from __future__ import annotations

import re
from typing import Any

from django import template

from advisor.requirements.fields import Field
from designs import editor
from designs.editor import applies
from designs.requirements_form import join_keys, join_list

register = template.Library()


@register.filter(name="join_list")
def join_list_filter(value: Any) -> str:
    return join_list(value)


@register.filter(name="join_keys")
def join_keys_filter(value: Any) -> str:
    return join_keys(value)


@register.simple_tag
def path(prefix: str, key: str) -> str:
    """The document path, and so the input name, of `key` in the row at `prefix`."""
    return f"{prefix}.{key}" if prefix else key


@register.inclusion_tag("designs/field_errors.html", takes_context=True)
def field_errors(context: template.Context, prefix: str, key: str) -> dict[str, Any]:
    full = f"{prefix}.{key}" if prefix else key
    return {"messages": context.get("errors", {}).get(full, []), "for": full}


@register.filter
def value(row: dict[str, Any] | None, key: str) -> Any:
    """`row[key]` for keys that are not identifiers (`from`) or may be missing."""
    if not isinstance(row, dict):
        return ""
    found = row.get(key)
    return "" if found is None else found


@register.filter
def dom_id(prefix: str) -> str:
    """An id usable as a CSS selector: `entities[2].attributes` -> `entities-2-attributes`."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", prefix).strip("-")


@register.filter
def words(identifier: str) -> str:
    """`time_series` -> `time series`, for showing the engine's identifiers."""
    return str(identifier).replace("_", " ")


@register.filter(name="applies")
def applies_filter(field: Field, row: Any) -> bool:
    return applies(field, row)


@register.filter
def short_label(field: Field) -> str:
    return editor.short_label(field)


@register.simple_tag
def control_label(row: dict[str, Any] | None, field: Field) -> str:
    return editor.control_label(row, field) if row else ""


# Beyond this an option's meaning makes a select wider than its row.
SHORT_HELP = 60


@register.filter
def choice_texts(field: Field) -> list[tuple[str, str]]:
    """Each choice with what it means when that is short: `lookup — one item by key`."""
    meaning = {choice: text.replace("`", "") for choice, text in field.choice_help}
    return [
        (choice, f"{choice} — {meaning[choice]}")
        if len(meaning.get(choice, "")) in range(1, SHORT_HELP + 1)
        else (choice, choice)
        for choice in field.choices
    ]


@register.filter
def unique_keys(entity: Any) -> list[dict[str, Any]]:
    """The entity's unique keys as a person reads them: names, and which of them ignore case."""
    if not isinstance(entity, dict) or not isinstance(entity.get("unique"), list):
        return []
    ignoring_case = {
        attribute.get("name")
        for attribute in entity.get("attributes") or []
        if isinstance(attribute, dict) and attribute.get("case_insensitive")
    }
    return [
        {"names": key, "ignoring_case": [name for name in key if name in ignoring_case]}
        for key in entity["unique"]
        if isinstance(key, list)
    ]

"""Small helpers for the requirements editor's template."""

from __future__ import annotations

import re
from typing import Any

from django import template

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

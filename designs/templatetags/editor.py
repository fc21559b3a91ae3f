"""Small helpers for the requirements editor's template."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from advisor.requirements.fields import Field
from designs import field_html, panel_html

register = template.Library()


@register.simple_tag(takes_context=True)
def field_inputs(
    context: template.Context,
    fields: Iterable[Field],
    prefix: str,
    data: Any,
    row: dict[str, Any] | None = None,
    compact: bool = False,
) -> SafeString:
    """The inputs of `fields` for the mapping `data` at `prefix`, in the row `row`."""
    html = field_html.field_inputs(
        fields,
        prefix=prefix,
        data=data,
        row=row or None,
        compact=compact,
        errors=context.get("errors") or {},
        defaults=context.get("defaults") or {},
    )
    return mark_safe(html)  # field_html escapes what it writes


@register.simple_tag
def row_tools(row: dict[str, Any], noun: str) -> SafeString:
    return mark_safe(field_html.row_tools(row, noun))


@register.simple_tag(takes_context=True)
def field_errors(context: template.Context, prefix: str, key: str) -> SafeString:
    full = f"{prefix}.{key}" if prefix else key
    messages = (context.get("errors") or {}).get(full)
    return mark_safe(field_html.field_errors(messages, full))


@register.filter
def dom_id(prefix: str) -> str:
    """An id usable as a CSS selector: `entities[2].attributes` -> `entities-2-attributes`."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", prefix).strip("-")


@register.filter
def words(identifier: str) -> str:
    """`time_series` -> `time series`, for showing the engine's identifiers."""
    return str(identifier).replace("_", " ")


@register.simple_tag
def panel_alternatives(alternatives: Iterable[dict[str, Any]]) -> SafeString:
    return mark_safe(panel_html.alternatives_html(alternatives))  # panel_html escapes


@register.simple_tag
def panel_reasons(trace: Iterable[dict[str, Any]], inputs_url: str) -> SafeString:
    return mark_safe(panel_html.reasons_html(trace, inputs_url))  # panel_html escapes

"""The requirements editor's inputs as HTML, written in Python.

A page of 200 entities holds about 25,000 inputs; rendered by including a template for each,
the page took seconds. These functions write the same HTML, byte for byte, as that template did
(tests/designs/test_field_html.py keeps it as the reference). Text is escaped as Django's
templates escape it (`html.escape`, quotes included) and numbers are shown as the templates
show them (`localize`); the template tags in designs/templatetags/editor.py mark it safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from django.utils.formats import localize

from advisor.requirements.fields import Field
from designs.editor import applies, short_label
from designs.requirements_form import join_keys, join_list

# Beyond this an option's meaning makes a select wider than its row.
SHORT_HELP = 60


def shown(value: Any) -> str:
    """`value` as `{{ value }}` shows it, escaped."""
    if type(value) is not str:
        value = str(localize(value))
    return escape(value)


def choice_texts(field: Field) -> list[tuple[str, str]]:
    """Each choice with what it means when that is short: `lookup — one item by key`."""
    meaning = {choice: text.replace("`", "") for choice, text in field.choice_help}
    return [
        (choice, f"{choice} — {meaning[choice]}")
        if len(meaning.get(choice, "")) in range(1, SHORT_HELP + 1)
        else (choice, choice)
        for choice in field.choices
    ]


class _Static:
    """What the HTML of a field's input owes to the field alone, escaped, worked out once."""

    def __init__(self, field: Field) -> None:
        key = escape(field.key)
        self.key = key
        self.kind = field.kind
        wide = field.kind in ("list", "keys")
        self.classes = f"field key-{key}" + (
            " check" if field.kind == "boolean" else " wide" if wide else ""
        )
        self.only = ""
        if field.only:
            values = " ".join(escape(value) for value in field.only.values)
            self.only = f'" data-only="{escape(field.only.key)}" data-only-values="{values}'
        hint = f' <span class="muted">({escape(field.hint)})</span>' if field.hint else ""
        self.label = escape(field.label) + hint
        self.compact_label = escape(field.label)
        self.short = short_label(field)
        self.data_short = f'" data-short="{escape(self.short)}'
        self.options = tuple(
            (choice, f'<option value="{escape(choice)}">{escape(text)}</option>')
            for choice, text in choice_texts(field)
        )
        self.step = ' step="any"' if field.kind == "number" else ""
        self.minimum = f' min="{shown(field.minimum)}"' if field.minimum is not None else ""
        self.list = {"entities": ' list="entity-names"', "fields": ' list="field-names"'}.get(
            field.suggest, ""
        )
        self.max_length = f' maxlength="{shown(field.max_length)}"' if field.max_length else ""
        self.unit = f'<span class="help">{escape(field.unit)}</span>' if field.unit else ""


_STATIC: dict[str, _Static] = {}


def field_input(
    field: Field,
    *,
    prefix: str,
    data: Any,
    row: Mapping[str, Any] | None = None,
    compact: bool = False,
    errors: Mapping[str, list[str]],
    defaults: Mapping[str, Any],
) -> str:
    """One input of the editor with its label, unit and errors: `data` is the mapping the
    input's value is read from, `row` the row it belongs to (none for the project, workload
    and team), `compact` drops the hints of the labels of a row."""
    static = _STATIC.get(field.path) or _STATIC.setdefault(field.path, _Static(field))
    name = f"{prefix}.{field.key}" if prefix else field.key
    id_ = f"{escape(prefix)}.{static.key}" if prefix else static.key
    current = data.get(field.key) if isinstance(data, dict) else None
    if current is None:
        current = ""
    default = defaults.get(field.path)
    if default is None:
        default = ""
    messages = errors.get(name)
    kind = static.kind

    div = static.classes + " invalid" if messages else static.classes
    if static.only:
        div += static.only + ('" data-applies="' + ("yes" if applies(field, data) else "no"))
    label = f'<label for="f-{id_}">{static.compact_label if compact else static.label}</label>\n  '
    aria = ""
    if row:
        control = escape(f"{row.get('head', '')} {static.short}{row.get('tail', '')}")
        aria = f' aria-label="{control}{static.data_short}"'
    if messages:
        aria += f' aria-invalid="true" aria-describedby="err-{id_}"'

    if kind == "choice":
        options = []
        if not field.required:
            empty = f"default ({shown(default)})" if default != "" else "—"
            options.append(f'<option value="">{empty}</option>')
        for choice, option in static.options:
            options.append(option.replace('">', '" selected>', 1) if current == choice else option)
        control = f'{label}<select name="{id_}" id="f-{id_}"{aria}>{"".join(options)}</select>\n  '
    elif kind == "boolean":
        checked = " checked" if current else ""
        if messages:  # a checkbox names no error
            aria = aria.partition(" aria-invalid")[0]
        control = (
            f'<input type="checkbox" name="{id_}" id="f-{id_}" value="1"{aria}{checked}>\n  {label}'
        )
    else:
        placeholder = escape(str(field.placeholder or default or field.absent).replace("`", ""))
        if kind in ("number", "integer"):
            control = (
                f'{label}<input type="number" name="{id_}" id="f-{id_}" value="{shown(current)}"'
                f'{static.step}{static.minimum} placeholder="{placeholder}"{aria}>\n  '
            )
        else:
            if kind == "list":
                text = escape(join_list(current))
            elif kind == "keys":
                text = escape(join_keys(current))
                aria += " data-keys"
            else:
                text = shown(current)
            control = (
                f'{label}<input type="text" name="{id_}" id="f-{id_}" value="{text}"{static.list}'
                f'{static.max_length} placeholder="{placeholder}"{aria}>\n  '
            )
    keys = unique_keys(data) if kind == "keys" else ""
    return (
        f'<div class="{div}">\n  {control}{static.unit}\n  {keys}\n  '
        f"{field_errors(messages, name)}</div>\n"
    )


def field_inputs(
    fields: Iterable[Field],
    *,
    prefix: str,
    data: Any,
    row: Mapping[str, Any] | None = None,
    compact: bool = False,
    errors: Mapping[str, list[str]],
    defaults: Mapping[str, Any],
) -> str:
    """The inputs of `fields`, one after the other."""
    return "".join(
        [
            field_input(
                field,
                prefix=prefix,
                data=data,
                row=row,
                compact=compact,
                errors=errors,
                defaults=defaults,
            )
            for field in fields
        ]
    )


def field_errors(messages: list[str] | None, name: str) -> str:
    """The messages about the input `name`, which the input names in `aria-describedby`."""
    if not messages:
        return "\n"
    items = "".join(f"<li>{shown(message)}</li>" for message in messages)
    return f'<ul class="errors" role="alert" id="err-{escape(name)}">{items}</ul>\n'


def row_tools(row: Mapping[str, Any], noun: str) -> str:
    """The buttons that move a row up and down and remove it, named after the row."""
    named = escape(f"{str(row.get('head', '')).lower()}{row.get('tail', '')}")
    what = " entity" if noun == "entity" else ""
    return (
        '<div class="row-tools">\n'
        f'  <button type="button" class="link move" data-move="-1" aria-label="Move {named} up">'
        "↑</button>\n"
        f'  <button type="button" class="link move" data-move="1" aria-label="Move {named} down">'
        "↓</button>\n"
        f'  <button type="submit" name="remove" value="{escape(str(row.get("prefix", "")))}"'
        f' class="link remove" aria-label="Remove {named}" data-remove-row>Remove{what}</button>\n'
        "</div>\n"
    )


def unique_keys(entity: Any) -> str:
    """The entity's unique keys as a person reads them: names, and which of them ignore case."""
    keys = _unique_keys(entity)
    if not keys:
        return (
            '<p class="help keys-summary" data-keys-summary>A key of several names: '
            "<code>post, user</code>; several keys: <code>post, user; slug</code>.</p>\n"
        )
    spans = []
    for names, ignoring_case in keys:
        span = " + ".join(shown(name) for name in names)
        if len(names) > 1:
            span += ' <span class="muted">(together)</span>'
        if ignoring_case:
            ignored = ", ".join(shown(name) for name in ignoring_case)
            span += f' <span class="muted">(ignoring case of {ignored})</span>'
        spans.append(f'<span class="key">{span}</span>')
    return (
        '<p class="help keys-summary" data-keys-summary>No two share:\n  '
        + "".join(spans)
        + "\n</p>\n"
    )


def _unique_keys(entity: Any) -> list[tuple[list[Any], list[Any]]]:
    if not isinstance(entity, dict) or not isinstance(entity.get("unique"), list):
        return []
    ignoring_case = {
        attribute.get("name")
        for attribute in entity.get("attributes") or []
        if isinstance(attribute, dict) and attribute.get("case_insensitive")
    }
    return [
        (key, [name for name in key if name in ignoring_case])
        for key in entity["unique"]
        if isinstance(key, list)
    ]

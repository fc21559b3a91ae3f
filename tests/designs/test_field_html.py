"""The editor's inputs written in Python (designs/field_html.py) are the HTML the templates
wrote before: the old templates and their tags are kept here as the reference, and every input
of the form is rendered both ways, with values of each kind, errors, defaults, hints, units,
fields that apply to some types only, and the compact labels of rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import template
from django.template import Context, Engine

from advisor.requirements.fields import Field
from designs import editor, field_html
from designs.editor import DEFAULTS, FORM_FIELDS
from designs.requirements_form import join_keys, join_list

# The tags and filters those templates loaded as `editor`.
register = template.Library()
register.filter("join_list", join_list)
register.filter("join_keys", join_keys)
register.filter("applies", editor.applies)
register.filter("short_label", editor.short_label)
register.filter("choice_texts", field_html.choice_texts)


@register.simple_tag
def path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


@register.inclusion_tag("designs/field_errors.html", takes_context=True)
def field_errors(context: template.Context, prefix: str, key: str) -> dict[str, Any]:
    full = f"{prefix}.{key}" if prefix else key
    return {"messages": context.get("errors", {}).get(full, []), "for": full}


@register.filter
def value(row: dict[str, Any] | None, key: str) -> Any:
    if not isinstance(row, dict):
        return ""
    found = row.get(key)
    return "" if found is None else found


@register.simple_tag
def control_label(row: dict[str, Any] | None, field: Field) -> str:
    return editor.control_label(row, field) if row else ""


@register.filter
def unique_keys(entity: Any) -> list[dict[str, Any]]:
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


# The templates as they were, byte for byte, under editor_reference/.
ENGINE = Engine(dirs=[Path(__file__).parent / "editor_reference"], libraries={"editor": __name__})

TRICKY = "a \"quoted\" <b>name</b> & 'more'"
# Values of each kind as a document holds them, and as a refused form posts them back.
VALUES: dict[str, list[Any]] = {
    "choice": ["", "nope", TRICKY],  # and each choice, below
    "boolean": [True, False, "", "1"],
    "number": [0, 5, 2.5, 1e15, 1e-7, "12abc", TRICKY, [1]],
    "integer": [0, 7, 1_000_000, "1.5", TRICKY],
    "name": ["customer", TRICKY, 3],
    "text": ["some text", TRICKY, ""],
    "value": ["x", 3, 2.5, True, TRICKY],
    "list": [["a", "b, c"], [TRICKY, 1], "raw text", []],
    "keys": [[["post", "user"], ["slug"]], [[TRICKY]], [["a"], "b"], "raw", []],
}
ROWS: list[dict[str, Any] | None] = [
    None,
    {"prefix": "entities[0]", "head": "Entity 1"},
    {"prefix": "entities[2].attributes[3]", "head": "Attribute 4", "tail": f" of entity {TRICKY}"},
]
FIELDS = [(name, field) for name, fields in FORM_FIELDS.items() for field in fields]


def cases(field: Field) -> list[dict[str, Any]]:
    """Rows holding each value of the field's kind, and rows that make it apply or not."""
    values = VALUES[field.kind] + list(field.choices)
    rows: list[Any] = [{}, None, "not a mapping"] + [{field.key: value} for value in values]
    if field.only:
        rows += [{field.only.key: choice} for choice in (*field.only.values, "other")]
    if field.kind == "keys":
        attributes = [{"name": "user", "case_insensitive": True}, {"name": "post"}, "odd"]
        rows.append({"unique": [["post", "user"], ["user"]], "attributes": attributes})
    return rows


def both(**context: Any) -> tuple[str, str]:
    """The input as the old template wrote it and as field_html writes it."""
    reference = ENGINE.get_template("designs/field_input.html").render(Context(context))
    written = field_html.field_input(
        context["field"],
        prefix=context["prefix"],
        data=context["data"],
        row=context.get("row"),
        compact=context.get("compact", False),
        errors=context["errors"],
        defaults=context["defaults"],
    )
    return reference, written


@pytest.mark.parametrize(("part", "field"), FIELDS, ids=[field.path for _, field in FIELDS])
def test_every_input_is_written_as_the_template_wrote_it(part: str, field: Field) -> None:
    prefix = {"document": "", "workload": "workload", "team": "team"}.get(part, "rows[1]")
    name = f"{prefix}.{field.key}" if prefix else field.key
    mistakes = {name: ["Must be positive.", TRICKY]}
    # Each way a row, its labels, its errors and its defaults can be, with every value.
    settings = [
        (None, False, {}, DEFAULTS),
        (ROWS[1], False, mistakes, {field.path: TRICKY}),
        (ROWS[2], True, {}, {field.path: 2.5}),
        (ROWS[2], True, mistakes, DEFAULTS),
        (None, True, {"other": ["x"]}, {}),
        (ROWS[1], False, {}, {}),
    ]
    for data in cases(field):
        for row, compact, errors, defaults in settings:
            context = {"field": field, "prefix": prefix, "data": data}
            context |= {"errors": errors, "defaults": defaults}
            if row is not None:
                context["row"] = row
            if compact:
                context["compact"] = True
            reference, written = both(**context)
            assert written == reference, context


def test_the_reference_shows_errors_hints_units_and_selections() -> None:
    """The comparison above meets the parts of an input it is meant to compare."""
    reads = FORM_FIELDS["workload"][0]
    assert reads.unit and reads.kind in ("number", "integer")
    name = f"workload.{reads.key}"
    reference, written = both(
        field=reads,
        prefix="workload",
        data={reads.key: -5},
        errors={name: [TRICKY]},
        defaults=DEFAULTS,
    )
    assert written == reference
    assert f'<ul class="errors" role="alert" id="err-{name}">' in written
    assert 'aria-invalid="true"' in written and "&lt;b&gt;" in written
    assert f'<span class="help">{reads.unit}</span>' in written
    choice = next(field for field in FORM_FIELDS["attribute"] if field.kind == "choice")
    reference, written = both(
        field=choice,
        prefix="p",
        data={choice.key: choice.choices[1]},
        errors={},
        defaults={},
        row=ROWS[2],
        compact=True,
    )
    assert written == reference
    assert f'value="{choice.choices[1]}" selected>' in written
    assert 'aria-label="Attribute 4 ' in written and "of entity a &quot;quoted&quot;" in written


@pytest.mark.parametrize("noun", ["entity", "attribute", "access pattern"])
@pytest.mark.parametrize("row", [*ROWS[1:], {"prefix": TRICKY, "head": TRICKY}])
def test_row_tools_are_written_as_the_template_wrote_them(row: dict[str, Any], noun: str) -> None:
    reference = ENGINE.get_template("designs/row_tools.html").render(
        Context({"row": row, "noun": noun})
    )
    assert field_html.row_tools(row, noun) == reference

"""The field reference of docs/requirements.md, generated from the field table.

Each table of the reference sits between two marker comments naming the mapping it describes;
`python -m advisor schema --docs docs/requirements.md` rewrites what is between them, and a
test keeps the committed document equal to what the table gives.

>>> print(field_reference("team").splitlines()[2])
| `expertise` | none | technologies the team already runs: ids ... a list of strings, distinct |
"""

from __future__ import annotations

import re
from typing import Any

from advisor.requirements.fields import Field, default_of, fields_of

TOP_LEVEL = "the document"
_REGION = re.compile(
    r"(?P<begin><!-- BEGIN fields of (?P<parent>[^ ]+|the document) -->\n)"
    r".*?"
    r"(?P<end><!-- END fields -->)",
    re.DOTALL,
)


def field_reference(parent: str) -> str:
    """The reference table of the fields of the mapping at `parent` ("" for the top level)."""
    rows = ["| key | default | value |", "| --- | --- | --- |"]
    rows += [
        f"| `{field.key}` | {_default(field)} | {_value(field)} |" for field in fields_of(parent)
    ]
    return "\n".join(rows) + "\n"


def with_field_reference(markdown: str) -> str:
    """`markdown` with every marked region holding the table the field table gives now.

    >>> print(with_field_reference("<!-- BEGIN fields of team -->\\nold\\n<!-- END fields -->"))
    ... # doctest: +ELLIPSIS
    <!-- BEGIN fields of team -->
    | key | default | value |
    ...
    <!-- END fields -->
    """

    def table(match: re.Match[str]) -> str:
        parent = match["parent"]
        parent = "" if parent == TOP_LEVEL else parent
        return match["begin"] + field_reference(parent) + match["end"]

    return _REGION.sub(table, markdown)


def marked_parents(markdown: str) -> list[str]:
    """The mappings whose tables `markdown` marks, in order ("" for the top level)."""
    return [
        "" if match["parent"] == TOP_LEVEL else match["parent"]
        for match in _REGION.finditer(markdown)
    ]


def _default(field: Field) -> str:
    if field.required:
        return "**required**"
    if field.required_when_it_applies and field.only is not None:
        return f"required for {_only(field)}"
    if field.absent:
        return field.absent
    if field.kind == "section":
        return "below"
    return _literal(default_of(field))


def _literal(value: Any) -> str:
    if value is None or value == () or value == "":
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _value(field: Field) -> str:
    facts = [_kind(field)]
    if field.only is not None:
        facts.append(f"only for {_only(field)}")
    if field.needs:
        facts.append(f"needs `{field.needs}`")
    stated = "; ".join(fact for fact in facts if fact)
    return f"{field.help}: {stated}" if stated else field.help


def _only(field: Field) -> str:
    assert field.only is not None
    only = field.only
    names = [f"`{value}`" for value in only.values]
    if only.wording:
        return only.wording
    if len(names) == 1:
        return f"{only.key} {names[0]}"
    return f"{only.key}s {', '.join(names[:-1])} and {names[-1]}"


def _kind(field: Field) -> str:
    kind = field.kind
    if kind == "const":
        return f"exactly `{field.choices[0]}`"
    if kind == "choice":
        described = dict(field.choice_help)
        choices = [
            f"`{choice}` ({described[choice]})" if choice in described else f"`{choice}`"
            for choice in field.choices
        ]
        return ", ".join(choices[:-1]) + " or " + choices[-1]
    if kind == "text":
        if field.max_length is None:
            return "a string"
        if field.min_length:
            return f"a string of {field.min_length} to {field.max_length:,} characters"
        return f"a string of up to {field.max_length:,} characters"
    if kind == "name":
        return "a name (see Names)"
    if kind == "boolean":
        return "`true` or `false`"
    if kind in ("number", "integer"):
        unit = f" ({field.unit})" if field.unit else ""
        return ("a number" if kind == "number" else "an integer") + _range(field) + unit
    if kind == "list":
        items = "names" if field.items == "name" else "strings"
        facts = [f"a list of {items}"]
        if field.unique_items:
            facts.append("distinct")
        if field.min_items:
            facts.append("at least one")
        return ", ".join(facts)
    if kind == "keys":
        return "a list of keys, each a list of distinct names (see Names)"
    if kind == "value":
        return f"a value of the attribute's `{field.typed_by}`"
    if kind == "items" and field.max_items is not None:
        return f"at most {field.max_items:,}"
    return ""  # a mapping or a list of mappings: its help names what it holds


def _range(field: Field) -> str:
    low, high = field.minimum, field.maximum
    if low is None and high is None:
        return ""
    if not field.exclusive_minimum and not field.exclusive_maximum and None not in (low, high):
        return f", {low:,} to {high:,}"
    parts = []
    if low is not None:
        parts.append(f"{'more than' if field.exclusive_minimum else 'at least'} {low:,}")
    if high is not None:
        parts.append(f"{'less than' if field.exclusive_maximum else 'at most'} {high:,}")
    return ", " + " and ".join(parts)

r"""The requirements document, format `advisor/v1`: model, validation, canonical form.

Typical use, from text to a validated model and back:

>>> text = "format: advisor/v1\nproject: Shop\nworkload: {writes_per_second: 300}\n"
>>> requirements = parse_requirements(load_document(text))
>>> requirements.workload.writes_per_second
300
>>> print(*dump_yaml(requirements_to_document(requirements)).splitlines()[:5], sep="\n")
format: advisor/v1
project: Shop
workload:
  reads_per_second: 100
  writes_per_second: 300
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.errors import InvalidRequirements, Problem, UnreadableDocument
from advisor.requirements.document import (
    document_lines,
    dump_json,
    dump_yaml,
    load_document,
    requirements_to_document,
)
from advisor.requirements.model import (
    ATTRIBUTE_TYPES,
    FORMAT,
    IMPLICIT_ATTRIBUTES,
    AccessPattern,
    Attribute,
    Entity,
    Relationship,
    Requirements,
    Team,
    Workload,
)
from advisor.requirements.parse import parse_requirements, read_well_formed

if TYPE_CHECKING:
    from advisor.requirements.diff import Change, diff_requirements

__all__ = [
    "ATTRIBUTE_TYPES",
    "FORMAT",
    "IMPLICIT_ATTRIBUTES",
    "AccessPattern",
    "Attribute",
    "Change",
    "Entity",
    "InvalidRequirements",
    "Problem",
    "Relationship",
    "Requirements",
    "Team",
    "UnreadableDocument",
    "Workload",
    "diff_requirements",
    "document_lines",
    "dump_json",
    "dump_yaml",
    "load_document",
    "parse_requirements",
    "read_requirements",
    "requirements_to_document",
]


def __getattr__(name: str) -> Any:
    # Comparing versions is loaded when asked for: the command line reads documents only.
    if name in ("Change", "diff_requirements"):
        from advisor.requirements import diff

        return getattr(diff, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_requirements(text: str, *, source: str = "<input>") -> Requirements:
    r"""Load and validate in one step; raises `UnreadableDocument` or `InvalidRequirements`.

    >>> read_requirements("format: advisor/v1\nproject: Shop\n").project
    'Shop'
    """
    plain = read_well_formed(text)
    if plain is not None:
        return plain
    return parse_requirements(load_document(text, source=source))

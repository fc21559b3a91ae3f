"""Requirements documents that once crashed, hung or flooded the advisor, with what it must
answer now: each is a problem a person can act on, for the parser, the command line and the
web alike (issue 12, "Hardening against bad input")."""

from __future__ import annotations

import json

import pytest

from advisor.requirements.fields import (
    MAX_ACCESS_PATTERNS,
    MAX_ATTRIBUTES,
    MAX_DOCUMENT_BYTES,
    MAX_ENTITIES,
    MAX_NODES,
)

HEAD = "format: advisor/v1\nproject: Shop\n"


def _billion_laughs(levels: int = 6) -> str:
    """76 KB of this shape once expanded to a million attributes."""
    lines = [HEAD, 'l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]\n']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{refs}]\n")
    return "".join(lines)


def _json(document: dict[str, object]) -> str:
    return json.dumps({"format": "advisor/v1", "project": "Shop", **document})


def _entities(count: int, attributes: int = 0) -> str:
    entities = [
        {
            "name": f"e{i}",
            "attributes": [{"name": f"a{j}", "type": "string"} for j in range(attributes)],
        }
        for i in range(count)
    ]
    return _json({"entities": entities})


# (id, text, what the answer says)
CASES = [
    ("aliases", _billion_laughs(), "anchors and aliases (&name, *name) are not accepted"),
    ("nested-500", HEAD + "description: " + "[" * 500 + "]" * 500 + "\n", "nested more than 20"),
    (
        "400-digits",
        HEAD + "workload: {reads_per_second: " + "9" * 400 + "}\n",
        "workload.reads_per_second: a number of 400 digits is too large",
    ),
    ("5000-digits", HEAD + "workload: {regions: " + "9" * 5000 + "}\n", "5,000 digits is too long"),
    (
        "surrogate-in-name",
        _json({"entities": [{"name": "a\ud800"}]}),
        "entities[0].name: contains a lone surrogate (\\ud800)",
    ),
    (
        "surrogate-in-description",
        _json({"description": "\udfff"}),
        "description: contains a lone surrogate (\\udfff)",
    ),
    (
        "surrogate-in-key",
        _json({"entities": [{"name": "a", "\ud800": 1}]}),
        "entities[0].\\ud800: unknown key",
    ),
    (
        "nul-in-description",
        _json({"description": "a\x00b"}),
        "description: contains a NUL character (\\x00)",
    ),
    (
        "nul-in-default",
        _json(
            {
                "entities": [
                    {"name": "a", "attributes": [{"name": "b", "type": "json", "default": "\x00"}]}
                ]
            }
        ),
        "entities[0].attributes[0].default: contains a NUL character",
    ),
    (
        "100000-entities",
        _json({"entities": [{"name": f"e{i}"} for i in range(100_000)]}),
        f"entities: lists 100,000 entities; at most {MAX_ENTITIES:,}",
    ),
    (
        "too-many-values",
        _json({"description": [0] * (MAX_NODES + 1)}),
        f"holds more than {MAX_NODES:,} values",
    ),
    (
        "one-entity-too-many",
        _entities(MAX_ENTITIES + 1),
        f"entities: lists {MAX_ENTITIES + 1:,} entities; at most {MAX_ENTITIES:,}",
    ),
    (
        "one-attribute-too-many",
        _entities(3, MAX_ATTRIBUTES // 3 + 1),
        f"{3 * (MAX_ATTRIBUTES // 3 + 1):,} attributes in all; at most {MAX_ATTRIBUTES:,}",
    ),
    (
        "one-pattern-too-many",
        _json({"access_patterns": [{"name": f"p{i}"} for i in range(MAX_ACCESS_PATTERNS + 1)]}),
        f"access_patterns: lists {MAX_ACCESS_PATTERNS + 1:,} access patterns; "
        f"at most {MAX_ACCESS_PATTERNS:,}",
    ),
    (
        "over-the-size-limit",
        HEAD + "description: " + "x" * MAX_DOCUMENT_BYTES + "\n",
        f"at most {MAX_DOCUMENT_BYTES:,}",
    ),
]
PARAMS = [pytest.param(text, message, id=name) for name, text, message in CASES]

"""Requirements documents that once crashed, hung or flooded the advisor, with what it must
answer now: each is a problem a person can act on, for the parser, the command line and the
web alike (issue 12, "Hardening against bad input")."""

from __future__ import annotations

import json

import pytest

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
        HEAD + "entities:\n" + "".join(f"- {{name: e{i}}}\n" for i in range(100_000)),
        "holds more than 150,000 values",
    ),
    ("2000-entities", _entities(2_000), "entities: lists 2,000 entities; at most 200"),
    ("2001-attributes", _entities(3, 667), "2,001 attributes in all; at most 2,000"),
    (
        "301-patterns",
        _json({"access_patterns": [{"name": f"p{i}"} for i in range(301)]}),
        "access_patterns: lists 301 access patterns; at most 300",
    ),
    ("3-megabytes", HEAD + "description: " + "x" * 3_000_000 + "\n", "at most 2,097,152"),
]
PARAMS = [pytest.param(text, message, id=name) for name, text, message in CASES]

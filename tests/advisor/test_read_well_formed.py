"""A JSON document read straight from its text (`read_well_formed`, issue 14) is read as
`parse_requirements(load_document(text))` reads it, and whatever that path refuses, this one
leaves to it: a key given twice, nesting, the limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from advisor.errors import AdvisorError, UnreadableDocument
from advisor.requirements import load_document, parse_requirements, read_requirements
from advisor.requirements.fields import MAX_NESTING, MAX_NODES
from advisor.requirements.parse import _Reader, read_well_formed
from advisor.requirements.synthetic import synthetic_document
from tests.advisor.conftest import ROOT
from tests.advisor.test_properties import documents
from tests.advisor.test_well_formed import EXAMPLES

MARK = "@@here@@"


def _document() -> dict[str, Any]:
    """A small document with every kind of mapping: the root, the sections, a lint finding
    ignored, entities with attributes and keys, relationships and access patterns."""
    document = synthetic_document(4)
    document["team"] = {"expertise": ["postgresql"], "managed_service": "preferred"}
    document["lint"] = {"ignore": [{"rule": "DS103", "reason": "kept on purpose"}]}
    document["entities"][1]["unique"] = [["code", "title"]]
    return document


def _exact(text: str) -> Any:
    """What the reading through `load_document` gives: the requirements, or the error."""
    try:
        return parse_requirements(load_document(text, source="t.json"))
    except AdvisorError as error:
        return type(error), str(error)


def _read(text: str) -> Any:
    try:
        return read_requirements(text, source="t.json")
    except AdvisorError as error:
        return type(error), str(error)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_example_as_json_is_read_alike_and_valid_ones_straight(path: Path) -> None:
    document = load_document(path.read_text(encoding="utf-8"))
    text = json.dumps(document, indent=2)
    exact = _exact(text)
    assert _read(text) == exact
    if not isinstance(exact, tuple) and ":" not in "".join(_strings(document)):
        assert read_well_formed(text) == exact  # valid: read without the walk


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_valid_document_is_read_straight_from_its_text(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    if ":" in "".join(_strings(document)):
        return  # a colon in a string: see the test below
    assert read_well_formed(text) == parse_requirements(load_document(text))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(s for item in value.values() for s in _strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_a_colon_in_a_string_leaves_the_document_to_the_walk_and_reads_the_same() -> None:
    document = _document()
    document["description"] = "Orders: placed, paid, shipped"
    text = json.dumps(document)
    assert read_well_formed(text) is None
    assert read_requirements(text) == parse_requirements(load_document(text))


def _twice(document: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """The document's JSON text with the first key of the mapping at `path` given twice."""
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    mapping = parent[path[-1]] if path else document
    first, value = next(iter(mapping.items()))
    twice = json.dumps(mapping)[:-1] + f", {json.dumps(first)}: {json.dumps(value)}}}"
    if not path:
        return twice
    parent[path[-1]] = MARK
    return json.dumps(document).replace(json.dumps(MARK), twice)


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("workload",),
        ("team",),
        ("lint",),
        ("lint", "ignore", 0),
        ("entities", 2),
        ("entities", 1, "attributes", 3),
        ("relationships", 0),
        ("access_patterns", 1),
    ],
    ids=lambda path: ".".join(map(str, path)) or "root",
)
def test_a_key_given_twice_anywhere_is_refused_as_the_walk_refuses_it(
    path: tuple[str | int, ...],
) -> None:
    text = _twice(_document(), path)
    assert read_well_formed(text) is None
    with pytest.raises(UnreadableDocument, match="duplicate key"):
        read_requirements(text, source="t.json")
    assert _read(text) == _exact(text)


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "place",
    ["description", "default", "values", "filter", "unique", "ignore"],
)
def test_nesting_deeper_than_the_limit_anywhere_is_refused_as_the_walk_refuses_it(
    place: str,
) -> None:
    document = _document()
    deep = _nested(MAX_NESTING + 5)
    if place == "description":
        document["description"] = deep
    elif place in ("default", "values"):
        document["entities"][0]["attributes"][4][place] = deep
    elif place == "filter":
        document["access_patterns"][0]["filter"] = deep
    elif place == "unique":
        document["entities"][0]["unique"] = deep
    else:
        document["lint"]["ignore"][0]["target"] = deep
    text = json.dumps(document)
    assert read_well_formed(text) is None
    assert _read(text) == _exact(text)
    assert "nested more than" in str(_read(text))


def _counts(value: Any) -> tuple[int, int]:
    """The keys of the mappings in `value`, and its values, keys and items, itself included:
    what the walk of `load_document` counts."""
    keys, nodes = 0, 1
    if isinstance(value, dict):
        keys, nodes = len(value), 1 + len(value)
    for inside in (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    ):
        more_keys, more_nodes = _counts(inside)
        keys, nodes = keys + more_keys, nodes + more_nodes
    return keys, nodes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_reader_counts_every_key_and_value_as_the_walk_does(document: dict[str, Any]) -> None:
    for read in (document, _document(), synthetic_document(30)):
        reader = _Reader()
        assert reader.well_formed(read) is not None
        assert (reader.keys_read, 1 + reader.nodes_read) == _counts(read)


def test_more_values_than_allowed_are_refused_as_the_walk_refuses_them() -> None:
    document = _document()
    document["access_patterns"][0]["filter"] = ["id"] * MAX_NODES  # 10 MB: within the bytes
    text = json.dumps(document, separators=(",", ":"))
    assert read_well_formed(text) is None
    assert "holds more than" in str(_read(text))
    assert _read(text) == _exact(text)


def test_a_large_document_is_read_straight_from_its_text() -> None:
    text = json.dumps(synthetic_document(1_500), indent=2)
    assert len(text) > MAX_NODES  # more characters than values allowed: counted, not bounded
    assert read_well_formed(text) == parse_requirements(load_document(text))


def test_what_is_not_plainly_a_valid_json_document_is_read_the_exact_way() -> None:
    document = _document()
    document["entities"][0]["attributes"][0]["type"] = "nope"
    for text in (
        json.dumps(document),
        "format: advisor/v1\nproject: Shop\n",  # YAML
        '{"format": "advisor/v1", "project": "Shop",',  # cut short
        '{"format": "advisor/v1", "project": "Shop", "workload": {"regions": NaN}}',
        "[1, 2]",
    ):
        assert read_well_formed(text) is None
        assert _read(text) == _exact(text)

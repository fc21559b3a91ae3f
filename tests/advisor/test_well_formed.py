"""The fast path of validation reads every document as the reader's exact path does: the same
requirements, or nothing (and the exact path then says what is wrong). It may leave a valid
document to the exact path; it never takes one the exact path refuses."""

from __future__ import annotations

import copy
import json
import sys
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.requirements import load_document
from advisor.requirements.parse import _Reader
from advisor.requirements.synthetic import synthetic_document
from tests.advisor.conftest import ROOT
from tests.advisor.test_properties import documents

EXAMPLES = sorted(
    path
    for folder in ("docs/examples", "tests/fixtures/requirements")
    for path in (ROOT / folder).rglob("*.yaml")
)


def _both(document: Any) -> tuple[Any, Any, list[Any]]:
    exact = _Reader()
    return _Reader().well_formed(document), exact.requirements(document), exact.problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_example_is_read_the_same_on_both_paths(path: Path) -> None:
    document = load_document(path.read_text(encoding="utf-8"))
    fast, exact, problems = _both(document)
    if problems:
        assert fast is None
    else:
        assert fast == exact
        assert fast is not None


def test_a_large_generated_document_takes_the_fast_path() -> None:
    fast, exact, problems = _both(synthetic_document(200))
    assert not problems and fast is not None and fast == exact


def test_both_paths_intern_names_and_choices() -> None:
    """Each name is one object, however many times a document read from JSON repeats it."""
    document = load_document(json.dumps(synthetic_document(20)), source="json")
    for requirements in _both(document)[:2]:
        attributes = [a for entity in requirements.entities for a in entity.attributes]
        assert {id(a.name) for a in attributes if a.name == "title"} == {id(sys.intern("title"))}
        assert {id(a.type) for a in attributes if a.type == "enum"} == {id(sys.intern("enum"))}
        assert all(e.name is sys.intern(e.name) for e in requirements.entities)
        ends = [(r.source, r.target) for r in requirements.relationships]
        assert ends and all(name is sys.intern(name) for name in chain.from_iterable(ends))
        for pattern in requirements.access_patterns:
            assert all(name is sys.intern(name) for name in (*pattern.filter, *pattern.sort))
        enum_values = [v for a in attributes for v in a.values]
        assert enum_values and all(value is sys.intern(value) for value in enum_values)


# Values that are wrong somewhere, or right somewhere else.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "a\x00",
            "\ud800",
            "x" * 129,
            "line\nbreak",
            "-id",
            "id",
            "code",
            "parent",
            "entity_0001",
            "one-to-many",
            "many-to-many",
            "set_null",
            "cascade",
            "enum",
            "vector",
            "point",
            "nearby",
            "traversal",
            "decimal",
            "string",
            [],
            ["a", "a"],
            [["code"], ["code"]],
            {},
        ]
    ),
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def _changed(document: dict[str, Any], path: tuple[Any, ...], key: Any, value: Any) -> Any:
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    if not path:
        return changed
    if isinstance(target[path[-1]], dict) and key is not None:
        target[path[-1]][key] = value  # a new or replaced key in a mapping
    else:
        target[path[-1]] = value
    return changed


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=10_000),
    st.one_of(
        st.none(),
        st.sampled_from(
            [
                "length",
                "scale",
                "min",
                "default",
                "unique",
                "depth",
                "dimensions",
                "values",
                "renamed_from",
                "signed_by",
                "tenant",
                "append_only",
                "on_delete",
                "required",
                "name",
                "sort",
                "filter",
                "format",
                "case_insensitive",
            ]
        ),
    ),
    ODD,
)
def test_a_changed_document_is_read_the_same_on_both_paths(
    where: int, key: str | None, value: Any
) -> None:
    document = synthetic_document(12)
    places = _places(document)
    changed = _changed(document, places[where % len(places)], key, value)
    fast, exact, problems = _both(changed)
    if problems:
        assert fast is None
    elif fast is not None:
        assert fast == exact


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_valid_document_takes_the_fast_path(document: dict[str, Any]) -> None:
    fast, exact, problems = _both(document)
    assert not problems
    assert fast == exact


@pytest.mark.parametrize("append_only", [False, True])
@pytest.mark.parametrize("name", ["id", "created_at", "updated_at", "-updated_at", "ledger"])
def test_a_pattern_names_what_an_entity_has_without_declaring_it_alike_on_both_paths(
    append_only: bool, name: str
) -> None:
    document = {
        "format": "advisor/v1",
        "project": "Books",
        "entities": [{"name": "ledger", "append_only": append_only}, {"name": "entry"}],
        "relationships": [{"from": "entry", "to": "ledger", "cardinality": "many-to-one"}],
        "access_patterns": [
            {
                "name": "f",
                "entity": "ledger",
                "operation": "read",
                "kind": "lookup",
                "filter": [name],
            },
            {"name": "s", "entity": "entry", "operation": "read", "kind": "range", "sort": [name]},
        ],
    }
    fast, exact, problems = _both(document)
    assert fast == (None if problems else exact)
    # A filter names no relationship's end of the entity itself, and never a descending name.
    refused = name in ("-updated_at", "ledger") or (append_only and name == "updated_at")
    assert bool(problems) == refused


@pytest.mark.parametrize("renamed_from", ["customer", "client", "purchase"])
def test_renames_of_every_entity_are_checked_alike_on_both_paths(renamed_from: str) -> None:
    document = {
        "format": "advisor/v1",
        "project": "Shop",
        "entities": [
            {"name": "customer", "renamed_from": renamed_from},
            {"name": "order", "renamed_from": "purchase"},
        ],
    }
    fast, exact, problems = _both(document)
    # Its own name, or what another entity is renamed from.
    assert bool(problems) == (renamed_from in ("customer", "purchase"))
    assert fast == (None if problems else exact)

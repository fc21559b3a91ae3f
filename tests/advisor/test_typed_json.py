"""`dump_text` writes the same JSON text as `json.dumps` of `dump`, which model.json relied on;
`indented_json` the same as `json.dumps` with an indent of 2, which the stored designs hold."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from advisor.requirements import read_requirements
from advisor.schema import ColumnType, build_schema
from advisor.typed_json import dump, dump_text, indented_json


@dataclasses.dataclass(frozen=True)
class _Holder:
    value: Any
    other: Any = None


def _compact(value: Any) -> str:
    return json.dumps(dump(value), ensure_ascii=False, separators=(",", ":"))


def test_a_schema_is_written_as_json_dumps_writes_it() -> None:
    shop = read_requirements(
        """
format: advisor/v1
project: Shop
entities:
  - {name: customer, attributes: [{name: email, type: string, length: 255, unique: true}]}
  - {name: order, attributes: [{name: total, type: decimal, precision: 10, scale: 2,
                                min: 0}]}
relationships: [{from: order, to: customer, cardinality: many-to-one, required: true}]
"""
    )
    schema = build_schema(shop, "postgresql")
    assert dump_text(schema) == _compact(schema)
    assert dump_text(schema, shared={ColumnType}) == _compact(schema)


@pytest.mark.parametrize(
    "value",
    [
        1e16,
        -0.0,
        float("nan"),
        float("-inf"),
        10**30,
        'é\u2028\x00"\\',
        {1: "a", 2.5: [1, 2]},
        _Holder(()),
        _Holder((1, "a", None, True, (2.0,)), {"key": [False]}),
        _Holder([_Holder(1)], frozenset({"x"})),
    ],
    ids=repr,
)
def test_awkward_values_are_written_as_json_dumps_writes_them(value: Any) -> None:
    assert dump_text(value) == _compact(value)


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        "plain",
        None,
        {"a": [], "b": {}, "c": [[]], "d": [{}], "e": {"f": {"g": []}}},
        ["é", "\u2028", "\x00\x1f", '"\\', "😀", "\ud800", _Text("sub")],
        [1.5, -0.0, 1e16, 1e-7, float("nan"), float("inf"), float("-inf"), 10**30, True, False],
        {"é": 1, 3: "int", 2.5: "float", False: "bool", None: "none"},
        (1, ("a", ()), [None]),
        {"nested": [{"x": [1, {"y": ["z", {}]}]}, [[], [[]]]]},
    ],
    ids=repr,
)
@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_indented_json_writes_what_json_dumps_writes(value: Any, ensure_ascii: bool) -> None:
    assert indented_json(value, ensure_ascii=ensure_ascii) == json.dumps(
        value, indent=2, ensure_ascii=ensure_ascii
    )


@pytest.mark.parametrize("value", [{(1, 2): "tuple key"}, [object()], {"set": {1}}], ids=repr)
def test_indented_json_refuses_what_json_dumps_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, indent=2)
    with pytest.raises(TypeError):
        indented_json(value)


def test_a_recommendation_is_written_as_json_dumps_writes_it() -> None:
    from advisor.engine import advise

    shop = read_requirements(
        """
format: advisor/v1
project: Café
entities: [{name: customer, attributes: [{name: email, type: string}]}]
access_patterns:
  - {name: find by email, entity: customer, operation: read, kind: lookup, filter: [email]}
"""
    )
    document = advise(shop).to_dict()
    assert indented_json(document) == json.dumps(document, indent=2, ensure_ascii=False)

"""`dump_text` writes the same JSON text as `json.dumps` of `dump`, which model.json relied on."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from advisor.requirements import read_requirements
from advisor.schema import build_schema
from advisor.typed_json import dump, dump_text


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

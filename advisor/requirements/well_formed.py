"""The fast path of validation: the fields of a well-formed mapping, read in one pass.

The reader (`advisor.requirements.parse`) checks a mapping field by field, building each
problem's path and message as it goes. Almost every item of a real document has no problem, so
it first asks this module, whose checks are plain tests on tables built once per kind of item
(the same field table). The answer is the values the reader would find, or None as soon as
anything is not plainly valid: the reader then reads that mapping its exact way, which says
what is wrong. So this module decides nothing the reader does not; it may only be stricter
(a `str` subclass, a tuple for a list), never more lenient, and the tests hold both paths to
the same answers.

>>> well_formed_fields({"name": "total", "type": "decimal", "precision": 12},
...     "entities[].attributes[]")
{'name': 'total', 'type': 'decimal', 'precision': 12}
>>> print(well_formed_fields({"name": "total", "type": "decimal", "length": 3},
...     "entities[].attributes[]"))
None
"""

from __future__ import annotations

import functools
import math
import operator
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.requirements.fields import (
    BIGINT_MAX,
    BIGINT_MIN,
    MAX_LENGTH,
    VALUE_KINDS,
    Field,
    Kind,
    Only,
    fields_of,
    keys_of,
)
from advisor.requirements.model import NAME_MAX_LENGTH

Read = Callable[[Any], Any]  # a value, or DOUBT
DOUBT: Any = object()  # not plainly valid: the reader's exact path says why

# What the reader refuses in a string (NUL, a lone surrogate), and in a name besides (control
# characters, line and paragraph separators); see `unstorable` and `_CONTROL` in parse.py.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_FLOAT_MAX = sys.float_info.max


def well_formed_mapping(value: object, parent: str) -> bool:
    """Whether `value` is a dict of keys the mapping at `parent` accepts, none of them null:
    the reader then takes it as it is."""
    return (
        type(value) is dict
        and _keys(parent).issuperset(value)
        and None not in value.values()  # null means "not given": the reader drops it
    )


def well_formed_fields(given: Mapping[str, Any], parent: str) -> dict[str, Any] | None:
    """The values of the fields at `parent` that hold no mapping or list of mappings, by key,
    as the reader reads them from a well-formed mapping `given`; None when any is missing,
    not plainly valid or not allowed with the others."""
    shape = _shape(parent)
    values: dict[str, Any] = {}
    for key, value in given.items():
        read = shape.reads.get(key)
        if read is None:
            if key in shape.typed:  # a value of the type another field names
                kind = given.get(shape.typed[key])
                read = shape.by_kind.get(kind) if type(kind) is str else None
                if read is None:
                    return None
            else:
                continue  # a section or a list of items: read by its own method
        if key in shape.only:
            only = shape.only[key]
            if given.get(only.key) not in only.values:
                return None
        found = read(value)
        if found is DOUBT:
            return None
        values[key] = found
    if not shape.required.issubset(values):
        return None
    for key, only in shape.required_when.items():
        if key not in values and given.get(only.key) in only.values:
            return None
    for key, needs in shape.needs.items():
        if key in values and needs not in values:
            return None
    return values


@dataclass(frozen=True)
class _Shape:
    """The checks of the fields at one path, gathered once from the field table."""

    reads: Mapping[str, Read]  # by key, for fields read alone
    typed: Mapping[str, str]  # key -> the key whose value names its type (`default` -> `type`)
    by_kind: Mapping[str, Read]  # how to read a typed value, by the type's name
    only: Mapping[str, Only]
    required: frozenset[str]
    required_when: Mapping[str, Only]
    needs: Mapping[str, str]


@functools.cache
def _keys(parent: str) -> frozenset[str]:
    return frozenset(keys_of(parent))


@functools.cache
def _shape(parent: str) -> _Shape:
    fields = [field for field in fields_of(parent) if field.kind not in ("section", "items")]
    typed = [field for field in fields if field.kind == "value"]
    # The typed fields of one path share their limits (none): one reader per type will do.
    assert all(_limits(field) == _limits(typed[0]) for field in typed), parent
    return _Shape(
        reads={field.key: _read(field, field.kind) for field in fields if field.kind != "value"},
        typed={field.key: field.typed_by for field in typed},
        by_kind={name: _read(typed[0], kind) for name, kind in VALUE_KINDS.items()}
        if typed
        else {},
        only={field.key: field.only for field in fields if field.only is not None},
        required=frozenset(field.key for field in fields if field.required),
        required_when={
            field.key: field.only
            for field in fields
            if field.required_when_it_applies and field.only is not None
        },
        needs={field.key: field.needs for field in fields if field.needs},
    )


def _limits(field: Field) -> tuple[Any, ...]:
    return (
        field.minimum,
        field.maximum,
        field.exclusive_minimum,
        field.exclusive_maximum,
        field.min_length,
        field.max_length,
    )


def _read(field: Field, kind: Kind) -> Read:
    """How to read a value of `kind` with the limits of `field`, as `_Reader.value` does."""
    if kind == "const":
        expected = field.choices[0]
        return lambda value: value if type(value) is str and value == expected else DOUBT
    if kind == "text":
        return _text(field.min_length, field.max_length or MAX_LENGTH)
    if kind == "name":
        return _name
    if kind == "choice":
        choices = frozenset(field.choices)
        return lambda value: value if type(value) is str and value in choices else DOUBT
    if kind == "boolean":
        return lambda value: value if type(value) is bool else DOUBT
    if kind == "integer":
        low = BIGINT_MIN if field.minimum is None else int(field.minimum)
        high = BIGINT_MAX if field.maximum is None else int(field.maximum)
        return lambda value: value if type(value) is int and low <= value <= high else DOUBT
    if kind == "number":
        return _number(field)
    if kind == "scalar":
        return _scalar
    if kind == "list":
        return _listing(field)
    if kind == "keys":
        return _keys_list
    raise AssertionError(f"{field.path}: no plain reading for kind {kind}")


def _text(min_length: int, max_length: int) -> Read:
    def read(value: Any) -> Any:
        if (
            type(value) is str
            and len(value) <= max_length
            and (not min_length or value.strip())
            and not _UNSTORABLE.search(value)
        ):
            return value
        return DOUBT

    return read


def _name(value: Any) -> Any:
    if (
        type(value) is str
        and len(value) <= NAME_MAX_LENGTH
        and value.strip()
        and not _NOT_IN_NAME.search(value)
    ):
        return value
    return DOUBT


def _number(field: Field) -> Read:
    low = -math.inf if field.minimum is None else field.minimum
    high = math.inf if field.maximum is None else field.maximum
    above: Callable[[Any, Any], bool] = operator.gt if field.exclusive_minimum else operator.ge
    below: Callable[[Any, Any], bool] = operator.lt if field.exclusive_maximum else operator.le

    def read(value: Any) -> Any:
        if type(value) is int:
            finite = -_FLOAT_MAX <= value <= _FLOAT_MAX
        elif type(value) is float:
            finite = math.isfinite(value)
        else:
            return DOUBT
        return value if finite and above(value, low) and below(value, high) else DOUBT

    return read


def _scalar(value: Any) -> Any:
    if type(value) is str:
        return value if len(value) <= MAX_LENGTH and not _UNSTORABLE.search(value) else DOUBT
    if type(value) is bool:
        return value
    if type(value) is int:
        return value if -_FLOAT_MAX <= value <= _FLOAT_MAX else DOUBT
    if type(value) is float:
        return value if math.isfinite(value) else DOUBT
    return DOUBT


def _listing(field: Field) -> Read:
    item = (
        _name if field.items == "name" else _text(field.min_length, field.max_length or MAX_LENGTH)
    )
    unique, min_items = field.unique_items, field.min_items

    def read(value: Any) -> Any:
        if type(value) is not list or len(value) < min_items:
            return DOUBT
        for name in value:
            if item(name) is DOUBT:
                return DOUBT
        if unique and len(set(value)) != len(value):
            return DOUBT
        return tuple(value)

    return read


def _keys_list(value: Any) -> Any:
    """A list of keys: each a non-empty list of distinct names, no two of the same names."""
    if type(value) is not list:
        return DOUBT
    keys: list[tuple[str, ...]] = []
    seen: set[frozenset[str]] = set()
    for key in value:
        if type(key) is not list or not key or any(_name(name) is DOUBT for name in key):
            return DOUBT
        names = frozenset(key)
        if len(names) != len(key) or names in seen:
            return DOUBT
        seen.add(names)
        keys.append(tuple(key))
    return tuple(keys)

"""The fast path of validation: the items of a list checked together, a column per field.

The reader (`advisor.requirements.parse`) checks a document item by item and field by field,
building each problem's path and message as it goes: about 25 µs an item, several times what
parsing the JSON costs. A document with no problem needs none of that, so the reader first
asks `well_formed_rows` for each list: the checks of the field table, each made once over the
values of one field in all the items (their types, smallest and largest, lengths, choices,
characters) by C code, with Python visiting only what is rare (a default, a unique key). The
answer is the values the reader would find, or None as soon as anything is not plainly valid:
the reader then reads the whole document its exact way, which says what is wrong. So this
module decides nothing the reader does not; it may be stricter (a `str` subclass, a tuple for
a list), never more lenient, and tests hold both paths to the same answers.

>>> rows = [{"name": "total", "type": "decimal", "precision": 12}, {"name": "note", "type": "text"}]
>>> well_formed_rows(rows, "entities[].attributes[]")
True
>>> well_formed_rows([{"name": "total", "type": "decimal", "length": 3}], "entities[].attributes[]")
False
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import sys
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import is_not
from typing import Any, TypeVar

from advisor.requirements.fields import (
    BIGINT_MAX,
    BIGINT_MIN,
    MAX_LENGTH,
    VALUE_KINDS,
    Field,
    Kind,
    fields_of,
    keys_of,
)
from advisor.requirements.model import NAME_MAX_LENGTH

T = TypeVar("T")
Check = Callable[[list[Any]], bool]  # whether every value of a column is plainly valid

# What the reader refuses in a string (NUL, a lone surrogate), and in a name besides (control
# characters, line and paragraph separators); see `unstorable` and `_CONTROL` in parse.py.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_FLOAT_MAX = sys.float_info.max


def well_formed_rows(rows: Sequence[Any], parent: str) -> bool:
    """Whether every row is a dict of keys the mappings at `parent` accept, none null, with
    every value of the fields that hold no mapping or list of mappings plainly valid."""
    shape = _shape(parent)
    if not rows:
        return True
    if set(map(type, rows)) != {dict}:
        return False
    keys = set(chain.from_iterable(rows))
    if not shape.keys.issuperset(keys) or None in chain.from_iterable(map(dict.values, rows)):
        return False  # an unknown key; a null, which means "not given" and is left out
    columns = {key: list(map(dict.get, rows, repeat(key))) for key in keys}
    for field in shape.fields:
        only = field.only
        column = columns.get(field.key)
        if column is None:  # in no row
            if field.required or _applies_somewhere(field, columns):
                return False
            continue
        given = list(map(is_not, column, repeat(None)))
        if field.required and not all(given):
            return False
        if only is not None:
            condition = columns.get(only.key, [None] * len(rows))
            if not all(map(only.values.__contains__, compress(condition, given))):
                return False
            if field.required_when_it_applies and None in compress(
                column, map(only.values.__contains__, condition)
            ):
                return False
        if field.needs and (
            field.needs not in columns or None in compress(columns[field.needs], given)
        ):
            return False
        present = list(compress(column, given))
        if field.kind == "value":
            types = compress(columns[field.typed_by], given)
            if not all(map(_typed_value, types, present)):
                return False
        elif not shape.checks[field.key](present):
            return False
    return True


def _applies_somewhere(field: Field, columns: Mapping[str, list[Any]]) -> bool:
    """Whether a field required where it applies (an enum's values) applies to some row."""
    only = field.only
    if not field.required_when_it_applies or only is None or only.key not in columns:
        return False
    return any(map(only.values.__contains__, columns[only.key]))


def well_formed_mapping(value: object, parent: str) -> bool:
    """Whether `value` is a dict of keys the mapping at `parent` accepts, none of them null."""
    return (
        type(value) is dict and _shape(parent).keys.issuperset(value) and None not in value.values()
    )


def instances(
    model: type[T],
    parent: str,
    rows: Sequence[dict[str, Any]],
    also: Sequence[Mapping[str, Any]] = (),
) -> list[T]:
    """`model(**row, **also)` for each of the well-formed `rows` of `parent`, their lists
    turned into tuples as the reader turns them, without the dataclass's generated `__init__`:
    it sets each field through `object.__setattr__` (frozen), and took most of the time of
    reading a large document. Each instance gets the same `__dict__`, its names interned as the
    reader interns them (`_Reader.name`)."""
    shape = _shape(parent)
    defaults = _defaults(model)
    present = set(chain.from_iterable(rows))
    lists = shape.lists & present
    keys_lists = shape.keys_lists & present
    made: list[T] = list(map(object.__new__, repeat(model, len(rows))))
    # Each instance's fields in one new dict (the defaults, then the row's values), by C code.
    every_fields = list(map(defaults.__or__, rows))
    deque(map(object.__setattr__, made, repeat("__dict__"), every_fields), 0)
    for key in shape.names & present:
        holding = list(compress(every_fields, map(dict.__contains__, rows, repeat(key))))
        names = map(sys.intern, map(dict.__getitem__, holding, repeat(key)))
        deque(map(dict.__setitem__, holding, repeat(key), names), 0)
    if lists or keys_lists:
        for fields, row in zip(every_fields, rows, strict=True):
            for key in lists.intersection(row):
                fields[key] = tuple(map(sys.intern, row[key]))
            for key in keys_lists.intersection(row):
                fields[key] = tuple(tuple(map(sys.intern, names)) for names in row[key])
    for instance, more in zip(made, also, strict=False):
        vars(instance).update(more)
    return made


def _defaults(model: type) -> dict[str, Any]:
    found = _DEFAULTS.get(model)
    if found is None:
        found = _DEFAULTS[model] = _defaults_of(model)
    return found


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults_of(model: type) -> dict[str, Any]:
    assert dataclasses.is_dataclass(model) and not hasattr(model, "__post_init__"), model
    defaults: dict[str, Any] = {}
    for field in dataclasses.fields(model):
        assert field.default_factory is dataclasses.MISSING and field.init, field.name
        defaults[field.name] = None if field.default is dataclasses.MISSING else field.default
    return defaults


@dataclass(frozen=True)
class _Shape:
    """The checks of the fields at one path, gathered once from the field table."""

    keys: frozenset[str]
    fields: tuple[Field, ...]  # those that hold no mapping or list of mappings
    checks: Mapping[str, Check]
    lists: frozenset[str]  # keys of lists, which the reader turns into tuples
    keys_lists: frozenset[str]  # keys of lists of lists (unique keys): tuples of tuples
    names: frozenset[str]  # keys of names and choices, which the reader interns


@functools.cache
def _shape(parent: str) -> _Shape:
    every = fields_of(parent)
    fields = tuple(field for field in every if field.kind not in ("section", "items"))
    lists = frozenset(field.key for field in fields if field.kind == "list")
    names = frozenset(field.key for field in fields if field.kind in ("name", "choice", "const"))
    keys_lists = frozenset(field.key for field in fields if field.kind == "keys")
    return _Shape(
        keys=frozenset(keys_of(parent)),
        fields=fields,
        checks={field.key: _check(field, field.kind) for field in fields if field.kind != "value"},
        lists=lists,
        keys_lists=keys_lists,
        names=names,
    )


def _check(field: Field, kind: Kind) -> Check:
    """The check of a column of `kind` with the limits of `field`, as `_Reader.value` reads
    each of its values."""
    if kind == "const":
        return lambda column: _all_of(column, str) and set(column) == {field.choices[0]}
    if kind == "text":
        return _texts(field.min_length, field.max_length or MAX_LENGTH)
    if kind == "name":
        return _names
    if kind == "choice":
        choices = frozenset(field.choices)
        return lambda column: _all_of(column, str) and choices.issuperset(column)
    if kind == "boolean":
        return lambda column: _all_of(column, bool)
    if kind == "integer":
        low = BIGINT_MIN if field.minimum is None else int(field.minimum)
        high = BIGINT_MAX if field.maximum is None else int(field.maximum)
        return lambda column: _all_of(column, int) and low <= min(column) and max(column) <= high
    if kind == "number":
        return _numbers(field)
    if kind == "list":
        return _listings(field)
    if kind == "keys":
        return lambda column: all(map(_keys, column))
    raise AssertionError(f"{field.path}: no column check for kind {kind}")


def _all_of(column: list[Any], kind: type) -> bool:
    return set(map(type, column)) == {kind}


def _texts(min_length: int, max_length: int) -> Check:
    def check(column: list[Any]) -> bool:
        return (
            _all_of(column, str)
            and max(map(len, column)) <= max_length
            and (not min_length or all(map(str.strip, column)))
            and not _UNSTORABLE.search("".join(column))
        )

    return check


def _names(column: list[Any]) -> bool:
    return (
        _all_of(column, str)
        and max(map(len, column)) <= NAME_MAX_LENGTH
        and all(map(str.strip, column))
        and not _NOT_IN_NAME.search("".join(column))
    )


def _numbers(field: Field) -> Check:
    low = -math.inf if field.minimum is None else field.minimum
    high = math.inf if field.maximum is None else field.maximum

    def check(column: list[Any]) -> bool:
        if not set(map(type, column)) <= {int, float} or not _finite(column):
            return False
        smallest: float = min(column)
        largest: float = max(column)
        above = smallest > low if field.exclusive_minimum else smallest >= low
        below = largest < high if field.exclusive_maximum else largest <= high
        return above and below

    return check


def _finite(column: list[Any]) -> bool:
    try:
        return all(map(math.isfinite, column))
    except OverflowError:  # an integer beyond any float
        return False


def _listings(field: Field) -> Check:
    items: Check = _names
    if field.items != "name":
        items = _texts(field.min_length, field.max_length or MAX_LENGTH)

    def check(column: list[Any]) -> bool:
        if not _all_of(column, list) or min(map(len, column)) < field.min_items:
            return False
        values = list(chain.from_iterable(column))
        if values and not items(values):
            return False
        sizes = list(map(len, column))
        return not field.unique_items or list(map(len, map(set, column))) == sizes

    return check


def _keys(value: Any) -> bool:
    """A list of keys: each a non-empty list of distinct names, no two of the same names."""
    if type(value) is not list:
        return False
    seen: set[frozenset[str]] = set()
    for key in value:
        if type(key) is not list or not key or not _names(key):
            return False
        names = frozenset(key)
        if len(names) != len(key) or names in seen:
            return False
        seen.add(names)
    return True


def _typed_value(type_: Any, value: Any) -> bool:
    """Whether `value` is plainly a value of the attribute type `type_` (a default, a min or a
    max: fields with no limits of their own)."""
    kind: str | None = VALUE_KINDS.get(type_) if type(type_) is str else None
    if kind == "scalar":
        kind = {str: "text", bool: "boolean"}.get(type(value), "number")
    if kind is None or type(value) not in _PYTHON_TYPES[kind]:
        return False
    if kind == "text":
        return len(value) <= MAX_LENGTH and not _UNSTORABLE.search(value)
    if kind == "integer":
        return bool(BIGINT_MIN <= value <= BIGINT_MAX)
    return kind == "boolean" or _finite([value])


_PYTHON_TYPES: Mapping[str, tuple[type, ...]] = {
    "text": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
assert set(VALUE_KINDS.values()) <= {*_PYTHON_TYPES, "scalar"}

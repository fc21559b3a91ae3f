"""The fast path of validation: the items of a list checked together, a column per field.

The reader (`advisor.requirements.parse`) checks a document item by item and field by field,
building each problem's path and message as it goes: about 25 µs an item, several times what
parsing the JSON costs. A document with no problem needs none of that, so the reader first
asks `well_formed_rows` for each list: its items as columns (a `Table`), after the checks of
the field table, each made once over the values of one field in all the items (their types,
smallest and largest, lengths, choices, characters) by C code, with Python visiting only what
is rare (a default, a unique key). The answer is the values the reader would find, or None as
soon as anything is not plainly valid: the reader then reads the whole document its exact way,
which says what is wrong. So this module decides nothing the reader does not; it may be
stricter (a `str` subclass, a tuple for a list), never more lenient, and tests hold both paths
to the same answers.

>>> rows = [{"name": "total", "type": "decimal", "precision": 12}, {"name": "note", "type": "text"}]
>>> well_formed_rows(rows, "entities[].attributes[]").given("name")
['total', 'note']
>>> rows = [{"name": "total", "type": "decimal", "length": 3}]
>>> print(well_formed_rows(rows, "entities[].attributes[]"))
None
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, TypeVar

from advisor.requirements.fields import (
    BIGINT_MAX,
    BIGINT_MIN,
    MAX_LENGTH,
    VALUE_KINDS,
    Field,
    Kind,
    attribute_of,
    fields_of,
    keys_of,
)
from advisor.requirements.model import NAME_MAX_LENGTH

T = TypeVar("T")
Check = Callable[[Sequence[Any]], bool]  # whether every value of a column is plainly valid

# What the reader refuses in a string (NUL, a lone surrogate), and in a name besides (control
# characters, line and paragraph separators); see `unstorable` and `_CONTROL` in parse.py.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_FLOAT_MAX = sys.float_info.max


@dataclass(frozen=True)
class Group:
    """Rows with the same keys in the same order, as a column per key."""

    positions: Sequence[int]  # where the rows are in the list
    columns: Mapping[str, Sequence[Any]]  # by key, each in the order of `positions`
    _distinct: dict[str, frozenset[Any] | None] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    def distinct(self, key: str) -> frozenset[Any] | None:
        """The different values of a column, found once (a condition such as an attribute's
        type is read by several fields); None when one cannot be hashed (a list)."""
        if key not in self._distinct:
            try:
                self._distinct[key] = frozenset(self.columns[key])
            except TypeError:
                self._distinct[key] = None
        return self._distinct[key]


@dataclass(frozen=True)
class Table:
    """The rows of a list as columns, in groups of rows with the same keys: a document's
    items mostly share a few sets of keys, so a value is found by position, once."""

    size: int
    groups: tuple[Group, ...]

    @property
    def key_count(self) -> int:
        """The keys of all its rows."""
        return sum(len(group.columns) * len(group.positions) for group in self.groups)

    @functools.cached_property
    def order(self) -> Sequence[int]:
        """The rows' positions in the list, group after group: the order of `column`."""
        if len(self.groups) == 1:
            return self.groups[0].positions
        return list(chain.from_iterable(group.positions for group in self.groups))

    def column(self, key: str, absent: Any = None) -> Sequence[Any]:
        """The value of `key` in every row (`absent` where it is not given), in `order`."""
        if len(self.groups) == 1 and key in self.groups[0].columns:
            return self.groups[0].columns[key]
        return list(
            chain.from_iterable(
                group.columns.get(key) or repeat(absent, len(group.positions))
                for group in self.groups
            )
        )

    def given(self, key: str) -> Sequence[Any]:
        """The values of `key` in the rows that give it, in `order`."""
        holding = [group.columns[key] for group in self.groups if key in group.columns]
        return holding[0] if len(holding) == 1 else list(chain.from_iterable(holding))

    def replaced(self, columns: Mapping[str, Sequence[Any]]) -> Table:
        """The table with other values for keys every row gives, each column in `order`."""
        groups = []
        start = 0
        for group in self.groups:
            end = start + len(group.positions)
            changed = {key: column[start:end] for key, column in columns.items()}
            groups.append(Group(group.positions, {**group.columns, **changed}))
            start = end
        return Table(self.size, tuple(groups))


def table_of(rows: Sequence[dict[str, Any]]) -> Table:
    """The rows (dicts) of a list as a `Table`.

    >>> table = table_of([{"name": "a", "type": "t"}, {"name": "b"}, {"name": "c", "type": "u"}])
    >>> table.order, table.column("type"), table.given("type")
    ([0, 2, 1], ['t', 'u', None], ('t', 'u'))
    """
    if not rows:
        return Table(0, ())
    signatures = list(map(tuple, rows))  # each row's keys
    if signatures.count(signatures[0]) == len(rows):
        return Table(len(rows), (_group(range(len(rows)), signatures[0], rows),))
    found: dict[tuple[str, ...], list[int]] = {}
    for position, keys in enumerate(signatures):
        positions = found.get(keys)
        if positions is None:
            found[keys] = [position]
        else:
            positions.append(position)
    groups = (
        _group(positions, keys, list(map(rows.__getitem__, positions)))
        for keys, positions in found.items()
    )
    return Table(len(rows), tuple(groups))


def _group(
    positions: Sequence[int], keys: tuple[str, ...], rows: Sequence[dict[str, Any]]
) -> Group:
    columns = zip(*map(dict.values, rows), strict=True)
    return Group(positions, dict(zip(keys, columns, strict=True)))


def well_formed_rows(rows: Sequence[Any], parent: str) -> Table | None:
    """The rows as a `Table` when every row is a dict of keys the mappings at `parent`
    accept, none null, with every value of the fields that hold no mapping or list of
    mappings plainly valid; else None."""
    shape = _shape(parent)
    if rows and set(map(type, rows)) != {dict}:
        return None
    table = table_of(rows)
    keys = set(chain.from_iterable(group.columns for group in table.groups))
    if not shape.keys.issuperset(keys):
        return None  # an unknown key
    # A null means "not given" and is left out; the checks of the fields refuse it.
    if any(None in table.given(key) for key in keys - shape.checked):
        return None
    for field in shape.fields:
        if not _well_formed_column(field, shape, table):
            return None
    return table


def _well_formed_column(field: Field, shape: _Shape, table: Table) -> bool:
    """Whether the values of `field` in the rows of `table` are plainly valid, each alone and
    with the fields it depends on (its condition, what it needs, what types it)."""
    key = field.key
    only = field.only
    holding = [group for group in table.groups if key in group.columns]
    if field.required and len(holding) != len(table.groups):
        return False
    if only is not None and field.required_when_it_applies:
        for group in table.groups:
            if key not in group.columns and only.key in group.columns:
                conditions = group.distinct(only.key)
                if conditions is None or not conditions.isdisjoint(only.values):
                    return False  # a row it applies to does not give it
    if not holding:
        return True
    for group in holding:
        columns = group.columns
        if only is not None:
            conditions = group.distinct(only.key) if only.key in columns else None
            if conditions is None or not conditions.issubset(only.values):
                return False  # a row it does not apply to gives it
        if field.needs and field.needs not in columns:
            return False
        if field.kind == "value":
            types = columns.get(field.typed_by)
            if types is None or not all(map(_typed_value, types, columns[key])):
                return False
    return field.kind == "value" or shape.checks[key](table.given(key))


def well_formed_mapping(value: object, parent: str) -> bool:
    """Whether `value` is a dict of keys the mapping at `parent` accepts, none of them null."""
    return (
        type(value) is dict and _shape(parent).keys.issuperset(value) and None not in value.values()
    )


def instances(
    model: type[T],
    parent: str,
    table: Table,
    also: Mapping[str, Sequence[Any]] = {},
) -> list[T]:
    """`model(**row, **also)` for each of the well-formed rows of `parent` in `table` (in the
    list's order; `also` is in that order too), their lists turned into tuples and their names
    interned as the reader keeps them (`_Reader.name`).

    Without the dataclass's generated `__init__`, which sets each field through
    `object.__setattr__` (frozen) and took most of the time of reading a large document: the
    model has `__slots__`, and each field is set a column at a time through its slot's
    descriptor (which the frozen class's `__setattr__` does not guard), to the given values,
    else the field's default."""
    shape = _shape(parent)
    made: list[T] = list(map(object.__new__, repeat(model, table.size)))
    for group in table.groups:
        members = made if len(table.groups) == 1 else list(map(made.__getitem__, group.positions))
        given: dict[str, Iterable[Any]] = {}
        for key, column in group.columns.items():
            values = _read(shape.reading.get(key), column)
            if values is not None:
                given[shape.attributes[key]] = values
        for name, column in also.items():
            given[name] = map(column.__getitem__, group.positions)
        for name, default in _defaults(model).items():
            values = given.get(name)
            setter = getattr(model, name).__set__
            deque(map(setter, members, repeat(default) if values is None else values), 0)
    return made


def items_held(table: Table, parent: str) -> int:
    """The items of the lists of names or texts that the well-formed rows of `parent` in
    `table` hold, and of their lists of keys (each key a list of names); not those of a list
    of mappings, read as a table of its own."""
    reading = _shape(parent).reading
    items = 0
    for group in table.groups:
        for key, column in group.columns.items():
            if reading.get(key) in ("names", "texts"):
                items += sum(map(len, column))
            elif reading.get(key) == "keys":
                items += sum(map(len, column)) + sum(map(len, chain.from_iterable(column)))
    return items


def _read(reading: str | None, column: Sequence[Any]) -> Iterable[Any] | None:
    """The values of a column as the reader keeps them (see `_Shape.reading`); None for a
    column that is not a field of the model (a list of mappings, read on its own)."""
    if reading == "as is":
        return column
    if reading == "name":
        return map(sys.intern, column)
    if reading == "names":
        return map(tuple, map(map, repeat(sys.intern), column))
    if reading == "texts":
        return map(tuple, column)
    if reading == "keys":
        return [tuple(map(tuple, map(map, repeat(sys.intern), value))) for value in column]
    return None


def _defaults(model: type) -> dict[str, Any]:
    found = _DEFAULTS.get(model)
    if found is None:
        found = _DEFAULTS[model] = _defaults_of(model)
    return found


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults_of(model: type) -> dict[str, Any]:
    assert dataclasses.is_dataclass(model) and not hasattr(model, "__post_init__"), model
    assert "__slots__" in vars(model), f"{model.__name__} has no slots"
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
    checked: frozenset[str]  # their keys
    checks: Mapping[str, Check]
    # How the reader keeps each field's value: "as is", "name" (interned), "names" (a list of
    # names: a tuple of them interned), "texts" (a tuple), "keys" (a tuple of tuples of names).
    reading: Mapping[str, str]
    attributes: Mapping[str, str]  # the model's attribute of each field, by key


@functools.cache
def _shape(parent: str) -> _Shape:
    every = fields_of(parent)
    fields = tuple(field for field in every if field.kind not in ("section", "items"))
    return _Shape(
        keys=frozenset(keys_of(parent)),
        fields=fields,
        checked=frozenset(field.key for field in fields),
        checks={field.key: _check(field, field.kind) for field in fields if field.kind != "value"},
        reading={field.key: _reading(field) for field in fields},
        attributes={field.key: attribute_of(field) for field in fields},
    )


def _reading(field: Field) -> str:
    if field.kind in ("name", "choice", "const"):
        return "name"
    if field.kind == "list":
        return "names" if field.items == "name" else "texts"
    if field.kind == "keys":
        return "keys"
    return "as is"


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


def _all_of(column: Sequence[Any], kind: type) -> bool:
    return set(map(type, column)) == {kind}


def _texts(min_length: int, max_length: int) -> Check:
    def check(column: Sequence[Any]) -> bool:
        if not _all_of(column, str):
            return False
        texts = set(column)  # a document repeats its names and words: each checked once
        return (
            max(map(len, texts)) <= max_length
            and (not min_length or all(map(str.strip, texts)))
            and not _UNSTORABLE.search("".join(texts))
        )

    return check


def _names(column: Sequence[Any]) -> bool:
    if not _all_of(column, str):
        return False
    names = set(column)  # a document repeats its names: each checked once
    return (
        max(map(len, names)) <= NAME_MAX_LENGTH
        and all(map(str.strip, names))
        and not _NOT_IN_NAME.search("".join(names))
    )


def _numbers(field: Field) -> Check:
    low = -math.inf if field.minimum is None else field.minimum
    high = math.inf if field.maximum is None else field.maximum

    def check(column: Sequence[Any]) -> bool:
        if not set(map(type, column)) <= {int, float} or not _finite(column):
            return False
        smallest: float = min(column)
        largest: float = max(column)
        above = smallest > low if field.exclusive_minimum else smallest >= low
        below = largest < high if field.exclusive_maximum else largest <= high
        return above and below

    return check


def _finite(column: Sequence[Any]) -> bool:
    try:
        return all(map(math.isfinite, column))
    except OverflowError:  # an integer beyond any float
        return False


def _listings(field: Field) -> Check:
    items: Check = _names
    if field.items != "name":
        items = _texts(field.min_length, field.max_length or MAX_LENGTH)

    def check(column: Sequence[Any]) -> bool:
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

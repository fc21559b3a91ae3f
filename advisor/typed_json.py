"""Frozen dataclasses to JSON data and back, by their type hints.

A stored design keeps its typed parts (the recommendation, the logical schema) as JSON, so that
the next design compares itself with what was stored instead of building the previous one
again. `dump` writes what `dataclasses.asdict` gives; `load` rebuilds the dataclass, ignoring
keys it does not know (a `format` marker) and leaving out missing ones that have defaults (data
stored before a field was added).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, TypeVar

from advisor.errors import AdvisorError

T = TypeVar("T")


def dump(value: Any) -> Any:
    """JSON data of a dataclass (tuples become lists).

    >>> from advisor.schema import Key
    >>> dump(Key("pk_a", ("id",)))
    {'name': 'pk_a', 'columns': ['id']}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list | frozenset):
        return [dump(item) for item in value]
    return value


def load(cls: type[T], data: Any) -> T:
    """The dataclass `cls` from JSON data made by `dump` (or by a `to_dict` with the same keys).

    >>> from advisor.schema import Key
    >>> load(Key, {"name": "pk_a", "columns": ["id"], "format": "ignored"})
    Key(name='pk_a', columns=('id',))
    """
    return typing.cast(T, _load(cls, data, "$"))


def _load(hint: Any, data: Any, where: str) -> Any:
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(data, dict):
            raise AdvisorError(f"expected an object for {hint.__name__}", location=where)
        hints = _hints(hint)
        values = {
            f.name: _load(hints[f.name], data[f.name], f"{where}.{f.name}")
            for f in dataclasses.fields(hint)
            if f.name in data
        }
        return hint(**values)
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        kinds = [a for a in arguments if a is not type(None)]
        return data if len(kinds) != 1 else _load(kinds[0], data, where)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_load(arguments[0], item, f"{where}[{i}]") for i, item in enumerate(data))
        return tuple(
            _load(kind, item, f"{where}[{i}]")
            for i, (kind, item) in enumerate(zip(arguments, data, strict=True))
        )
    if origin is frozenset:
        return frozenset(_load(arguments[0], item, where) for item in data)
    return data


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)

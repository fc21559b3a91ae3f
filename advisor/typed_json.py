"""Frozen dataclasses to JSON data and back, by their type hints.

A stored design keeps its typed parts (the recommendation, the logical schema) as JSON, so that
the next design compares itself with what was stored instead of building the previous one
again. `dump` writes what `dataclasses.asdict` gives, and `dump_text` the same as JSON text;
`load` rebuilds the dataclass, ignoring keys it does not know (a `format` marker) and leaving
out missing ones that have defaults (data stored before a field was added).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from advisor.errors import AdvisorError

T = TypeVar("T")


def dump(value: Any) -> Any:
    """JSON data of a dataclass (tuples become lists).

    >>> from advisor.schema import Key
    >>> dump(Key("pk_a", ("id",)))
    {'name': 'pk_a', 'columns': ['id']}
    """
    kind: type = type(value)
    if kind in _ATOMS:
        return value
    names = _field_names(kind)
    if names is not None:
        # A stored schema holds hundreds of thousands of values, most of them strings and
        # numbers: those are copied as they are, without a call each.
        fields = {}
        for name in names:
            item = getattr(value, name)
            fields[name] = item if type(item) in _ATOMS else dump(item)
        return fields
    if isinstance(value, tuple | list | frozenset):
        return [item if type(item) in _ATOMS else dump(item) for item in value]
    return value


_ATOMS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass, in order; None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


def dump_text(value: Any, *, shared: Collection[type] = ()) -> str:
    """Compact JSON text (other characters than ASCII as they are) of `dump(value)`, the same
    as `json.dumps` writes it with `separators=(",", ":"), ensure_ascii=False`; a dict may hold
    dataclasses.

    The text is written straight from the dataclasses: building `dump(value)` first would
    make a dict or list per object, hundreds of thousands of them for a large schema, which
    the garbage collector then walks again and again. `shared` names the dataclasses whose
    values recur in fields (a schema's column types): each distinct value is written once,
    so equal values must write the same text (no 1 in one where the other has 1.0 or True).

    >>> from advisor.schema import Key
    >>> dump_text({"format": "x", "key": Key("pk_é", ("id",)), "n": [1.5, None, True]})
    '{"format":"x","key":{"name":"pk_é","columns":["id"]},"n":[1.5,null,true]}'
    """
    out: list[str] = []
    _write(value, out, frozenset(shared), {})
    return "".join(out)


def _write(value: Any, out: list[str], shared: frozenset[type], texts: dict[Any, str]) -> None:
    kind: type = type(value)
    if kind is str:
        out.append(_json_string(value))
        return
    fields = _field_keys(kind)
    if fields is not None:
        if not fields:
            out.append("{}")
            return
        for key, name in fields:
            item = getattr(value, name)
            item_kind = type(item)
            if item_kind is str:
                out.append(key + _json_string(item))
            elif item is None:
                out.append(key + "null")
            elif item_kind is bool:
                out.append(key + ("true" if item else "false"))
            elif item_kind is int:
                out.append(key + repr(item))
            elif item_kind in shared:
                text = texts.get(item)
                if text is None:
                    written: list[str] = []
                    _write(item, written, shared, texts)
                    text = texts[item] = "".join(written)
                out.append(key + text)
            else:
                out.append(key)
                _write(item, out, shared, texts)
        out.append("}")
    elif kind in _ATOMS:
        out.append(_json_atom(value))
    elif isinstance(value, tuple | list | frozenset):
        separator = "["
        for item in value:
            out.append(separator)
            separator = ","
            _write(item, out, shared, texts)
        out.append("]" if separator == "," else "[]")
    elif isinstance(value, dict) and all(type(key) is str for key in value):
        separator = "{"
        for key, item in value.items():
            out.append(f"{separator}{_json_string(key)}:")
            separator = ","
            _write(item, out, shared, texts)
        out.append("}" if separator == "," else "{}")
    else:
        out.append(_json_atom(value))


_json_string = json.encoder.encode_basestring


def indented_json(value: Any, *, ensure_ascii: bool = False) -> str:
    """The text `json.dumps(value, indent=2, ensure_ascii=ensure_ascii)` writes, sooner: with
    an indent, `json` leaves its C encoder for one in Python that yields each piece through a
    chain of generators (the recommendation of 5,000 entities, 5 MB: 0.07 s instead of 0.10 s).

    >>> print(indented_json({"é": [1.5, None, {}], "b": {"c": True}}))
    {
      "é": [
        1.5,
        null,
        {}
      ],
      "b": {
        "c": true
      }
    }
    >>> print(indented_json(["é"], ensure_ascii=True))
    [
      "\\u00e9"
    ]
    """
    out: list[str] = []
    string = json.encoder.encode_basestring_ascii if ensure_ascii else _json_string
    _write_indented(value, out, "\n", string)
    return "".join(out)


def _write_indented(value: Any, out: list[str], newline: str, string: Callable[[str], str]) -> None:
    # Strings, most of the values, are written without a call of their own.
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            head = separator + (string(key) if type(key) is str else _json_key(key, string)) + ": "
            separator = "," + inner
            if type(item) is str:
                out.append(head + string(item))
            elif isinstance(item, dict | list | tuple):
                out.append(head)
                _write_indented(item, out, inner, string)
            else:
                out.append(head + _indented_atom(item, string))
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(separator + string(item))
            elif isinstance(item, dict | list | tuple):
                out.append(separator)
                _write_indented(item, out, inner, string)
            else:
                out.append(separator + _indented_atom(item, string))
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_indented_atom(value, string))


def _indented_atom(value: Any, string: Callable[[str], str]) -> str:
    return string(value) if isinstance(value, str) else _json_atom(value)


def _json_key(key: Any, string: Callable[[str], str]) -> str:
    """A dict key as `json.dumps` writes it: numbers, booleans and None as strings."""
    if isinstance(key, str):
        return string(key)
    if key is None or isinstance(key, int | float):
        return string(_json_atom(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _json_atom(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(value)
    # NaN and the infinities as JSON writes them, a dict with other keys than strings; a value
    # JSON cannot hold raises TypeError
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@functools.cache
def _field_keys(kind: type) -> tuple[tuple[str, str], ...] | None:
    """For a dataclass, each field as ('{"name":' or ',"name":', name); None for any other
    type."""
    names = _field_names(kind)
    if names is None:
        return None
    return tuple(
        (("{" if position == 0 else ",") + _json_string(name) + ":", name)
        for position, name in enumerate(names)
    )


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

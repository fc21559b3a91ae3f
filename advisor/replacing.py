"""`replaced`: `dataclasses.replace` for the engine's hot paths.

`dataclasses.replace` checks every field and runs `__init__`, which sets each field of a frozen
dataclass through `object.__setattr__`: the rules copy a draft for every reason, and the
what-would-change-the-answer search copies thousands of patterns, so that cost came to more than
the work itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

T = TypeVar("T")
FIELDS: dict[type, frozenset[str]] = {}  # the field names of each class, found once


def replaced(item: T, **changes: Any) -> T:
    """A copy of the dataclass `item` with the given fields changed, as
    `dataclasses.replace(item, **changes)` makes it, for classes without `__post_init__`,
    `__slots__` or `init=False` fields.

    >>> from advisor.requirements.model import AccessPattern
    >>> pattern = AccessPattern("put", "event", "write", "append", per_second=10)
    >>> replaced(pattern, per_second=30) == dataclasses.replace(pattern, per_second=30)
    True
    >>> replaced(pattern, speed=30)
    Traceback (most recent call last):
    ...
    TypeError: AccessPattern has no field speed
    """
    kind = type(item)
    fields = FIELDS.get(kind)
    if fields is None:
        fields = FIELDS[kind] = frozenset(f.name for f in dataclasses.fields(cast(Any, kind)))
    if not fields.issuperset(changes):
        unknown = ", ".join(sorted(changes.keys() - fields))
        raise TypeError(f"{kind.__name__} has no field {unknown}")
    copy = object.__new__(kind)
    state = copy.__dict__
    state.update(item.__dict__)
    state.update(changes)
    return copy

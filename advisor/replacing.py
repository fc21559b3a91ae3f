"""`replaced`: `dataclasses.replace` for the engine's hot paths.

`dataclasses.replace` checks every field and runs `__init__`, which sets each field of a frozen
dataclass through `object.__setattr__`: the rules copy a draft for every reason, and the
what-would-change-the-answer search copies thousands of patterns, so that cost came to more than
the work itself. A class with `__slots__` (the facts of a pattern, of which a design holds
thousands) is copied field by field: it has no `__dict__` to copy whole.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

T = TypeVar("T")
# The field names of each class, found once, and the same in order when they are its slots.
FIELDS: dict[type, tuple[frozenset[str], tuple[str, ...]]] = {}


def replaced(item: T, **changes: Any) -> T:
    """A copy of the dataclass `item` with the given fields changed, as
    `dataclasses.replace(item, **changes)` makes it, for classes without `__post_init__` or
    `init=False` fields.

    >>> from advisor.requirements.model import AccessPattern
    >>> pattern = AccessPattern("put", "event", "write", "append", per_second=10)
    >>> replaced(pattern, per_second=30) == dataclasses.replace(pattern, per_second=30)
    True
    >>> from advisor.sizing import EntitySize
    >>> size = EntitySize("event", 10.0, 50.0, 1.0, estimated=True)
    >>> replaced(size, rows=20.0) == dataclasses.replace(size, rows=20.0)
    True
    >>> replaced(pattern, speed=30)
    Traceback (most recent call last):
    ...
    TypeError: AccessPattern has no field speed
    """
    kind = type(item)
    known = FIELDS.get(kind)
    if known is None:
        names = tuple(f.name for f in dataclasses.fields(cast(Any, kind)))
        known = FIELDS[kind] = (frozenset(names), names if "__slots__" in vars(kind) else ())
    fields, slots = known
    if not fields.issuperset(changes):
        unknown = ", ".join(sorted(changes.keys() - fields))
        raise TypeError(f"{kind.__name__} has no field {unknown}")
    copy = object.__new__(kind)
    if slots:
        for name in slots:
            object.__setattr__(
                copy, name, changes[name] if name in changes else getattr(item, name)
            )
        return copy
    state = copy.__dict__
    state.update(item.__dict__)
    state.update(changes)
    return copy

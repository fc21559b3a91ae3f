"""Small helpers the rules share for wording their reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from advisor.facts import Facts
from advisor.matrix import Technology


def number(value: float) -> str:
    """A rate or size as people write it.

    >>> number(200000), number(99.9), number(0.5)
    ('200,000', '99.9', '0.5')
    """
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.4567)
    '46%'
    """
    return f"{round(100 * value)}%"


def listing(items: Iterable[str], limit: int = 4) -> str:
    """Items as a sentence lists them, the tail counted.

    >>> listing(["a", "b", "c"]), listing("abcdef")
    ('a, b and c', 'a, b, c, d and 2 more')
    """
    items = list(items)
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def leaders(facts: Facts, fit: Callable[[Technology], float], limit: int = 3) -> str:
    """The technologies that fit best, in matrix order among equals."""
    best = max((fit(technology) for technology in facts.technologies), default=0)
    names = [t.name for t in facts.technologies if fit(t) == best and best > 0]
    return listing(names, limit)


def paths(items: Iterable[int], prefix: str = "access_patterns") -> tuple[str, ...]:
    return tuple(f"{prefix}[{index}]" for index in items)

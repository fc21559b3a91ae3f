"""Physical names: what a dialect can hold, shortened stably, unique where they must be."""

from __future__ import annotations

import hashlib
import re

from advisor.schema.dialects import Dialect

_PLAIN = re.compile(r"[a-z][a-z0-9_]*")
_HASH_LENGTH = 8


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:_HASH_LENGTH]


def _cut(text: str, budget: int, dialect: Dialect) -> str:
    """The longest head of `text` whose length, as the dialect counts it, is within `budget`."""
    while dialect.length(text) > budget:
        text = text[:-1]
    return text


def physical_name(name: str, dialect: Dialect) -> str:
    """`name` as the dialect can hold it: itself when it can, else cut with a stable hash suffix.

    The suffix hashes the whole original name, so two long names sharing a head stay distinct
    and the same name always gives the same result.

    >>> from advisor.schema.dialects import dialect
    >>> physical_name("customer", dialect("postgresql"))
    'customer'
    >>> physical_name("x" * 70, dialect("postgresql"))
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_c71bd109'
    >>> physical_name("name ", dialect("mysql"))
    'name__36d99a78'
    """
    limit = dialect.identifier_limit
    if (limit is None or len(name) <= limit) and _PLAIN.fullmatch(name):
        return name  # the common case: a short lower-case word fits every dialect as it is
    fixed = name
    for character in dialect.identifier_forbidden:
        fixed = fixed.replace(character, "_")
    if dialect.identifier_bmp_only and not fixed.isascii():
        fixed = "".join(c if ord(c) <= 0xFFFF else "_" for c in fixed)
    if dialect.identifier_no_trailing_space and fixed.endswith(" "):
        fixed = fixed.rstrip(" ") + "_"
    if fixed == name and (limit is None or dialect.length(name) <= limit):
        return name
    suffix = f"_{_digest(name)}"
    budget = (limit if limit is not None else dialect.length(fixed) + len(suffix)) - len(suffix)
    return _cut(fixed, budget, dialect) + suffix


def needs_quotes(name: str, dialect: Dialect) -> bool:
    """Whether `name` must be quoted: anything but a plain lower-case word that is not reserved.

    >>> from advisor.schema.dialects import dialect
    >>> names = ("order_item", "order", "OrderItem", "客户")
    >>> [needs_quotes(name, dialect("postgresql")) for name in names]
    [False, True, True, True]
    """
    return _PLAIN.fullmatch(name) is None or dialect.is_reserved(name)


class NameRegistry:
    """Hands out physical names unique within one scope, compared without case.

    Constraint and index names live in one scope per schema for most dialects (PostgreSQL
    indexes even share it with tables and types), so the schema builder uses one registry for
    all of them and one per table for columns.
    """

    __slots__ = ("_limit", "_taken", "dialect")  # a large schema makes one per table

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._taken: set[str] = set()
        self._limit = dialect.identifier_limit

    def claim(self, name: str) -> str:
        """A physical name for `name`, different from every name claimed before."""
        taken = self._taken
        limit = self._limit
        if (limit is None or len(name) <= limit) and _PLAIN.fullmatch(name) and name not in taken:
            # The common case, as `physical_name` keeps it: a short lower-case word, its own
            # physical name and case fold. A schema claims hundreds of thousands of names.
            taken.add(name)
            return name
        candidate = physical_name(name, self.dialect)
        attempt = 1
        while (folded := candidate.casefold()) in taken:
            attempt += 1
            candidate = physical_name(f"{name}_{attempt}", self.dialect)
        taken.add(folded)
        return candidate

"""The SQL dialects the advisor writes, read from the capability table `data/dialects.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from advisor.errors import UnsupportedDialect

DIALECTS = ("postgresql", "mysql", "sqlite", "sqlserver", "oracle")

# The dialect of the generated DDL that a primary store (a matrix id) runs; a technology not
# listed runs none of them. CockroachDB and YugabyteDB speak PostgreSQL's wire protocol and
# most of its DDL; TimescaleDB is a PostgreSQL extension.
SQL_DIALECTS = {
    "postgresql": "postgresql",
    "timescaledb": "postgresql",
    "cockroachdb": "postgresql",
    "yugabytedb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "sqlserver",
    "oracle": "oracle",
}


@dataclass(frozen=True)
class Dialect:
    """What one SQL dialect can express; the fields are the keys of `data/dialects.yaml`."""

    name: str
    sqlglot: str
    identifier_limit: int | None
    identifier_unit: str  # bytes (UTF-8) or characters
    identifier_forbidden: str
    identifier_bmp_only: bool
    identifier_no_trailing_space: bool
    enum: str  # create_type, inline or check
    regex: str | None  # tilde, regexp_instr, regexp_like or None
    partial_index: bool
    covering_index: bool
    descending_index: bool
    full_text: str | None  # gin_tsvector, fulltext or None
    identity: str  # generated, auto_increment, rowid or identity
    timestamp_tz: bool
    foreign_keys: str  # alter or inline
    on_delete_restrict: str | None  # how RESTRICT is spelled; None: leave the clause out
    now: str  # current_timestamp, current_timestamp_6 or sysdatetimeoffset
    comments: str  # comment_on, inline or sql
    partitioning: bool
    boolean_literals: str  # true_false or one_zero
    types: Mapping[str, str]
    varchar_limit: int | None
    indexable_string_length: int | None
    reserved_words: frozenset[str]

    def length(self, name: str) -> int:
        """The length of `name` as this dialect counts it against `identifier_limit`.

        >>> dialect("postgresql").length("客户"), dialect("mysql").length("客户")
        (6, 2)
        """
        return len(name.encode()) if self.identifier_unit == "bytes" else len(name)

    def is_reserved(self, name: str) -> bool:
        """Whether `name` is a reserved word here (compared without case).

        >>> dialect("postgresql").is_reserved("Order"), dialect("postgresql").is_reserved("status")
        (True, False)
        """
        return name.casefold() in self.reserved_words


def _read(name: str) -> str:
    return resources.files("advisor").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _table() -> dict[str, Any]:
    # libyaml's loader when PyYAML has it: the pure Python one takes ten times as long.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table: dict[str, Any] = yaml.load(_read("dialects.yaml"), Loader=loader)
    return table


@cache
def dialect(name: str) -> Dialect:
    """The capabilities of dialect `name`; raises `UnsupportedDialect` for any other name.

    >>> dialect("mysql").identifier_limit
    64
    >>> dialect("db2")
    Traceback (most recent call last):
    advisor.errors.UnsupportedDialect: 'db2' is not a supported dialect; use one of postgresql, mysql, sqlite, sqlserver, oracle
    """  # noqa: E501
    if name not in DIALECTS:
        raise UnsupportedDialect(
            f"{name!r} is not a supported dialect; use one of {', '.join(DIALECTS)}"
        )
    entry = _table()[name]
    words = _read(f"reserved_words/{name}.txt").splitlines()
    return Dialect(
        name=name,
        sqlglot=entry["sqlglot"],
        identifier_limit=entry["identifier_limit"],
        identifier_unit=entry["identifier_unit"],
        identifier_forbidden=entry.get("identifier_forbidden", ""),
        identifier_bmp_only=entry.get("identifier_bmp_only", False),
        identifier_no_trailing_space=entry.get("identifier_no_trailing_space", False),
        enum=entry["enum"],
        regex=entry["regex"],
        partial_index=entry["partial_index"],
        covering_index=entry["covering_index"],
        descending_index=entry["descending_index"],
        full_text=entry["full_text"],
        identity=entry["identity"],
        timestamp_tz=entry["timestamp_tz"],
        foreign_keys=entry["foreign_keys"],
        on_delete_restrict=entry["on_delete_restrict"],
        now=entry["now"],
        comments=entry["comments"],
        partitioning=entry["partitioning"],
        boolean_literals=entry["boolean_literals"],
        types=dict(entry["types"]),
        varchar_limit=entry.get("varchar_limit"),
        indexable_string_length=entry.get("indexable_string_length"),
        reserved_words=frozenset(
            word.strip() for word in words if word.strip() and not word.startswith("#")
        ),
    )

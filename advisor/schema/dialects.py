"""The SQL dialects the advisor writes, read from the capability table `data/dialects.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from advisor.data_files import data_document, data_text
from advisor.errors import UnsupportedDialect

DIALECTS = ("postgresql", "mysql", "sqlite", "sqlserver", "oracle")
# Distributed SQL stores with a DDL of their own: their family's schema, rendered with what the
# engine accepts (`engines` in `data/dialects.yaml`). A design writes one when it is the primary.
ENGINES = ("cockroachdb", "yugabytedb")

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


def primary_dialect(technology: str) -> str | None:
    """The DDL a primary store (a matrix id) runs: its engine's own, else its family's, else None.

    >>> primary_dialect("cockroachdb"), primary_dialect("mariadb"), primary_dialect("redis")
    ('cockroachdb', 'mysql', None)
    """
    return technology if technology in ENGINES else SQL_DIALECTS.get(technology)


@dataclass(frozen=True)
class Dialect:
    """What one SQL dialect can express; the fields are the keys of `data/dialects.yaml`."""

    name: str
    title: str
    family: str  # the dialect whose schema this one renders: itself, or an engine's family
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
    on_update: str | None  # trigger_function, on_update, trigger; None: the application
    row_ttl: str | None  # ttl_expiration_expression; None: no row-level TTL
    hash_sharded_keys: bool
    types: Mapping[str, str]
    varchar_limit: int | None
    indexable_string_length: int | None
    reserved_words: frozenset[str]
    case_insensitive: str = "lower_index"  # collate or lower_index
    case_insensitive_collation: str | None = None
    case_insensitive_caveat: str = ""  # what else the collation ignores, or does not fold
    spatial_index: str | None = None  # gist, spatial, sqlserver, oracle or None
    vector_index: str | None = None  # hnsw or None
    point_columns: str = "one"  # one (a spatial type) or two (longitude, latitude)
    extensions: Mapping[str, str] | None = None  # column kind -> extension it needs
    index_key_max_bytes: int | None = None  # all columns of one index key together
    key_bytes: Mapping[str, float] | None = None  # bytes a key part takes, by column kind
    row_security: bool = False  # row-level security policies (ENABLE ROW LEVEL SECURITY)
    set_null_columns: bool = False  # ON DELETE SET NULL (column, ...) of some key columns
    schemas: bool = False  # named schemas in one database (CREATE SCHEMA), a context each
    session: str | None = None  # the statement the script starts with (SET NAMES utf8mb4)

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


@cache
def _table() -> dict[str, Any]:
    # Parsed once per change of the file: parsing it took `recommend` about 1.5 ms.
    table: dict[str, Any] = data_document("dialects.yaml")
    return table


@cache
def dialect(name: str) -> Dialect:
    """The capabilities of dialect `name`; raises `UnsupportedDialect` for any other name.

    >>> dialect("mysql").identifier_limit
    64
    >>> dialect("cockroachdb").family, dialect("cockroachdb").on_update
    ('postgresql', 'on_update')
    >>> dialect("db2")
    Traceback (most recent call last):
    advisor.errors.UnsupportedDialect: 'db2' is not a supported dialect; use one of postgresql, mysql, sqlite, sqlserver, oracle, cockroachdb, yugabytedb
    """  # noqa: E501
    table = _table()
    if name in DIALECTS:
        family, entry = name, table[name]
    elif name in ENGINES:
        family = table["engines"][name]["family"]
        entry = {**table[family], **table["engines"][name]}
    else:
        known = ", ".join((*DIALECTS, *ENGINES))
        raise UnsupportedDialect(f"{name!r} is not a supported dialect; use one of {known}")
    # An engine shares its family's keywords (CockroachDB and YugabyteDB parse PostgreSQL's).
    words = data_text(f"reserved_words/{family}.txt").splitlines()
    return Dialect(
        name=name,
        title=entry["title"],
        family=family,
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
        on_update=entry["on_update"],
        row_ttl=entry.get("row_ttl"),
        hash_sharded_keys=entry.get("hash_sharded_keys", False),
        types=dict(entry["types"]),
        varchar_limit=entry.get("varchar_limit"),
        indexable_string_length=entry.get("indexable_string_length"),
        reserved_words=frozenset(
            word.strip() for word in words if word.strip() and not word.startswith("#")
        ),
        case_insensitive=entry.get("case_insensitive", "lower_index"),
        case_insensitive_collation=entry.get("case_insensitive_collation"),
        case_insensitive_caveat=entry.get("case_insensitive_caveat", ""),
        spatial_index=entry.get("spatial_index"),
        vector_index=entry.get("vector_index"),
        point_columns=entry.get("point_columns", "one"),
        extensions=dict(entry.get("extensions") or {}),
        index_key_max_bytes=entry.get("index_key_max_bytes"),
        key_bytes=dict(entry.get("key_bytes") or {}),
        row_security=entry.get("row_security", False),
        set_null_columns=entry.get("set_null_columns", False),
        schemas=entry.get("schemas", False),
        session=entry.get("session"),
    )
